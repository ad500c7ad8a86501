"""Telling, before expansion, that a recurring series has no occurrence in a window.

Expanding a series walks its rule from its first occurrence, often years back: most of a
reading's time once the text pass has dropped what it can. A monthly series on the nth
weekday ("the second Tuesday") falls in a given week one time in four; which days it can
fall on near the window is a few lines of arithmetic, so a series that certainly misses
the window is left out before the expander walks it.

Only shapes read exactly are judged: one master alone (no moved occurrence, no RDATE or
EXRULE), one MONTHLY rule whose BYDAY days all carry an ordinal, with INTERVAL, COUNT,
UNTIL, WKST and BYMONTH as the only other parts. COUNT, UNTIL, BYMONTH and EXDATE can only
take occurrences away, so the days computed without them are more than the series has;
anything else is left to the expander.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

# icalendar's components (Calendar, Event) are untyped
Component = Any

_ORDINAL_DAY = re.compile(r"^([+-]?)([1-5])(MO|TU|WE|TH|FR|SA|SU)$")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PARTS = {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST", "BYMONTH"}
_CLOCK_CHANGE = timedelta(hours=3)  # an occurrence in a zone's gap or fold moves by less
_ANY_ZONE = timedelta(hours=27)  # between any two zones' clocks (UTC-12 to UTC+14), and more
_NEAR = timedelta(days=3)  # the months looked at: those of the days near the window
_LONGEST = timedelta(days=27)  # an occurrence longer than this: left to the expander


def without_missing_series(calendar: Component, start: datetime, end: datetime) -> Component:
    """`calendar`, or a copy of it without the series that certainly have no occurrence
    meeting [start, end)."""
    import icalendar

    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    uids: dict[str, int] = {}
    # every event counts, those nested in another component too: the expander takes them
    # into the series of their UID
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        uids[uid] = uids.get(uid, 0) + 1
    missing = {
        id(event)
        for event in events
        if uids[str(event.get("UID", ""))] == 1 and misses(event, start, end)
    }
    if not missing:
        return calendar
    kept = icalendar.Calendar()
    kept.update(calendar)
    for component in calendar.subcomponents:
        if id(component) not in missing:
            kept.add_component(component)
    return kept


def misses(event: Component, start: datetime, end: datetime) -> bool:
    """True only when no occurrence of the series `event` (a master with no moved
    occurrence of its own) can meet [start, end)."""
    try:
        return _misses(event, start, end)
    except Exception:  # an odd value anywhere: the expander reads it, or says why
        return False


def _misses(event: Component, start: datetime, end: datetime) -> bool:
    rule = event.get("RRULE")
    if rule is None or isinstance(rule, list) or event.get("RECURRENCE-ID") is not None:
        return False
    if event.get("RDATE") is not None or event.get("EXRULE") is not None:
        return False
    if set(rule) - _PARTS or [str(f).upper() for f in rule.get("FREQ", [])] != ["MONTHLY"]:
        return False
    ordinals = ordinal_days(str(day) for day in rule.get("BYDAY", []))
    intervals = rule.get("INTERVAL", [1])
    interval = int(intervals[0]) if len(intervals) == 1 else 0
    if ordinals is None or interval < 1:
        return False
    first = event.get("DTSTART").dt
    length = _length(event, first)
    if length is None:
        return False
    meets = _meeting(first, length, start, end)
    first_day = first.date() if isinstance(first, datetime) else first
    if meets(first_day):
        return False  # the first occurrence, which the rule need not name
    low, high = (start - length - _NEAR).date(), (end + _NEAR).date()
    return not any(meets(day) for day in monthly_days(first_day, interval, ordinals, low, high))


def ordinal_days(by_day: Iterable[str]) -> list[tuple[int, str]] | None:
    """A monthly rule's BYDAY as (ordinal, weekday) pairs ("-1FR": the last Friday); None
    unless there is at least one and each has an ordinal (a bare "TU" is every Tuesday)."""
    found = [_ORDINAL_DAY.match(day.upper()) for day in by_day]
    if not found or not all(found):
        return None
    return [(int(m.group(2)) * (-1 if m.group(1) == "-" else 1), m.group(3)) for m in found if m]


def monthly_days(
    first_day: date, interval: int, ordinals: list[tuple[int, str]], low: date, high: date
) -> Iterator[date]:
    """The days from `low` to `high` a MONTHLY rule by `ordinals`, every `interval` months
    from the month of `first_day`, falls on (before any COUNT or UNTIL ends it)."""
    months_from_first = first_day.year * 12 + first_day.month - 1
    for month in range(low.year * 12 + low.month - 1, high.year * 12 + high.month):
        gone = month - months_from_first
        if gone >= 0 and gone % interval == 0:
            year, month_of_year = divmod(month, 12)
            for ordinal, weekday in ordinals:
                day = _nth_weekday(year, month_of_year + 1, ordinal, weekday)
                if day is not None and low <= day <= high:
                    yield day


def _meeting(
    first: date, length: timedelta, start: datetime, end: datetime
) -> Callable[[date], bool]:
    """Whether an occurrence on a day, at the first one's time of day, may meet [start,
    end). Times in a zone are compared as instants, give or take a clock change; floating
    times and all-day dates, which the reader takes in the user's zone, give or take the
    widest gap between two zones."""
    if isinstance(first, datetime) and first.tzinfo is not None:
        at, zone, slack = first.timetz(), None, _CLOCK_CHANGE
    elif isinstance(first, datetime):
        at, zone, slack = first.time(), start.tzinfo, _ANY_ZONE
    else:
        at, zone, slack = time(0), start.tzinfo, _ANY_ZONE

    def meets(day: date) -> bool:
        begins = datetime.combine(day, at, zone) if zone is not None else datetime.combine(day, at)
        return begins < end + slack and begins + length > start - slack

    return meets


def _length(event: Component, first: date) -> timedelta | None:
    """How long each occurrence lasts; None when that cannot be told plainly."""
    if event.get("DTEND") is not None:
        length = event.get("DTEND").dt - first
    elif event.get("DURATION") is not None:
        length = event.get("DURATION").dt
    else:
        length = timedelta(days=0 if isinstance(first, datetime) else 1)
    if not isinstance(length, timedelta) or not timedelta(0) <= length <= _LONGEST:
        return None
    return length


def _nth_weekday(year: int, month: int, ordinal: int, weekday: str) -> date | None:
    """The `ordinal`th `weekday` of the month (from its end when negative); None when the
    month has no such day (a fifth Monday, say)."""
    wanted = _WEEKDAYS.index(weekday)
    first_weekday, days_in_month = monthrange(year, month)
    if ordinal > 0:
        day = 1 + (wanted - first_weekday) % 7 + 7 * (ordinal - 1)
    else:
        last_weekday = (first_weekday + days_in_month - 1) % 7
        day = days_in_month - (last_weekday - wanted) % 7 - 7 * (-ordinal - 1)
    return date(year, month, day) if 1 <= day <= days_in_month else None
