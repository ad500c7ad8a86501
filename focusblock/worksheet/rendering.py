"""Rendering worksheets with Jinja2: autoescaped HTML, plain Markdown, strict about names."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from focusblock.worksheet.content import Worksheet

TEMPLATE_DIR = Path(__file__).parent / "templates"


def _environment(zone: tzinfo):  # type: ignore[no-untyped-def]
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = lambda value: _when(value, zone)
    env.filters["days"] = _days
    env.filters["quote"] = _quote
    env.filters["oneline"] = lambda text: " ".join(str(text).split())
    return env


def _when(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return "none booked"
    return value.astimezone(zone).strftime("%a %d %b %Y, %H:%M")


def _days(count: int | None) -> str:
    if count is None:
        return ""
    if count < 0:
        return f"{-count} days ago: has it moved?"
    return "today" if count == 0 else f"in {count} days"


def _quote(text: str) -> str:
    """A Markdown block quote that keeps every line of the remark, blank ones included."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def render_markdown(worksheet: Worksheet, zone: tzinfo) -> str:
    return _environment(zone).get_template("worksheet.md.j2").render(ws=worksheet)
