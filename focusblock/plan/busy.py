"""What the planner sees: the week's busy time, and the event taken as each account's call.

Shared by `plan` (its gather step) and `busy`, so both show the same thing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from focusblock.calendar.calls import CallSearch, CallText, next_calls, seller_matcher
from focusblock.calendar.events import CalendarEvent, CalendarReading
from focusblock.calendar.prefilter import CallHorizon
from focusblock.calendar.reading import read_calendars
from focusblock.calendar.series_cache import SeriesCache
from focusblock.calendar.sources import default_cache_dir, open_busy_sources
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.model import Call
from focusblock.plan.call_signatures import signatures
from focusblock.store.planning import planning_facts
from focusblock.store.store import Store
from focusblock.store.views import AccountFacts

CALL_HORIZON_DAYS = 42  # how far ahead we look for each account's next call


def read_busy(
    settings: Settings,
    specs: Sequence[str],
    start: datetime,
    end: datetime,
    now: datetime,
    ours: Collection[str],
    calls_after: datetime | None = None,
    accounts: Sequence[AccountFacts] = (),
) -> CalendarReading:
    """Every source's events from `start` to `end`, with the sources' warnings first;
    `ours` are the UIDs of the focus blocks the store wrote. After `calls_after` only
    what may be a call with one of `accounts` (or one of our blocks) is read."""
    zone = ZoneInfo(settings.timezone)
    opened = open_busy_sources(tuple(specs), settings, start, end, now)
    horizon = None
    if calls_after is not None:
        horizon = CallHorizon(calls_after, CallText(signatures(accounts)).may_be_call)
    reading = read_calendars(
        opened.sources,
        start,
        end,
        zone,
        settings.email,
        ours=ours,
        horizon=horizon,
        series_cache=SeriesCache(default_cache_dir() / "series"),
    )
    reading.warnings[:0] = opened.warnings
    return reading


@dataclass(frozen=True)
class BusyWeek:
    """What `busy` shows: the week's events, and the call found for each account."""

    week: Week
    events: tuple[CalendarEvent, ...]
    warnings: tuple[str, ...]
    calls: tuple[tuple[str, Call], ...]  # (account, its next call)
    accounts: tuple[AccountFacts, ...] = ()  # whose calls were looked for
    internal: frozenset[CalendarEvent] = frozenset()  # among colleagues only: never a call


def busy_week(
    store: Store, settings: Settings, week: Week, specs: Sequence[str], now: datetime
) -> BusyWeek:
    """The week as the planner sees it, and which event it would take as each call."""
    zone = ZoneInfo(settings.timezone)
    start, end = week.start(zone), week.end(zone)
    horizon = end + timedelta(days=CALL_HORIZON_DAYS)
    facts = planning_facts(store, week.label, with_remarks=False)
    accounts = facts.accounts
    reading = read_busy(settings, specs, start, horizon, now, facts.ours, end, accounts)
    colleagues = settings.colleague_domains
    search = find_calls(accounts, reading.events, max(now, start), settings.email, colleagues)
    names = {a.account_id: a.name for a in accounts}
    calls = tuple(
        (names[i], call) for i, call in sorted(search.calls.items(), key=lambda item: item[1].start)
    )
    events = tuple(e for e in reading.events if e.start < end and e.end > start)
    warnings = (*reading.warnings, *search.warnings)
    matcher = seller_matcher((), settings.email, colleagues)
    internal = frozenset(e for e in events if matcher.is_internal(e))
    return BusyWeek(week, events, warnings, calls, tuple(accounts), internal)


def find_calls(
    accounts: Sequence[AccountFacts],
    events: Sequence[CalendarEvent],
    after: datetime,
    email: str | None,
    colleague_domains: Sequence[str] = (),
) -> CallSearch:
    """Each account's next call in the calendar, with the event and how it was recognised;
    a meeting among the seller's colleagues only (`email`'s domain and
    `colleague_domains`) is no account's call."""
    search = next_calls(events, signatures(accounts), after, email, colleague_domains)
    found = dict(search.calls)
    for a in accounts:  # the account's own --next-call counts when the calendar shows none
        if a.account_id not in found and a.stored_next_call and a.stored_next_call >= after:
            found[a.account_id] = Call(
                a.account_id, a.stored_next_call, "(set by hand)", "the store", "--next-call"
            )
    return CallSearch(found, search.warnings)
