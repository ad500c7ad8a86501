"""The date a remark was heard, as users and CSV exports write it.

ISO dates (2026-11-19) always work. Dates like 19/11/2026 or 03.04.2026 are read in ONE
day/month order for a whole file: decided from the rows that can be read only one way
(19/11 can only be day first), or given with `--dates dmy|mdy`; a file that cannot
decide is refused with the rows listed. A remark is never dated after today, and a time
alone (10:30) or a bare number (5) is not a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from focusblock.errors import BadInput

MAX_LISTED_ROWS = 1_000  # bad rows listed one per line; beyond that, a count
DATE_ORDERS = ("dmy", "mdy")
_ORDER_WORDS = {"dmy": "day/month/year", "mdy": "month/day/year"}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# ISO 8601 with dashes (a time may follow); the basic form 20261001 is refused as a number
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?")
_YEAR_FIRST = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})")
_DAY_MONTH = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_TIME = re.compile(r"\d{1,2}(?::\d{2}){1,2}(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}  # tomorrow: refused as after today


def _not_a_date(what: str, text: str, why: str = "") -> BadInput:
    return BadInput(f"{what}: {text!r} is not a date{why}; expected YYYY-MM-DD")


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _orders_that_fit(first: int, second: int, year: int) -> dict[str, date]:
    """The day/month orders under which first/second/year is a real date."""
    fits: dict[str, date] = {}
    for order, (day, month) in (("dmy", (first, second)), ("mdy", (second, first))):
        found = _real_date(year, month, day)
        if found is not None:
            fits[order] = found
    return fits


def given_date(text: str | None, flag: str) -> str | None:
    """A date flag as typed: None when left out; BadInput when given empty (`--on "$DAY"`
    with DAY unset must not quietly mean today)."""
    if text is not None and not text.strip():
        raise BadInput(f"{flag}: is empty; expected a date (YYYY-MM-DD), or leave {flag} out")
    return text


def read_date(text: str, what: str, today: date, order: str | None = None) -> date:
    """A date as a person types it: ISO dates always; 19/11/2026 and 03.04.2026 in `order`
    (or when they can be read only one way); month names with a day and a year; today,
    yesterday, tomorrow from `today`. Times alone (10:30) and bare numbers (5) are not dates,
    and nothing is filled in from the real clock."""
    value = text.strip()
    found = _read_date(value, what, order)
    return found if found is not None else today + timedelta(days=_RELATIVE[value.lower()])


def read_remark_date(text: str, what: str, today: date, order: str | None = None) -> date:
    """When a remark was heard (read_date), never after today."""
    found = read_date(text, what, today, order)
    if found > today:
        raise BadInput(
            f"{what}: {found.isoformat()} is after today ({today.isoformat()}); "
            "a remark is something already said"
        )
    return found


def _read_date(value: str, what: str, order: str | None) -> date | None:
    """The date `value` names; None for 'today'/'yesterday' (relative to the caller's day)."""
    if value.lower() in _RELATIVE:
        return None
    if _TIME.fullmatch(value):
        raise _not_a_date(what, value, " but a time of day")
    if _NUMBER.fullmatch(value):
        raise _not_a_date(what, value, " but a number")
    if _ISO.fullmatch(value):
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
            return datetime.fromisoformat(value).date()
        except ValueError:
            raise _not_a_date(what, value) from None
    match = _YEAR_FIRST.fullmatch(value)
    if match:
        try:
            return date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            raise _not_a_date(what, value) from None
    match = _DAY_MONTH.fullmatch(value)
    if match:
        return _day_month(value, what, int(match[1]), int(match[3]), int(match[4]), order)
    return _with_month_name(value, what)


def _day_month(
    value: str, what: str, first: int, second: int, year: int, order: str | None
) -> date:
    fits = _orders_that_fit(first, second, year)
    if order is not None:
        if order not in fits:
            raise BadInput(
                f"{what}: {value!r} is not a date in {_ORDER_WORDS[order]} order "
                f"(--dates {order}); expected YYYY-MM-DD"
            )
        return fits[order]
    if not fits:
        raise _not_a_date(what, value)
    if len(set(fits.values())) == 1:
        return next(iter(fits.values()))
    dmy, mdy = fits["dmy"], fits["mdy"]
    raise BadInput(
        f"{what}: {value!r} could be {dmy.day} {_MONTHS[dmy.month - 1]} or "
        f"{mdy.day} {_MONTHS[mdy.month - 1]}; write it as YYYY-MM-DD"
    )


def _with_month_name(value: str, what: str) -> date:
    """'14 Oct 2026', 'October 14, 2026': a month's name, a day and a four-digit year."""
    if not (re.search(r"[A-Za-z]{3,}", value) and re.search(r"\b\d{4}\b", value)):
        raise _not_a_date(what, value)
    if len(re.findall(r"\d+", value)) < 2:
        raise _not_a_date(what, value, " (no day)")
    from focusblock.dates import read_with_dateutil

    found = read_with_dateutil(value)
    if found is None or found.time() != time(0):  # a part missing, or a time of day in it
        raise _not_a_date(what, value)
    return found.date()


def date_shape(value: str) -> set[str] | None:
    """For a date like 03/04/2026: the orders it can be read in ({'dmy'}, {'mdy'}, both);
    None for dates whose reading does not depend on the order."""
    match = _DAY_MONTH.fullmatch(value.strip())
    if not match:
        return None
    fits = _orders_that_fit(int(match[1]), int(match[3]), int(match[4]))
    if len(set(fits.values())) <= 1 and len(fits) == 2:
        return None  # 04/04/2026: the same day either way
    return set(fits)


@dataclass
class DateOrderVotes:
    """What the rows of one file say about its day/month order."""

    only: dict[str, list[tuple[int, str]]] = field(
        default_factory=lambda: {order: [] for order in DATE_ORDERS}
    )
    either: list[tuple[int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"dmy": 0, "mdy": 0, "either": 0})

    def add(self, number: int, value: str) -> None:
        shape = date_shape(value)
        if shape is None or not shape:
            return
        kind = next(iter(shape)) if len(shape) == 1 else "either"
        self.counts[kind] += 1
        listed = self.either if kind == "either" else self.only[kind]
        if len(listed) < MAX_LISTED_ROWS:
            listed.append((number, value.strip()))

    def decide(self, source: str) -> str:
        """The one order of the file, or BadInput listing the rows that keep it open."""
        dmy, mdy = self.counts["dmy"], self.counts["mdy"]
        if dmy and mdy:
            minority = "mdy" if mdy <= dmy else "dmy"
            other = "dmy" if minority == "mdy" else "mdy"
            number, value = self.only[other][0]
            lines = [
                f"{source} row {n}: on: {v!r} can only be {_ORDER_WORDS[minority]}, but row "
                f"{number} ({value!r}) can only be {_ORDER_WORDS[other]}"
                for n, v in self.only[minority]
            ]
            lines.append(f"{source} row {number}: on: {value!r} can only be {_ORDER_WORDS[other]}")
            raise BadInput(
                f"{source}: the dates mix day-first and month-first; nothing was imported",
                details=capped(lines, self.counts[minority] + 1),
                hint="write those dates as YYYY-MM-DD, or choose with --dates dmy|mdy "
                "(rows that do not fit it are then listed)",
            )
        if dmy or mdy:
            return "dmy" if dmy else "mdy"
        lines = [
            f"{source} row {n}: on: {v!r} could be day/month or month/day, and no row decides"
            for n, v in self.either
        ]
        raise BadInput(
            f"{source}: {self.counts['either']:,} dates could be read day-first or month-first; "
            "nothing was imported",
            details=capped(lines, self.counts["either"]),
            hint="say which with --dates dmy or --dates mdy, or write YYYY-MM-DD",
        )

    @property
    def undecided(self) -> bool:
        return bool(self.counts["either"])


def capped(lines: list[str], total: int) -> list[str]:
    """`lines`, and a last line counting those not listed (`total` in all)."""
    if total > len(lines):
        return [*lines, f"... and {total - len(lines):,} more rows"]
    return lines
