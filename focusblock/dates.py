"""Dates, times and weeks the user types: ISO 8601 first, then what python-dateutil reads.

A planning week runs from Monday 00:00 to the next Monday 00:00 in the user's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from focusblock.errors import BadInput

_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def parse_date(text: str, what: str, today: date | None = None) -> date:
    value = text.strip()
    if value.lower() in _RELATIVE_DAYS:
        return (today or date.today()) + timedelta(days=_RELATIVE_DAYS[value.lower()])
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    parsed = _dateutil(value)
    if parsed is None:
        raise BadInput(f"{what}: {text!r} is not a date; expected YYYY-MM-DD")
    return parsed.date()


def parse_datetime(text: str, what: str, zone: tzinfo) -> datetime:
    """An aware datetime; a time without an offset is taken in `zone` (the user's)."""
    value = text.strip()
    try:
        parsed: datetime | None = datetime.fromisoformat(value)
    except ValueError:
        parsed = _dateutil(value)
    if parsed is None:
        raise BadInput(f"{what}: {text!r} is not a date and time; expected YYYY-MM-DD HH:MM")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _dateutil(value: str) -> datetime | None:
    from dateutil import parser

    if not any(ch.isdigit() for ch in value):
        return None  # dateutil would read "monday" as this week's Monday: too surprising
    try:
        return parser.parse(value)
    except (ValueError, OverflowError):
        return None


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
    """`next` (default), `this`, `YYYY-Www`, or any date inside the week."""
    value = (text or "next").strip().lower()
    if value == "next":
        return week_of(today + timedelta(days=7))
    if value == "this":
        return week_of(today)
    match = _ISO_WEEK.match(value)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
        try:
            return Week(date.fromisocalendar(year, number, 1))
        except ValueError:
            raise BadInput(f"--week: {text!r} is not a week of {year}") from None
    try:
        return week_of(parse_date(value, "--week", today=today))
    except BadInput:
        raise BadInput(
            f"--week: {text!r} is not a week; "
            "expected next, this, YYYY-Www (e.g. 2026-W49) or a date"
        ) from None
