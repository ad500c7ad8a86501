"""Shared fixtures: a private home in tmp_path, a clean environment, a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from focusblock.cli import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "calendars"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's settings or store: HOME and XDG folders point into tmp_path."""
    for name in list(os.environ):
        if name.startswith("FOCUSBLOCK_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("FOCUSBLOCK_TIMEZONE", "America/New_York")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "focusblock.db"


Run = Callable[..., Result]


@pytest.fixture
def run(db_path: Path) -> Run:
    """Invoke the CLI against the test's own store; fails the test on an unexpected exit code."""

    def invoke(*args: str, code: int = 0, stdin: str | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(
            cli, ["--db", str(db_path), *args], input=stdin, catch_exceptions=True
        )
        if result.exit_code != code:
            raise AssertionError(
                f"focusblock {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\n{result.exception!r}"
            )
        if code == 0 or code == 2:
            assert "Traceback" not in result.stderr
        return result

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def make(name: str, content: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make
