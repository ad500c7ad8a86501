"""Placing one focus block per chosen account in the week's free time.

Pure: ranked requests + busy intervals + rules in, placed blocks and reasons out.
Deterministic: the same inputs always give the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUARTER = timedelta(minutes=15)
LAST_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class BlockRequest:
    account_id: int
    name: str
    call: datetime | None  # the account's next call, if any
    material: int  # remarks to go through: sizes the block


@dataclass(frozen=True)
class PlanRules:
    zone: ZoneInfo
    week_monday: date
    work_days: tuple[int, ...]
    work_start: time
    work_end: time
    min_minutes: int
    max_minutes: int
    per_day: int
    buffer_minutes: int
    lead_hours: float
    not_before: datetime | None = None  # "now": nothing is placed in the past


@dataclass(frozen=True)
class PlacedBlock:
    account_id: int
    name: str
    start: datetime
    end: datetime
    why_here: str


@dataclass(frozen=True)
class Unplaced:
    account_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class Plan:
    blocks: tuple[PlacedBlock, ...]
    unplaced: tuple[Unplaced, ...]


Interval = tuple[datetime, datetime]


def block_length(material: int, rules: PlanRules) -> timedelta:
    """30 minutes plus 5 per remark, in quarter hours, within the configured bounds."""
    minutes = rules.min_minutes + 5 * max(material, 0)
    minutes = -(-minutes // 15) * 15
    return timedelta(minutes=max(rules.min_minutes, min(rules.max_minutes, minutes)))


def working_windows(rules: PlanRules) -> list[tuple[date, datetime, datetime]]:
    """Each working day's usable window: working hours less the last hour."""
    windows = []
    for offset in range(7):
        day = rules.week_monday + timedelta(days=offset)
        if day.weekday() not in rules.work_days:
            continue
        start = datetime.combine(day, rules.work_start, rules.zone)
        end = datetime.combine(day, rules.work_end, rules.zone) - LAST_HOUR
        if end > start:
            windows.append((day, start, end))
    return windows


def _ceil_quarter(moment: datetime) -> datetime:
    local = moment.replace(second=0, microsecond=0)
    if local < moment:
        local += timedelta(minutes=1)
    extra = local.minute % 15
    return local + timedelta(minutes=(15 - extra) % 15)


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


def plan_week(
    requests: list[BlockRequest],
    busy: list[Interval],
    rules: PlanRules,
    held: Sequence[Interval] = (),
) -> Plan:
    """Place one block per request, in the order given, in the free working time.

    `held` are focus blocks already behind us (or under way): they stay where they are,
    take their time and count toward each day's cap. Requests that find no slot come back
    in `unplaced` with the reason.
    """
    buffer = timedelta(minutes=rules.buffer_minutes)
    windows = working_windows(rules)
    load = {day: _busy_minutes(day, start, end, busy) for day, start, end in windows}
    free: dict[date, list[Interval]] = {}
    for day, window_start, window_end in windows:
        if rules.not_before is not None:
            window_start = max(window_start, rules.not_before)
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
    placed: list[PlacedBlock] = []
    unplaced: list[Unplaced] = []
    for request in requests:
        open_days = {d: f for d, f in free.items() if per_day.get(d, 0) < rules.per_day and f}
        choice = _best_slot(request, open_days, load, rules) if open_days else None
        if choice is None:
            unplaced.append(
                Unplaced(request.account_id, request.name, _no_slot_reason(request, rules))
            )
            continue
        start, end, why = choice
        day = start.astimezone(rules.zone).date()
        per_day[day] = per_day.get(day, 0) + 1
        load[day] = load.get(day, 0) + int((end - start).total_seconds() // 60)
        free[day] = _subtract(free[day], (start - buffer, end + buffer))
        placed.append(PlacedBlock(request.account_id, request.name, start, end, why))
    placed.sort(key=lambda b: b.start)
    return Plan(tuple(placed), tuple(unplaced))


def _busy_minutes(day: date, start: datetime, end: datetime, busy: list[Interval]) -> int:
    total = timedelta()
    for s, e in busy:
        overlap = min(e, end + LAST_HOUR) - max(s, start)
        if overlap > timedelta():
            total += overlap
    return int(total.total_seconds() // 60)


def _best_slot(
    request: BlockRequest,
    free: dict[date, list[Interval]],
    load: dict[date, int],
    rules: PlanRules,
) -> tuple[datetime, datetime, str] | None:
    """The best-scoring quarter-hour start in the free time, longest fitting length first."""
    deadline = request.call - timedelta(hours=rules.lead_hours) if request.call else None
    preferred_days = _days_before_call(request.call, rules) if request.call else []
    full = block_length(request.material, rules)
    lengths = [full]
    while lengths[-1] - QUARTER >= timedelta(minutes=rules.min_minutes):
        lengths.append(lengths[-1] - QUARTER)  # a shorter block beats none
    for length in lengths:
        best: tuple[tuple, datetime, datetime, str] | None = None
        for day, intervals in free.items():
            for free_start, free_end in intervals:
                limit = free_end if deadline is None else min(free_end, deadline)
                start = _ceil_quarter(free_start.astimezone(rules.zone))
                while start + length <= limit:
                    score, why = _score(day, start, preferred_days, load, rules)
                    if best is None or (score, start) < best[0]:
                        best = ((score, start), start, start + length, why)
                    start += QUARTER
        if best is not None:
            return best[1], best[2], best[3]
    return None


def _days_before_call(call: datetime, rules: PlanRules) -> list[date]:
    """The two working days before the call's day (the call's own day is too late to digest)."""
    days: list[date] = []
    call_day = call.astimezone(rules.zone).date()
    day = call_day - timedelta(days=1)
    while len(days) < 2 and day > call_day - timedelta(days=14):
        if day.weekday() in rules.work_days:
            days.append(day)
        day -= timedelta(days=1)
    return days


def _score(
    day: date, start: datetime, preferred_days: list[date], load: dict[date, int], rules: PlanRules
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
        local - datetime.combine(day, rules.work_start, rules.zone)
    ).total_seconds() / 60
    score += int(minutes_from_start // 15)  # earlier in the day breaks ties
    return score, ", ".join(reasons) or "the freest time left"


def _no_slot_reason(request: BlockRequest, rules: PlanRules) -> str:
    if request.call is not None:
        when = request.call.astimezone(rules.zone).strftime("%a %d %b %H:%M")
        return f"no free slot before the call on {when}"
    return "no free slot this week"
