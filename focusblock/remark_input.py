"""Checking remarks the user gives: one on the command line, or many in a CSV export.

Shared by `remark add` and the CSV importer, so both accept and refuse the same things.
"""

from __future__ import annotations

import csv
import io
import re
from calendar import monthrange
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from focusblock.errors import BadInput
from focusblock.names import CHANNELS, LENSES, normalize_channel, normalize_lens

MAX_NAME = 200
MAX_REMARK_CHARS = 20_000
MAX_WHO_CHARS = 200


def clean_name(name: str) -> str:
    """An account name as stored: inner white space folded, not empty, not too long."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadInput("account name: must not be empty")
    if len(cleaned) > MAX_NAME:
        raise BadInput(f"account name: at most {MAX_NAME} characters, got {len(cleaned)}")
    return cleaned


@dataclass(frozen=True)
class NewRemark:
    account: str
    text: str
    who: str | None
    heard_on: date
    via: str
    lens: str | None
    imported_from: str | None = None


def check_remark(
    account: str,
    text: str,
    who: str | None,
    on: str | None,
    via: str | None,
    lens: str | None,
    today: date,
    dates: str | None = None,
) -> NewRemark:
    """A NewRemark, or BadInput naming the first field that is wrong and what was expected.

    `dates` ("dmy" or "mdy") is the day/month order of dates like 03/04/2026; without it
    only dates that can be read one way are accepted.
    """
    if not account.strip():
        raise BadInput("account: is empty; every remark belongs to an account")
    name = " ".join(account.split())
    if len(name) > MAX_NAME:
        raise BadInput(f"account: at most {MAX_NAME} characters, got {len(name)}")
    if not text.strip():
        raise BadInput("text: is empty; a remark is what the customer said")
    if len(text) > MAX_REMARK_CHARS:
        raise BadInput(
            f"text: {len(text):,} characters; at most {MAX_REMARK_CHARS:,} fit one remark"
        )
    who_clean = " ".join(who.split()) if who else None
    if who_clean and len(who_clean) > MAX_WHO_CHARS:
        raise BadInput(f"who: at most {MAX_WHO_CHARS} characters")
    heard_on = read_remark_date(on, "on", today, dates) if on and on.strip() else today
    channel = "other"
    if via and via.strip():
        found = normalize_channel(via)
        if found is None:
            raise BadInput(f"via: {via!r} is not one of {', '.join(CHANNELS)}")
        channel = found
    lens_word = None
    if lens and lens.strip() and lens.strip().lower() not in {"none", "-"}:
        lens_word = normalize_lens(lens)
        if lens_word is None:
            raise BadInput(f"lens: {lens!r} is not one of {', '.join(LENSES)}")
    return NewRemark(
        account=name,
        text=text,
        who=who_clean or None,
        heard_on=heard_on,
        via=channel,
        lens=lens_word,
    )


COLUMNS = ("account", "text", "who", "on", "via", "lens")
REQUIRED = ("account", "text")

# Header names seen in CRM and spreadsheet exports, after lower-casing and folding _ and -.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "account": (
        "account name",
        "account",
        "company",
        "company name",
        "customer",
        "customer name",
        "client name",
        "client",
        "organization",
        "organisation",
        "org",
    ),
    "text": (
        "note",
        "notes",
        "remark",
        "comment",
        "comments",
        "description",
        "body",
        "what they said",
        "quote",
        "content",
        "note body",
    ),
    "who": ("contact", "contact name", "person", "said by", "speaker", "name", "full name"),
    "on": (
        "date",
        "heard on",
        "when",
        "activity date",
        "created date",
        "date heard",
        "created",
        "created at",
        "note date",
    ),
    "via": ("channel", "activity type", "type", "medium", "source"),
    "lens": ("category", "topic", "tag"),
}
_FIELD_LIMIT = 32 * 1024 * 1024  # big enough to read a huge cell and then report it properly
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
_RELATIVE = {"today": 0, "yesterday": -1}


def _not_a_date(what: str, text: str, why: str = "") -> BadInput:
    return BadInput(f"{what}: {text!r} is not a date{why}; expected YYYY-MM-DD")


def _orders_that_fit(first: int, second: int, year: int) -> dict[str, date]:
    """The day/month orders under which first/second/year is a real date."""
    fits: dict[str, date] = {}
    for order, (day, month) in (("dmy", (first, second)), ("mdy", (second, first))):
        if 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]:
            fits[order] = date(year, month, day)
    return fits


def read_remark_date(text: str, what: str, today: date, order: str | None = None) -> date:
    """When a remark was heard: ISO dates always; 19/11/2026 and 03.04.2026 in `order`
    (or when they can be read only one way); month names with a year. Never after today;
    times alone (10:30) and bare numbers (5) are not dates."""
    value = text.strip()
    found = _read_date(value, what, order)
    if found is None:
        found = today + timedelta(days=_RELATIVE[value.lower()])
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
    from dateutil import parser

    try:
        return parser.parse(value).date()
    except (ValueError, OverflowError):
        raise _not_a_date(what, value) from None


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
                details=_capped(lines, self.counts[minority] + 1),
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
            details=_capped(lines, self.counts["either"]),
            hint="say which with --dates dmy or --dates mdy, or write YYYY-MM-DD",
        )

    @property
    def undecided(self) -> bool:
        return bool(self.counts["either"])


def _capped(lines: list[str], total: int) -> list[str]:
    if total > len(lines):
        return [*lines, f"... and {total - len(lines):,} more rows"]
    return lines


def _fold(header: str) -> str:
    return " ".join(header.strip().lower().replace("_", " ").replace("-", " ").split())


def map_headers(headers: list[str]) -> dict[str, int]:
    """Our column name -> position; an exact name wins over an alias."""
    folded = [_fold(h) for h in headers]
    found: dict[str, int] = {}
    for column in COLUMNS:
        for candidate in (column, *HEADER_ALIASES[column]):
            if candidate in folded and folded.index(candidate) not in found.values():
                found[column] = folded.index(candidate)
                break
    return found


def _not_utf8(raw: BinaryIO, source: str) -> BadInput:
    """Where the first byte that is not UTF-8 is: read again in binary to find its line."""
    import codecs

    raw.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    lines_before = 0
    while True:
        chunk = raw.read(1 << 20)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            position = max(exc.start, 0)
            line = lines_before + chunk[:position].count(b"\n") + 1
            byte = chunk[position] if position < len(chunk) else 0
            return BadInput(
                f"{source}: not UTF-8 text (byte 0x{byte:02x} on line {line}); "
                "save it as 'CSV UTF-8' and import again"
            )
        if not chunk:
            return BadInput(f"{source}: not UTF-8 text; save it as 'CSV UTF-8' and import again")
        lines_before += chunk.count(b"\n")


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


class RemarkCsv:
    """A CSV file of remarks, read as a stream: memory stays small whatever its size.

    `open()` checks the start (text, header, columns) and, when there is a date column,
    reads the file once to decide its one day/month order. `rows()` then yields each
    checked row; bad rows are collected, and when the file ends with any, BadInput lists
    them, so an import that consumes rows() inside a transaction keeps nothing.
    """

    def __init__(
        self, opener: Callable[[], BinaryIO], source: str, today: date, dates: str | None = None
    ) -> None:
        self._opener = opener
        self.source = source
        self.name = Path(source).name
        self.today = today
        self.dates = dates
        self.delimiter = ","
        self.headers: list[str] = []
        self.columns: dict[str, int] = {}
        self.ignored_columns: list[str] = []
        self.bytes_read = 0
        self.total_bytes = 0
        self.bad_rows = 0

    @classmethod
    def from_path(cls, path: Path, today: date, dates: str | None = None) -> RemarkCsv:
        """The CSV file at `path` (checked for being readable at once)."""
        try:
            with open(path, "rb"):
                pass
        except OSError as exc:
            raise BadInput(f"{path}: cannot read ({exc.strerror})") from None

        def opener() -> BinaryIO:
            return path.open("rb")

        reader = cls(opener, str(path), today, dates)
        reader.open()
        return reader

    @classmethod
    def from_bytes(
        cls, raw: bytes, source: str, today: date, dates: str | None = None
    ) -> RemarkCsv:
        reader = cls(lambda: io.BytesIO(raw), source, today, dates)
        reader.open()
        return reader

    def _records(self, raw: BinaryIO) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) after the header; row numbers count the header as 1."""
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        number = 0
        try:
            for cells in reader:
                number += 1
                if number > 1:
                    yield number, cells
        except UnicodeDecodeError:
            raise _not_utf8(raw, self.source) from None
        except csv.Error as exc:
            raise BadInput(
                f"{self.source} row {number + 1}: cannot be read as CSV ({exc})"
            ) from None
        finally:
            text.detach()

    def open(self) -> None:
        """Check the file's start and header; decide the day/month order of its dates."""
        with self._opener() as raw:
            start = raw.read(8192)
            raw.seek(0, io.SEEK_END)
            self.total_bytes = raw.tell()
            if b"\x00" in start:
                raise BadInput(f"{self.source}: looks like a binary file, not a CSV text file")
            raw.seek(0)
            first_line = self._header_line(raw)
            raw.seek(0)
            self.delimiter = _delimiter(first_line)
            headers = self._read_header(raw)
        self.headers = headers
        self.columns = map_headers(headers)
        missing = [c for c in REQUIRED if c not in self.columns]
        if missing:
            shown = ", ".join(repr(h) for h in headers[:8])
            raise BadInput(
                f"{self.source}: no {' or '.join(repr(m) for m in missing)} column; "
                f"expected a header row with account and text (found {shown})"
            )
        used = set(self.columns.values())
        self.ignored_columns = [h for i, h in enumerate(headers) if i not in used and h.strip()]
        if "on" in self.columns and self.dates is None:
            self.dates = self._decide_date_order()

    def _header_line(self, raw: BinaryIO) -> str:
        head = raw.read(1 << 16)
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not merely a character cut by the 64 KB boundary
                raise _not_utf8(raw, self.source) from None
            text = head[: exc.start].decode("utf-8-sig")
        if not text.strip() and len(head) < (1 << 16):
            raise BadInput(f"{self.source}: the file is empty; expected a header row and remarks")
        return text.split("\n", 1)[0]

    def _read_header(self, raw: BinaryIO) -> list[str]:
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            return next(csv.reader(text, delimiter=self.delimiter), [])
        except UnicodeDecodeError:
            raise _not_utf8(raw, self.source) from None
        except csv.Error as exc:
            raise BadInput(f"{self.source} row 1: cannot read the header row ({exc})") from None
        finally:
            text.detach()

    def _decide_date_order(self) -> str | None:
        """One day/month order for the whole file, from the rows that allow only one."""
        position = self.columns["on"]
        votes = DateOrderVotes()
        with self._opener() as raw:
            for number, cells in self._records(raw):
                if position < len(cells):
                    value = cells[position]
                    # ISO and empty dates say nothing about the order: skip them quickly
                    if value and not (len(value) >= 10 and value[4] == "-"):
                        votes.add(number, value)
        if not (votes.counts["dmy"] or votes.counts["mdy"] or votes.undecided):
            return None
        return votes.decide(self.source)

    def rows(self) -> Iterator[NewRemark]:
        """Every good row, checked; BadInput at the end when any row was bad.

        After the first bad row no more rows are yielded (the import will not be kept),
        but every row is still checked so that all the bad ones are listed.
        """
        errors: list[str] = []
        extra_cells = False
        width = len(self.headers)
        columns = self.columns
        with self._opener() as raw:
            for number, cells in self._records(raw):
                self.bytes_read = raw.tell()
                if not any(cell.strip() for cell in cells):
                    continue
                problem: str | None = None
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    extra_cells = True
                    problem = (
                        f"{len(cells)} cells but the header has {width} columns; "
                        f"a text holding {self._delimiter_name()} must be in double quotes"
                    )
                else:
                    values = {
                        col: (cells[i] if i < len(cells) else "") for col, i in columns.items()
                    }
                    try:
                        checked = check_remark(
                            account=values["account"],
                            text=values["text"],
                            who=values.get("who"),
                            on=values.get("on"),
                            via=values.get("via"),
                            lens=values.get("lens"),
                            today=self.today,
                            dates=self.dates,
                        )
                    except BadInput as exc:
                        problem = str(exc)
                    else:
                        if not errors:
                            yield replace(checked, imported_from=f"{self.name} row {number}")
                        continue
                self.bad_rows += 1
                if len(errors) < MAX_LISTED_ROWS:
                    errors.append(f"{self.source} row {number}: {problem}")
        if errors:
            noun = "row" if self.bad_rows == 1 else "rows"
            hint = (
                'put a text that holds the delimiter in double quotes: "by March, not later"'
                if extra_cells
                else None
            )
            raise BadInput(
                f"{self.source}: {self.bad_rows:,} bad {noun}; nothing was imported",
                details=_capped(errors, self.bad_rows),
                hint=hint,
            )

    def _delimiter_name(self) -> str:
        return {",": "a comma", ";": "a semicolon", "\t": "a tab"}[self.delimiter]


@dataclass(frozen=True)
class ParsedCsv:
    rows: list[NewRemark]
    ignored_columns: list[str]


def parse_remarks_csv(raw: bytes, source: str, today: date, dates: str | None = None) -> ParsedCsv:
    """Every row of a CSV held in memory (small files and tests; imports stream instead)."""
    reader = RemarkCsv.from_bytes(raw, source, today, dates)
    return ParsedCsv(rows=list(reader.rows()), ignored_columns=reader.ignored_columns)


def read_remarks_csv(path: Path, today: date, dates: str | None = None) -> RemarkCsv:
    """The CSV at `path`, opened and checked, ready to stream its rows."""
    return RemarkCsv.from_path(path, today, dates)
