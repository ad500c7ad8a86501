"""ruff (lint and format) and mypy over the code, as part of the suite."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # ruff and mypy over the whole code, in subprocesses

CHECKS = {
    "ruff-check": ["ruff", "check", "."],
    "ruff-format": ["ruff", "format", "--check", "."],
    "mypy": ["mypy", "focusblock"],
}


@dataclass
class Check:
    """A check running in the background, what it says kept in a file (a full pipe would
    stop it until the test reads it)."""

    process: subprocess.Popen[bytes]
    output: Path

    def end(self) -> str:
        """What it said, once it has ended (killed if it still runs)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        said = self.output.read_text(errors="replace")
        shutil.rmtree(self.output.parent, ignore_errors=True)
        return said


_running: dict[str, Check] = {}


def _installed(tool: str) -> bool:
    return importlib.util.find_spec(tool) is not None


def _start(name: str) -> Check:
    tool, *args = CHECKS[name]
    output = Path(tempfile.mkdtemp(prefix="focusblock-check-")) / "output"
    with output.open("wb") as sink:
        command = [sys.executable, "-m", tool, *args]
        process = subprocess.Popen(command, cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
    return Check(process, output)


def start_early(items: list[pytest.Function]) -> None:
    """Start the checks of the selected tests now, for the tests to collect the results:
    mypy takes 10 s or more on a fresh checkout (no cache); begun when the tests are
    collected, it runs on another core while the rest of the suite runs on this one."""
    for item in items:
        name = item.callspec.params["name"]
        if name not in _running and _installed(CHECKS[name][0]):
            _running[name] = _start(name)


def stop_all() -> None:
    """End the checks started early whose tests did not run (a session stopped by -x)."""
    while _running:
        _running.popitem()[1].end()


@pytest.mark.parametrize("name", list(CHECKS))
def test_code_is_clean(name):
    tool = CHECKS[name][0]
    if not _installed(tool):
        pytest.skip(f"{tool} is not installed (pip install '.[test]')")
    check = _running.pop(name, None) or _start(name)
    try:
        returncode = check.process.wait(timeout=600)
    finally:
        said = check.end()
    assert returncode == 0, said[-5000:]
