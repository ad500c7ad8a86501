"""Checking remarks the user gives: one on the command line, or many in a CSV export.

Shared by `remark add` and the CSV importer, so both accept and refuse the same things.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from focusblock.dates import parse_date
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
) -> NewRemark:
    """A NewRemark, or BadInput naming the first field that is wrong and what was expected."""
    if not account.strip():
        raise BadInput("account: is empty; every remark belongs to an account")
    if not text.strip():
        raise BadInput("text: is empty; a remark is what the customer said")
    if len(text) > MAX_REMARK_CHARS:
        raise BadInput(
            f"text: {len(text):,} characters; at most {MAX_REMARK_CHARS:,} fit one remark"
        )
    who_clean = " ".join(who.split()) if who else None
    if who_clean and len(who_clean) > MAX_WHO_CHARS:
        raise BadInput(f"who: at most {MAX_WHO_CHARS} characters")
    heard_on = parse_date(on, "on") if on and on.strip() else today
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
        account=" ".join(account.split()),
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
MAX_FILE_BYTES = 64 * 1024 * 1024
_FIELD_LIMIT = 32 * 1024 * 1024  # big enough to read a huge cell and then report it properly


@dataclass(frozen=True)
class ParsedCsv:
    rows: list[NewRemark]
    ignored_columns: list[str]


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


def _decode(raw: bytes, source: str) -> str:
    if b"\x00" in raw[:8192]:
        raise BadInput(f"{source}: looks like a binary file, not a CSV text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"{source}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
            "save it as 'CSV UTF-8' and import again"
        ) from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def parse_remarks_csv(raw: bytes, source: str, today: date) -> ParsedCsv:
    if len(raw) > MAX_FILE_BYTES:
        raise BadInput(f"{source}: {len(raw) / 1e6:.0f} MB is more than an import takes (64 MB)")
    text = _decode(raw, source)
    if not text.strip():
        raise BadInput(f"{source}: the file is empty; expected a header row and remarks")
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        headers = next(reader)
    except csv.Error as exc:
        raise BadInput(f"{source} row 1: cannot read the header row ({exc})") from None
    columns = map_headers(headers)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        shown = ", ".join(repr(h) for h in headers[:8])
        raise BadInput(
            f"{source}: no {' or '.join(repr(m) for m in missing)} column; "
            f"expected a header row with account and text (found {shown})"
        )
    used = set(columns.values())
    ignored = [h for i, h in enumerate(headers) if i not in used and h.strip()]
    rows, errors = _read_rows(reader, columns, source, today)
    if errors:
        noun = "row" if len(errors) == 1 else "rows"
        raise BadInput(f"{source}: {len(errors)} bad {noun}; nothing was imported", details=errors)
    return ParsedCsv(rows=rows, ignored_columns=ignored)


def _read_rows(
    reader: Iterator[list[str]],
    columns: dict[str, int],
    source: str,
    today: date,
) -> tuple[list[NewRemark], list[str]]:
    rows: list[NewRemark] = []
    errors: list[str] = []
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"{source} row {number + 1}: cannot be read as CSV ({exc})")
            break
        number += 1
        if not any(cell.strip() for cell in cells):
            continue
        values = {col: (cells[i] if i < len(cells) else "") for col, i in columns.items()}
        try:
            checked = check_remark(
                account=values["account"],
                text=values["text"],
                who=values.get("who"),
                on=values.get("on"),
                via=values.get("via"),
                lens=values.get("lens"),
                today=today,
            )
            rows.append(replace(checked, imported_from=f"{Path(source).name} row {number}"))
        except BadInput as exc:
            errors.append(f"{source} row {number}: {exc}")
    return rows, errors


def read_remarks_csv(path: Path, today: date) -> ParsedCsv:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror})") from None
    return parse_remarks_csv(raw, str(path), today)
