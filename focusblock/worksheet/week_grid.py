"""The week grid on the packet's cover, as plain data for the HTML and Typst templates.

Every position is decided once, in Python (plan/glance.py): where each item starts and
how tall it is (percent of the day column), which lane it takes when events overlap, how
many lines of text fit in it, and each account's colour. The templates only place what
they are given, so the HTML and the PDF cannot disagree about the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Height of the grid's day columns on the printed page: with the title, the key and a
# week's table of blocks (up to ten rows) it leaves the cover on one A4 or Letter page.
GRID_HEIGHT_MM = 110.0
LINE_PT = 8.5  # one line of the grid's 7pt text, baseline to baseline
LINE_MM = LINE_PT * 25.4 / 72
PADDING_MM = 0.7  # inside an item, above and below its text, when there is room for it
CALL_MARK = "◆"  # before the accounts a call is with


@dataclass(frozen=True)
class GridItem:
    kind: str  # "busy", "block" or "call": the templates style each kind
    label: str  # the event's title ("busy" when private); a block's account
    mark: str  # a call: "◆ " and the accounts it is with; "" otherwise
    time: str  # "10:00-11:30"
    top: float  # percent of the column's height
    height: float
    left: float  # percent of the column's width: overlapping events sit side by side
    width: float
    label_lines: int  # lines the label may wrap into (0: the item is too small for text)
    time_shown: bool  # room for the time under the label
    padding_mm: float  # above and below the text
    colour: str  # a block's account colour, "#rrggbb"; "" for busy time and calls


@dataclass(frozen=True)
class GridDay:
    label: str  # "Mon 30 Nov"
    items: tuple[GridItem, ...]
    off_hours: tuple[tuple[float, float], ...] = ()  # (top, height) outside working hours


@dataclass(frozen=True)
class HourMark:
    label: str  # "09:00"
    top: float  # percent


@dataclass(frozen=True)
class CoverGrid:
    days: tuple[GridDay, ...]
    hours: tuple[HourMark, ...]
    height_mm: float = GRID_HEIGHT_MM
    line_pt: float = LINE_PT
    call_mark: str = CALL_MARK


def grid_view(grid: CoverGrid | None) -> dict[str, Any] | None:
    """The grid as JSON-ready data for the Typst template (the HTML reads the objects)."""
    if grid is None:
        return None
    return {
        "height-mm": grid.height_mm,
        "line-pt": grid.line_pt,
        "hours": [{"label": h.label, "top": h.top} for h in grid.hours],
        "days": [
            {
                "label": d.label,
                "off-hours": [{"top": top, "height": height} for top, height in d.off_hours],
                "items": [
                    {
                        "kind": i.kind,
                        "label": i.label,
                        "mark": i.mark,
                        "time": i.time,
                        "top": i.top,
                        "height": i.height,
                        "left": i.left,
                        "width": i.width,
                        "label-lines": i.label_lines,
                        "time-shown": i.time_shown,
                        "padding-mm": i.padding_mm,
                        "colour": i.colour,
                    }
                    for i in d.items
                ],
            }
            for d in grid.days
        ],
    }
