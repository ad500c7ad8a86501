"""The week at a glance: working days, busy time, focus blocks and calls, and its layout
as the grid on the cover of the week's packet.

One model feeds both pictures of the week: the packet's cover grid (laid out here, at the
end, drawn by the worksheet templates from worksheet/week_grid.py) and the terminal's
week strip (cli/week_strip.py). Everything here is pure: the calendar's events, the
accounts and the blocks come in as arguments, times in the user's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from focusblock.calendar.calls import seller_matcher
from focusblock.calendar.events import CalendarEvent
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.plan.call_signatures import signatures
from focusblock.store.views import AccountFacts
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

PRIVATE_TITLE = "busy"  # what a private or confidential event shows instead of its title
# a call the account holds (`account edit --next-call`) has no length: drawn this long
STORED_CALL_LENGTH = timedelta(minutes=30)


class SpanKind(StrEnum):
    BUSY = "busy"
    BLOCK = "block"
    CALL = "call"


@dataclass(frozen=True)
class BusyEvent:
    """A busy event of the week, and the accounts it is a call with (none: other busy time)."""

    event: CalendarEvent
    accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekBusy:
    """What the week's calendars hold for the pictures of the week."""

    events: tuple[BusyEvent, ...] = ()
    # an account's own next call inside the week that no calendar event shows: (name, when)
    stored_calls: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class Span:
    """Something in a day: busy time, a focus block or a call, clipped to the day's hours."""

    kind: SpanKind
    start: datetime
    end: datetime
    title: str  # the event's title ("busy" when private); a block's account
    accounts: tuple[str, ...] = ()  # a block's account; the accounts a call is with


@dataclass(frozen=True)
class GlanceDay:
    day: date
    start: datetime  # the hours shown: the working hours, widened to take in the calls
    end: datetime
    work_start: datetime
    work_end: datetime
    spans: tuple[Span, ...]  # by start


@dataclass(frozen=True)
class WeekGlance:
    week: str
    timezone: str
    days: tuple[GlanceDay, ...]  # the working days of the week
    accounts: tuple[str, ...]  # accounts with a focus block, in the order of their first block


def week_busy(
    events: Sequence[CalendarEvent],
    week_start: datetime,
    week_end: datetime,
    accounts: Sequence[AccountFacts],
    own_email: str | None = None,
    colleague_domains: Sequence[str] = (),
) -> WeekBusy:
    """The busy events meeting [week_start, week_end), each with the accounts it is a call
    with (recognised as the plan recognises calls: attendee domain, name or alias; a
    meeting among colleagues only is a call with no one), and the accounts' own next calls
    in the week that the calendars do not show."""
    matcher = seller_matcher(signatures(accounts), own_email, colleague_domains)
    names = {a.account_id: a.name for a in accounts}
    found: list[BusyEvent] = []
    called: set[tuple[str, datetime]] = set()
    for event in events:
        if not event.busy or event.end <= week_start or event.start >= week_end:
            continue
        ids = () if event.all_day else sorted(matcher.calls_in(event)[0])
        with_accounts = tuple(sorted(names[i] for i in ids))
        found.append(BusyEvent(event, with_accounts))
        called.update((name, event.start) for name in with_accounts)
    stored = tuple(
        sorted(
            (a.name, a.stored_next_call)
            for a in accounts
            if a.stored_next_call is not None
            and week_start <= a.stored_next_call < week_end
            and (a.name, a.stored_next_call) not in called
        )
    )
    return WeekBusy(tuple(found), stored)


def week_glance(
    week: Week,
    settings: Settings,
    busy: WeekBusy,
    blocks: Sequence[tuple[str, datetime, datetime]] = (),
) -> WeekGlance:
    """The working days of `week` (the settings' days, hours and zone) with their busy
    time, calls and the (account, start, end) focus blocks. A private event shows as
    "busy" and is not marked as a call: its title and who it is with stay hidden, as the
    calendar apps hide them."""
    zone = ZoneInfo(settings.timezone)
    spans = [*_busy_spans(busy), *(Span(SpanKind.BLOCK, s, e, a, (a,)) for a, s, e in blocks)]
    # every span on the user's wall clock, where the pictures draw them: the planner gives
    # blocks in UTC and calendars give events in their own zones, and a datetime of another
    # zone would be placed by its real time while the hour marks go by the wall clock
    spans = [replace(s, start=s.start.astimezone(zone), end=s.end.astimezone(zone)) for s in spans]
    days = [week.monday + timedelta(days=n) for n in range(7) if n in settings.work_days]
    calls = [s for s in spans if s.kind is SpanKind.CALL]
    first, last = _shown_hours(days, zone, settings, calls)
    glance_days = []
    for day in days:
        start, end = _at(day, first, zone), _at(day, last, zone)
        clipped = [
            Span(s.kind, max(s.start, start), min(s.end, end), s.title, s.accounts)
            for s in spans
            if s.start < end and s.end > start
        ]
        clipped.sort(key=lambda s: (s.start, s.end, s.kind, s.title))
        work = _at(day, settings.work_start, zone), _at(day, settings.work_end, zone)
        glance_days.append(GlanceDay(day, start, end, *work, tuple(clipped)))
    accounts = dict.fromkeys(a for a, _, _ in sorted(blocks, key=lambda b: (b[1], b[0])))
    return WeekGlance(week.label, str(zone), tuple(glance_days), tuple(accounts))


def busy_glance(
    events: Sequence[CalendarEvent],
    week: Week,
    settings: Settings,
    accounts: Sequence[AccountFacts] = (),
) -> WeekGlance:
    """The week's busy time and calls at a glance, without planning (`busy --grid`)."""
    zone = ZoneInfo(settings.timezone)
    busy = week_busy(
        events,
        week.start(zone),
        week.end(zone),
        accounts,
        settings.email,
        settings.colleague_domains,
    )
    return week_glance(week, settings, busy)


def _busy_spans(busy: WeekBusy) -> list[Span]:
    spans = []
    for item in busy.events:
        e = item.event
        if e.private:
            spans.append(Span(SpanKind.BUSY, e.start, e.end, PRIVATE_TITLE))
        elif item.accounts:
            spans.append(Span(SpanKind.CALL, e.start, e.end, e.summary, item.accounts))
        else:
            spans.append(Span(SpanKind.BUSY, e.start, e.end, e.summary))
    for name, when in busy.stored_calls:
        end = when + STORED_CALL_LENGTH
        spans.append(Span(SpanKind.CALL, when, end, f"call with {name}", (name,)))
    return spans


def _shown_hours(
    days: Sequence[date], zone: ZoneInfo, settings: Settings, calls: Sequence[Span]
) -> tuple[time, time]:
    """The working hours, widened to whole hours so that every call of a working day shows:
    the blocks are planned around the calls, so a call at 08:00 must not fall off the page."""
    first = settings.work_start
    last = settings.work_end
    for call in calls:
        local_start, local_end = call.start.astimezone(zone), call.end.astimezone(zone)
        if local_start.date() not in days:
            continue
        if local_start.time() < first:
            first = time(local_start.hour)
        if local_end.date() == local_start.date() and local_end.time() > last:
            last = time(min(23, local_end.hour + (1 if local_end.minute else 0)))
            last = last if last > local_end.time() else time(23, 59)
    return first, last


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, zone)


# --- the packet's cover grid: positions decided once, here ------------------------------
# The HTML and the Typst templates place what cover_grid returns: each item's top and
# height as percent of the day column, its lane when events overlap, how many lines of
# text fit, and each account's colour.

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
