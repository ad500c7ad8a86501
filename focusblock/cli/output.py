"""The one output layer: how every command's result reaches the screen, a pipe or a script.

- The form is chosen once, here: a command returns a `Result` and `json_output` (the
  decorator that also adds `--json`) prints it as JSON or as text. No command branches
  on the form itself.
- One table printer, `print_table`: on a terminal rich draws the table (imported only
  then); piped into a file or another program, every table is aligned plain text,
  columns two blanks apart, nothing cut (see README, "Output").
- One format per kind of value: `date_text`, `moment_text`, `span_text`, and `EMPTY`
  for a missing value; JSON uses `iso`.
- Text that came from a user, a file or a calendar is data. `shown()` is the one place
  that makes it safe for the terminal: control characters (ESC sequences, OSC titles,
  the right-to-left override) become visible escapes, and in rich tables markup is
  escaped too, so "[/bold]" prints as typed. Every table cell and every line goes
  through it.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Literal

import click

from focusblock.visible import shown

if TYPE_CHECKING:
    from rich.console import Console

# --- escaping -------------------------------------------------------------------------

# shown(): one rule for every output of user text, the terminal's and the worksheet files'


def one_line(text: str) -> str:
    """A message that must stay one line, with any line break in it made visible."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def say(text: str, err: bool = False) -> None:
    """Print one message (already holding user text) with controls made visible."""
    click.echo(shown(text), err=err)


def warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        say(f"Warning: {warning}", err=True)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 remark', '2 remarks', '1,200 remarks'."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


# --- one format per kind of value -----------------------------------------------------

EMPTY = "-"  # a value that is not there, in every table and line
DATE = "%Y-%m-%d"  # ISO 8601: sorts as text, reads the same in every country
MOMENT = f"{DATE} %H:%M"  # the date as above; short enough for a list at 80 columns
TIME = "%H:%M"


def date_text(value: date | None) -> str:
    """A date: 2026-12-01."""
    return value.strftime(DATE) if value else EMPTY


def moment_text(value: datetime | None, zone: tzinfo) -> str:
    """A point in time, in the user's zone: 2026-12-01 10:00."""
    return value.astimezone(zone).strftime(MOMENT) if value else EMPTY


def span_text(start: datetime, end: datetime, zone: tzinfo, all_day: bool = False) -> str:
    """A stretch of time: 2026-12-01 10:00-11:30, or across days with ' - '."""
    s, e = start.astimezone(zone), end.astimezone(zone)
    if all_day:
        return f"{s:{DATE}} (all day)"
    if s.date() == e.date():
        return f"{s:{MOMENT}}-{e:{TIME}}"
    return f"{s:{MOMENT}} - {e:{MOMENT}}"


def text_or_empty(value: str | None) -> str:
    return value or EMPTY


def iso(value: datetime | date | None, zone: tzinfo) -> str | None:
    """JSON's form: ISO 8601; datetimes in the user's zone with their UTC offset."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    return value.isoformat()


# --- the choice between JSON and text, made once --------------------------------------


class Result:
    """What a command hands to the output layer: the same facts as JSON and as text.

    `warnings` go to stderr first; `note` (a line such as "showing 50 of 80") follows
    the text on stdout, or goes to stderr with JSON so that stdout stays one document.
    """

    def json(self, zone: tzinfo) -> Any:
        raise NotImplementedError

    def text(self, zone: tzinfo) -> None:
        raise NotImplementedError

    def warnings(self) -> Sequence[str]:
        return ()

    def note(self) -> str | None:
        return None

    def kept_if_interrupted(self) -> str | None:
        """What the store holds when Ctrl-C comes while the result is printed, if the
        command changed it (None: nothing was changed)."""
        return None

    def exit_code(self) -> int:
        """Not 0 when part of the command failed (one file of several), said in the text."""
        return 0

    def beside_data(self) -> bool:
        """True when the command wrote its data to stdout (`--out -`): its report then
        goes to stderr, so that stdout holds the data alone."""
        return False


class Interrupted(KeyboardInterrupt):
    """Ctrl-C after a change was committed, carrying what the store holds now (`kept`)."""

    def __init__(self, kept: str) -> None:
        super().__init__(kept)
        self.kept = kept


@dataclass(frozen=True)
class JsonList:
    """A JSON list written item by item (a million remarks are never held in memory)."""

    items: Iterable[Any]


def emit(result: Result, as_json: bool, zone: tzinfo) -> None:
    """The one place that prints a result as JSON or as text."""
    try:
        with (
            contextlib.redirect_stdout(sys.stderr)
            if result.beside_data()
            else contextlib.nullcontext()
        ):
            _emit(result, as_json, zone)
    except KeyboardInterrupt as exc:
        kept = getattr(exc, "kept", None) or result.kept_if_interrupted()
        if kept is None:
            raise
        raise Interrupted(kept) from None


def _emit(result: Result, as_json: bool, zone: tzinfo) -> None:
    warn(result.warnings())
    if as_json:
        data = result.json(zone)
        if isinstance(data, JsonList):
            echo_json_list(data.items)
        else:
            echo_json(data)
    else:
        result.text(zone)
    note = result.note()
    if note:
        say(note, err=as_json)


def json_output(command: Callable[..., Result | None]) -> Callable[..., None]:
    """Adds `--json` to a command and prints what it returns in the form asked for.

    A command that fetches different data for JSON (a list streamed as text but whole in
    a JSON document) may take `as_json` itself; the others never see the flag.
    """
    wants_flag = "as_json" in inspect.signature(command).parameters

    @functools.wraps(command)
    def run(*args: Any, as_json: bool, **kwargs: Any) -> None:
        if wants_flag:
            kwargs["as_json"] = as_json
        result = command(*args, **kwargs)
        if result is not None:
            context = click.get_current_context()
            emit(result, as_json, context.find_root().obj.zone)
            if result.exit_code():
                context.exit(result.exit_code())

    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON for scripts instead of text."
    )(run)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def echo_json_list(items: Iterable[Any]) -> None:
    """The same text as echo_json of the whole list, written as the items come."""
    out = sys.stdout
    first = True
    for item in items:
        body = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + body)
        first = False
    out.write("[]\n" if first else "\n]\n")
    out.flush()


# --- the one table printer ------------------------------------------------------------

GAP = 2  # blanks between two columns, piped and in a fitted terminal table


@dataclass(frozen=True)
class Fit:
    """How a table too wide for the terminal fits: instead of wrapping its last column,
    `cut` is shortened with "…", `wraps` wraps, and `drops` is left out when even that
    does not fit (a line then says so and where to see it). Every other column keeps its
    natural width, so no date or count is ever cut."""

    wraps: str
    cut: str
    drops: str
    nouns: dict[str, str]  # header -> what a left-out column held ("decision dates")
    see: str  # where to see what was left out
    right: tuple[str, ...] = ()  # right-aligned columns (counts)
    wraps_min: int = 12  # a name narrower than this wraps too often to read
    cut_min: int = 12  # below this, the `drops` column gives its room to `cut`
    cut_shortest: int = 4  # a value cut shorter than this says nothing: the column goes


@dataclass(frozen=True)
class Table:
    title: str | None
    headers: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    show_header: bool = True
    fit: Fit | None = None  # None: on a terminal the last column wraps


def print_table(table: Table) -> None:
    """A table: drawn by rich on a terminal, aligned plain text when piped."""
    if not sys.stdout.isatty():  # a pipe or a file: plain text, and no rich to import
        safe = [[shown(value) for value in row] for row in table.rows]
        title = shown(table.title) if table.title else None
        click.echo(plain_table(title, table.headers, safe, table.show_header), nl=False)
        return
    from rich.console import Console

    console = Console(highlight=False)
    if table.fit is not None:
        _print_fitted(console, table, table.fit)
    else:
        _print_wrapped(console, table)


def _cell(text: str) -> str:
    from rich.markup import escape

    return escape(shown(text))


def _print_wrapped(console: Console, table: Table) -> None:
    from rich.table import Table as RichTable

    drawn = RichTable(
        title=_cell(table.title) if table.title else None,
        title_justify="left",
        show_lines=False,
        header_style="bold",
        show_header=table.show_header,
    )
    for index, header in enumerate(table.headers):
        # short facts stay on one line; the last column (remark text, reason) wraps
        last = index == len(table.headers) - 1
        drawn.add_column(header, overflow="fold", no_wrap=not last, ratio=1 if last else None)
    for row in table.rows:
        drawn.add_row(*(_cell(value) for value in row))
    console.print(drawn)


def _print_fitted(console: Console, table: Table, fit: Fit) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table as RichTable

    headers = table.headers
    natural = [
        max(cell_len(header), *(cell_len(shown(row[i])) for row in table.rows))
        for i, header in enumerate(headers)
    ]
    widths = fit_widths(headers, fit, natural, console.width)
    drawn = RichTable(
        title=_cell(table.title) if table.title else None,
        title_justify="left",
        title_style=None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, GAP - 1, 0, 0),  # the other blank is the box's column separator
        header_style="bold",
    )
    for header, width in zip(headers, widths, strict=True):
        if width is None:
            continue
        if header == fit.wraps:
            drawn.add_column(header, width=width, overflow="fold")
        elif header == fit.cut:
            drawn.add_column(header, width=width, no_wrap=True, overflow="ellipsis")
        else:
            justify: Literal["left", "right"] = "right" if header in fit.right else "left"
            drawn.add_column(header, width=width, no_wrap=True, justify=justify)
    for row in table.rows:
        drawn.add_row(*(_cell(cell) for cell, w in zip(row, widths, strict=True) if w))
    console.print(drawn)
    gone = [fit.nouns[h] for h, w in zip(headers, widths, strict=True) if w is None]
    if gone:
        what = " and ".join(gone)
        say(f"{what.capitalize()} left out to fit {console.width} columns: see {fit.see}.")


def fit_widths(
    headers: Sequence[str], fit: Fit, natural: list[int], total: int
) -> list[int | None]:
    """Column widths for `total` columns (None: the column is left out).

    Whole values of `wraps` come first, then the first words of `cut`: the `drops`
    column gives way when both do not fit beside it; `cut` is then cut, and a `wraps`
    value longer than what is left wraps.
    """
    wraps, cut, drops = (headers.index(h) for h in (fit.wraps, fit.cut, fit.drops))
    widths: list[int | None] = list(natural)
    room = 0
    for leave_out in (None, drops):
        if leave_out is not None:
            widths[leave_out] = None
        fixed = sum(w for i, w in enumerate(widths) if w is not None and i not in (wraps, cut))
        columns = sum(1 for w in widths if w is not None)
        room = total - fixed - GAP * (columns - 1)
        if room - natural[wraps] >= min(fit.cut_min, natural[cut]):
            widths[wraps] = natural[wraps]
            widths[cut] = min(natural[cut], room - natural[wraps])
            return widths
    name = min(natural[wraps], max(fit.wraps_min, room - fit.cut_min))
    if room - name < fit.cut_shortest:  # a very narrow window: the cut column goes too
        widths[cut] = None
        widths[wraps] = max(1, room + GAP)
        return widths
    widths[wraps], widths[cut] = name, room - name
    return widths


def width(text: str) -> int:
    """Columns `text` takes in a monospaced font: East Asian wide letters (and most emoji)
    take two; combining marks, joiners and variation selectors none."""
    if text.isascii():
        return len(text)  # one column each: most cells, and a long table has many
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
    """The piped form: one line per row, columns GAP blanks apart, a cell's own line
    breaks continuing under its column; nothing cut (cells already made safe)."""
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
            out.append((" " * GAP).join(parts).rstrip())
    return "\n".join(out) + "\n"


def print_long_table(
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[str]],
) -> None:
    """A table printed row by row as it is read, on a terminal too: the plain form with
    fixed widths for every column but the last.

    A measured table must see every row before it prints the first, and rich needs about
    a millisecond a row, so 100,000 remarks would take minutes.
    """
    indent = " " * (sum(widths) + GAP * len(widths))
    gap = " " * GAP
    out = sys.stdout
    out.write(shown(title) + "\n")
    out.write(gap.join(h.ljust(w) for h, w in zip(headers, (*widths, 0), strict=True)) + "\n")
    for cells in rows:
        short = gap.join(padded(shown(c), w) for c, w in zip(cells, widths, strict=False))
        text = shown(cells[-1]).replace("\n", "\n" + indent)
        out.write(f"{short}{gap}{text}\n")
    out.flush()


# --- progress -------------------------------------------------------------------------


class ImportProgress:
    """A progress bar on stderr for an import that runs longer than about 2 s, only when
    stderr is a terminal; rich is imported only then."""

    DELAY_SECONDS = 2.0

    def __init__(self, position: Callable[[], tuple[int, int]]) -> None:
        self.position = position  # (bytes read, bytes in all)
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        self.interactive = sys.stderr.isatty()

    def __call__(self) -> None:
        if not self.interactive:
            return
        done, total = self.position()
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY_SECONDS:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self.bar = Progress(
                TextColumn("importing"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("import", total=total or None)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
