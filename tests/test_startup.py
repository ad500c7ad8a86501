"""`focusblock --help` stays light: no database, calendar or template library imported."""

from __future__ import annotations

import subprocess
import sys

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
