"""The week strip: the week at a glance in a terminal, one line per working day.

Each day is a bar of its hours, one character per 15 minutes (30 or 60 when a long day
would not fit the width): free time, busy time, focus blocks (the account's letter) and
calls in distinct characters, and in colour on a terminal that has it. Without colour
(NO_COLOR set, TERM=dumb, or output to a file or a pipe) the characters alone tell them
apart, with no escape codes at all, so the strip reads the same in a mail. Account names
are user text: they go through output.shown() and into rich Text (never markup).
Output that is no terminal is written without loading rich at all (a twentieth of a
`plan` run from cron).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click

from focusblock.cli.output import shown, width
from focusblock.plan.glance import GlanceDay, SpanKind, WeekGlance

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

STEPS = (15, 30, 60)  # minutes per character, the finest that fits the width
PLAIN_WIDTH = 80  # output that is not a terminal: mail and files
LABEL_WIDTH = len("Mon 30 Nov ")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True)
class Markers:
    free: str
    busy: str
    call: str
    off: str = " "  # shown hours outside the working day (widened for an early call)


PLAIN = Markers(free="·", busy="#", call="!")
COLOURED = Markers(free="·", busy="▒", call="◆")
STYLES = {"free": "grey42", "busy": "grey58", "call": "bold red", "off": ""}
BLOCK_STYLES = (
    "bold black on cyan",
    "bold black on green",
    "bold black on magenta",
    "bold black on yellow",
    "bold black on bright_blue",
    "bold black on bright_red",
    "bold black on bright_cyan",
    "bold black on bright_green",
)

_RANK = {SpanKind.BUSY: 1, SpanKind.BLOCK: 2, SpanKind.CALL: 3}  # what a shared cell shows


@dataclass
class StripLine:
    """One line of the strip: its pieces of text, each with the rich style it has in
    colour. Rich prints it as its Text; piped, only its plain text is written."""

    pieces: list[tuple[str, str]] = field(default_factory=list)

    def append(self, text: str, style: str = "") -> None:
        self.pieces.append((text, style))

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)

    @property
    def cell_len(self) -> int:
        return width(self.plain)

    def __rich__(self) -> Text:
        from rich.text import Text

        line = Text()
        for text, style in self.pieces:
            line.append(text, style=style)
        return line


def print_week_strip(glance: WeekGlance) -> None:
    """Print the strip: in colour on a colour terminal, in plain characters otherwise."""
    if not _may_be_a_terminal():
        for line in strip_lines(glance, PLAIN_WIDTH, colour=False):
            click.echo(line.plain)
        return
    from rich.console import Console

    console = Console(highlight=False)
    if _colour_wanted(console):
        for line in strip_lines(glance, console.width, colour=True):
            console.print(line, soft_wrap=True)
    else:
        columns = console.width if console.is_terminal else PLAIN_WIDTH
        for line in strip_lines(glance, columns, colour=False):
            click.echo(line.plain)


def _may_be_a_terminal() -> bool:
    """False when the output is surely no terminal: not one, and nothing in the
    environment asks rich to take it for one (TTY_COMPATIBLE, FORCE_COLOR)."""
    asked = "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ
    return asked or sys.stdout.isatty()


def _colour_wanted(console: Console) -> bool:
    """Colour only on a terminal that has it and when NO_COLOR (no-color.org) is unset."""
    return (
        console.is_terminal
        and not console.no_color
        and not console.is_dumb_terminal
        and console.color_system is not None
    )


def strip_lines(
    glance: WeekGlance, columns: int = PLAIN_WIDTH, colour: bool = False
) -> list[StripLine]:
    """The strip as lines no wider than `columns`: an hour ruler, one line per day, the key."""
    markers = COLOURED if colour else PLAIN
    letters = account_letters(glance.accounts)
    styles = {name: BLOCK_STYLES[i % len(BLOCK_STYLES)] for i, name in enumerate(letters)}
    if not glance.days:
        return [StripLine([(f"Week {glance.week}: no working days.", "")])]
    step = _step(glance.days[0], columns)
    lines = [_ruler(glance.days[0], step, columns)]
    for day in glance.days:
        line = StripLine([(f"{day.start:%a %d %b} ", "")])
        for kind, account in _cells(day, step):
            if kind is SpanKind.BLOCK and account is not None:
                line.append(letters[account], style=styles[account] if colour else "")
            else:
                key = kind.value if isinstance(kind, SpanKind) else kind
                line.append(getattr(markers, key), style=STYLES[key] if colour else "")
        line.append(_call_note(day, markers, letters, columns - line.cell_len))
        lines.append(line)
    lines += _key(markers, letters, styles if colour else {}, columns)
    return lines


def account_letters(accounts: Sequence[str]) -> dict[str, str]:
    """A letter per account: the first letter of its name not yet taken, else the next free
    one. Handed out in the order of the names, not of the blocks, so an account keeps its
    letter when blocks move and from week to week; returned in the order given."""
    letters: dict[str, str] = {}
    for name in sorted(accounts, key=lambda n: (n.casefold(), n)):
        taken = set(letters.values())
        own = [c.upper() for c in name if c.isascii() and c.isalnum() and c.upper() not in taken]
        spare = [c for c in LETTERS if c not in taken]
        letters[name] = (own or spare or ["?"])[0]
    return {name: letters[name] for name in accounts}


def _step(day: GlanceDay, columns: int) -> int:
    minutes = (day.end - day.start).total_seconds() / 60
    for step in STEPS:
        if LABEL_WIDTH + math.ceil(minutes / step) <= columns:
            return step
    return STEPS[-1]


def _cells(day: GlanceDay, step: int) -> list[tuple[SpanKind | str, str | None]]:
    """Per character: what fills it (the most telling kind that touches it) and its account."""
    count = math.ceil((day.end - day.start).total_seconds() / 60 / step)
    cells: list[tuple[SpanKind | str, str | None]] = []
    for index in range(count):
        start = day.start + timedelta(minutes=index * step)
        end = min(start + timedelta(minutes=step), day.end)
        touching = [s for s in day.spans if s.start < end and s.end > start]
        if touching:
            top = max(touching, key=lambda s: _RANK[s.kind])
            cells.append((top.kind, top.accounts[0] if top.accounts else None))
        elif day.work_start < end and start < day.work_end:
            cells.append(("free", None))
        else:
            cells.append(("off", None))
    return cells


def _ruler(day: GlanceDay, step: int, columns: int) -> StripLine:
    """Hour numbers above the bars, each where its hour starts, none crowding the last."""
    ruler = [" "] * (columns - LABEL_WIDTH)
    free_from = 0
    moment = day.start.replace(minute=0, second=0, microsecond=0)
    while moment <= day.end:
        column = _column(day.start, moment, step)
        label = f"{moment:%H}".lstrip("0") or "0"
        if column >= free_from and moment >= day.start and column + len(label) <= len(ruler):
            ruler[column : column + len(label)] = label
            free_from = column + len(label) + 1
        moment += timedelta(hours=1)
    return StripLine([((" " * LABEL_WIDTH + "".join(ruler)).rstrip(), "")])


def _column(origin: datetime, moment: datetime, step: int) -> int:
    return round((moment - origin).total_seconds() / 60 / step)


def _call_note(day: GlanceDay, markers: Markers, letters: dict[str, str], room: int) -> str:
    """After the bar, the day's calls: "  ! 13:00 Brightwater Health, 14:00 Océane
    Cosmétiques"; when that is too long, accounts by their letter in the key (or their
    first word), and cut to fit as the last resort."""
    calls = [s for s in day.spans if s.kind is SpanKind.CALL]
    if not calls or room < 10:
        return ""

    def note(name: Callable[[str], str]) -> str:
        # in the user's zone, as the bar draws it (the event may be written in another)
        zone = day.start.tzinfo
        times = [
            f"{c.start.astimezone(zone):%H:%M} {', '.join(name(a) for a in c.accounts)}"
            for c in calls
        ]
        return f"  {markers.call} " + ", ".join(times)

    full = note(_one_line)
    if width(full) <= room:
        return full
    short = note(lambda a: letters.get(a) or (_one_line(a).split() or ["?"])[0])
    if width(short) <= room:
        return short
    return _cut(short, room - 1) + "…"


def _key(
    markers: Markers, letters: dict[str, str], styles: dict[str, str], columns: int
) -> list[StripLine]:
    """The key, wrapped to the width: the markers, then each account's letter and name."""
    entries = [
        (markers.busy, "busy", STYLES["busy"] if styles else ""),
        (markers.call, "call", STYLES["call"] if styles else ""),
        (markers.free, "free", STYLES["free"] if styles else ""),
        *((letter, _one_line(name), styles.get(name, "")) for name, letter in letters.items()),
    ]
    lines: list[StripLine] = []
    line = StripLine([("Key:", "")])
    for mark, name, style in entries:
        entry_width = 2 + len(mark) + 1 + width(name)
        if line.cell_len + entry_width > columns and line.cell_len > len("Key:"):
            lines.append(line)
            line = StripLine([("    ", "")])
        room = columns - line.cell_len - len(mark) - 3
        if width(name) > room:
            name = _cut(name, max(0, room - 1)) + "…"
        line.append("  ")
        line.append(mark, style=style)
        line.append(" " + name)
    lines.append(line)
    return lines


def _cut(text: str, columns: int) -> str:
    """`text` cut to at most `columns` columns (a wide letter that would cross is left out)."""
    used = 0
    for end, letter in enumerate(text):
        used += width(letter)
        if used > columns:
            return text[:end]
    return text


def _one_line(name: str) -> str:
    """A name made safe (controls shown as escapes) and kept on one line of the strip."""
    return " ".join(shown(name).split())
