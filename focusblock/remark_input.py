"""Checking remarks the user gives: one on the command line, or many in a CSV export.

Shared by `remark add` and the CSV importer, so both accept and refuse the same things.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from focusblock.csv_text import REMARKS_CSV_COLUMNS, delimiter_of, not_utf8, uninert
from focusblock.dates import MAX_LISTED_ROWS, DateOrderVotes, capped, read_remark_date
from focusblock.errors import BadInput
from focusblock.model import NewRemark, Via
from focusblock.names import (
    LENSES,
    channel_of_label,
    name_key,
    normalize_channel,
    normalize_lens,
)
from focusblock.visible import first_invisible

MAX_NAME = 200
MAX_REMARK_CHARS = 20_000
MAX_WHO_CHARS = 200


def clean_name(name: str) -> str:
    """An account name as stored: inner white space folded, not empty, not too long."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadInput("account name: must not be empty")
    check_name_length(cleaned, "account name")
    refuse_nul(cleaned, "account name")
    invisible = first_invisible(cleaned)
    if invisible is not None:
        # it would print exactly like another name ('Ac\u200bme' beside 'Acme')
        raise BadInput(
            f"account name: holds the invisible character {invisible}, which would make it "
            "look like another name; type the name without it"
        )
    return cleaned


def check_name_length(name: str, field: str) -> None:
    """The name and its comparison key (names.name_key) fit their 200-character columns.

    The key can be longer than the name: "ß" folds to "ss", "ﬁ" to "fi". PostgreSQL
    refuses a longer value and SQLite would keep it, so both are refused here alike.
    """
    if len(name) > MAX_NAME:
        raise BadInput(f"{field}: at most {MAX_NAME} characters, got {len(name)}")
    folded = len(name_key(name))
    if folded > MAX_NAME:
        raise BadInput(
            f"{field}: at most {MAX_NAME} characters once folded for comparison "
            f"(ß counts as ss), got {folded}"
        )


def refuse_nul(value: str | None, field: str) -> None:
    """A NUL character (\\x00) cannot be stored: PostgreSQL text cannot hold one, so SQLite
    refuses it too. The message names the field, never the text (it may be private)."""
    if value and "\x00" in value:
        raise BadInput(f"{field}: holds a NUL character (\\x00), which cannot be stored; remove it")


def check_remark(
    account: str,
    text: str,
    who: str | None,
    on: str | None,
    via: str | None,
    lens: str | None,
    today: date,
    dates: str | None = None,
    source: str | None = None,
) -> NewRemark:
    """A NewRemark, or BadInput naming the first field that is wrong and what was expected.

    `dates` ("dmy" or "mdy") is the day/month order of dates like 03/04/2026; without it
    only dates that can be read one way are accepted. `source` is where an imported row
    came from ("notes.csv row 12").
    """
    name = _account_name(account)
    if not text.strip():
        raise BadInput("text: is empty; a remark is what the customer said")
    if len(text) > MAX_REMARK_CHARS:
        raise BadInput(
            f"text: {len(text):,} characters; at most {MAX_REMARK_CHARS:,} fit one remark"
        )
    refuse_nul(text, "text")
    who_clean = " ".join(who.split()) if who else None
    if who_clean and len(who_clean) > MAX_WHO_CHARS:
        raise BadInput(f"who: at most {MAX_WHO_CHARS} characters")
    refuse_nul(who_clean, "who")
    heard_on = read_remark_date(on, "on", today, dates) if on and on.strip() else today
    channel = Via.OTHER
    if via and via.strip():
        found = _channel_of_word(via)
        if found is None:
            raise BadInput(f"via: {via!r} is not one of {', '.join(Via)}")
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
        source=source,
    )


# An import checks the same few account names and channel words on every row: each is
# checked once (folding a name for its length was a twentieth of a big import's time). A
# name refused raises each time: lru_cache keeps no exception.
@lru_cache(maxsize=4096)
def _account_name(account: str) -> str:
    """The account name of a remark as stored, checked: white space folded, not empty,
    not too long, no NUL."""
    if not account.strip():
        raise BadInput("account: is empty; every remark belongs to an account")
    name = " ".join(account.split())
    check_name_length(name, "account")
    refuse_nul(name, "account")
    return name


_channel_of_word = lru_cache(maxsize=1024)(normalize_channel)


@dataclass(frozen=True)
class ActivityType:
    """A CRM's own label for how a remark was heard, and the channel it was read as."""

    label: str
    via: Via
    rows: int


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


def is_remarks_header(first_line: str) -> bool:
    """Whether a file's first line is a CSV header naming an account and a text column
    (comma, semicolon or tab separated): a file of remarks, by its content."""
    for delimiter in (",", ";", "\t"):
        found = map_headers([cell.strip().strip('"') for cell in first_line.split(delimiter)])
        if "account" in found and "text" in found:
            return True
    return False


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
        self._extra_cells_hint: str | None = None
        # activity types read as channels: folded label -> (the first spelling, rows)
        self._labels: dict[str, tuple[ActivityType, int]] = {}
        # each label as the file spells it -> (its words, its channel, its key in _labels)
        self._label_read: dict[str, tuple[str, Via | None, str | None]] = {}
        # our own `export --format csv`: its cells carry the inert mark, taken off here
        self.ours = False

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
            raise not_utf8(raw, self.source) from None
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
            self.delimiter = delimiter_of(first_line)
            headers = self._read_header(raw)
        self.headers = headers
        self.ours = tuple(headers) == REMARKS_CSV_COLUMNS
        self.columns = map_headers(headers)
        missing = [c for c in REQUIRED if c not in self.columns]
        if missing:
            shown = ", ".join(repr(h[:40] + ("..." if len(h) > 40 else "")) for h in headers[:8])
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
                raise not_utf8(raw, self.source) from None
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
            raise not_utf8(raw, self.source) from None
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
        with self._opener() as raw:
            for number, cells in self._records(raw):
                self.bytes_read = raw.tell()
                if not any(cell.strip() for cell in cells):
                    continue
                checked = self._check(number, cells)
                if isinstance(checked, NewRemark):
                    if not errors:
                        yield checked
                    continue
                self.bad_rows += 1
                if len(errors) < MAX_LISTED_ROWS:
                    errors.append(f"{self.source} row {number}: {checked}")
        if errors:
            noun = "row" if self.bad_rows == 1 else "rows"
            raise BadInput(
                f"{self.source}: {self.bad_rows:,} bad {noun}; nothing was imported",
                details=capped(errors, self.bad_rows),
                hint=self._extra_cells_hint,
            )

    def _check(self, number: int, cells: list[str]) -> NewRemark | str:
        """The row as a NewRemark, or what is wrong with it."""
        width = len(self.headers)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            # a text with an unquoted delimiter: cutting it would lose words silently
            self._extra_cells_hint = (
                'put a text that holds the delimiter in double quotes: "by March, not later"'
            )
            return (
                f"{len(cells)} cells but the header has {width} columns; "
                f"a text holding {self._delimiter_name()} must be in double quotes"
            )
        if self.ours:
            cells = [uninert(cell) for cell in cells]
        values = {col: (cells[i] if i < len(cells) else "") for col, i in self.columns.items()}
        via = self._channel(values.get("via") or "")
        try:
            checked = check_remark(
                account=values["account"],
                text=values["text"],
                who=values.get("who"),
                on=values.get("on"),
                via=via,
                lens=values.get("lens"),
                today=self.today,
                dates=self.dates,
                source=f"{self.name} row {number}",
            )
        except BadInput as exc:
            return str(exc)
        return checked

    def _channel(self, label: str) -> str | None:
        """The channel of a row's activity type, a CRM's own label read by its words
        (names.channel_of_label); each label that is not a channel's own name is counted,
        for the report."""
        read = self._label_read.get(label)
        if read is None:  # each label's words are read once (a CRM has a few labels)
            shown = " ".join(label.split())
            channel = channel_of_label(shown) if shown else None
            counted = shown.casefold() if channel and shown.lower() != channel.value else None
            read = self._label_read[label] = (shown, channel, counted)
        shown, channel, key = read
        if channel is None:
            return None
        if key is not None:
            first, count = self._labels.get(key, (ActivityType(shown, channel, 0), 0))
            self._labels[key] = (first, count + 1)
        return channel.value

    @property
    def activity_types(self) -> list[ActivityType]:
        """Each activity type read as a channel, once, in the order first met."""
        return [replace(first, rows=count) for first, count in self._labels.values()]

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
