"""Helpers for reading a CSV text file as a stream: where it is not UTF-8, its delimiter."""

from __future__ import annotations

import codecs
from typing import BinaryIO

from focusblock.errors import BadInput


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
