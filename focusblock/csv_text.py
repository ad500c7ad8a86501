"""CSV text: reading a file as a stream (where it is not UTF-8, its delimiter), and the
remarks written as one for a spreadsheet or a CRM (`export --format csv`)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from focusblock.errors import BadInput
from focusblock.model import Remark

# `export --format csv`: this header, exactly, is how `remark import` knows a file is ours
# and takes the inert mark off its cells (only there: another file's text is as typed)
REMARKS_CSV_COLUMNS = ("account", "id", "heard_on", "who", "via", "lens", "source", "text")
INERT_MARK = "'"
# what a spreadsheet takes for the start of a formula (OWASP's list: tab and CR too), and
# the mark itself, so that taking one mark off always gives the words back
_NOT_AS_FIRST = ("=", "+", "-", "@", "\t", "\r", INERT_MARK)
_ROWS_PER_CHUNK = 1_000


def not_utf8(raw: BinaryIO, source: str) -> BadInput:
    """Where the first byte that is not UTF-8 is: read again in binary to find its line."""
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


def delimiter_of(header_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line holds most of (comma if none)."""
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text and never runs: one that begins like a formula
    gets a leading apostrophe, which Excel and LibreOffice hide."""
    return INERT_MARK + cell if cell.startswith(_NOT_AS_FIRST) else cell


def uninert(cell: str) -> str:
    """A cell of our export back as it was stored (the inverse of `inert`)."""
    return cell[1:] if cell.startswith(INERT_MARK) else cell


def remarks_csv(remarks: Iterable[Remark]) -> Iterator[str]:
    """The remarks as RFC 4180 CSV text, in chunks: a BOM (so a spreadsheet reads UTF-8),
    the header, one CRLF-ended row per remark, quoted where a cell holds a comma, a quote
    or a line break."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write("\ufeff")
    writer.writerow(REMARKS_CSV_COLUMNS)
    for count, r in enumerate(remarks, start=1):
        cells = (r.account, str(r.id), r.heard_on.isoformat(), r.who, str(r.via), r.lens, r.source)
        writer.writerow([*(inert(c or "") for c in cells), inert(r.text)])
        if count % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
