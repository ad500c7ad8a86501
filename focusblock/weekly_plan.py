"""The weekly plan, end to end: calendars in; ranking, placement, .ics and worksheets out.

This is the one place that joins the layers. The order of writes is chosen so that a
crash never leaves the store claiming blocks the calendar file lacks: worksheets and
the .ics are written (atomically) first, and the store's transaction commits last.
Block UIDs are derived from account and week, so a plan redone after a crash writes
the same UIDs again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from focusblock.calendar.calls import AccountSignature, next_calls
from focusblock.calendar.publish import PublishReport, VdirReport
from focusblock.calendar.reading import read_calendars
from focusblock.calendar.writing import BlockEvent, block_description, block_uid, render_ics
from focusblock.config import Settings
from focusblock.file_names import slug
from focusblock.planner import BlockRequest, PlanRules, plan_week
from focusblock.priority import AccountFacts, Candidate, RankingRules, rank
from focusblock.private_files import ensure_private_dir, write_private
from focusblock.store.planning import (
    AccountForPlanning,
    accounts_for_planning,
    record_week,
    remark_texts,
)
from focusblock.store.store import Store
from focusblock.weeks import Week
from focusblock.worksheet.question_bank import load_bank
from focusblock.worksheet.rendering import pdf_available

CALL_HORIZON = timedelta(days=42)  # how far ahead we look for each account's next call
DESCRIPTION_QUESTIONS = 3


@dataclass(frozen=True)
class PlanOptions:
    week: Week
    busy_files: tuple[str, ...] = ()
    out: Path | None = None
    worksheets_dir: Path | None = None
    dry_run: bool = False
    only_changed: bool = False
    private: bool = False
    # live calendars (calendar/publish.py): a vdir instead of the .ics, a CalDAV target
    out_is_folder: bool = False
    write_file: bool = True
    publish: str | None = None


@dataclass(frozen=True)
class BlockLine:
    account: str
    start: datetime
    end: datetime
    uid: str
    reason: str
    sequence: int
    change: str
    why_here: str
    worksheet: str | None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeftOutLine:
    account: str
    reason: str
    kind: str


@dataclass(frozen=True)
class PlanResult:
    week: str
    timezone: str
    blocks: tuple[BlockLine, ...]
    cancelled: tuple[BlockLine, ...]
    left_out: tuple[LeftOutLine, ...]
    warnings: tuple[str, ...]
    ics_file: str | None
    worksheets: tuple[str, ...]
    events_written: int
    dry_run: bool
    published: PublishReport | None = None
    vdir: VdirReport | None = None


def default_out(week: Week) -> Path:
    return Path(f"focusblock-{week.label}.ics")


def make_plan(store: Store, settings: Settings, options: PlanOptions, now: datetime) -> PlanResult:
    from sqlalchemy.orm import Session

    zone = ZoneInfo(settings.timezone)
    week = options.week
    week_start, week_end = week.start(zone), week.end(zone)
    # live calendars: --busy SOURCEs, else the settings' calendars.busy (calendar/sources.py)
    from focusblock.calendar.sources import open_busy_sources

    opened = open_busy_sources(
        options.busy_files or settings.busy_sources,
        settings,
        week_start,
        week_end + CALL_HORIZON,
        now,
    )
    reading = read_calendars(
        opened.sources, week_start, week_end + CALL_HORIZON, zone, settings.email
    )
    reading.warnings[:0] = opened.warnings
    out = options.out or default_out(week)
    # a vdir holds only .ics files (vdirsyncer syncs every one): worksheets go beside it
    sheet_dir = options.worksheets_dir or out.parent

    with Session(store.engine, expire_on_commit=False) as session:
        try:
            accounts = accounts_for_planning(session, store, week.label)
            calls = _next_calls(accounts, reading.events, max(now, week_start), settings.email)
            rules = RankingRules(
                week_start=week_start,
                week_end=week_end,
                work_days=settings.work_days,
                lead_hours=settings.lead_hours,
                hopeful_quiet_days=settings.hopeful_quiet_days,
                today=now.astimezone(zone).date(),
            )
            ranking = rank([_facts(a, calls.get(a.account_id)) for a in accounts], rules)
            busy = [(e.start, e.end) for e in reading.busy_between(week_start, week_end)]
            plan = plan_week(
                [
                    BlockRequest(c.account_id, c.name, c.next_call, c.remark_count)
                    for c in ranking.candidates
                ],
                busy,
                _plan_rules(settings, zone, week, now),
            )
            placed = {b.account_id: (b.start, b.end) for b in plan.blocks}
            by_id = {a.account_id: a for a in accounts}
            uids = {a.account_id: block_uid(week.label, a.uid_key) for a in accounts}
            records = record_week(
                session, week.label, settings.timezone, placed, uids, list(by_id), now
            )
            candidates = {c.account_id: c for c in ranking.candidates}
            why_here = {b.account_id: b.why_here for b in plan.blocks}
            bank = load_bank(settings.questions_file)
            sheet_names = _sheet_names(week, {i: by_id[i].name for i in placed})
            sheets = {}
            if not options.dry_run:
                with_pdf = settings.pdf and pdf_available()
                sheets = _render_sheets(
                    session,
                    week,
                    by_id,
                    candidates,
                    placed,
                    sheet_names,
                    calls,
                    settings,
                    now,
                    bank,
                    with_pdf,
                )

            events: list[BlockEvent] = []
            all_events: list[BlockEvent] = []  # --only-changed aside: what a calendar must hold
            lines: list[BlockLine] = []
            cancelled: list[BlockLine] = []
            for record in records:
                account = by_id[record.account_id]
                candidate = candidates.get(record.account_id)
                reason = candidate.reason if candidate else "no longer planned this week"
                stem = sheet_names.get(record.account_id) if not record.cancelled else None
                sheet = stem + ".html" if stem else None
                line = BlockLine(
                    account=account.name,
                    start=record.start,
                    end=record.end,
                    uid=record.uid,
                    reason=reason,
                    sequence=record.sequence,
                    change=record.change,
                    why_here=why_here.get(record.account_id, ""),
                    worksheet=sheet,
                    flags=candidate.flags if candidate else (),
                )
                (cancelled if record.cancelled else lines).append(line)
                description = _description(
                    session, account, candidate, reason, sheet, options.private, bank
                )
                event = BlockEvent(
                    uid=record.uid,
                    sequence=record.sequence,
                    start=record.start,
                    end=record.end,
                    summary=account.name,
                    description=description,
                    cancelled=record.cancelled,
                    last_modified=record.last_modified,
                    private=options.private,
                )
                all_events.append(event)
                if options.only_changed and record.change in ("unchanged", "still-cancelled"):
                    continue
                events.append(event)
            left_out = [LeftOutLine(item.name, item.reason, item.kind) for item in ranking.left_out]
            left_out += [LeftOutLine(u.name, u.reason, "no-slot") for u in plan.unplaced]

            written: list[str] = []
            vdir = None
            if not options.dry_run:
                ensure_private_dir(sheet_dir)
                for name, text in sheets.items():
                    write_private(sheet_dir / name, text)
                    written.append(str(sheet_dir / name))
                vdir = _write_calendar_file(options, out, events, all_events, now)
                session.commit()
            else:
                session.rollback()
        except BaseException:
            session.rollback()
            raise

    # after the store's commit, so a server that is down never loses the plan; publishing
    # again compares with what the server holds, so a failed publish is simply redone
    published = None
    if options.publish:
        from focusblock.calendar.publish import publish_caldav
        from focusblock.calendar.sources import credentials_for

        published = publish_caldav(
            options.publish,
            all_events,
            credentials_for(settings),
            now,
            dry_run=options.dry_run,
            timeout=settings.fetch_timeout,
        )

    return PlanResult(
        week=week.label,
        timezone=settings.timezone,
        blocks=tuple(sorted(lines, key=lambda b: b.start)),
        cancelled=tuple(cancelled),
        left_out=tuple(left_out),
        warnings=tuple(reading.warnings),
        ics_file=None if options.dry_run or not options.write_file else str(out),
        worksheets=tuple(written),
        events_written=0 if options.dry_run or not options.write_file else len(events),
        dry_run=options.dry_run,
        published=published,
        vdir=None if options.dry_run else vdir,
    )


def _write_calendar_file(
    options: PlanOptions,
    out: Path,
    events: list[BlockEvent],
    all_events: list[BlockEvent],
    now: datetime,
) -> VdirReport | None:
    """The .ics (or, for --out DIR/, a vdir of one file per block); nothing with --no-file."""
    if not options.write_file:
        return None
    if options.out_is_folder:
        from focusblock.calendar.publish import write_vdir

        return write_vdir(out, all_events, now)
    ensure_private_dir(out.parent)
    write_private(out, render_ics(events, now))
    return None


def _next_calls(accounts: list[AccountForPlanning], events, after: datetime, email: str | None):  # type: ignore[no-untyped-def]
    signatures = [AccountSignature(a.account_id, (a.name, *a.aliases), a.domains) for a in accounts]
    found = {i: call.start for i, call in next_calls(events, signatures, after, email).items()}
    for a in accounts:  # the account's own --next-call counts when the calendar shows none
        if a.account_id not in found and a.stored_next_call and a.stored_next_call >= after:
            found[a.account_id] = a.stored_next_call
    return found


def _facts(a: AccountForPlanning, call: datetime | None) -> AccountFacts:
    return AccountFacts(
        account_id=a.account_id,
        name=a.name,
        stage=a.stage,
        need=a.need,
        consequence=a.consequence,
        decision_date=a.decision_date,
        next_call=call,
        remarks=a.remarks,
        last_reflection=a.last_reflection,
        last_block=a.last_block,
    )


def _plan_rules(settings: Settings, zone: ZoneInfo, week: Week, now: datetime) -> PlanRules:
    return PlanRules(
        zone=zone,
        week_monday=week.monday,
        work_days=settings.work_days,
        work_start=settings.work_start,
        work_end=settings.work_end,
        min_minutes=settings.min_minutes,
        max_minutes=settings.max_minutes,
        per_day=settings.per_day,
        buffer_minutes=settings.buffer_minutes,
        lead_hours=settings.lead_hours,
        not_before=now,
    )


def _sheet_names(week: Week, names: dict[int, str]) -> dict[int, str]:
    """account id -> file stem; two accounts whose names fold alike get -2, -3, ..."""
    result: dict[int, str] = {}
    used: set[str] = set()
    for account_id, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        base = f"{week.label}-{slug(name)}"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        result[account_id] = candidate
    return result


def _render_sheets(
    session, week, by_id, candidates, placed, names, calls, settings, now, bank, with_pdf
):  # type: ignore[no-untyped-def]
    """Each planned account's worksheet as Markdown (for `reflect`) and HTML, and the
    week's packet in plan order as HTML and, when the extra is installed, PDF."""
    from focusblock.account_worksheet import worksheet_for
    from focusblock.worksheet.rendering import PacketEntry, render_html, render_markdown, render_pdf

    zone = ZoneInfo(settings.timezone)
    today = now.astimezone(zone).date()
    files: dict[str, bytes | str] = {}
    ordered = sorted(placed, key=lambda account_id: placed[account_id][0])
    worksheets, entries = [], []
    for account_id in ordered:
        candidate: Candidate = candidates[account_id]
        worksheet = worksheet_for(
            session,
            account_id,
            bank,
            today,
            calls.get(account_id),
            candidate.lead_lenses,
            (candidate.reason, *candidate.flags),
        )
        stem = names[account_id]
        files[stem + ".md"] = render_markdown(worksheet, zone)
        files[stem + ".html"] = render_html([worksheet], zone)
        worksheets.append(worksheet)
        start = placed[account_id][0].astimezone(zone)
        entries.append(PacketEntry(f"{start:%a %d %b %H:%M}", worksheet.account, candidate.reason))
    if worksheets:
        # one PDF for the week: WeasyPrint takes a second or more per document
        packet_stem = f"{week.label}-packet"
        html = render_html(
            worksheets, zone, title=f"Focus worksheets, {week.label}", blocks=tuple(entries)
        )
        files[packet_stem + ".html"] = html
        if with_pdf:
            files[packet_stem + ".pdf"] = render_pdf(html)
    return files


def _description(session, account, candidate, reason, sheet, private, bank) -> str:  # type: ignore[no-untyped-def]
    if private:
        return ""
    from focusblock.worksheet.question_bank import questions_for

    # what is missing first, then the lenses of the latest remarks; general questions last
    recent = [r.lens for r in reversed(account.remarks) if r.lens]
    lenses = [*(candidate.lead_lenses if candidate else ()), *recent]
    questions: list[str] = []
    for lens in [*lenses, None]:
        for q in questions_for(bank, lens):
            if q not in questions and len(questions) < DESCRIPTION_QUESTIONS:
                questions.append(q)
        if len(questions) >= DESCRIPTION_QUESTIONS:
            break
    remarks = [
        (heard.isoformat(), text) for heard, text in remark_texts(session, account.account_id)
    ]
    return block_description(account.name, reason, remarks, questions, sheet)
