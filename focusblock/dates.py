"""Dates, times and weeks the user types: ISO 8601 first, then what python-dateutil reads.

A planning week runs from Monday 00:00 to the next Monday 00:00 in the user's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from focusblock.errors import BadInput

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
# Years a plan can be made for: a week and the six weeks of calls after it (and the months
# around it that the calendar check reads) must fit in Python's datetime (years 1..9999),
# in any time zone. Nobody plans a sales week outside these.
MIN_YEAR, MAX_YEAR = 1900, 9000
_YEARS = f"expected a year from {MIN_YEAR} to {MAX_YEAR}"
_BARE_NUMBER = re.compile(r"^[+-]?\d+$")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def parse_date(text: str, what: str, today: date) -> date:
    """A date as a person types it (see remark_dates.read_date), ahead of today too:
    today/yesterday/tomorrow count from `today`, never from the real clock."""
    from focusblock.remark_dates import read_date

    return read_date(text, what, today)


def parse_datetime(text: str, what: str, zone: tzinfo) -> datetime:
    """An aware datetime; a time without an offset is taken in `zone` (the user's).

    It must name its year (nothing is filled in from the real clock), have a UTC offset
    under 24 hours, and fall in MIN_YEAR..MAX_YEAR.
    """
    value = text.strip()
    try:
        parsed: datetime | None = datetime.fromisoformat(value)
    except ValueError:
        has_year = _FOUR_DIGIT_YEAR.search(value) and not _BARE_NUMBER.match(value)
        parsed = read_with_dateutil(value) if has_year else None
    if parsed is None:
        raise BadInput(f"{what}: {text!r} is not a date and time; expected YYYY-MM-DD HH:MM")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise BadInput(f"{what}: {text!r} is out of range; {_YEARS}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    try:  # dateutil keeps offsets that datetime refuses (+99:00) until they are used
        parsed.utcoffset()
    except ValueError:
        raise BadInput(
            f"{what}: {text!r} has an impossible UTC offset; expected one under 24 hours"
        ) from None
    return parsed


def read_with_dateutil(value: str) -> datetime | None:
    """What python-dateutil reads in `value`, only when the text itself gives the year, the
    month and the day: read twice with different defaults, a part filled in from a default
    (dateutil's is the real clock) shows as a difference. A missing time is midnight."""
    from dateutil import parser

    if not any(ch.isdigit() for ch in value):
        return None  # dateutil would read "monday" as this week's Monday: too surprising
    try:
        first = parser.parse(value, default=datetime(2001, 1, 1))
        second = parser.parse(value, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        return None
    return first if first == second else None


_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    monday: date

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    def start(self, zone: tzinfo) -> datetime:
        return datetime.combine(self.monday, time(0), zone)

    def end(self, zone: tzinfo) -> datetime:
        return datetime.combine(self.monday + timedelta(days=7), time(0), zone)


def week_of(day: date) -> Week:
    return Week(day - timedelta(days=day.weekday()))


def parse_week(text: str | None, today: date) -> Week:
    """`next` (the default), `this`, `last`, `YYYY-Www`, or a date inside the week.

    A date is YYYY-MM-DD or written out with a month name, a day and a four-digit year
    ("9 December 2026"); numbers alone ("5", "2026", "12/09/2026") are refused, as
    they were guessed at. Weeks must lie in MIN_YEAR..MAX_YEAR.
    """
    if text is not None and not text.strip():  # an unset variable, not a wish for "next"
        raise BadInput(f"--week: is empty; {_NOT_A_WEEK}")
    typed = "next" if text is None else text
    value = typed.strip().lower()
    relative = {"next": 7, "this": 0, "last": -7}
    if value in relative:
        week = week_of(today + timedelta(days=relative[value]))
        _check_year(week.monday.year, typed)
        return week
    return _absolute_week(value, typed)


_NOT_A_WEEK = "expected this, next, last, YYYY-Www (e.g. 2026-W49) or a date (YYYY-MM-DD)"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_NAME = re.compile(r"[a-z]{3,}")


def _absolute_week(value: str, text: str) -> Week:
    match = _ISO_WEEK.match(value)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        _check_year(year, text)
        try:
            return Week(date.fromisocalendar(year, number, 1))
        except ValueError:
            weeks = date(year, 12, 28).isocalendar().week  # 28 December is in the last week
            raise BadInput(
                f"--week: {text!r} is not a week ({year} has {weeks}); {_NOT_A_WEEK}"
            ) from None
    if _ISO_DATE.match(value):
        _check_year(int(value[:4]), text)
        try:
            day: date | None = date.fromisoformat(value)
        except ValueError:
            day = None
    else:
        day = _written_day(value)
    if day is None:
        raise BadInput(f"--week: {text!r} is not a week; {_NOT_A_WEEK}")
    _check_year(day.year, text)
    return week_of(day)


def _written_day(value: str) -> date | None:
    """A date written with a month name, a day and a four-digit year (no time); else None."""
    if not (_MONTH_NAME.search(value) and len(_FOUR_DIGIT_YEAR.findall(value)) == 1):
        return None
    found = read_with_dateutil(value)
    if found is None or found.time() != time(0):
        return None
    return found.date()


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadInput(f"--week: {text!r} is out of range; {_YEARS}")
