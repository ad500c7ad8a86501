"""A password helper (calendars.password_command) that prints far more than a password is
stopped and named in one line, not waited on until the timeout."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
from focusblock.calendar.credentials import _password_from
from focusblock.errors import ConfigError
try:
    _password_from({}, "yes")
except ConfigError as exc:
    print(exc)
"""


def test_a_helper_that_prints_endlessly_is_stopped_and_named():
    # bounded, not timed: the old cap stopped reading, the helper then blocked on a full
    # pipe, and the command waited the whole 30 s before saying "gave no password"
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=15)
    assert "printed more than a password" in done.stdout, done.stdout + done.stderr
