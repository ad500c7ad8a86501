"""A command's process ends without searching its modules' objects for cycles (gc.freeze
in main), and still leaves nothing open: the store's files are closed and complete."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # fresh interpreters, to see how a command's process ends

PROBE = """
import gc, runpy, sys
sys.argv = {args!r}
try:
    runpy.run_module("focusblock", run_name="__main__")
except SystemExit:
    pass
print("FROZEN:", gc.get_freeze_count())
"""


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(args=["focusblock", *args])],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_objects_made_before_exit_are_frozen(tmp_path, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_DB", str(tmp_path / "store.db"))
    for args in (["--help"], ["account", "add", "Acme Corp"], ["account", "add", "Acme Corp"]):
        done = run(args)  # the second add is refused: an error ends the same way
        frozen = int(done.stdout.rsplit("FROZEN:", 1)[1])
        assert frozen > 1000, (args, done.stdout, done.stderr)


def test_a_write_is_whole_and_the_store_closed_when_the_process_ends(tmp_path, monkeypatch):
    store = tmp_path / "store.db"
    monkeypatch.setenv("FOCUSBLOCK_DB", str(store))
    for number in range(3):
        done = subprocess.run(
            [sys.executable, "-m", "focusblock", "account", "add", f"Account {number}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        # SQLite removes its write-ahead log when the last connection closes cleanly
        assert not (tmp_path / "store.db-wal").exists()
        assert not (tmp_path / "store.db-shm").exists()
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        names = [name for (name,) in db.execute("SELECT name FROM account ORDER BY id")]
    assert names == ["Account 0", "Account 1", "Account 2"]


COLLECTIONS_PROBE = """
import gc, sys
from focusblock.cli import main
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
sys.argv = {args!r}
try:
    main()
except SystemExit:
    pass
print("COLLECTIONS:", len(collections), "ENABLED:", gc.isenabled())
"""


def test_no_search_for_cycles_runs_while_a_command_runs(tmp_path, monkeypatch):
    """What a command builds (its modules, the store's tables, a calendar's parsed events)
    lives until it ends, and its loops make no cyclic garbage: Python's collector searched
    all of it again and again for cycles that were not there, a tenth of `busy`'s time on
    a big calendar. Peak memory measured the same without it on the biggest workloads
    (bench/: busy L, plan of 100,000 remarks, a 2,000-remark worksheet, a 200,000-row
    import). The collector is on again when main() returns (a caller in the same process
    keeps its own)."""
    monkeypatch.setenv("FOCUSBLOCK_DB", str(tmp_path / "store.db"))
    for args in (["account", "add", "Acme Corp"], ["account", "list"]):
        done = subprocess.run(
            [sys.executable, "-c", COLLECTIONS_PROBE.format(args=["focusblock", *args])],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "COLLECTIONS: 0 ENABLED: True" in done.stdout, (args, done.stdout)
