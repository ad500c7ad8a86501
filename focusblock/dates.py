"""Dates, times and weeks the user types: ISO 8601 first, then what python-dateutil reads.

A planning week runs from Monday 00:00 to the next Monday 00:00 in the user's zone.

The date a remark was heard, as users and CSV exports write it: ISO dates (2026-11-19)
always work. Dates like 19/11/2026 or 03.04.2026 are read in ONE day/month order for a
whole file: decided from the rows that can be read only one way (19/11 can only be day
first), or given with `--dates dmy|mdy`; a file that cannot decide is refused with the
rows listed. A remark is never dated after today, and a time alone (10:30) or a bare
number (5) is not a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from focusblock.errors import BadInput

# Years a plan can be made for: a week and the six weeks of calls after it (and the months
# around it that the calendar check reads) must fit in Python's datetime (years 1..9999),
# in any time zone. Nobody plans a sales week outside these.
MIN_YEAR, MAX_YEAR = 1900, 9000
_YEARS = f"expected a year from {MIN_YEAR} to {MAX_YEAR}"
_BARE_NUMBER = re.compile(r"^[+-]?\d+$")
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def parse_date(text: str, what: str, today: date) -> date:
    """A date as a person types it (see read_date), ahead of today too:
    today/yesterday/tomorrow count from `today`, never from the real clock."""
    return read_date(text, what, today)


def parse_datetime(text: str, what: str, zone: tzinfo) -> datetime:
    """An aware datetime (FOCUSBLOCK_NOW); a time without an offset is taken in `zone`.

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


def read_call_time(
    text: str, what: str, now: datetime, zone: tzinfo, past: bool = False
) -> datetime:
    """A moment as a person types it for a call: a date as read_date reads it (ISO,
    19/11/2026 when only one order fits, a month's name, today/tomorrow) and a time of day
    (14:00, 2:30 pm), or ISO 8601 with an offset. A time without an offset is taken in
    `zone`. Refused: a date read two ways (both readings named), a date without a time (a
    call at midnight is a typing slip), a moment outside MIN_YEAR..MAX_YEAR, and, unless
    `past`, a moment before `now`."""
    value = text.strip()
    found = _iso_moment(value, what) if _ISO.fullmatch(value) else None
    if found is None:
        found = _date_and_time(value, text, what, now.astimezone(zone).date())
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    if not past and found < now:
        shown = found.astimezone(zone)
        raise BadInput(
            f"{what}: {text!r} is in the past ({shown:%a %d %b %Y %H:%M}); a next call is "
            "ahead of today: give its new time, or add --past to store it anyway"
        )
    return found


def _iso_moment(value: str, what: str) -> datetime | None:
    """2026-12-09 14:00, 2026-12-09T14:00+01:00; None for what is not ISO 8601."""
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise BadInput(f"{what}: {value!r} is out of range; {_YEARS}")
    if _ISO_DATE.fullmatch(value):
        raise _no_time(what, value)
    return found


def _no_time(what: str, value: str) -> BadInput:
    return BadInput(
        f"{what}: {value!r} has no time of day", hint=f"add a time: {what} '{value} 14:00'"
    )


# a date, then a time of day: 14:00, 14:00:30, 2:30 pm
_DATE_THEN_TIME = re.compile(
    r"(?P<day>.*?\S),?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<half>[ap])\.?m\.?)?",
    re.IGNORECASE,
)


def _date_and_time(value: str, text: str, what: str, today: date) -> datetime:
    """A date read_date reads, then a time of day."""
    expected = f"{what}: {text!r} is not a date and time; expected YYYY-MM-DD HH:MM"
    clock = _DATE_THEN_TIME.fullmatch(value)
    if clock is None:
        if value and _time_missing(value, what, today):
            raise _no_time(what, value)
        raise BadInput(expected)
    try:
        day = read_date(clock["day"], what, today)
    except BadInput as error:
        if "could be" in str(error) or "out of range" in str(error):
            raise
        raise BadInput(expected) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise BadInput(f"{what}: {text!r} is out of range; {_YEARS}")
    hour, minute = int(clock["hour"]), int(clock["minute"])
    if clock["half"]:
        if not 1 <= hour <= 12:
            raise BadInput(expected)
        hour = hour % 12 + (12 if clock["half"].lower() == "p" else 0)
    try:
        moment = time(hour, minute, int(clock["second"] or 0))
    except ValueError:
        raise BadInput(expected) from None
    return datetime.combine(day, moment)


def _time_missing(value: str, what: str, today: date) -> bool:
    """`value` is a date all by itself (read_date reads it): only its time is missing."""
    try:
        read_date(value, what, today)
    except BadInput:
        return False
    return True


def read_with_dateutil(value: str) -> datetime | None:
    """What python-dateutil reads in `value`, only when the text itself gives the year, the
    month and the day: read twice with different defaults, a part filled in from a default
    (dateutil's is the real clock) shows as a difference. A missing time is midnight."""
    if not any(ch.isdigit() for ch in value):
        return None  # dateutil would read "monday" as this week's Monday: too surprising
    from dateutil import parser  # only for a date typed other than ISO (LAZY_LIBRARIES)

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


# --- the date a remark was heard -------------------------------------------------------

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
