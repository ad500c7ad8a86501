"""Dates and times the user types: ISO 8601 first, then what python-dateutil understands."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

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
