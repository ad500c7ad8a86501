"""The weekly plan in three steps: gather (calendars, store) -> decide (pure) -> write.

`gather` reads the calendars and the store (a short read, no write lock). `decide` ranks
and places without any I/O or clock and returns one frozen PlanDecision. `write` (in
plan/write.py, beside `make_plan`, which runs the three steps) renders worksheets,
writes the .ics, and only then stores the blocks in one short transaction, so a slow PDF
never makes another command wait, and a crash never leaves the store claiming blocks
the calendar file lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from focusblock.calendar.calls import CallSearch
from focusblock.calendar.completeness import NEAR_WINDOW
from focusblock.calendar.events import CalendarReading
from focusblock.calendar.publish import PublishReport, VdirReport
from focusblock.calendar.reading import OURS
from focusblock.calendar.urls import show_source
from focusblock.calendar.writing import block_uid, fingerprint
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.errors import BadInput
from focusblock.model import BlockStatus, FocusBlock, LeftOut, LeftOutKind
from focusblock.names import slug
from focusblock.plan.blocks import Change, PlanBlock, reconcile, started
from focusblock.plan.busy import CALL_HORIZON_DAYS, find_calls, read_busy
from focusblock.plan.describe import describe
from focusblock.plan.glance import WeekBusy, WeekGlance, week_busy, week_glance
from focusblock.plan.hand_edits import HandEdits, hand_edits
from focusblock.plan.kept_answers import KeptAnswers
from focusblock.plan.placement import Plan, plan_week
from focusblock.plan.ranking import Ranking, might_be_unheard, rank
from focusblock.plan.rules import WeekRules
from focusblock.store.planning import (
    PlanningFacts,
    block_owners,
    planning_facts,
    remark_texts,
)
from focusblock.store.store import Store
from focusblock.store.views import AccountFacts
from focusblock.store.worksheets import worksheet_materials
from focusblock.worksheet.deal import basics_heard_in_words
from focusblock.worksheet.question_bank import QuestionBank, load_bank

CALL_HORIZON = timedelta(days=CALL_HORIZON_DAYS)
DESCRIBED_REMARKS = 200  # at most this many remarks per account go into a description


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
    describe_remarks: bool = False  # the latest remarks in the event's description
    force: bool = False  # replace files that are neither ours nor of their kind
    allow_empty: bool = False  # plan even when a calendar has no event near the week


@dataclass(frozen=True)
class Gathered:
    """Everything the decision is made from."""

    week: Week
    now: datetime
    zone: str  # the user's time zone, an IANA name
    reading: CalendarReading
    facts: PlanningFacts
    bank: QuestionBank
    remark_texts: Mapping[int, Sequence[tuple[date, str]]] | None = None  # opted in only
    # blocks of other weeks the seller dragged into this one: UID -> its account
    moved_in: Mapping[str, int] = field(default_factory=dict)
    # pending accounts whose remarks' words speak to none of need, cost and signer
    unheard: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PlanDecision:
    week: Week
    timezone: str
    blocks: tuple[PlanBlock, ...]  # placed, by start
    cancelled: tuple[PlanBlock, ...]  # withdrawn now or earlier
    left_out: tuple[LeftOut, ...]
    warnings: tuple[str, ...]
    seen: tuple[FocusBlock, ...]  # the week's blocks as the store held them
    busy_week: WeekBusy = field(default_factory=WeekBusy)  # busy events and calls, for the grid
    # blocks whose event the seller deleted (or dragged out of the week): stored, never written
    removed: tuple[PlanBlock, ...] = ()
    ours: frozenset[str] = frozenset()  # the UID of every block the store ever wrote
    # blocks of the week a merge stopped planning, written cancelled (never stored)
    ghosts: tuple[PlanBlock, ...] = ()

    @property
    def packet_stem(self) -> str:
        # "_" never occurs in an account's file name (names.slug): no account can be "packet"
        return f"{self.week.label}_packet"


def default_out(store: Store, week: Week) -> Path:
    """Where the .ics goes when the user names no file: focusblock-<week>.ics in the
    store's folder of that week (its worksheets beside it)."""
    return store.week_folder(week.label) / f"focusblock-{week.label}.ics"


def gather(store: Store, settings: Settings, options: PlanOptions, now: datetime) -> Gathered:
    """Read the calendars (the week plus the horizon for calls) and the store."""
    zone = ZoneInfo(settings.timezone)
    start, end = options.week.start(zone), options.week.end(zone)
    specs = options.busy_files or settings.busy_sources
    if not specs:
        raise BadInput(
            "no calendar given: a plan without your busy time would book over your meetings",
            hint="use --busy FILE.ics (an export of your calendar), a feed's https:// address "
            "or caldav:URL, or list them as calendars.busy in the settings",
        )
    facts = planning_facts(store, options.week.label)  # first: it says which events are ours
    if options.publish and options.publish not in specs:
        # the calendar the blocks are published to is read too: what the seller did to them
        # there (moved, retitled, deleted) wins over this plan, and its meetings are busy
        specs = (*specs, options.publish)
    vdir = options.out if options.out_is_folder and options.out else None
    if vdir is not None and vdir.is_dir() and any(vdir.glob("*.ics")) and str(vdir) not in specs:
        # a vdir synced with the seller's calendar: what they did to the blocks there wins
        specs = (*specs, str(vdir))
    reading = read_busy(
        settings, specs, start, end + CALL_HORIZON, now, facts.ours, end, facts.accounts
    )
    _refuse_untrusted(reading, options)
    texts = remark_texts(store, DESCRIBED_REMARKS) if options.describe_remarks else None
    return Gathered(
        week=options.week,
        now=now,
        zone=settings.timezone,
        reading=reading,
        facts=facts,
        bank=load_bank(settings.questions_file),
        remark_texts=texts,
        moved_in=block_owners(store, _other_weeks_blocks(reading, options.week, start, end)),
        unheard=_unheard(store, facts.accounts, settings.disqualify_after_remarks),
    )


def _unheard(store: Store, accounts: Iterable[AccountFacts], after: int) -> frozenset[int]:
    """The accounts whose facts leave it to the words, and whose words speak to none of
    the need, the cost of doing nothing and who signs: only these are read remark by
    remark."""
    maybe = [a.account_id for a in accounts if might_be_unheard(a, after)]
    if not maybe:
        return frozenset()
    materials = worksheet_materials(store, maybe, limit=None)
    return frozenset(i for i, m in materials.items() if not basics_heard_in_words(m.remarks))


def _refuse_untrusted(reading: CalendarReading, options: PlanOptions) -> None:
    """A calendar that is cut off or empty reads as a free week: blocks would land on
    real meetings. Refuse it before anything is written."""
    if reading.truncated:
        raise BadInput(
            f"{reading.truncated[0]}: the calendar file ends early (it is cut off); "
            "nothing was planned: export it again"
        )
    if reading.empty and not options.allow_empty:
        raise BadInput(
            f"{reading.empty[0]}: no events within {NEAR_WINDOW.days} days of "
            f"{options.week.label}; is it the right calendar? Plan anyway with --allow-empty"
        )
    # a calendar read whole with events near the week (else it is empty, above) may have
    # none in it, nor calls after it: a free week, not an unreadable calendar
    if not reading.events and not reading.read_whole and not options.allow_empty:
        raise BadInput(
            f"{', '.join(map(show_source, options.busy_files)) or 'calendars.busy'}: no readable "
            "event in any "
            "calendar given; nothing was planned (a plan on an empty calendar would book "
            "over your meetings)",
            hint="check the files or addresses, or plan anyway with --allow-empty",
        )


def decide(gathered: Gathered, settings: Settings, options: PlanOptions) -> PlanDecision:
    """Rank, place and reconcile with the stored blocks: pure, deterministic."""
    week, now = gathered.week, gathered.now
    rules = WeekRules(settings, week, now)
    week_start, week_end = rules.week_start, rules.week_end
    accounts = gathered.facts.accounts
    search = find_calls(
        accounts,
        gathered.reading.events,
        max(now, week_start),
        settings.email,
        settings.colleague_domains,
    )
    calls = {i: c.start for i, c in search.calls.items()}
    planned = {
        b.account_id: b.updated_at.date()
        for b in gathered.facts.blocks
        if b.status is BlockStatus.PLANNED
    }
    ranking = rank(accounts, calls, rules, planned, gathered.unheard)
    # what the seller did to our events in their calendar wins: moved ones stay where they
    # put them, deleted ones are not created again, typed text is kept
    edits = hand_edits(
        gathered.facts.blocks,
        gathered.reading.events,
        gathered.facts.versions,
        gathered.reading.read_whole,
        (week_start, week_end),
        now,
    )
    stored = edits.blocks
    # blocks under way or past stay as they are, a deleted account's too: their time is
    # taken; so do blocks the seller moved by hand
    held = {b.account_id: b for b in stored if started(b, now) or _pinned(b)}
    removed = {b.account_id for b in stored if b.status is BlockStatus.REMOVED}
    busy = [(e.start, e.end) for e in gathered.reading.busy_between(week_start, week_end)]
    # a block of another week that the seller dragged into this one takes its time here
    busy += [(e.start, e.end) for e in gathered.reading.events if e.uid in gathered.moved_in]
    # an account whose block of another week the seller dragged into this one has its block
    dragged_here = set(gathered.moved_in.values())
    candidates = [
        c
        for c in ranking.candidates
        if c.account_id not in held
        and c.account_id not in removed
        and c.account_id not in dragged_here
    ]
    # a block still valid where the last plan put it stays there: re-plans are calm
    kept = {
        b.account_id: (b.start, b.end)
        for b in stored
        if b.status == BlockStatus.PLANNED and b.account_id not in held
    }
    placement = plan_week(candidates, busy, rules, [(b.start, b.end) for b in held.values()], kept)
    times = {b.account_id: (b.start, b.end) for b in placement.blocks}
    times.update({i: (b.start, b.end) for i, b in held.items()})
    names = {a.account_id: a.name for a in accounts}  # a deleted account gets no worksheet
    stems = _sheet_names(week, {i: names[i] for i in times if i in names})
    why = {u.account_id: u.reason for u in placement.unplaced}
    why.update({x.account_id: x.reason for x in ranking.left_out})
    why.update({a.account_id: DELETED for a in gathered.facts.deleted})
    why.update({b.account_id: PINNED for b in held.values() if _pinned(b)})
    why.update({i: REMOVED_BY_YOU for i in removed})
    why.update({i: DRAGGED_HERE for i in dragged_here})
    for b in stored:
        elsewhere = edits.out_of_week.get(b.uid)
        if elsewhere is not None:
            when = elsewhere.astimezone(rules.zone).strftime("%a %d %b %H:%M")
            why[b.account_id] = f"moved by you to {when}, another week: not planned again here"
    blocks = _week_blocks(
        gathered, options, ranking, placement, times, stems, why, search, stored, edits
    )
    left_out = [x for x in ranking.left_out if x.account_id not in held]
    left_out += [
        LeftOut(c.account_id, c.name, LeftOutKind.HAS_BLOCK, DRAGGED_HERE)
        for c in ranking.candidates
        if c.account_id in dragged_here and c.account_id not in held
    ]
    return PlanDecision(
        week=week,
        timezone=settings.timezone,
        blocks=tuple(
            sorted(
                (b for b in blocks if b.block.status is BlockStatus.PLANNED),
                key=lambda b: b.start,
            )
        ),
        cancelled=tuple(b for b in blocks if b.block.cancelled),
        removed=tuple(b for b in blocks if b.block.status is BlockStatus.REMOVED),
        ours=gathered.facts.ours,
        ghosts=_ghosts(gathered, names, now),
        left_out=(*left_out, *placement.unplaced),
        warnings=(
            *gathered.reading.warnings,
            *search.warnings,
            *_pinned_over_meetings(held.values(), busy, settings),
        ),
        seen=gathered.facts.blocks,
        busy_week=week_busy(
            gathered.reading.events,
            week_start,
            week_end,
            accounts,
            settings.email,
            settings.colleague_domains,
        ),
    )


def _week_blocks(
    gathered: Gathered,
    options: PlanOptions,
    ranking: Ranking,
    placement: Plan,
    times: Mapping[int, tuple[datetime, datetime]],
    stems: Mapping[int, str],
    why: Mapping[int, str],
    search: CallSearch,
    stored: Sequence[FocusBlock],
    edits: HandEdits,
) -> list[PlanBlock]:
    """Every block of the week with its text, reason and call, reconciled with the store."""
    week, now = gathered.week, gathered.now
    accounts = {a.account_id: a for a in (*gathered.facts.accounts, *gathered.facts.deleted)}
    chosen = {c.account_id: c for c in ranking.candidates}
    why_here = {b.account_id: b.why_here for b in placement.blocks}
    texts = gathered.remark_texts or {}
    wanted: dict[int, PlanBlock] = {}
    for account_id, (start, end) in times.items():
        account, candidate = accounts[account_id], chosen.get(account_id)
        reason = candidate.reason if candidate else why.get(account_id, KEPT)
        stem = stems.get(account_id)
        lead = candidate.lead_lenses if candidate else ()
        call = search.calls.get(account_id)
        sheet = f"{stem}.html" if stem else None
        text = describe(account, reason, lead, sheet, gathered.bank, texts.get(account_id, ()))
        block = FocusBlock(
            account_id=account_id,
            week=week.label,
            uid=block_uid(week.label, account.uid_key),
            start=start,
            end=end,
            timezone=gathered.zone,
            sequence=0,
            status=BlockStatus.PLANNED,
            updated_at=now,
            content=fingerprint(account.name, text, options.private, account.code),
            call=call,
        )
        wanted[account_id] = PlanBlock(
            block,
            Change.NEW,
            account.name,
            reason,
            why_here=why_here.get(account_id, ""),
            sheet_stem=stem,
            flags=candidate.flags if candidate else (),
            lead_lenses=lead,
            call=call,
            description=text,
            code=account.code,
        )

    def withdrawn(block: FocusBlock, change: Change) -> PlanBlock:
        """A block this plan no longer wants says why it was withdrawn."""
        account = accounts[block.account_id]
        reason = why.get(block.account_id, WITHDRAWN)
        return PlanBlock(block, change, account.name, reason, code=account.code)

    return reconcile(stored, wanted, withdrawn, now, edits.moved, edits.removed)


WITHDRAWN = "no longer planned this week"
PINNED = "moved by you in your calendar: kept where you put it"
REMOVED_BY_YOU = "you removed it from your calendar: not created again this week"


DRAGGED_HERE = "its block of another week, which you moved into this one, counts here"
MERGED_AWAY = "its account was merged into this one; withdrawn so no copy stays live"


def _ghosts(gathered: Gathered, names: Mapping[int, str], now: datetime) -> tuple[PlanBlock, ...]:
    """The blocks of the week a merge stopped planning, still ahead: cancelled events."""
    stored = {b.uid for b in gathered.facts.blocks}
    return tuple(
        PlanBlock(
            replace(
                ghost, status=BlockStatus.CANCELLED, sequence=ghost.sequence + 1, updated_at=now
            ),
            Change.CANCELLED,
            names.get(ghost.account_id, ""),
            MERGED_AWAY,
        )
        for ghost in gathered.facts.ghosts
        if ghost.start >= now and ghost.uid not in stored
    )


def _other_weeks_blocks(
    reading: CalendarReading, week: Week, start: datetime, end: datetime
) -> list[str]:
    """The UIDs of our blocks of other weeks that sit in this week: dragged here."""
    own_week = f"{week.label.lower()}-"
    return sorted(
        {
            e.uid
            for e in reading.events
            if e.free_reason == OURS
            and not e.uid.startswith(own_week)
            and e.start < end
            and e.end > start
        }
    )


def _pinned(block: FocusBlock) -> bool:
    return block.pinned and block.status is BlockStatus.PLANNED


def _pinned_over_meetings(
    held: Iterable[FocusBlock], busy: Sequence[tuple[datetime, datetime]], settings: Settings
) -> list[str]:
    """A block the seller placed by hand that a meeting now overlaps: said, and left."""
    zone = ZoneInfo(settings.timezone)
    warnings = []
    for block in held:
        if _pinned(block) and any(s < block.end and e > block.start for s, e in busy):
            when = block.start.astimezone(zone).strftime("%a %d %b %H:%M")
            warnings.append(
                f"a meeting now overlaps the block you moved to {when}; "
                "it stays where you put it: move it again if you like"
            )
    return warnings


KEPT = "already under way or past: kept as it was"
DELETED = "the account was deleted"


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


@dataclass(frozen=True)
class PlanResult:
    decision: PlanDecision
    ics_file: str | None
    worksheets: tuple[str, ...]  # files written beside the .ics
    events_written: int
    dry_run: bool
    published: PublishReport | None = None  # --publish caldav:URL
    vdir: VdirReport | None = None  # --out DIR/
    nothing_changed: bool = False  # --only-changed found no change: no .ics was written
    removed: tuple[str, ...] = ()  # worksheets of withdrawn blocks, removed
    # the answers read from the week's worksheets before they were rewritten or removed
    kept: tuple[KeptAnswers, ...] = ()


def glance_of_plan(decision: PlanDecision, settings: Settings) -> WeekGlance:
    """The planned week at a glance: its busy time and calls, and the placed blocks."""
    blocks = [(b.account, b.start, b.end) for b in decision.blocks]
    return week_glance(decision.week, settings, decision.busy_week, blocks)
