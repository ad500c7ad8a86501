"""Rendering worksheets with Jinja2: autoescaped HTML, plain Markdown, strict about names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from focusblock.visible import shown
from focusblock.worksheet.answers import (
    FORMAT_MARK,
    GAP_HEADING,
    NO_LONGER_ASKED,
    PERSON_HEADING,
)
from focusblock.worksheet.content import EarlierAnswer, Worksheet
from focusblock.worksheet.gaps import GAPS_TITLE, remark_ids
from focusblock.worksheet.people_section import PEOPLE_TITLE
from focusblock.worksheet.week_grid import CoverGrid

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=8)
def _environment(zone: tzinfo) -> Environment:
    """One environment per zone, so a plan's worksheets share compiled templates."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # every value put in the page, user text above all, with control and bidi
        # characters made visible: the file is opened with cat, less or an editor
        finalize=_visible,
    )
    env.filters["when"] = lambda value: _when(value, zone)
    env.filters["days"] = _days
    env.filters["quote"] = _quote
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    env.filters["earlier"] = _earlier
    env.globals["format_mark"] = FORMAT_MARK
    env.globals["no_longer_asked"] = NO_LONGER_ASKED
    env.filters["remark_ids"] = remark_ids
    env.globals.update(
        people_title=PEOPLE_TITLE,
        gaps_title=GAPS_TITLE,
        person_heading=PERSON_HEADING,
        gap_heading=GAP_HEADING,
    )
    return env


def _visible(value: Any) -> Any:
    if hasattr(value, "__html__"):  # already made safe HTML (Markup); controls are no markup
        return type(value)(shown(str(value)))
    return shown(value) if isinstance(value, str) else value


def _when(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return "none booked"
    return value.astimezone(zone).strftime("%a %d %b %Y, %H:%M")


def _days(count: int | None) -> str:
    if count is None:
        return ""
    if count < 0:
        return f"{-count} day{'' if count == -1 else 's'} ago: has it moved?"
    return "today" if count == 0 else f"in {count} day{'' if count == 1 else 's'}"


def _earlier(answer: EarlierAnswer) -> str:
    """An earlier answer in the Markdown worksheet, every line of it: `> ✎ date: ` before
    the first, `> ` before the others, so `reflect` never reads it as a new answer."""
    about = ", about earlier words" if answer.about_earlier_words else ""
    first, *rest = answer.text.split("\n")
    lines = [f"> ✎ {answer.written_on.isoformat()}{about}: {first}"]
    lines += [f"> {line}" if line else ">" for line in rest]
    # a Markdown viewer joins the lines of a paragraph into one: two trailing spaces are its
    # hard line break (invisible in an editor; the reader skips these lines whatever ends
    # them). Not before a blank line or at the end, where they would break nothing.
    followed = [bool(after) for after in rest] + [False]
    return "\n".join(
        line + "  " if line != ">" and next_has_text else line
        for line, next_has_text in zip(lines, followed, strict=True)
    )


def _quote(text: str) -> str:
    """A Markdown block quote that keeps every line of the remark, blank ones included."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def render_markdown(worksheet: Worksheet, zone: tzinfo) -> str:
    return _environment(zone).get_template("worksheet.md.j2").render(ws=worksheet)


@dataclass(frozen=True)
class PacketEntry:
    when: str
    account: str
    reason: str


def render_html(
    worksheets: list[Worksheet],
    zone: tzinfo,
    title: str | None = None,
    blocks: tuple[PacketEntry, ...] = (),
    grid: CoverGrid | None = None,
) -> str:
    """One account's worksheet, or a week's packet (a cover with the week's grid and its
    blocks, then one page group each)."""
    template = _environment(zone).get_template("worksheet.html.j2")
    title = packet_title(worksheets, title)
    return template.render(worksheets=worksheets, title=title, blocks=blocks, grid=grid)


def packet_title(worksheets: list[Worksheet], title: str | None = None) -> str:
    """The document's title (HTML and PDF alike): the account's, or the packet's."""
    if title is not None:
        return title
    return f"Focus: {worksheets[0].account}" if len(worksheets) == 1 else "Focus worksheets"
