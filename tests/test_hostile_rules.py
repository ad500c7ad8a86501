"""Recurrence rules that would keep the expander busy forever, or for seconds an event:
`busy` must finish, show the calendar's other events, and name the event it skipped. A
reading that may hang runs in its own process under a time and memory bound, so a hang
fails the test instead of stalling the suite."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from focusblock.calendar.reading import CalendarSource, read_calendars
from tests.conftest import REPO

_CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:odd\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:THE_START\r\n"
    "DURATION:PT1H\r\nRRULE:THE_RULE\r\nSUMMARY:Odd rule\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:anchor\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T150000Z\r\n"
    "DTEND:20261201T160000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _at_most_two_gigabytes() -> None:
    # a hang here takes all the memory there is (6 GB in eight minutes, seen): bounded, the
    # process fails instead of the machine
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _busy(tmp_path, rule: str, start: str = "20200105T100000Z") -> dict:
    """`busy --json` for week 49 of a calendar holding an event of `rule` and a dentist's
    appointment, in its own process under a time and memory bound."""
    calendar = tmp_path / "odd.ics"
    calendar.write_text(_CALENDAR.replace("THE_RULE", rule).replace("THE_START", start), newline="")
    (tmp_path / "none.toml").write_text("")
    env = {
        **os.environ,
        "FOCUSBLOCK_DB": str(tmp_path / "store.db"),
        "FOCUSBLOCK_CONFIG": str(tmp_path / "none.toml"),
        "FOCUSBLOCK_TIMEZONE": "America/New_York",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    command = [sys.executable, "-m", "focusblock", "busy", "--busy", str(calendar)]
    try:
        done = subprocess.run(
            [*command, "--week", "2026-W49", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=REPO,
            preexec_fn=_at_most_two_gigabytes,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"busy did not finish within 60 s on RRULE:{rule}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _skipped(shown: dict) -> bool:
    return any("Odd rule" in w and "skipped" in w for w in shown["warnings"])


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=HOURLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=MONTHLY;BYDAY=2TU;INTERVAL=0",
        "FREQ=YEARLY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
    ],
)
def test_a_rule_that_never_moves_on_is_skipped_and_named(rule, tmp_path):
    """INTERVAL must be 1 or more (RFC 5545 3.3.10): with 0 the expander never gets to the
    next occurrence, and `busy` ran until it had taken all the memory there was."""
    shown = _busy(tmp_path, rule)
    assert [e["summary"] for e in shown["busy"]] == ["Dentist"]
    assert _skipped(shown), shown["warnings"]


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        ("FREQ=HOURLY", "19000101T000000Z"),  # 1.1 million hours: 3.6 s
        ("FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55", "19700101T000000Z"),
        ("FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24))), "18000101T000000Z"),
        ("FREQ=DAILY", "00010101T000000Z"),
    ],
)
def test_a_rule_walked_through_centuries_of_repeats_is_skipped_and_named(rule, start, tmp_path):
    """The expander walks a rule one repeat at a time from its start: every hour since 1900
    took seconds for one event, and a file of such events took minutes."""
    shown = _busy(tmp_path, rule, start)
    assert [e["summary"] for e in shown["busy"]] == ["Dentist"]
    assert _skipped(shown), shown["warnings"]


@pytest.mark.parametrize(
    ("rule", "start"),
    [
        ("FREQ=DAILY", "19800101T140000Z"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "19700101T140000Z"),
        ("FREQ=MONTHLY;BYDAY=1TU,3MO", "19000101T140000Z"),
        ("FREQ=HOURLY;BYHOUR=9", "20200101T090000Z"),
        ("FREQ=HOURLY;BYHOUR=14;BYDAY=TU", "19000102T140000Z"),  # weekly, written hourly
        ("FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR", "19550103T140000Z"),
    ],
)
def test_a_long_running_meeting_is_read(rule, start, tmp_path):
    """A stand-up every weekday since 1970, a monthly review since 1900: meetings, read."""
    shown = _busy(tmp_path, rule, start)
    assert not _skipped(shown), shown["warnings"]
    assert "Odd rule" in {e["summary"] for e in shown["busy"]}


def test_a_rule_that_ended_long_ago_is_not_named_for_its_walk(tmp_path):
    """Every hour of 1900 ends with its UNTIL: 8,760 repeats, no warning (read whole, as
    without the fast reading, it is simply not in the week)."""
    data = _CALENDAR.replace("THE_RULE", "FREQ=HOURLY;UNTIL=19010101T000000Z")
    data = data.replace("THE_START", "19000101T000000Z").encode()
    start = datetime(2026, 11, 30, tzinfo=ZoneInfo("America/New_York"))
    reading = read_calendars(
        [CalendarSource("odd.ics", data)],
        start,
        start + timedelta(days=49),
        start.tzinfo,
        fast=False,
    )
    assert not reading.warnings
    assert [e.summary for e in reading.events] == ["Dentist"]
