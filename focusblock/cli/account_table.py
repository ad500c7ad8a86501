"""`account list` for a person (a table that fits the terminal) and for a pipe (TSV).

In a terminal the table fits the window: the name, stage, next call, remark count and
last heard are always shown, dates and counts whole; the need is what gets cut (with
"…"), and when even that leaves too little room, the decision date column is left out
and a line says where to find it. A long name wraps onto a second line.

Piped into a file or another program, the list is tab-separated values: a header line,
then one line per account, every value whole (`cut -f1`, spreadsheets, `sort -t`). A
tab, line break or backslash inside a value is written as \\t, \\n, \\\\, so one account
stays one line; a missing value is empty.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Literal

from focusblock.cli.render import plural, say, shown

if TYPE_CHECKING:
    from rich.console import Console

    from focusblock.store.views import AccountView

HEADERS = ("account", "stage", "need", "decision", "next call", "remarks", "last heard")
GAP = 2  # blanks between two columns
ACCOUNT_MIN = 12  # a name narrower than this wraps too often to read
NEED_MIN = 12  # below this, the decision date gives its room to the need
NEED_SHORTEST = 4  # a need cut shorter than this says nothing: the column goes


def print_account_list(views: Sequence[AccountView], zone: tzinfo) -> None:
    """The accounts as a table that fits the terminal, or as TSV when piped."""
    if not sys.stdout.isatty():  # asked before importing rich, which only a table needs
        _print_tsv(views, zone)
        return
    from rich.console import Console

    console = Console(highlight=False)
    if not views:
        say('No accounts yet. Add one: focusblock account add "Customer name"')
        return
    _print_table(console, views, zone)


def _cells(view: AccountView, zone: tzinfo) -> tuple[str, ...]:
    """The seven values of one account, "" where there is none."""
    return (
        view.name,
        view.stage,
        view.need or "",
        view.decision_date.isoformat() if view.decision_date else "",
        _call(view.next_call, zone),
        str(view.remark_count),
        view.last_heard.isoformat() if view.last_heard else "",
    )


def _call(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def tsv_value(text: str) -> str:
    """A value for one TSV field: whole, on one line, controls made visible."""
    escaped = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return shown(escaped.replace("\r", "\\r"))


def _print_tsv(views: Sequence[AccountView], zone: tzinfo) -> None:
    out = sys.stdout
    out.write("\t".join(HEADERS) + "\n")
    for view in views:
        out.write("\t".join(tsv_value(cell) for cell in _cells(view, zone)) + "\n")
    out.flush()


def _print_table(console: Console, views: Sequence[AccountView], zone: tzinfo) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.markup import escape
    from rich.table import Table

    rows = [tuple(cell or "-" for cell in _cells(view, zone)) for view in views]
    natural = [
        max(cell_len(header), *(cell_len(shown(row[i])) for row in rows))
        for i, header in enumerate(HEADERS)
    ]
    widths = _fit(natural, console.width)
    table = Table(
        title=plural(len(views), "account"),
        title_justify="left",
        title_style=None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, GAP - 1, 0, 0),  # the other blank is the box's column separator
        header_style="bold",
    )
    for index, header in enumerate(HEADERS):
        width = widths[index]
        if width is None:
            continue
        if header == "account":
            table.add_column(header, width=width, overflow="fold")
        elif header == "need":
            table.add_column(header, width=width, no_wrap=True, overflow="ellipsis")
        else:
            justify: Literal["left", "right"] = "right" if header == "remarks" else "left"
            table.add_column(header, width=width, no_wrap=True, justify=justify)
    for row in rows:
        table.add_row(*(escape(shown(cell)) for cell, w in zip(row, widths, strict=True) if w))
    console.print(table)
    gone = [h for h, w in zip(HEADERS, widths, strict=True) if w is None]
    if gone:
        what = " and ".join("decision dates" if h == "decision" else "needs" for h in gone)
        say(f"{what.capitalize()} left out to fit {console.width} columns: see account show NAME.")


def _fit(natural: list[int], total: int) -> list[int | None]:
    """Column widths for `total` columns (None: the column is left out).

    Every column but the account and the need gets its natural width, so no date or count
    is ever cut. Whole names come first, then the need's first words: the decision date
    gives way when both do not fit beside it; the need is then cut, and a name longer
    than what is left wraps.
    """
    account, need, decision = (HEADERS.index(h) for h in ("account", "need", "decision"))
    widths: list[int | None] = list(natural)
    room = 0
    for leave_out in (None, decision):
        if leave_out is not None:
            widths[leave_out] = None
        fixed = sum(w for i, w in enumerate(widths) if w is not None and i not in (account, need))
        columns = sum(1 for w in widths if w is not None)
        room = total - fixed - GAP * (columns - 1)
        if room - natural[account] >= min(NEED_MIN, natural[need]):
            widths[account] = natural[account]
            widths[need] = min(natural[need], room - natural[account])
            return widths
    name = min(natural[account], max(ACCOUNT_MIN, room - NEED_MIN))
    if room - name < NEED_SHORTEST:  # a very narrow window: the need goes too
        widths[need] = None
        widths[account] = max(1, room + GAP)
        return widths
    widths[account], widths[need] = name, room - name
    return widths
