"""`focusblock --help` stays light: no database, calendar or template library imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # fresh interpreters, to see what a command imports

HEAVY = ("sqlalchemy", "icalendar", "jinja2", "alembic", "rich", "recurring_ical_events", "typst")

PROBE = """
import sys, runpy
sys.argv = ["focusblock", {arg!r}]
try:
    runpy.run_module("focusblock", run_name="__main__")
except SystemExit:
    pass
print("LOADED:" + ",".join(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def loaded_after(arg: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(arg=arg)], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("LOADED:"))
    return set(line.removeprefix("LOADED:").split(","))


def test_help_and_version_import_nothing_heavy():
    for arg in ("--help", "--version"):
        loaded = loaded_after(arg)
        assert not loaded & set(HEAVY), f"{arg} imported {sorted(loaded & set(HEAVY))}"


FULL_PROBE = """
import sys, runpy
sys.argv = {args!r}
try:
    runpy.run_module("focusblock", run_name="__main__")
except SystemExit:
    pass
print("LOADED:" + ",".join(sorted(sys.modules)))
"""


def test_store_commands_import_neither_the_orm_nor_alembic(tmp_path, monkeypatch):
    """An up-to-date store opens with SQLAlchemy Core and no Alembic: the ORM and the
    migration tool are a fifth of a second of start-up on a slow laptop."""
    monkeypatch.setenv("FOCUSBLOCK_DB", str(tmp_path / "store.db"))
    add = [sys.executable, "-m", "focusblock", "account", "add", "Acme"]
    subprocess.run(add, check=True, capture_output=True)  # the upgrade (Alembic) runs once
    for args in (["account", "list"], ["remark", "add", "Acme", "Budget is tight."]):
        done = subprocess.run(
            [sys.executable, "-c", FULL_PROBE.format(args=["focusblock", *args])],
            capture_output=True,
            text=True,
            check=True,
        )
        modules = set(done.stdout.rsplit("LOADED:", 1)[1].strip().split(","))
        assert "sqlalchemy.engine" in modules, done.stderr  # the store was opened
        assert not {m for m in modules if m.startswith(("sqlalchemy.orm", "alembic"))}, args
