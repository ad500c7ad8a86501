"""Recurrence rules that would keep the expander busy forever: `busy` must finish, show the
calendar's other events, and name the event it skipped. Each reading runs in its own
process under a time bound, so a hang fails the test instead of stalling the suite."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys

import pytest

from tests.conftest import REPO

_CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
    "BEGIN:VEVENT\r\nUID:odd\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20200105T100000Z\r\n"
    "DURATION:PT1H\r\nRRULE:THE_RULE\r\nSUMMARY:Odd rule\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:anchor\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T150000Z\r\n"
    "DTEND:20261201T160000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _at_most_two_gigabytes() -> None:
    # a hang here takes all the memory there is (6 GB in eight minutes, seen): bounded, the
    # process fails instead of the machine
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


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
    calendar = tmp_path / "odd.ics"
    calendar.write_text(_CALENDAR.replace("THE_RULE", rule), newline="")
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
    shown = json.loads(done.stdout)
    assert [e["summary"] for e in shown["busy"]] == ["Dentist"]
    assert any("Odd rule" in w and "odd" in w for w in shown["warnings"]), shown["warnings"]
