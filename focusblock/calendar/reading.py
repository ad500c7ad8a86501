"""Reading busy time from .ics exports (Google, Outlook, Apple, Thunderbird).

The pipeline: parse every calendar in the stream, normalise
Google's X-WR-TIMEZONE, expand recurrences with recurring-ical-events, and isolate
failures per calendar and per event so that one broken event never hides the rest.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from focusblock.calendar.completeness import NEAR_WINDOW, complete_part
from focusblock.calendar.events import NO_TITLE, CalendarEvent, CalendarReading, calendar_of
from focusblock.calendar.prefilter import CallHorizon, prefilter, week_only_series
from focusblock.calendar.series_cache import Reading, SeriesCache
from focusblock.calendar.series_window import without_missing_series
from focusblock.calendar.zones import prefer_named_zones, reason, without_own_timezones
from focusblock.errors import BadInput

# icalendar's components (Calendar, Event) are untyped; named here so signatures say which
Component = Any

MAX_OCCURRENCES_PER_FILE = 20_000
OURS = "ours: a focus block"


@dataclass(frozen=True)
class CalendarSource:
    name: str
    data: bytes
    # one file of a folder, one resource of a CalDAV calendar: if it is not a calendar,
    # say so and read the others (a lone file given by name stays a one-line error)
    skip_if_unreadable: bool = False
    # the calendar this source is one part of (a folder of files, a CalDAV calendar read
    # resource by resource, a zip of exports); "": a calendar of its own. The parts of one
    # calendar share one file in the series cache: a file each would push one another out
    part_of: str = ""


def read_calendars(
    sources: Iterable[CalendarSource],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    user_email: str | None = None,
    fast: bool = True,
    ours: Collection[str] = frozenset(),
    horizon: CallHorizon | None = None,
    series_cache: SeriesCache | None = None,
) -> CalendarReading:
    """Every event occurrence meeting [start, end) in the files, with why it is (not) busy.

    `ours` are the UIDs the store wrote: only an event with one of them is one of our focus
    blocks. A mark or a UID that merely looks like ours proves nothing: such an event is
    someone else's, and busy like any other.

    `fast` first drops, at text level, single events that cannot meet the window (see
    prefilter); the result is the same, in a fraction of the time and memory. With a
    `horizon`, the single events after `horizon.after` are only those that may be a call
    or one of our blocks, and so are the occurrences of series: what the weeks after the
    planned one are read for. With a `series_cache`, recurring series read before in the
    same window are not parsed again.
    """
    reading = CalendarReading()
    unreadable = set()  # a calendar with a part not read is not read whole
    for source in sources:
        found = len(reading.events)
        try:
            _read_one(
                source,
                start,
                end,
                zone,
                (user_email or "").lower(),
                reading,
                fast,
                ours,
                horizon,
                series_cache,
            )
        except BadInput as exc:
            if not source.skip_if_unreadable:
                raise
            reading.warn(f"skipped: {exc}")
            unreadable.add(calendar_of(source.name))
            continue
        whole = calendar_of(source.name)
        if source.name not in reading.truncated and whole not in reading.read_whole:
            reading.read_whole.append(whole)
        if len(reading.events) == found and not _has_events_near(source, start, end, zone, fast):
            reading.empty.append(source.name)
            reading.warn(f"{source.name}: no events within {NEAR_WINDOW.days} days of the week")
    if series_cache is not None:
        series_cache.save()
    reading.events.sort(key=lambda e: (e.start, e.end, e.summary, e.uid))
    reading.read_whole = [name for name in reading.read_whole if name not in unreadable]
    return reading


def _has_events_near(
    source: CalendarSource, start: datetime, end: datetime, zone: ZoneInfo, fast: bool
) -> bool:
    """Whether the file holds any event, busy or not, within NEAR_WINDOW of [start, end)."""
    wide = CalendarReading()  # its warnings repeat the first reading's: dropped
    _read_one(source, start - NEAR_WINDOW, end + NEAR_WINDOW, zone, "", wide, fast, frozenset())
    return bool(wide.events)


def parse_calendars(source: CalendarSource, prefiltered: bool = False) -> list:
    """Every top-level calendar in the file; a bare VEVENT is wrapped in one. `prefiltered`:
    the source holds what prefilter kept of a file already checked to be a calendar."""
    import icalendar

    data = source.data if prefiltered else _checked(source)
    data = prefer_named_zones(data)  # after the prefilter: on a big file, a copy is costly
    try:
        components = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # icalendar raises many types for malformed input
        components = without_own_timezones(data, source.name, exc)
    calendars = []
    loose = icalendar.Calendar()
    for component in components:
        if component.name == "VCALENDAR":
            calendars.append(component)
        elif component.name in ("VEVENT", "VTIMEZONE"):
            loose.add_component(component)
    if loose.subcomponents:
        calendars.append(loose)
    return calendars


# how a zip begins: a member's header, an empty archive's end record, a split archive's mark
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def is_zip(data: bytes) -> bool:
    """Whether `data` is a zip archive (an empty one too), told by how it begins."""
    return data.startswith(ZIP_MAGICS)


def _checked(source: CalendarSource) -> bytes:
    """The source's bytes, when they may be an iCalendar file at all."""
    data = source.data  # complete_part and mend_cut have taken off any byte order mark
    if is_zip(data):
        raise BadInput(f"{source.name}: a zip archive, not an iCalendar (.ics) file")
    if b"\x00" in data[:4096]:
        raise BadInput(f"{source.name}: binary data, not an iCalendar (.ics) file")
    if b"BEGIN:" not in data[:65536].upper():
        raise BadInput(f"{source.name}: not an iCalendar (.ics) file (no BEGIN:VCALENDAR)")
    return data


def _read_one(
    source: CalendarSource,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    user_email: str,
    reading: CalendarReading,
    fast: bool,
    ours: Collection[str],
    horizon: CallHorizon | None = None,
    cache: SeriesCache | None = None,
) -> None:
    how = _How(start, end, zone, user_email, fast, ours, horizon)
    marks = len(reading.events), len(reading.warnings), len(reading.truncated), reading.raised
    if _read_part(source, how, reading, cache) or cache is None:
        return
    # what the cache kept cannot be told from this reading: read as if there were none
    events, said, cut, raised = marks
    del reading.events[events:], reading.warnings[said:], reading.truncated[cut:]
    reading.raised = raised
    _read_part(source, how, reading, None)


@dataclass(frozen=True)
class _How:
    """How a source is read: the window, whose calendar it is, and what may be skipped."""

    start: datetime
    end: datetime
    zone: ZoneInfo
    user_email: str
    fast: bool
    ours: Collection[str]
    horizon: CallHorizon | None


def _read_part(
    source: CalendarSource, how: _How, reading: CalendarReading, cache: SeriesCache | None
) -> bool:
    """Read one source into `reading`; False (the reading left half done) when its cached
    series would make it differ from a reading without the cache."""
    start, end = how.start, how.end
    cut_before = len(reading.truncated)
    source = replace(source, data=complete_part(source.name, source.data, reading))
    window: tuple[datetime, datetime] | None = (start, end) if how.fast else None
    calendar = source.part_of or source.name  # its file in the cache
    split = None
    week_only: frozenset[str] = frozenset()
    if window is not None:
        text = prefilter(_checked(source), *window, how.horizon)
        if how.horizon is not None:
            week_only = week_only_series(text, how.horizon)
        source = replace(source, data=text)
        if cache is not None and len(reading.truncated) == cut_before:
            context = Reading(
                start, end, how.zone.key, how.user_email, how.ours, week_only, _week_end(how)
            )
            split = cache.split(source.name, text, context, calendar)
            source = replace(source, data=split.rest)
    first, raised = len(reading.events), reading.raised
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        calendars = parse_calendars(source, prefiltered=window is not None)
        if not calendars:
            if split is not None and split.hits:
                return False  # the file is unreadable: its cached series are not to be shown
            reading.warn(f"{source.name}: no readable calendar data; nothing in it counts as busy")
        found = split.found if split is not None else []
        if len(found) >= MAX_OCCURRENCES_PER_FILE:
            return False  # which ones the bound keeps is the file's order, not the cache's
        reading.events.extend(found)
        count = len(found)
        for parsed in calendars:
            expanded = _expand(parsed, start, end, source.name, reading, week_only, _week_end(how))
            for occurrence in expanded:
                event = _to_event(
                    occurrence, source.name, how.zone, how.user_email, reading, how.ours
                )
                if event is not None and event.end > start and event.start < end:
                    reading.events.append(event)
                    count += 1
                if count >= MAX_OCCURRENCES_PER_FILE:
                    if found:
                        return False  # as above
                    reading.warn(
                        f"{source.name}: more than {MAX_OCCURRENCES_PER_FILE:,} events in the "
                        "window; read only the first ones"
                    )
                    return True
    if split is not None and cache is not None and not caught and reading.raised == raised:
        # a series with something to say is read again next time, and says it again (even
        # when another part said it before: counted as raised, not as recorded)
        cache.keep(calendar, split, reading.events[first:])
    for item in caught:
        reading.warn(f"{source.name}: {str(item.message).splitlines()[0]}")
    return True


def _week_end(how: _How) -> datetime | None:
    """Where the planned week ends, when the reading looks beyond it for calls alone."""
    return how.horizon.after if how.horizon is not None else None


def _expand(
    calendar: Component,
    start: datetime,
    end: datetime,
    source: str,
    reading: CalendarReading,
    week_only: frozenset[str] = frozenset(),
    week_end: datetime | None = None,
) -> list[Component]:
    """The occurrences meeting [start, end); those of the series `week_only` names only up
    to `week_end`: after the week they could be no account's call (week_only_series)."""
    import x_wr_timezone

    _report_broken_events(calendar, source, reading)
    _drop_runaway_rules(calendar, source, reading, end)
    try:
        calendar = x_wr_timezone.to_standard(calendar)
    except Exception as exc:  # a broken X-WR-TIMEZONE must not hide the events
        reading.warn(f"{source}: ignored X-WR-TIMEZONE ({reason(exc)})")
    if not week_only or week_end is None or week_end >= end or _nests_events(calendar):
        return _between(calendar, start, end, source, reading)
    rest, week = _parted(calendar, week_only)
    return [
        *_between(rest, start, end, source, reading),
        *_between(week, start, week_end, source, reading),
    ]


def _nests_events(calendar: Component) -> bool:
    """Whether an event sits inside another component (a VTODO, say): the expander takes
    it into its UID's series, so the calendar cannot be cut in two by its top-level events."""
    return len(calendar.walk("VEVENT")) != sum(
        1 for c in calendar.subcomponents if c.name == "VEVENT"
    )


def _parted(calendar: Component, uids: frozenset[str]) -> tuple[Component, Component]:
    """The calendar as two: its events whose UID is not in `uids`, and those that are; each
    with the calendar's own properties and every other component (its time zones)."""
    import icalendar

    rest, named = icalendar.Calendar(), icalendar.Calendar()
    for part in (rest, named):
        part.update(calendar)
    for component in calendar.subcomponents:
        if component.name != "VEVENT":
            rest.add_component(component)
            named.add_component(component)
        elif str(component.get("UID", "")) in uids:
            named.add_component(component)
        else:
            rest.add_component(component)
    return rest, named


def _between(
    calendar: Component, start: datetime, end: datetime, source: str, reading: CalendarReading
) -> list[Component]:
    import recurring_ical_events

    calendar = without_missing_series(calendar, start, end)
    try:
        # between(), not the lazier after(): after() searches forward through series that
        # ended long ago, which takes minutes on a big export. Rules that could yield
        # millions of instances are dropped first (_drop_runaway_rules).
        return list(recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end))
    except Exception:  # isolate the event that breaks expansion, keep the others
        return _expand_each(calendar, start, end, source, reading)


def _report_broken_events(calendar: Component, source: str, reading: CalendarReading) -> None:
    """recurring-ical-events skips bad series silently; say which ones, so none vanish unseen."""
    for component in calendar.walk("VEVENT"):
        problems = [str(name) for name, _ in getattr(component, "errors", []) if name]
        try:
            component.get("DTSTART").dt  # noqa: B018 - reading it is the check
        except Exception:
            problems.append("DTSTART")
        if problems:
            names = ", ".join(dict.fromkeys(problems))
            reading.warn(
                f"{source}: event {_name(component)} has unreadable {names}; it may be skipped"
            )
            continue
        start = component.get("DTSTART")
        tzid = start.params.get("TZID")
        if tzid and isinstance(start.dt, datetime) and start.dt.tzinfo is None:
            reading.warn(
                f"{source}: unknown time zone '{tzid}' (event {_name(component)}); "
                "its times are taken in your zone"
            )


RUNAWAY_FREQUENCIES = {"SECONDLY", "MINUTELY"}


# more occurrences from an event's start to the end of the weeks read than any meeting
# has (every weekday for 700 years, every hour for 23): the expander walks each of them,
# a second's work an event
RUNAWAY_OCCURRENCES = 200_000


def _drop_runaway_rules(
    calendar: Component, source: str, reading: CalendarReading, end: datetime
) -> None:
    """Events repeating every second or minute are not meetings, and expanding them from
    their start to the planned week would take minutes: leave them out, and say so. So
    are events whose rule makes more than RUNAWAY_OCCURRENCES before `end` (every hour
    since 1900), which the expander walks one by one."""
    for parent in [calendar, *calendar.walk()]:
        kept = []
        for component in parent.subcomponents:
            why = _runaway(component, end) if component.name == "VEVENT" else None
            if why is not None:
                reading.warn(f"{source}: skipped event {_name(component)}: {why}")
                continue
            kept.append(component)
        parent.subcomponents = kept


# each frequency's period, its length at least
_PERIOD_SECONDS = {
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
# each part's unit, finest first: a part of a finer unit than the frequency makes more than
# one occurrence a period, one of the same or a coarser unit keeps some periods only
# (RFC 5545 3.3.10's "expand" and "limit"), out of as many as the unit has
_UNITS = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PARTS = {
    "BYSECOND": ("SECONDLY", 60),
    "BYMINUTE": ("MINUTELY", 60),
    "BYHOUR": ("HOURLY", 24),
    "BYDAY": ("DAILY", 7),
    "BYMONTHDAY": ("DAILY", 31),
    "BYYEARDAY": ("DAILY", 366),
    "BYWEEKNO": ("WEEKLY", 53),
    "BYMONTH": ("MONTHLY", 12),
}
# a weekday without an ordinal falls up to 5 times in a month, 53 in a year
_WEEKDAYS_IN = {"MONTHLY": 5, "YEARLY": 53}


def _occurrences_before(component: Component, end: datetime) -> int:
    """About how many occurrences the event's rule makes from its start to `end` (its
    UNTIL or COUNT if sooner), each of which the expander walks to: its periods, times
    what each period makes, times the share of periods its limiting parts keep (0 when
    that cannot be told)."""
    try:
        rules = _rules(component)
        if len(rules) != 1:
            return 0
        (rule,) = rules
        frequency = str((rule.get("FREQ") or [""])[0]).upper()
        if frequency not in _PERIOD_SECONDS:
            return 0
        start = _moment(component.get("DTSTART").dt, end)
        until = rule.get("UNTIL")
        if until:  # the walk stops there
            end = min(end, _moment(until[0], end))
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        made = (end - start).total_seconds() / (_PERIOD_SECONDS[frequency] * interval)
        finer = _UNITS.index(frequency)
        for part, (unit, out_of) in _PARTS.items():
            values = [str(v) for v in rule.get(part) or []]
            if not values:
                continue
            if _UNITS.index(unit) < finer:  # expands: this many a period
                weekdays = _WEEKDAYS_IN.get(frequency, 1) if "BYMONTH" not in rule else 5
                each = weekdays if part == "BYDAY" else 1
                made *= sum(1 if v[:1] in "+-123456789" else each for v in values)
            else:  # limits: keeps this share of the periods
                made *= min(len(values) / out_of, 1)
        steps = int(max(made, 0))
        count = rule.get("COUNT")
        return min(steps, int(count[0])) if count else steps
    except Exception:  # an odd rule: the expander reads it, or says why
        return 0


def _moment(value: date, like: datetime) -> datetime:
    """A DTSTART's or UNTIL's value as a moment to compare with `like`: a day at its start,
    a floating time in `like`'s zone."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    return value if value.tzinfo is not None else value.replace(tzinfo=like.tzinfo)


def _interval_below_one(component: Component) -> int | None:
    """The INTERVAL of the event's rule when it is below 1 (RFC 5545 3.3.10: a positive
    integer); None for a rule without one, or a good one."""
    try:
        intervals = [int(i) for r in _rules(component) for i in (r.get("INTERVAL") or [])]
    except Exception:  # an unreadable rule is reported by _report_broken_events
        return None
    return next((i for i in intervals if i < 1), None)


def _rules(component: Component) -> list:
    """The event's RRULEs (icalendar gives one alone, or a list of several)."""
    rule = component.get("RRULE")
    return rule if isinstance(rule, list) else [rule] if rule is not None else []


def _runaway(component: Component, end: datetime) -> str | None:
    """Why the expander would never be done with the event's rule, or done only after
    seconds, up to `end`; None when it will not."""
    frequencies = _frequencies(component)
    if frequencies & RUNAWAY_FREQUENCIES:
        return f"it repeats every {'second' if 'SECONDLY' in frequencies else 'minute'}"
    interval = _interval_below_one(component)
    if interval is not None:  # the expander never gets to a next occurrence
        return f"its rule repeats every {interval} periods (INTERVAL must be 1 or more)"
    many = _occurrences_before(component, end)
    if many > RUNAWAY_OCCURRENCES:
        return (
            f"its rule steps through about {many:,} repeats from its start to the weeks "
            "read; no meeting repeats that often"
        )
    return None


def _frequencies(component: Component) -> set[str]:
    """The rule's frequencies; a rule listing many minutes or seconds counts as MINUTELY."""
    try:
        rules = _rules(component)
        found = {str(f).upper() for r in rules for f in (r.get("FREQ") or [])}
        for r in rules:
            if len(r.get("BYSECOND") or []) > 1 or len(r.get("BYMINUTE") or []) > 12:
                found.add("MINUTELY")
        return found
    except Exception:  # an unreadable rule is reported by _report_broken_events
        return set()


def _expand_each(
    calendar: Component, start: datetime, end: datetime, source: str, reading: CalendarReading
) -> list:
    import icalendar
    import recurring_ical_events

    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    groups: dict[str, list] = {}
    for component in calendar.walk("VEVENT"):
        groups.setdefault(str(component.get("UID", "")), []).append(component)
    occurrences: list = []
    for uid, components in groups.items():
        single = icalendar.Calendar()
        for part in (*timezones, *components):
            single.add_component(part)
        try:
            occurrences.extend(
                recurring_ical_events.of(single, skip_bad_series=True).between(start, end)
            )
        except Exception as exc:  # this one event is broken: say which, skip it
            reading.warn(f"{source}: skipped event {_name(components[0], uid)}: {reason(exc)}")
    return occurrences


def _to_event(
    occurrence: Component,
    source: str,
    zone: ZoneInfo,
    user_email: str,
    reading: CalendarReading,
    ours: Collection[str],
) -> CalendarEvent | None:
    try:
        raw_start = occurrence.get("DTSTART").dt
        raw_end = occurrence.get("DTEND").dt if occurrence.get("DTEND") else raw_start
    except Exception as exc:  # DTSTART missing or unreadable
        reading.warn(
            f"{source}: skipped event {_name(occurrence)}: no usable start ({reason(exc)})"
        )
        return None
    start, all_day = _aware(raw_start, zone)
    end, _ = _aware(raw_end, zone)
    if all_day and end <= start:
        end = start + timedelta(days=1)  # all-day event with DTEND = DTSTART: one day
    if end < start:
        reading.warn(
            f"{source}: event {_name(occurrence)} ends before it starts; treated as a moment"
        )
        end = start
    emails = _attendee_emails(occurrence)
    uid = str(occurrence.get("UID", ""))
    return CalendarEvent(
        start=start,
        end=end,
        all_day=all_day,
        summary=str(occurrence.get("SUMMARY", "")).strip() or NO_TITLE,
        uid=str(occurrence.get("UID", "")),
        source=source,
        attendee_emails=tuple(email for email, _, _ in emails),
        attendee_names=tuple((email, name) for email, _, name in emails),
        free_reason=_freereason(occurrence, emails, user_email, ours),
        private=str(occurrence.get("CLASS", "")).strip().upper() in _PRIVATE_CLASSES,
        description=str(occurrence.get("DESCRIPTION", "")) if uid in ours else "",
        sequence=_sequence(occurrence) if uid in ours else 0,
    )


def _sequence(component: Component) -> int:
    try:
        return int(component.get("SEQUENCE", 0) or 0)
    except (TypeError, ValueError):
        return 0


# what the calendar apps hide from others: only "busy" shows, never the title
_PRIVATE_CLASSES = {"PRIVATE", "CONFIDENTIAL"}


def _aware(value: date | datetime, zone: ZoneInfo) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating time: the user's own zone
            value = value.replace(tzinfo=zone)
        return value, False
    return datetime.combine(value, time(0), zone), True


def _attendee_emails(component: Component) -> list[tuple[str, str, str]]:
    """Each attendee and the organizer as (address, participation status, name)."""
    attendees = component.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    found = []
    organizer = component.get("ORGANIZER")
    for prop in [*attendees, *([organizer] if organizer is not None else [])]:
        address = str(prop).strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        params = getattr(prop, "params", {})
        partstat = str(params.get("PARTSTAT", "")).upper()
        name = " ".join(str(params.get("CN", "")).split())[:200]
        if "@" in address:
            found.append((address.lower(), partstat, name))
    return found


def _freereason(
    component: Component, emails: list[tuple[str, str, str]], user_email: str, ours: Collection[str]
) -> str | None:
    if str(component.get("UID", "")) in ours:
        # our own block read back (an export after the import, or a published Focus
        # calendar among the busy sources): re-planning decides it afresh, so it neither
        # blocks time nor counts as a call
        return OURS
    status = str(component.get("STATUS", "")).upper()
    if status == "CANCELLED":
        return "cancelled"
    if str(component.get("TRANSP", "")).upper() == "TRANSPARENT":
        return "shown as free (transparent)"
    if str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return "shown as free (Outlook)"
    if user_email and any(email == user_email and stat == "DECLINED" for email, stat, _ in emails):
        return "you declined it"
    return None


def _name(component: Component, uid: str | None = None) -> str:
    summary = str(component.get("SUMMARY", "")).strip()
    uid = uid if uid is not None else str(component.get("UID", ""))
    if summary:
        return f"'{summary[:60]}'" + (f" (UID {uid[:60]})" if uid else "")
    return f"UID {uid[:60]}" if uid else "(no title, no UID)"
