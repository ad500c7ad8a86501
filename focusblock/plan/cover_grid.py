"""Lays out the week at a glance as the packet's cover grid: positions decided once, here.

The HTML and the Typst templates place what this returns (worksheet/week_grid.py): each
item's top and height as percent of the day column, its lane when events overlap, how many
lines of text fit, and each account's colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from focusblock.plan.glance import GlanceDay, Span, SpanKind, WeekGlance
from focusblock.worksheet.week_grid import (
    CALL_MARK,
    GRID_HEIGHT_MM,
    LINE_MM,
    PADDING_MM,
    CoverGrid,
    GridDay,
    GridItem,
    HourMark,
)

# Fills that print well in colour and stay apart in grey; dark text reads on each of them.
PALETTE = ("#8ecae6", "#f6bd60", "#a7c957", "#f5a6c6", "#c3b1e1", "#f28c5b", "#7fd1c7", "#e9d66b")
MIN_HEIGHT = 1.2  # percent: a five-minute event stays visible as a line


def cover_grid(glance: WeekGlance, zone: ZoneInfo) -> CoverGrid:
    """The grid for the packet's cover: one column per working day, hours down the side."""
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(glance.accounts)}
    days = tuple(_day(day, zone, colours) for day in glance.days)
    return CoverGrid(days, _hours(glance.days[0], zone) if glance.days else (), GRID_HEIGHT_MM)


def _day(day: GlanceDay, zone: ZoneInfo, colours: dict[str, str]) -> GridDay:
    length = (day.end - day.start).total_seconds()

    def percent(moment: datetime) -> float:
        return round(100 * (moment - day.start).total_seconds() / length, 3)

    items = []
    for span, (lane, lanes) in zip(day.spans, _lanes(day.spans), strict=True):
        top = percent(span.start)
        height = round(min(max(MIN_HEIGHT, percent(span.end) - top), 100 - top), 3)
        mark = f"{CALL_MARK} {', '.join(span.accounts)}" if span.kind is SpanKind.CALL else ""
        padding, label_lines, time_shown = _text_room(height / 100 * GRID_HEIGHT_MM, bool(mark))
        items.append(
            GridItem(
                kind=span.kind.value,
                label=span.title if span.kind is not SpanKind.BLOCK else span.accounts[0],
                mark=mark,
                time=f"{span.start.astimezone(zone):%H:%M}-{span.end.astimezone(zone):%H:%M}",
                top=top,
                height=height,
                left=round(100 * lane / lanes, 3),
                width=round(100 / lanes, 3),
                label_lines=label_lines,
                time_shown=time_shown,
                padding_mm=padding,
                colour=colours.get(span.title, "") if span.kind is SpanKind.BLOCK else "",
            )
        )
    off = [(0.0, percent(day.work_start)), (percent(day.work_end), 100 - percent(day.work_end))]
    label = f"{day.start.astimezone(zone):%a %d %b}"
    return GridDay(label, tuple(items), tuple((t, h) for t, h in off if h > 0))


def _text_room(height_mm: float, marked: bool) -> tuple[float, int, bool]:
    """(padding, label lines, time shown) for an item this tall: the call's mark first, then
    the label, then the time when a line is left; a short item gives up its padding first."""
    padding = round(max(0.0, min(PADDING_MM, (height_mm - LINE_MM) / 2)), 3)
    lines = max(0, int((height_mm - 2 * padding) / LINE_MM + 0.01))  # 0.01: rounded percents
    if marked:
        lines -= 1  # the mark's line, which a call shows first
    if lines <= 0:
        return padding, 0, False
    time_shown = lines >= 2
    return padding, lines - (1 if time_shown else 0), time_shown


def _lanes(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """(lane, lanes in its cluster) per span, spans by start: events that overlap sit side
    by side, each cluster of overlapping events as wide as its most crowded moment."""
    result: list[tuple[int, int]] = []
    cluster: list[int] = []  # indices of the current cluster
    lane_ends: list[datetime] = []  # when each lane of the cluster is free again
    cluster_end: datetime | None = None

    def close() -> None:
        for index in cluster:
            result[index] = (result[index][0], len(lane_ends))

    for index, span in enumerate(spans):
        if cluster_end is not None and span.start >= cluster_end:
            close()
            cluster, lane_ends = [], []
        free = [n for n, end in enumerate(lane_ends) if end <= span.start]
        lane = free[0] if free else len(lane_ends)
        if lane == len(lane_ends):
            lane_ends.append(span.end)
        else:
            lane_ends[lane] = span.end
        result.append((lane, 1))
        cluster.append(index)
        cluster_end = span.end if cluster_end is None else max(cluster_end, span.end)
    close()
    return result


def _hours(day: GlanceDay, zone: ZoneInfo) -> tuple[HourMark, ...]:
    """A mark at each whole hour of the shown hours (the same for every day of the week)."""
    length = (day.end - day.start).total_seconds()
    local = day.start.astimezone(zone)
    moment = local.replace(minute=0, second=0, microsecond=0)
    if moment < local:
        moment += timedelta(hours=1)
    marks = []
    while moment <= day.end:
        top = round(100 * (moment - day.start).total_seconds() / length, 3)
        marks.append(HourMark(f"{moment.astimezone(zone):%H:%M}", top))
        moment += timedelta(hours=1)
    return tuple(marks)
