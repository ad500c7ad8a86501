"""Tables as plain aligned text, for output that goes to a pipe or a file.

A table drawn for a terminal (rich: box lines, wrapped to its width) is noise in a file and
breaks `grep` and `cut`; piped, each row is one line of columns two spaces apart, and a cell
with line breaks continues on the next lines, under its own column. Nothing is cut. Rich is
not imported for it, which keeps a piped command's start-up light.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

GAP = "  "


def width(text: str) -> int:
    """Columns `text` takes in a monospaced font: East Asian wide letters (and most emoji)
    take two; combining marks, joiners and variation selectors none."""
    total = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def padded(text: str, columns: int) -> str:
    """`text` followed by spaces to `columns` columns (wide letters counted as two)."""
    return text + " " * (columns - width(text))


def plain_table(
    title: str | None, headers: Sequence[str], rows: Sequence[Sequence[str]], show_header: bool
) -> str:
    """The table as lines of text (cells already made safe by the caller)."""
    lines = [[[h] for h in headers]] if show_header else []
    lines += [[cell.expandtabs(4).split("\n") for cell in row] for row in rows]
    widths = [
        max((width(line) for row in lines for line in row[i]), default=0)
        for i in range(len(headers))
    ]
    out = [title] if title else []
    for row in lines:
        for depth in range(max(len(cell) for cell in row)):
            parts = []
            for i, cell in enumerate(row):
                line = cell[depth] if depth < len(cell) else ""
                last = i == len(row) - 1
                parts.append(line if last else padded(line, widths[i]))
            out.append(GAP.join(parts).rstrip())
    return "\n".join(out) + "\n"
