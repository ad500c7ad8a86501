"""Big accounts: `remark list` and `account show` print a page and say what they left out,
on 100,000 remarks as on 10 (bench/run measures that they take about as long)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from focusblock.store.store import Store
from focusblock.store.tables import ACCOUNT, REMARK_TABLE, text_hash
from tests.conftest import REPO

DAY0 = date(2026, 1, 1)


def fill(target: str, name: str, count: int) -> None:
    """An account with `count` remarks, one a day back from DAY0, written in bulk."""
    store = Store.open(target, owner="me")
    try:
        with store.transaction() as tx:
            account_id = tx.insert(
                {
                    ACCOUNT.name: name,
                    ACCOUNT.name_key: name.lower(),
                    ACCOUNT.owner: "me",
                    ACCOUNT.aliases: [],
                    ACCOUNT.domains: [],
                }
            )
            rows = []
            for i in range(count):
                text = f"remark {i} of {name}"
                rows.append(
                    {
                        "account_id": account_id,
                        "text": text,
                        "text_hash": text_hash(text),
                        "heard_on": DAY0 - timedelta(days=count - 1 - i),
                        "via": "call",
                    }
                )
                if len(rows) == 10_000:
                    tx.conn.execute(insert(REMARK_TABLE), rows)
                    rows = []
            if rows:
                tx.conn.execute(insert(REMARK_TABLE), rows)
    finally:
        store.close()


@pytest.fixture
def mine(monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me")


def test_remark_list_prints_the_newest_50_and_says_what_it_left_out(run, store_target, mine):
    fill(store_target, "Big", 120)
    out = run("remark", "list", "Big").stdout
    assert "remark 119 of Big" in out and "remark 70 of Big" in out
    assert "remark 69 of Big" not in out
    assert "Showing the newest 50 of 120 remarks; --all shows every one" in out
    assert out.index("remark 70 of Big") < out.index("remark 119 of Big")  # oldest first


def test_json_lists_get_the_same_bound_and_say_so_on_stderr(run, store_target, mine):
    fill(store_target, "Big", 120)
    result = run("remark", "list", "Big", "--json")
    got = json.loads(result.stdout)
    assert [r["text"] for r in got] == [f"remark {i} of Big" for i in range(70, 120)]
    assert "Showing the newest 50 of 120 remarks" in result.stderr
    every = json.loads(run("remark", "list", "Big", "--json", "--all").stdout)
    assert [r["text"] for r in every] == [f"remark {i} of Big" for i in range(120)]
    five = json.loads(run("remark", "list", "Big", "--json", "--limit", "5").stdout)
    assert [r["text"] for r in five] == [f"remark {i} of Big" for i in range(115, 120)]


@pytest.mark.both_stores("dates and paging: --since compares dates in SQL, --limit pages")
def test_all_and_since_and_limit(run, store_target, mine):
    fill(store_target, "Big", 120)
    every = run("remark", "list", "Big", "--all").stdout
    assert "120 remarks" in every and "Showing" not in every
    assert all(f"remark {i} of Big" in every for i in range(120))
    since = (DAY0 - timedelta(days=9)).isoformat()  # the last 10 days
    recent = json.loads(run("remark", "list", "Big", "--since", since, "--json").stdout)
    assert [r["text"] for r in recent] == [f"remark {i} of Big" for i in range(110, 120)]
    limited = run("remark", "list", "Big", "--limit", "3").stdout
    assert "Showing the newest 3 of 120 remarks" in limited


@pytest.mark.both_stores("--all streams rows in batches (yield_per), each driver its own way")
def test_all_streams_the_same_json_as_a_whole_list(run, store_target, mine):
    fill(store_target, "Big", 7)
    streamed = run("remark", "list", "--json", "--all").stdout
    whole = run("remark", "list", "--json").stdout
    assert streamed == whole
    assert run("remark", "list", "--json", "--all", "--since", "2026-01-02").stdout == "[]\n"


def test_account_show_prints_the_facts_and_the_latest_20(run, store_target, mine):
    fill(store_target, "Big", 45)
    out = run("account", "show", "Big").stdout
    assert "stage" in out and "remark 44 of Big" in out and "remark 25 of Big" in out
    assert "remark 24 of Big" not in out
    assert "Showing the newest 20 of 45 remarks; --all shows every one" in out
    shown = json.loads(run("account", "show", "Big", "--json").stdout)
    assert shown["account"]["remark_count"] == 45
    assert [r["text"] for r in shown["remarks"]] == [f"remark {i} of Big" for i in range(25, 45)]
    every = json.loads(run("account", "show", "Big", "--json", "--all").stdout)
    assert len(every["remarks"]) == 45
    assert "remark 0 of Big" in run("account", "show", "Big", "--all").stdout


@pytest.mark.slow  # big data: 100,000 remarks written to the store
@pytest.mark.sqlite_only
def test_a_100000_remark_account_prints_one_page_as_a_10_remark_one_does(run, store_target, mine):
    """The page is bounded: the newest 50 (remark list) or 20 (account show) and a count of
    the rest, whatever the account's size. How long it takes is bench/run's to measure
    ("remark list: account of 100,000 remarks vs of 10"): a wall-clock limit in a test
    fails on a busy machine and says nothing on a fast one."""
    fill(store_target, "Small", 10)
    fill(store_target, "Huge", 100_000)
    for command, page in ((("remark", "list"), 50), (("account", "show"), 20)):
        small = run(*command, "Small").stdout
        huge = run(*command, "Huge").stdout
        shown = [int(n) for n in re.findall(r"remark (\d+) of Huge", huge)]
        assert shown == list(range(100_000 - page, 100_000)), command
        assert f"Showing the newest {page} of 100,000 remarks" in huge, command
        assert len(re.findall(r"remark \d+ of Small", small)) == 10, command
        # one line per remark shown, plus the same few lines of heading and count
        assert len(huge.splitlines()) <= len(small.splitlines()) + page, command


PROBE = """
import sys, runpy
sys.argv = ["focusblock", "--db", {db!r}, *{args!r}]
try:
    runpy.run_module("focusblock", run_name="__main__")
except SystemExit:
    pass
print("LOADED:" + ",".join(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def _loaded_by(db: str, *args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(db=db, args=list(args))],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("LOADED:"))
    return set(line.removeprefix("LOADED:").split(","))


@pytest.mark.sqlite_only
@pytest.mark.slow  # subprocesses
def test_store_commands_on_an_up_to_date_store_import_no_alembic(run, db_path):
    run("account", "add", "Acme")  # creates the store: the upgrade ran here, once
    added = _loaded_by(str(db_path), "remark", "add", "Acme", "cheap start")
    assert "alembic" not in added and "rich" not in added  # one line printed: no table
    listed = _loaded_by(str(db_path), "remark", "list", "Acme")
    assert "alembic" not in listed
