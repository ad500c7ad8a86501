"""A damaged or empty calendar never reads as a free week.

A file that ends early keeps the complete events before the cut; `busy` shows them and
warns, `plan` refuses it (nothing written, the store unchanged). A calendar with no
event within months of the week is refused by `plan` unless --allow-empty.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.calendar.completeness import mend_cut
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.errors import BadInput
from tests.conftest import EXAMPLES

EXAMPLE = (EXAMPLES / "calendar.ics").read_bytes()
ZONE = ZoneInfo("America/New_York")
WEEK_START = datetime(2026, 11, 30, tzinfo=ZONE)


def without_final_end() -> bytes:
    """The example export missing only its last line, END:VCALENDAR."""
    head, tail = EXAMPLE.rsplit(b"END:VCALENDAR", 1)
    assert tail.strip() == b""
    return head


def cut_after_four_events() -> bytes:
    """The example export cut in the middle of its fifth event."""
    marker = b"END:VEVENT\r\n"
    position = -1
    for _ in range(4):
        position = EXAMPLE.index(marker, position + 1)
    fifth = position + len(marker)
    return EXAMPLE[: fifth + 60]  # BEGIN:VEVENT and part of its DTSTART line


CUTS = {"no-end.ics": without_final_end, "cut-after-four.ics": cut_after_four_events}


def far_away_calendar() -> bytes:
    """A valid calendar whose only events are two years after the planned week."""
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:far-1@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART:20281204T150000Z\r\nDTEND:20281204T160000Z\r\nSUMMARY:Far away\r\n"
        b"END:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:far-2@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;TZID=Europe/Berlin:20281205T100000\r\n"
        b"DTEND;TZID=Europe/Berlin:20281205T110000\r\nSUMMARY:Also far\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )


def read(data: bytes, fast: bool, days: int = 7):
    return read_calendars(
        [CalendarSource("cut.ics", data)],
        WEEK_START,
        WEEK_START + timedelta(days=days),
        ZONE,
        "alex.morgan@example.com",
        fast=fast,
    )


def summaries(reading) -> list[str]:
    return sorted({e.summary for e in reading.events})


@pytest.mark.parametrize("fast", [True, False])
def test_reader_keeps_the_complete_events_before_a_cut(fast):
    whole = read(EXAMPLE, fast)
    assert whole.truncated == []
    missing_end = read(without_final_end(), fast)
    assert missing_end.truncated == ["cut.ics"]
    assert [(e.start, e.end, e.summary) for e in missing_end.events] == [
        (e.start, e.end, e.summary) for e in whole.events
    ]
    cut = read(cut_after_four_events(), fast, days=14)
    assert cut.truncated == ["cut.ics"]
    # the first four events: the stand-up, the pipeline review, lunch, the fortnightly
    # jour fixe in Berlin (hence two weeks read); nothing from the events after the cut
    assert summaries(cut) == ["Jour fixe Finanzen", "Lunch", "Pipeline review", "Sales stand-up"]
    assert any("cut.ics" in w and "ends early" in w for w in cut.warnings)


@pytest.mark.parametrize("fast", [True, False])
def test_reader_tells_an_empty_calendar(fast):
    assert read(EXAMPLE, fast).empty == []
    assert read(far_away_calendar(), fast).empty == ["cut.ics"]
    # an event 60 days after the window is near enough: the calendar is not empty
    near = far_away_calendar().replace(b"20281204", b"20270201")
    reading = read(near, fast)
    assert reading.events == [] and reading.empty == []


@pytest.mark.parametrize("name", sorted(CUTS))
def test_busy_shows_the_events_before_the_cut_and_warns(example_store, write, name):
    path = write(name, CUTS[name]())
    result = example_store("busy", "--busy", str(path), "--json")
    data = json.loads(result.stdout)
    busy = {e["summary"] for e in data["busy"]}
    assert "Sales stand-up" in busy
    if name == "no-end.ics":
        assert "QBR Oceane Cosmetiques" in busy  # every event: only the last line was missing
    else:
        assert "Weekly check-in: ward handover project" not in busy
    assert any(str(path) in w and "ends early" in w for w in data["warnings"])
    table = example_store("busy", "--busy", str(path))
    assert "ends early" in table.stderr and "export it again" in table.stderr


@pytest.mark.parametrize("name", sorted(CUTS))
def test_plan_refuses_a_calendar_that_ends_early(example_store, write, tmp_path, name):
    path = write(name, CUTS[name]())
    out = tmp_path / "out" / "focus.ics"
    result = example_store("plan", "--busy", str(path), "--out", str(out), code=4)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert str(path) in lines[0] and "export it again" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists() and not out.parent.exists()
    assert json.loads(example_store("export").stdout)["focus_blocks"] == []
    # --allow-empty is about empty calendars, never about damaged ones
    example_store("plan", "--busy", str(path), "--out", str(out), "--allow-empty", code=4)
    assert not out.exists()


def test_plan_refuses_a_calendar_with_no_events_near_the_week(example_store, write, tmp_path):
    path = write("far.ics", far_away_calendar())
    out = tmp_path / "focus.ics"
    result = example_store("plan", "--busy", str(path), "--out", str(out), code=4)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    assert str(path) in lines[0] and "--allow-empty" in lines[0]
    assert not out.exists()
    assert json.loads(example_store("export").stdout)["focus_blocks"] == []
    example_store("plan", "--busy", str(path), "--out", str(out), "--allow-empty")
    assert out.exists()


def _complete_uids(data: bytes) -> set[str]:
    """UIDs of the example's events whose END:VEVENT line is in `data` (its line break
    may be cut: the line itself is complete)."""
    import re

    import icalendar

    return {
        str(icalendar.Event.from_ical(m.group(0))["UID"])
        for m in re.finditer(rb"^BEGIN:VEVENT\r\n.*?^END:VEVENT\r\n", EXAMPLE, re.S | re.M)
        if m.end() - 2 <= len(data)
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(EXAMPLE)))
def test_any_cut_reads_only_complete_events_alike_fast_and_full(cut):
    data = EXAMPLE[:cut]
    try:
        fast, full = read(data, True, days=14), read(data, False, days=14)
    except BadInput as exc:
        # nothing before the cut is a calendar: not even its first line is complete
        assert "not an iCalendar" in str(exc) and b"BEGIN:VCALENDAR\r\n" not in data
        return

    def seen(reading):
        return sorted((e.start, e.end, e.uid, e.summary, e.free_reason) for e in reading.events)

    assert seen(fast) == seen(full)
    assert fast.truncated == full.truncated == ([] if cut >= len(EXAMPLE.rstrip()) else ["cut.ics"])
    assert {e.uid for e in fast.events} <= _complete_uids(data)


def test_mend_cut_closes_what_is_open_and_drops_the_half_event():
    head = b"\xef\xbb\xbfBEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
    whole_event = b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261201T100000Z\r\nEND:VEVENT\r\n"
    half = b"BEGIN:VEVENT\r\nUID:b\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M\r\n"
    mended, cut = mend_cut(head + whole_event + half)
    assert cut and mended == head[3:] + whole_event + b"END:VCALENDAR\r\n"
    # the last END:VEVENT without its line break still counts as complete
    mended, cut = mend_cut(head + whole_event.rstrip())
    assert cut and mended == head[3:] + whole_event + b"END:VCALENDAR\r\n"
    assert mend_cut(head + whole_event + b"END:VCALENDAR") == (
        head[3:] + whole_event + b"END:VCALENDAR",
        False,
    )
    bare = whole_event + whole_event.replace(b"UID:a", b"UID:c")  # no VCALENDAR at all
    assert mend_cut(bare) == (bare, False)
