"""A New York seller, meetings defined in Berlin and Los Angeles, around the DST changes.

Europe leaves summer time on 25 Oct 2026, the US on 1 Nov 2026: in the week of
26 Oct the Berlin meeting moves an hour in New York time; the Los Angeles one does not.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
X-WR-TIMEZONE:America/New_York\r
BEGIN:VEVENT\r
UID:berlin-weekly@example.com\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=Europe/Berlin:20260106T160000\r
DTEND;TZID=Europe/Berlin:20260106T170000\r
RRULE:FREQ=WEEKLY;BYDAY=TU\r
SUMMARY:Jour fixe\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:jonas@nordwind.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:la-weekly@example.com\r
DTSTAMP:20260101T000000Z\r
DTSTART;TZID=America/Los_Angeles:20260107T080000\r
DTEND;TZID=America/Los_Angeles:20260107T090000\r
RRULE:FREQ=WEEKLY;BYDAY=WE\r
SUMMARY:Parts tracking with Kestrel\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture
def setup(run, write, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-10-20T09:00:00-04:00")
    run(
        "account",
        "add",
        "Nordwind",
        "--domain",
        "nordwind.example",
        "--need",
        "n",
        "--consequence",
        "c",
        "--decision-date",
        "2027-01-01",
    )
    run(
        "account",
        "add",
        "Kestrel Robotics",
        "--alias",
        "Kestrel",
        "--need",
        "n",
        "--consequence",
        "c",
        "--decision-date",
        "2027-01-01",
    )
    run("remark", "add", "Nordwind", "something", "--on", "2026-10-01")
    run("remark", "add", "Kestrel", "something", "--on", "2026-10-01")
    return write("tz.ics", CALENDAR)


def local_starts(run, path, week):
    data = json.loads(run("busy", "--busy", str(path), "--week", week, "--json").stdout)
    return {e["summary"]: e["start"] for e in data["busy"]}


@pytest.mark.parametrize(
    ("week", "berlin", "los_angeles"),
    [
        ("2026-W43", "2026-10-20T10:00:00-04:00", "2026-10-21T11:00:00-04:00"),  # both summer
        ("2026-W44", "2026-10-27T11:00:00-04:00", "2026-10-28T11:00:00-04:00"),  # Europe changed
        ("2026-W45", "2026-11-03T10:00:00-05:00", "2026-11-04T11:00:00-05:00"),  # both winter
    ],
)
def test_busy_times_follow_each_zone_rules(run, setup, week, berlin, los_angeles):
    starts = local_starts(run, setup, week)
    assert starts["Jour fixe"] == berlin
    assert starts["Parts tracking with Kestrel"] == los_angeles


@pytest.mark.both_stores("dates and time zones across a change of offset")
def test_plan_in_the_week_after_one_sided_change(run, setup, tmp_path):
    out = tmp_path / "tz-plan.ics"
    data = json.loads(
        run("plan", "--busy", str(setup), "--week", "2026-W44", "--out", str(out), "--json").stdout
    )
    blocks = {b["account"]: b for b in data["blocks"]}
    calls = {
        "Nordwind": "2026-10-27T11:00:00-04:00",
        "Kestrel Robotics": "2026-10-28T11:00:00-04:00",
    }
    for account, call in calls.items():
        end = datetime.fromisoformat(blocks[account]["end"])
        assert (datetime.fromisoformat(call) - end).total_seconds() >= 2 * 3600
        assert "call" in blocks[account]["reason"]
    from tests.ics_checks import check_ics

    check_ics(out)
