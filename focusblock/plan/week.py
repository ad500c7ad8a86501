"""The weekly plan in three steps: gather (calendars, store) -> decide (pure) -> write.

`gather` reads the calendars and the store (a short read, no write lock). `decide` ranks
and places without any I/O or clock and returns one frozen PlanDecision. `write` (in
plan/write.py) renders worksheets, writes the .ics, and only then stores the blocks in
one short transaction, so a slow PDF never makes another command wait, and a crash
never leaves the store claiming blocks the calendar file lacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from focusblock.calendar.calls import AccountSignature, next_calls
from focusblock.calendar.events import CalendarEvent, CalendarReading
from focusblock.calendar.publish import PublishReport, VdirReport
from focusblock.calendar.reading import read_calendars
from focusblock.calendar.writing import block_uid
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.names import slug
from focusblock.plan.blocks import BlockChange, Change, reconcile
from focusblock.plan.glance import WeekBusy, week_busy
from focusblock.plan.placement import BlockRequest, PlanRules, plan_week
from focusblock.plan.ranking import LeftOutKind, RankingRules, rank
from focusblock.store.planning import PlanningFacts, planning_facts
from focusblock.store.store import Store
from focusblock.store.views import AccountFacts, StoredBlock

CALL_HORIZON = timedelta(days=42)  # how far ahead we look for each account's next call


@dataclass(frozen=True)
class PlanOptions:
    week: Week
    busy_files: tuple[str, ...] = ()
    out: Path | None = None
    worksheets_dir: Path | None = None
    dry_run: bool = False
    only_changed: bool = False
    private: bool = False
    out_is_folder: bool = False  # --out DIR/: a vdir, one .ics per block
    write_file: bool = True  # --no-file: none
    publish: str | None = None  # caldav:URL that keeps the blocks in place


@dataclass(frozen=True)
class Gathered:
    """Everything the decision is made from."""

    week: Week
    now: datetime
    reading: CalendarReading
    facts: PlanningFacts


@dataclass(frozen=True)
class PlanBlock:
    """One focus block of the week, as decided: where, why, and what changed."""

    account_id: int
    account: str
    block: StoredBlock
    change: Change
    reason: str
    why_here: str = ""
    sheet_stem: str | None = None  # file name of its worksheets, without the extension
    flags: tuple[str, ...] = ()
    lead_lenses: tuple[str, ...] = ()  # what is missing: the worksheet starts there
    next_call: datetime | None = None

    @property
    def start(self) -> datetime:
        return self.block.start

    @property
    def end(self) -> datetime:
        return self.block.end

    @property
    def worksheet(self) -> str | None:
        return f"{self.sheet_stem}.html" if self.sheet_stem else None


@dataclass(frozen=True)
class LeftOutLine:
    account: str
    reason: str
    kind: LeftOutKind


@dataclass(frozen=True)
class PlanDecision:
    week: Week
    timezone: str
    blocks: tuple[PlanBlock, ...]  # placed, by start
    cancelled: tuple[PlanBlock, ...]  # withdrawn now or earlier
    left_out: tuple[LeftOutLine, ...]
    warnings: tuple[str, ...]
    seen: tuple[StoredBlock, ...]  # the week's blocks as the store held them
    busy_week: WeekBusy = field(default_factory=WeekBusy)  # busy events and calls, for the grid

    @property
    def packet_stem(self) -> str:
        return f"{self.week.label}-packet"


def default_out(week: Week) -> Path:
    """Where the .ics goes when the user names no file: focusblock-<week>.ics here."""
    return Path(f"focusblock-{week.label}.ics")


def gather(store: Store, settings: Settings, options: PlanOptions, now: datetime) -> Gathered:
    """Read the calendars (the week plus the horizon for calls) and the store."""
    from focusblock.calendar.sources import open_busy_sources

    zone = ZoneInfo(settings.timezone)
    start, end = options.week.start(zone), options.week.end(zone)
    specs = options.busy_files or settings.busy_sources
    opened = open_busy_sources(specs, settings, start, end + CALL_HORIZON, now)
    reading = read_calendars(opened.sources, start, end + CALL_HORIZON, zone, settings.email)
    reading.warnings[:0] = opened.warnings
    return Gathered(options.week, now, reading, planning_facts(store, options.week.label))


def decide(gathered: Gathered, settings: Settings) -> PlanDecision:
    """Rank, place and reconcile with the stored blocks: pure, deterministic."""
    zone = ZoneInfo(settings.timezone)
    week, now = gathered.week, gathered.now
    week_start, week_end = week.start(zone), week.end(zone)
    accounts = gathered.facts.accounts
    calls = _next_calls(accounts, gathered.reading.events, max(now, week_start), settings.email)
    ranking = rank(accounts, calls, _ranking_rules(settings, week_start, week_end, now))
    busy = [(e.start, e.end) for e in gathered.reading.busy_between(week_start, week_end)]
    requests = [
        BlockRequest(c.account_id, c.name, c.next_call, c.remark_count) for c in ranking.candidates
    ]
    placement = plan_week(requests, busy, _plan_rules(settings, zone, week, now))
    placed = {b.account_id: (b.start, b.end) for b in placement.blocks}
    uids = {a.account_id: block_uid(week.label, a.uid_key) for a in accounts}
    changes = reconcile(
        gathered.facts.blocks, placed, uids, week.label, settings.timezone, gathered.now
    )
    names = {a.account_id: a.name for a in accounts}
    stems = _sheet_names(week, {i: names[i] for i in placed})
    candidates = {c.account_id: c for c in ranking.candidates}
    why_here = {b.account_id: b.why_here for b in placement.blocks}

    def line(change: BlockChange) -> PlanBlock:
        account_id = change.block.account_id
        candidate = candidates.get(account_id)
        if candidate is None:
            return PlanBlock(account_id, names[account_id], change.block, change.change, WITHDRAWN)
        return PlanBlock(
            account_id=account_id,
            account=names[account_id],
            block=change.block,
            change=change.change,
            reason=candidate.reason,
            why_here=why_here.get(account_id, ""),
            sheet_stem=None if change.block.cancelled else stems.get(account_id),
            flags=candidate.flags,
            lead_lenses=candidate.lead_lenses,
            next_call=candidate.next_call,
        )

    lines = [line(change) for change in changes]
    left_out = [LeftOutLine(item.name, item.reason, item.kind) for item in ranking.left_out]
    left_out += [LeftOutLine(u.name, u.reason, LeftOutKind.NO_SLOT) for u in placement.unplaced]
    return PlanDecision(
        week=week,
        timezone=settings.timezone,
        blocks=tuple(sorted((b for b in lines if not b.block.cancelled), key=lambda b: b.start)),
        cancelled=tuple(b for b in lines if b.block.cancelled),
        left_out=tuple(left_out),
        warnings=tuple(gathered.reading.warnings),
        seen=gathered.facts.blocks,
        busy_week=week_busy(
            gathered.reading.events, week_start, week_end, accounts, settings.email
        ),
    )


WITHDRAWN = "no longer planned this week"


def _next_calls(
    accounts: Sequence[AccountFacts],
    events: Sequence[CalendarEvent],
    after: datetime,
    email: str | None,
) -> Mapping[int, datetime]:
    signatures = [AccountSignature(a.account_id, (a.name, *a.aliases), a.domains) for a in accounts]
    found = {i: call.start for i, call in next_calls(events, signatures, after, email).items()}
    for a in accounts:  # the account's own --next-call counts when the calendar shows none
        if a.account_id not in found and a.stored_next_call and a.stored_next_call >= after:
            found[a.account_id] = a.stored_next_call
    return found


def _ranking_rules(
    settings: Settings, week_start: datetime, week_end: datetime, now: datetime
) -> RankingRules:
    return RankingRules(
        week_start=week_start,
        week_end=week_end,
        work_days=settings.work_days,
        lead_hours=settings.lead_hours,
        hopeful_quiet_days=settings.hopeful_quiet_days,
        today=now.astimezone(week_start.tzinfo).date(),
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


def make_plan(store: Store, settings: Settings, options: PlanOptions, now: datetime) -> PlanResult:
    """Plan the week end to end: gather, decide, write."""
    from focusblock.plan.write import write

    decision = decide(gather(store, settings, options, now), settings)
    return write(store, decision, settings, options, now)


@dataclass(frozen=True)
class PlanResult:
    decision: PlanDecision
    ics_file: str | None
    worksheets: tuple[str, ...]  # files written beside the .ics
    events_written: int
    dry_run: bool
    published: PublishReport | None = None  # --publish caldav:URL
    vdir: VdirReport | None = None  # --out DIR/
