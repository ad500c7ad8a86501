"""Planning weeks: Monday 00:00 to the next Monday 00:00 in the user's zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from focusblock.errors import BadInput

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    monday: date

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

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
    from focusblock.when import parse_date

    try:
        return week_of(parse_date(value, "--week", today=today))
    except BadInput:
        raise BadInput(
            f"--week: {text!r} is not a week; "
            "expected next, this, YYYY-Www (e.g. 2026-W49) or a date"
        ) from None
