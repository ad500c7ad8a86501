"""The week at a glance, as plain data: working days, busy time, focus blocks and calls.

One model feeds both pictures of the week: the packet's cover grid (plan/cover_grid.py) and
the terminal's week strip (cli/week_strip.py). Everything here is pure: the calendar's
events, the accounts and the blocks come in as arguments, times in the user's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from focusblock.calendar.calls import AccountSignature, CallMatcher, own_domain
from focusblock.calendar.events import CalendarEvent
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.store.views import AccountFacts

if TYPE_CHECKING:
    from focusblock.plan.week import PlanDecision

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


@dataclass(frozen=True)
class WorkHours:
    days: tuple[int, ...]  # weekday numbers, Monday 0
    start: time
    end: time


def signatures(accounts: Sequence[AccountFacts]) -> list[AccountSignature]:
    """What recognises each account's meetings (names, aliases, domains, refused titles):
    one list for the plan's calls and the glance, so both take the same events."""
    return [
        AccountSignature(a.account_id, (a.name, *a.aliases), a.domains, a.not_call)
        for a in accounts
    ]


def week_busy(
    events: Sequence[CalendarEvent],
    week_start: datetime,
    week_end: datetime,
    accounts: Sequence[AccountFacts],
    own_email: str | None = None,
) -> WeekBusy:
    """The busy events meeting [week_start, week_end), each with the accounts it is a call
    with (recognised as the plan recognises calls: attendee domain, name or alias), and the
    accounts' own next calls in the week that the calendars do not show."""
    matcher = CallMatcher(signatures(accounts), own_domain(own_email))
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
    zone: ZoneInfo,
    hours: WorkHours,
    busy: WeekBusy,
    blocks: Sequence[tuple[str, datetime, datetime]] = (),
) -> WeekGlance:
    """The working days of `week` with their busy time, calls and the (account, start, end)
    focus blocks. A private event shows as "busy" and is not marked as a call: its title
    and who it is with stay hidden, as the calendar apps hide them."""
    spans = [*_busy_spans(busy), *(Span(SpanKind.BLOCK, s, e, a, (a,)) for a, s, e in blocks)]
    days = [week.monday + timedelta(days=n) for n in range(7) if n in hours.days]
    first, last = _shown_hours(days, zone, hours, [s for s in spans if s.kind is SpanKind.CALL])
    glance_days = []
    for day in days:
        start, end = _at(day, first, zone), _at(day, last, zone)
        clipped = [
            Span(s.kind, max(s.start, start), min(s.end, end), s.title, s.accounts)
            for s in spans
            if s.start < end and s.end > start
        ]
        clipped.sort(key=lambda s: (s.start, s.end, s.kind, s.title))
        work = _at(day, hours.start, zone), _at(day, hours.end, zone)
        glance_days.append(GlanceDay(day, start, end, *work, tuple(clipped)))
    accounts = dict.fromkeys(a for a, _, _ in sorted(blocks, key=lambda b: (b[1], b[0])))
    return WeekGlance(week.label, str(zone), tuple(glance_days), tuple(accounts))


def work_hours(settings: Settings) -> WorkHours:
    """The working days and hours the settings give."""
    return WorkHours(settings.work_days, settings.work_start, settings.work_end)


def glance_of_plan(decision: PlanDecision, settings: Settings) -> WeekGlance:
    """The planned week at a glance: its busy time and calls, and the placed blocks."""
    blocks = [(b.account, b.start, b.end) for b in decision.blocks]
    zone = ZoneInfo(settings.timezone)
    return week_glance(decision.week, zone, work_hours(settings), decision.busy_week, blocks)


def busy_glance(
    events: Sequence[CalendarEvent],
    week: Week,
    settings: Settings,
    accounts: Sequence[AccountFacts] = (),
) -> WeekGlance:
    """The week's busy time and calls at a glance, without planning (`busy --grid`)."""
    zone = ZoneInfo(settings.timezone)
    busy = week_busy(events, week.start(zone), week.end(zone), accounts, settings.email)
    return week_glance(week, zone, work_hours(settings), busy)


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
    days: Sequence[date], zone: ZoneInfo, hours: WorkHours, calls: Sequence[Span]
) -> tuple[time, time]:
    """The working hours, widened to whole hours so that every call of a working day shows:
    the blocks are planned around the calls, so a call at 08:00 must not fall off the page."""
    first = hours.start
    last = hours.end
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
