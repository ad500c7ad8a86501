"""The 'still working' lines: shown on a terminal once a command runs past its delay,
never when stderr is a pipe, never redrawn, and never in the way of stdout."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import terminal

pytestmark = pytest.mark.slow  # subprocesses in a terminal

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

SLOW = """
import time
from focusblock.cli.working import Working
with Working("reading calendar\\x1b[31m.ics", delay={delay}) as working:
    time.sleep(0.6)
    working.step("writing 3 worksheets")
    time.sleep(0.6)
print("done")
"""


def _in_terminal(code: str) -> str:
    return terminal.in_terminal([sys.executable, "-c", code])


def test_a_slow_step_shows_on_a_terminal_with_its_label_made_safe():
    seen = _in_terminal(SLOW.format(delay=0.2))
    assert seen.replace("\r\n", "\n") == (
        "reading calendar\\x1b[31m.ics …\nwriting 3 worksheets …\ndone\n"
    )  # the escape code shown, not obeyed; each step a line, nothing redrawn or hidden


def test_a_quick_command_shows_nothing():
    seen = _in_terminal(SLOW.format(delay=5))
    assert ANSI.sub("", seen).strip() == "done"


def test_stdout_is_left_alone_while_the_lines_show():
    master, slave = pty.openpty()
    code = SLOW.format(delay=0.2).replace(
        "    time.sleep(0.6)\n    working.step",
        '    time.sleep(0.6)\n    print("inside")\n    working.step',
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    os.close(slave)
    out, _ = child.communicate(timeout=60)
    os.close(master)
    assert out == b"inside\ndone\n"


def test_nothing_when_stderr_is_not_a_terminal():
    done = subprocess.run(
        [sys.executable, "-c", SLOW.format(delay=0.2)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert done.stderr == "" and done.stdout == "done\n"
