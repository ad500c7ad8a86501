"""Text files as editors and Windows tools save them: UTF-8 with or without a byte order
mark, or UTF-16 told by its mark (Notepad's and Word's "Unicode", some calendar exports).
One reading of them for every file a user hands back: calendars, worksheets."""

from __future__ import annotations

_BOM = b"\xef\xbb\xbf"
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def without_byte_order_mark(data: bytes) -> bytes:
    """`data` as UTF-8 without a byte order mark. A UTF-16 file is told by its mark and
    re-encoded, so everything after reads it as UTF-8."""
    if data.startswith(_BOM):
        return data[len(_BOM) :]
    if data[:2] in UTF16_MARKS and data[2:4] != b"\x00\x00":  # FF FE 00 00 is UTF-32
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data  # not UTF-16 after all: left to the UTF-8 reading to refuse
    return data


def head_text(head: bytes) -> str:
    """The first bytes of a text file as text, as far as they can be read (a character
    cut at the end, or a byte that is not text, is replaced)."""
    if head[:2] in UTF16_MARKS and head[2:4] != b"\x00\x00":
        return head.decode("utf-16", "replace")
    return head.decode("utf-8", "replace").removeprefix("\ufeff")
