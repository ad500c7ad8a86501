"""A monthly series judged to miss a window (series_window.misses) has no occurrence in it:
checked against recurring-ical-events itself, on chosen cases and on generated rules in
many zones, lengths and windows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.calendar.series_window import misses, without_missing_series

NEW_YORK = ZoneInfo("America/New_York")
WEEK_49 = datetime(2026, 11, 30, tzinfo=NEW_YORK)


def _calendar(*events: str) -> icalendar.Calendar:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n"
    return icalendar.Calendar.from_ical(text.replace("\n\n", "\n"))


def _event(rule: str, start: str = "DTSTART;TZID=Europe/Berlin:20250909T150000", uid="s") -> str:
    return (
        f"UID:{uid}\r\nDTSTAMP:20250101T000000Z\r\n{start}\r\n"
        f"DURATION:PT1H\r\nRRULE:{rule}\r\nSUMMARY:monthly"
    )


def _occurrences(calendar: icalendar.Calendar, start: datetime, end: datetime) -> list:
    return list(recurring_ical_events.of(calendar).between(start, end))


@pytest.mark.parametrize(
    ("rule", "missed"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", True),  # 10 November, 8 December
        ("FREQ=MONTHLY;BYDAY=1WE", False),  # 2 December
        ("FREQ=MONTHLY;BYDAY=-1MO", False),  # 30 November
        ("FREQ=MONTHLY;BYDAY=1TH;INTERVAL=2", True),  # from September: 5 Nov, 7 Jan
        ("FREQ=MONTHLY;BYDAY=1TH;INTERVAL=3", False),  # from September: 3 December
        ("FREQ=MONTHLY;BYDAY=5FR", True),  # no fifth Friday in December
        ("FREQ=MONTHLY;BYDAY=2TU,1FR", False),  # 4 December
        ("FREQ=MONTHLY;BYDAY=2TU;BYSETPOS=1", False),  # a part not judged
        ("FREQ=MONTHLY;BYMONTHDAY=15", False),
        ("FREQ=WEEKLY;BYDAY=TU", False),
        ("FREQ=MONTHLY;BYDAY=TU", False),  # every Tuesday of the month
    ],
)
def test_a_monthly_series_is_judged_by_its_days(rule, missed):
    calendar = _calendar(_event(rule))
    (event,) = calendar.walk("VEVENT")
    end = WEEK_49 + timedelta(days=7)
    assert misses(event, WEEK_49, end) is missed
    if missed:
        assert _occurrences(calendar, WEEK_49, end) == []
    else:
        kept = without_missing_series(calendar, WEEK_49, end)
        assert kept.walk("VEVENT") == [event]


def test_a_series_with_a_moved_occurrence_or_extra_dates_is_left_to_the_expander():
    moved = """
UID:s
DTSTAMP:20250101T000000Z
RECURRENCE-ID;TZID=Europe/Berlin:20261208T150000
DTSTART;TZID=Europe/Berlin:20261202T150000
DURATION:PT1H
SUMMARY:moved into the week
"""
    calendar = _calendar(_event("FREQ=MONTHLY;BYDAY=2TU"), moved)
    end = WEEK_49 + timedelta(days=7)
    assert without_missing_series(calendar, WEEK_49, end) is calendar
    assert len(_occurrences(calendar, WEEK_49, end)) == 1
    extra = _event("FREQ=MONTHLY;BYDAY=2TU") + "\r\nRDATE;TZID=Europe/Berlin:20261201T150000"
    (event,) = _calendar(extra).walk("VEVENT")
    assert not misses(event, WEEK_49, end)


def test_the_first_occurrence_counts_though_the_rule_does_not_name_its_day():
    start = "DTSTART;TZID=Europe/Berlin:20261201T150000"  # a Tuesday, not the second
    (event,) = _calendar(_event("FREQ=MONTHLY;BYDAY=2TU", start)).walk("VEVENT")
    assert not misses(event, WEEK_49, WEEK_49 + timedelta(days=7))


ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
ORDINAL_DAYS = st.tuples(
    st.sampled_from(["", "+", "-"]),
    st.integers(1, 5),
    st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
).map(lambda t: f"{'-' if t[0] == '-' else t[0]}{t[1]}{t[2]}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    at=st.times(),
    zone=st.sampled_from([*ZONES, "floating", "all-day"]),
    minutes=st.integers(0, 3 * 24 * 60),
    interval=st.integers(1, 4),
    days=st.lists(ORDINAL_DAYS, min_size=1, max_size=2, unique=True),
    limit=st.sampled_from(["", ";COUNT=7", ";UNTIL=20270101T000000Z"]),
    window_start=st.dates(date(2024, 1, 1), date(2028, 6, 30)),
    window_zone=st.sampled_from(ZONES),
    weeks=st.sampled_from([1, 7]),
)
def test_a_series_judged_to_miss_has_no_occurrence_there(
    first, at, zone, minutes, interval, days, limit, window_start, window_zone, weeks
):
    stamp = datetime.combine(first, at).strftime("%Y%m%dT%H%M%S")
    if zone == "all-day":
        start_line = f"DTSTART;VALUE=DATE:{first:%Y%m%d}"
        length = f"P{max(minutes // (24 * 60), 1)}D"
        if "UNTIL" in limit:
            limit = ";UNTIL=20270101"
    elif zone == "floating":
        start_line, length = f"DTSTART:{stamp}", f"PT{minutes}M"
    elif zone == "UTC":
        start_line, length = f"DTSTART:{stamp}Z", f"PT{minutes}M"
    else:
        start_line, length = f"DTSTART;TZID={zone}:{stamp}", f"PT{minutes}M"
    rule = f"FREQ=MONTHLY;INTERVAL={interval};BYDAY={','.join(days)}{limit}"
    text = _event(rule, start_line).replace("DURATION:PT1H", f"DURATION:{length}")
    calendar = _calendar(text)
    (event,) = calendar.walk("VEVENT")
    start = datetime.combine(window_start, time(0), ZoneInfo(window_zone))
    end = start + timedelta(days=7 * weeks)
    if misses(event, start, end):
        assert _occurrences(calendar, start, end) == []
