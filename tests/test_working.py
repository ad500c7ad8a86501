"""The 'still working' line: shown on a terminal once a command runs past its delay,
never when stderr is a pipe, and gone when the command ends."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests import terminal

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
    text = ANSI.sub("", seen)
    assert "reading calendar\\x1b[31m.ics …" in text  # the escape code shown, not obeyed
    assert "writing 3 worksheets …" in text
    assert text.rstrip().endswith("done")


def test_a_quick_command_shows_nothing():
    seen = _in_terminal(SLOW.format(delay=5))
    assert ANSI.sub("", seen).strip() == "done"


def test_nothing_when_stderr_is_not_a_terminal():
    done = subprocess.run(
        [sys.executable, "-c", SLOW.format(delay=0.2)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    assert done.stderr == "" and done.stdout == "done\n"
