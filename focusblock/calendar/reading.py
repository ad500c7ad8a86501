"""Reading busy time from .ics exports (Google, Outlook, Apple, Thunderbird).

The pipeline follows ICS.md rule 15: parse every calendar in the stream, normalise
Google's X-WR-TIMEZONE, expand recurrences with recurring-ical-events, and isolate
failures per calendar and per event so that one broken event never hides the rest.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from focusblock.calendar.events import CalendarEvent, CalendarReading
from focusblock.errors import BadInput

# icalendar's components (Calendar, Event) are untyped; named here so signatures say which
Component = Any

MAX_OCCURRENCES_PER_FILE = 20_000
FOCUSBLOCK_MARK = "X-FOCUSBLOCK"  # the same as writing.MARK, kept here to import nothing
_VTIMEZONE = re.compile(rb"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class CalendarSource:
    name: str
    data: bytes
    # one file of a folder, one resource of a CalDAV calendar: if it is not a calendar,
    # say so and read the others (a lone file given by name stays a one-line error)
    skip_if_unreadable: bool = False


def load_source(path: str) -> CalendarSource:
    """Read a file ('-' is standard input); a file we cannot read is a one-line error."""
    if path == "-":
        return CalendarSource("<stdin>", sys.stdin.buffer.read())
    try:
        return CalendarSource(path, Path(path).expanduser().read_bytes())
    except OSError as exc:
        raise BadInput(f"{path}: cannot read the calendar file ({exc.strerror})") from None


def read_calendars(
    sources: Iterable[CalendarSource],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    user_email: str | None = None,
    fast: bool = True,
) -> CalendarReading:
    """Every event occurrence meeting [start, end) in the files, with why it is (not) busy.

    `fast` first drops, at text level, single events that cannot meet the window (see
    prefilter); the result is the same, in a fraction of the time and memory.
    """
    reading = CalendarReading()
    for source in sources:
        try:
            _read_one(source, start, end, zone, (user_email or "").lower(), reading, fast)
        except BadInput as exc:
            if not source.skip_if_unreadable:
                raise
            reading.warn(f"skipped: {exc}")
    reading.events.sort(key=lambda e: (e.start, e.end, e.summary, e.uid))
    return reading


def parse_calendars(
    source: CalendarSource, window: tuple[datetime, datetime] | None = None
) -> list:
    """Every top-level calendar in the file; a bare VEVENT is wrapped in one.

    With a window, events that cannot meet it are dropped before parsing (prefilter).
    """
    import icalendar

    data = source.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise BadInput(f"{source.name}: binary data, not an iCalendar (.ics) file")
    if b"BEGIN:" not in data[:65536].upper():
        raise BadInput(f"{source.name}: not an iCalendar (.ics) file (no BEGIN:VCALENDAR)")
    if window is not None:
        from focusblock.calendar.prefilter import prefilter

        data = prefilter(data, *window)
    data = _prefer_named_zones(data)  # after the prefilter: on a big file, a copy is costly
    try:
        components = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # icalendar raises many types for malformed input
        components = _without_own_timezones(data, source.name, exc)
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


_HAS_VTIMEZONE = re.compile(rb"^BEGIN:VTIMEZONE", re.M | re.I)
_TZID_LINE = re.compile(rb"^TZID:([^\r\n]*)", re.M | re.I)


def _prefer_named_zones(data: bytes) -> bytes:
    """Drop VTIMEZONEs whose TZID names an IANA or Windows zone (ICS.md rule 13).

    The tz database knows these zones better than an exporter's copy (Exchange writes
    rules from 1601, some files have wrong offsets), and evaluating a VTIMEZONE's
    rules costs far more than zoneinfo. Custom zones keep their definition.
    """
    if not _HAS_VTIMEZONE.search(data):
        return data

    def keep_unless_named(match: re.Match[bytes]) -> bytes:
        tzid = _TZID_LINE.search(match.group(0))
        if tzid and _named_zone(tzid.group(1).decode("utf-8", "replace").strip().strip('"')):
            return b""
        return match.group(0)

    return _VTIMEZONE.sub(keep_unless_named, data)


def _named_zone(tzid: str) -> bool:
    from zoneinfo import ZoneInfo

    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    if tzid in WINDOWS_TO_OLSON:
        return True
    if not tzid or tzid.startswith("/") or ".." in tzid:
        return False
    try:
        ZoneInfo(tzid)
    except Exception:  # not a name the tz database knows
        return False
    return True


def _without_own_timezones(data: bytes, name: str, first_error: Exception) -> list[Component]:
    """Exchange and old exporters write VTIMEZONEs with impossible offsets; try without them.

    The events keep their TZIDs, which then resolve as IANA or Windows names, or fall
    back to the user's zone (ICS.md rule 13).
    """
    import icalendar

    stripped = _VTIMEZONE.sub(b"", data)
    if stripped == data:
        raise BadInput(f"{name}: cannot be read as iCalendar ({_reason(first_error)})") from None
    try:
        components = icalendar.Calendar.from_ical(stripped, multiple=True)
    except Exception:  # still unreadable: report the original problem
        raise BadInput(f"{name}: cannot be read as iCalendar ({_reason(first_error)})") from None
    warnings.warn(
        f"ignored its time zone definitions ({_reason(first_error)}); zones taken by name",
        stacklevel=1,
    )
    return components


def _read_one(
    source: CalendarSource,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    user_email: str,
    reading: CalendarReading,
    fast: bool,
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        calendars = parse_calendars(source, (start, end) if fast else None)
        if not calendars:
            reading.warn(f"{source.name}: no readable calendar data; nothing in it counts as busy")
        count = 0
        for calendar in calendars:
            for occurrence in _expand(calendar, start, end, source.name, reading):
                event = _to_event(occurrence, source.name, zone, user_email, reading)
                if event is not None and event.end > start and event.start < end:
                    reading.events.append(event)
                    count += 1
                if count >= MAX_OCCURRENCES_PER_FILE:
                    reading.warn(
                        f"{source.name}: more than {MAX_OCCURRENCES_PER_FILE:,} events in the "
                        "window; read only the first ones"
                    )
                    return
    for item in caught:
        reading.warn(f"{source.name}: {str(item.message).splitlines()[0]}")


def _expand(
    calendar: Component, start: datetime, end: datetime, source: str, reading: CalendarReading
) -> list[Component]:
    import recurring_ical_events
    import x_wr_timezone

    _report_broken_events(calendar, source, reading)
    _drop_runaway_rules(calendar, source, reading)
    try:
        calendar = x_wr_timezone.to_standard(calendar)
    except Exception as exc:  # a broken X-WR-TIMEZONE must not hide the events
        reading.warn(f"{source}: ignored X-WR-TIMEZONE ({_reason(exc)})")
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


def _drop_runaway_rules(calendar: Component, source: str, reading: CalendarReading) -> None:
    """Events repeating every second or minute are not meetings, and expanding them from
    their start to the planned week would take minutes: leave them out, and say so."""
    for parent in [calendar, *calendar.walk()]:
        kept = []
        for component in parent.subcomponents:
            frequencies = _frequencies(component) if component.name == "VEVENT" else set()
            if frequencies & RUNAWAY_FREQUENCIES:
                reading.warn(
                    f"{source}: skipped event {_name(component)}: it repeats every "
                    f"{'second' if 'SECONDLY' in frequencies else 'minute'}"
                )
                continue
            kept.append(component)
        parent.subcomponents = kept


def _frequencies(component: Component) -> set[str]:
    """The rule's frequencies; a rule listing many minutes or seconds counts as MINUTELY."""
    try:
        rule = component.get("RRULE")
        rules = rule if isinstance(rule, list) else [rule] if rule is not None else []
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
            reading.warn(f"{source}: skipped event {_name(components[0], uid)}: {_reason(exc)}")
    return occurrences


def _to_event(
    occurrence: Component, source: str, zone: ZoneInfo, user_email: str, reading: CalendarReading
) -> CalendarEvent | None:
    try:
        raw_start = occurrence.get("DTSTART").dt
        raw_end = occurrence.get("DTEND").dt if occurrence.get("DTEND") else raw_start
    except Exception as exc:  # DTSTART missing or unreadable
        reading.warn(
            f"{source}: skipped event {_name(occurrence)}: no usable start ({_reason(exc)})"
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
    return CalendarEvent(
        start=start,
        end=end,
        all_day=all_day,
        summary=str(occurrence.get("SUMMARY", "")).strip() or "(no title)",
        uid=str(occurrence.get("UID", "")),
        source=source,
        attendee_emails=tuple(email for email, _ in emails),
        free_reason=_free_reason(occurrence, emails, user_email),
        private=str(occurrence.get("CLASS", "")).strip().upper() in _PRIVATE_CLASSES,
    )


# what the calendar apps hide from others: only "busy" shows, never the title
_PRIVATE_CLASSES = {"PRIVATE", "CONFIDENTIAL"}


def _aware(value: date | datetime, zone: ZoneInfo) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating time: the user's own zone
            value = value.replace(tzinfo=zone)
        return value, False
    return datetime.combine(value, time(0), zone), True


def _attendee_emails(component: Component) -> list[tuple[str, str]]:
    attendees = component.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    found = []
    organizer = component.get("ORGANIZER")
    for prop in [*attendees, *([organizer] if organizer is not None else [])]:
        address = str(prop).strip()
        if address.lower().startswith("mailto:"):
            address = address[7:]
        partstat = str(getattr(prop, "params", {}).get("PARTSTAT", "")).upper()
        if "@" in address:
            found.append((address.lower(), partstat))
    return found


def _free_reason(
    component: Component, emails: list[tuple[str, str]], user_email: str
) -> str | None:
    if str(component.get(FOCUSBLOCK_MARK, "")).strip() == "1":
        # our own block read back (a published Focus calendar among the busy sources):
        # re-planning decides it afresh, so it neither blocks time nor counts as a call
        return "a focus block of focusblock's own"
    status = str(component.get("STATUS", "")).upper()
    if status == "CANCELLED":
        return "cancelled"
    if str(component.get("TRANSP", "")).upper() == "TRANSPARENT":
        return "shown as free (transparent)"
    if str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return "shown as free (Outlook)"
    if user_email and any(email == user_email and stat == "DECLINED" for email, stat in emails):
        return "you declined it"
    return None


def _name(component: Component, uid: str | None = None) -> str:
    summary = str(component.get("SUMMARY", "")).strip()
    uid = uid if uid is not None else str(component.get("UID", ""))
    if summary:
        return f"'{summary[:60]}'" + (f" (UID {uid[:60]})" if uid else "")
    return f"UID {uid[:60]}" if uid else "(no title, no UID)"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:160]}" if text else type(exc).__name__
