"""The fast busy reader gives exactly the spans of the full parse."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.calendar.prefilter import prefilter
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.errors import BadInput
from tests.conftest import CORPUS
from tests.corpus import corpus_params, require_corpus

ZONE = ZoneInfo("America/New_York")


def spans(data: bytes, monday: date, fast: bool) -> set[tuple] | str:
    start = datetime.combine(monday, time(0), ZONE)
    try:
        reading = read_calendars(
            [CalendarSource("x.ics", data)],
            start,
            start + timedelta(days=7),
            ZONE,
            "me@example.com",
            fast=fast,
        )
    except BadInput as exc:
        return f"refused: {exc}"
    return {(e.start, e.end, e.uid, e.summary, e.free_reason) for e in reading.events}


def _mondays_of(data: bytes) -> list[date]:
    import re

    days = sorted({m.group(1) for m in re.finditer(rb"DTSTART[^:\r\n]*:(\d{8})", data)})[:2]
    found = []
    for raw in days:
        try:
            day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        except ValueError:
            continue
        found.append(day - timedelta(days=day.weekday()))
    return [*found, date(2026, 11, 30), date(2019, 3, 4)]


@pytest.mark.parametrize("path", corpus_params())
def test_fast_equals_full_on_the_corpus(path):
    require_corpus()
    data = path.read_bytes()
    for monday in _mondays_of(data):
        full = spans(data, monday, fast=False)
        if isinstance(full, str):
            continue  # the full parse refuses the file; the fast one may read it, never less
        assert spans(data, monday, fast=True) == full, (
            f"{path.relative_to(CORPUS)}, week of {monday}"
        )


ZONES = ["Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland"]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@st.composite
def calendars(draw) -> bytes:
    base = datetime(2026, 11, 30, 0, 0)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gen//gen//EN"]
    if draw(st.booleans()):
        lines.append("X-WR-TIMEZONE:Europe/Berlin")
    for index in range(draw(st.integers(1, 25))):
        start = base + timedelta(minutes=15 * draw(st.integers(-4000, 4000)))
        minutes = draw(st.sampled_from([0, 30, 60, 90, 24 * 60, 3 * 24 * 60]))
        kind = draw(st.sampled_from(["utc", "tzid", "floating", "date"]))
        zone = draw(st.sampled_from(ZONES))
        if kind == "utc":
            dtstart, dtend = (
                f"DTSTART:{_stamp(start)}Z",
                f"DTEND:{_stamp(start + timedelta(minutes=minutes))}Z",
            )
        elif kind == "tzid":
            dtstart = f"DTSTART;TZID={zone}:{_stamp(start)}"
            dtend = f"DTEND;TZID={zone}:{_stamp(start + timedelta(minutes=minutes))}"
        elif kind == "floating":
            dtstart, dtend = (
                f"DTSTART:{_stamp(start)}",
                f"DTEND:{_stamp(start + timedelta(minutes=minutes))}",
            )
        else:
            days = max(1, minutes // (24 * 60))
            dtstart = f"DTSTART;VALUE=DATE:{start:%Y%m%d}"
            dtend = f"DTEND;VALUE=DATE:{start + timedelta(days=days):%Y%m%d}"
        if draw(st.booleans()) and kind != "date":
            dtend = f"DURATION:PT{max(minutes, 15)}M"
        event = [
            "BEGIN:VEVENT",
            f"UID:gen-{index}",
            "DTSTAMP:20260101T000000Z",
            dtstart,
            dtend,
            f"SUMMARY:Event {index}",
        ]
        rule = draw(
            st.sampled_from(
                [
                    None,
                    "FREQ=DAILY;COUNT=5",
                    "FREQ=WEEKLY;UNTIL=20270101T000000Z",
                    "FREQ=WEEKLY;BYDAY=MO,WE",
                    "FREQ=MONTHLY",
                ]
            )
        )
        if rule:
            event.append(f"RRULE:{rule}")
        event.append(
            draw(
                st.sampled_from(
                    [
                        "",
                        "TRANSP:TRANSPARENT",
                        "STATUS:CANCELLED",
                        "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
                    ]
                )
            )
        )
        event.append("END:VEVENT")
        lines.extend(line for line in event if line)
        if rule and draw(st.booleans()):  # an override of the second occurrence
            moved = start + timedelta(days=1)
            recurrence = dtstart.replace("DTSTART", "RECURRENCE-ID")
            lines += [
                "BEGIN:VEVENT",
                f"UID:gen-{index}",
                "DTSTAMP:20260101T000000Z",
                recurrence,
                dtstart.split(":")[0]
                + ":"
                + (
                    _stamp(moved) + ("Z" if kind == "utc" else "")
                    if kind != "date"
                    else f"{moved:%Y%m%d}"
                ),
                f"SUMMARY:Event {index} (moved)",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendars(),
    st.sampled_from(
        [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 10, 26)]
    ),
)
def test_fast_equals_full_on_generated_calendars(data, monday):
    assert spans(data, monday, fast=True) == spans(data, monday, fast=False)


def test_prefilter_drops_only_far_single_events():
    def event(uid: str, day: str) -> bytes:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{day}T100000Z\r\n"
            f"DTEND:{day}T110000Z\r\nEND:VEVENT\r\n"
        ).encode()

    far, near = event("old", "20150101"), event("new", "20261201")
    rule = (
        b"BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20150101T100000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
    )
    data = b"BEGIN:VCALENDAR\r\n" + far + near + rule + b"END:VCALENDAR\r\n"
    start = datetime(2026, 11, 30, tzinfo=ZONE)
    kept = prefilter(data, start, start + timedelta(days=7))
    assert b"UID:old" not in kept and b"UID:new" in kept and b"UID:r" in kept
    unterminated = data.replace(
        b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:new", b"BEGIN:VEVENT\r\nUID:new"
    )
    assert prefilter(unterminated, start, start + timedelta(days=7)) == unterminated


def test_fast_equals_full_on_the_bench_calendar_s():
    import importlib.util

    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    data = generate.generate_calendar("S", seed=3)
    for monday in (date(2026, 11, 30), date(2025, 6, 2), date(2023, 1, 2)):
        full = spans(data, monday, fast=False)
        assert spans(data, monday, fast=True) == full
