"""Placing one focus block per chosen account in the week's free time.

Pure: ranked candidates + busy intervals + rules in, placed blocks and reasons out.
Deterministic: the same inputs always give the same plan.

Every length, gap and comparison is taken on real instants, in UTC. Python adds a
timedelta to a datetime of a ZoneInfo zone on its wall clock, and subtracts or compares
two datetimes of one zone by their wall clocks too: across the night the clocks change,
a "90 minute" block would last 30 or 150 minutes and could sit over a meeting in the
repeated hour. Only the working days and hours, the quarter hours and the scoring read
the user's wall clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from focusblock.config import Settings
from focusblock.model import LeftOut, LeftOutKind
from focusblock.plan.ranking import Candidate
from focusblock.plan.rules import WeekRules

QUARTER = timedelta(minutes=15)
LAST_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Placement:
    """Where the planner puts one account's block this week, and why there."""

    account_id: int
    start: datetime
    end: datetime
    why_here: str


@dataclass(frozen=True)
class Plan:
    blocks: tuple[Placement, ...]
    unplaced: tuple[LeftOut, ...]  # no free slot: kind NO_SLOT, with the reason


Interval = tuple[datetime, datetime]


def block_length(material: int, settings: Settings) -> timedelta:
    """30 minutes plus 5 per remark, in quarter hours, within the configured bounds."""
    minutes = settings.min_minutes + 5 * max(material, 0)
    minutes = -(-minutes // 15) * 15
    return timedelta(minutes=max(settings.min_minutes, min(settings.max_minutes, minutes)))


def working_windows(rules: WeekRules) -> list[tuple[date, datetime, datetime]]:
    """Each working day's usable window, in UTC: working hours less their last hour."""
    windows = []
    settings = rules.settings
    for offset in range(7):
        day = rules.week.monday + timedelta(days=offset)
        if day.weekday() not in settings.work_days:
            continue
        start = instant(datetime.combine(day, settings.work_start, rules.zone))
        end = instant(datetime.combine(day, settings.work_end, rules.zone)) - LAST_HOUR
        if end > start:
            windows.append((day, start, end))
    return windows


def instant(moment: datetime) -> datetime:
    """The moment in UTC, where adding, subtracting and comparing are on real time."""
    return moment.astimezone(UTC)


def _instants(interval: Interval) -> Interval:
    return instant(interval[0]), instant(interval[1])


def _ceil_quarter(moment: datetime, zone: ZoneInfo) -> datetime:
    """The first moment from `moment` on that is a quarter hour of the user's clock, in UTC.
    Real minutes are added: every offset and every switch of the clocks is a whole number
    of quarter hours, so a quarter hour of UTC is one of the user's clock too."""
    whole = instant(moment).replace(second=0, microsecond=0)
    if whole < moment:
        whole += timedelta(minutes=1)
    extra = whole.astimezone(zone).minute % 15
    return whole + timedelta(minutes=(15 - extra) % 15)


def _subtract(free: list[Interval], cut: Interval) -> list[Interval]:
    """Free intervals less one blocked interval."""
    result = []
    for start, end in free:
        if cut[1] <= start or cut[0] >= end:
            result.append((start, end))
            continue
        if start < cut[0]:
            result.append((start, cut[0]))
        if cut[1] < end:
            result.append((cut[1], end))
    return result


KEPT_HERE = "where it was: still free"


def plan_week(
    candidates: Sequence[Candidate],
    busy: list[Interval],
    rules: WeekRules,
    held: Sequence[Interval] = (),
    kept: Mapping[int, Interval] | None = None,
) -> Plan:
    """Place one block per candidate, in the order given, in the free working time after
    `rules.now`; each block's length grows with the candidate's remarks.

    `held` are focus blocks already behind us (or under way): they stay where they are,
    take their time and count toward each day's cap. `kept` is where the last plan of the
    week put each account's block: a block still valid there (free, in working hours,
    before its call, within the day's cap) stays exactly there, so a re-plan moves only
    the blocks a change hit; the others are placed around them. Candidates that find no
    slot come back in `unplaced` with the reason. The blocks come back in UTC.
    """
    busy = [_instants(interval) for interval in busy]
    held = [_instants(interval) for interval in held]
    kept = {i: _instants(slot) for i, slot in (kept or {}).items()}
    now = instant(rules.now)
    buffer = timedelta(minutes=rules.settings.buffer_minutes)
    windows = working_windows(rules)
    load = {day: _busy_minutes(day, start, end, busy) for day, start, end in windows}
    free: dict[date, list[Interval]] = {}
    for day, window_start, window_end in windows:
        window_start = max(window_start, now)
        intervals = [(window_start, window_end)] if window_end > window_start else []
        for busy_start, busy_end in busy:
            if busy_start - buffer < window_end and busy_end + buffer > window_start:
                intervals = _subtract(intervals, (busy_start - buffer, busy_end + buffer))
        free[day] = intervals
    per_day: dict[date, int] = {}
    for start, end in held:
        day = start.astimezone(rules.zone).date()
        per_day[day] = per_day.get(day, 0) + 1
        if day in free:
            free[day] = _subtract(free[day], (start - buffer, end + buffer))
    placed: list[Placement] = []
    unplaced: list[LeftOut] = []
    cap = rules.settings.per_day
    staying = set()
    for candidate in candidates:
        slot = (kept or {}).get(candidate.account_id)
        if slot is None or not _still_valid(candidate, slot, free, per_day, rules):
            continue
        start, end = slot
        day = start.astimezone(rules.zone).date()
        per_day[day] = per_day.get(day, 0) + 1
        load[day] = load.get(day, 0) + int((end - start).total_seconds() // 60)
        free[day] = _subtract(free[day], (start - buffer, end + buffer))
        placed.append(Placement(candidate.account_id, start, end, KEPT_HERE))
        staying.add(candidate.account_id)
    for candidate in candidates:
        if candidate.account_id in staying:
            continue
        open_days = {d: f for d, f in free.items() if per_day.get(d, 0) < cap and f}
        choice = _best_slot(candidate, open_days, load, rules) if open_days else None
        if choice is None:
            reason = _no_slot_reason(candidate, rules)
            unplaced.append(
                LeftOut(candidate.account_id, candidate.name, LeftOutKind.NO_SLOT, reason)
            )
            continue
        start, end, why = choice
        day = start.astimezone(rules.zone).date()
        per_day[day] = per_day.get(day, 0) + 1
        load[day] = load.get(day, 0) + int((end - start).total_seconds() // 60)
        free[day] = _subtract(free[day], (start - buffer, end + buffer))
        placed.append(Placement(candidate.account_id, start, end, why))
    placed.sort(key=lambda b: b.start)
    return Plan(tuple(placed), tuple(unplaced))


def _still_valid(
    candidate: Candidate,
    slot: Interval,
    free: Mapping[date, list[Interval]],
    per_day: Mapping[date, int],
    rules: WeekRules,
) -> bool:
    """Whether the block may stay at `slot`: inside one free stretch of a working day
    (free time already leaves out busy time with its buffer, the last working hour and
    what is past), ending a lead time before the call, on a day below its cap."""
    start, end = slot
    day = start.astimezone(rules.zone).date()
    if per_day.get(day, 0) >= rules.settings.per_day:
        return False
    call = candidate.next_call
    if call is not None and end > instant(call) - timedelta(hours=rules.settings.lead_hours):
        return False
    length = end - start
    settings = rules.settings
    if (
        not timedelta(minutes=settings.min_minutes)
        <= length
        <= timedelta(minutes=settings.max_minutes)
    ):
        return False
    return any(
        free_start <= start and end <= free_end for free_start, free_end in free.get(day, [])
    )


def _busy_minutes(day: date, start: datetime, end: datetime, busy: list[Interval]) -> int:
    total = timedelta()
    for s, e in busy:
        overlap = min(e, end + LAST_HOUR) - max(s, start)
        if overlap > timedelta():
            total += overlap
    return int(total.total_seconds() // 60)


def _best_slot(
    candidate: Candidate,
    free: dict[date, list[Interval]],
    load: dict[date, int],
    rules: WeekRules,
) -> tuple[datetime, datetime, str] | None:
    """The best-scoring quarter-hour start in the free time, longest fitting length first."""
    call, settings = candidate.next_call, rules.settings
    deadline = instant(call) - timedelta(hours=settings.lead_hours) if call else None
    preferred_days = _days_before_call(call, rules) if call else []
    full = block_length(candidate.remark_count, settings)
    lengths = [full]
    while lengths[-1] - QUARTER >= timedelta(minutes=settings.min_minutes):
        lengths.append(lengths[-1] - QUARTER)  # a shorter block beats none
    for length in lengths:
        best: tuple[tuple, datetime, datetime, str] | None = None
        for day, intervals in free.items():
            for free_start, free_end in intervals:
                limit = free_end if deadline is None else min(free_end, deadline)
                start = _ceil_quarter(free_start, rules.zone)
                while start + length <= limit:
                    score, why = _score(day, start, preferred_days, load, rules)
                    if best is None or (score, start) < best[0]:
                        best = ((score, start), start, start + length, why)
                    start += QUARTER
        if best is not None:
            return best[1], best[2], best[3]
    return None


def _days_before_call(call: datetime, rules: WeekRules) -> list[date]:
    """The two working days before the call's day (the call's own day is too late to digest)."""
    days: list[date] = []
    call_day = call.astimezone(rules.zone).date()
    day = call_day - timedelta(days=1)
    while len(days) < 2 and day > call_day - timedelta(days=14):
        if day.weekday() in rules.settings.work_days:
            days.append(day)
        day -= timedelta(days=1)
    return days


def _score(
    day: date, start: datetime, preferred_days: list[date], load: dict[date, int], rules: WeekRules
) -> tuple[int, str]:
    """Lower is better: near the call first, then mornings, then lighter days."""
    local = start.astimezone(rules.zone)
    reasons = []
    score = 0
    if preferred_days:
        if day in preferred_days:
            reasons.append("in the two working days before the call")
        else:
            distance = min(abs((day - d).days) for d in preferred_days)
            score += 1000 * (1 + distance)
    morning = local.time() < time(12, 0)
    if morning:
        reasons.append("morning")
    else:
        score += 300
    score += load.get(day, 0)  # busy minutes that day: lighter days win
    minutes_from_start = (
        instant(start) - instant(datetime.combine(day, rules.settings.work_start, rules.zone))
    ).total_seconds() / 60
    score += int(minutes_from_start // 15)  # earlier in the day breaks ties
    return score, ", ".join(reasons) or "the freest time left"


def _no_slot_reason(candidate: Candidate, rules: WeekRules) -> str:
    if candidate.next_call is not None:
        when = candidate.next_call.astimezone(rules.zone).strftime("%a %d %b %H:%M")
        return f"no free slot before the call on {when}"
    return "no free slot this week"
