"""A New York seller, meetings defined in Berlin and Los Angeles, around the DST changes.

Europe leaves summer time on 25 Oct 2026, the US on 1 Nov 2026: in the week of
26 Oct the Berlin meeting moves an hour in New York time; the Los Angeles one does not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise

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


# --- working hours over the night the clocks change ---------------------------------------

QUALIFIED = ("--need", "n", "--consequence", "c", "--decision-date", "2027-01-01")
ONE_MEETING = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//t//t//EN\r
BEGIN:VEVENT\r
UID:late-review@example.com\r
DTSTAMP:20261001T000000Z\r
DTSTART:20261025T150000Z\r
DTEND:20261025T160000Z\r
SUMMARY:Pipeline review\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_blocks_over_the_switch_night_are_as_long_as_labelled_and_never_overlap(
    run, write, tmp_path, monkeypatch
):
    """Berlin, Sunday 25 Oct 2026, working from midnight: 03:00 summer time becomes 02:00.
    The block over the switch was labelled "90 min" and lasted 150 minutes in the .ics."""
    for name, value in {
        "TIMEZONE": "Europe/Berlin",
        "NOW": "2026-10-20T09:00:00+02:00",
        "WORK_DAYS": "sun",
        "WORK_START": "00:00",
        "WORK_END": "23:59",
        "BLOCKS_PER_DAY": "8",
        "BLOCKS_MIN_MINUTES": "90",
        "BLOCKS_MAX_MINUTES": "90",
    }.items():
        monkeypatch.setenv(f"FOCUSBLOCK_{name}", value)
    for name in ("Alder", "Birch", "Cedar", "Dogwood"):
        run("account", "add", name, *QUALIFIED)
        run("remark", "add", name, "something", "--on", "2026-10-01")
    busy = write("busy.ics", ONE_MEETING)
    out = tmp_path / "switch.ics"
    table = run("plan", "--busy", str(busy), "--week", "2026-W43", "--out", str(out)).stdout
    from tests.ics_checks import check_ics

    events = sorted(
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in check_ics(out)
    )
    assert len(events) == 4
    assert [end - start for start, end in events] == [timedelta(minutes=90)] * 4
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(events))
    assert table.count("90 min") == 4 and "150 min" not in table
