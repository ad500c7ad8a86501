"""`account add/list/show/edit/rename/merge/delete/restore` through the CLI: names with quotes
and Unicode, near-duplicate names, two owners with an account of the same name, and what a
rename or a merge keeps."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import _export, _one_line_error, _remarks, two_accounts_with_calls


@pytest.mark.both_stores("array columns: aliases and domains written, read and edited")
def test_account_add_list_show_edit(run):
    run(
        "account",
        "add",
        "Café Müller",
        "--domain",
        "@Cafe-Mueller.DE",
        "--alias",
        "CM",
        "--need",
        "Faster close",
        "--decision-date",
        "2027-01-15",
        "--next-call",
        "2026-12-01 10:00",
    )
    listed = json.loads(run("account", "list", "--json").stdout)
    assert [a["name"] for a in listed] == ["Café Müller"]
    assert listed[0]["domains"] == ["cafe-mueller.de"]
    assert listed[0]["next_call"] == "2026-12-01T10:00:00-05:00"
    assert set(listed[0]) == {
        "id",
        "name",
        "owner",
        "stage",
        "aliases",
        "domains",
        "need",
        "consequence",
        "decision_date",
        "next_call",
        "remark_count",
        "last_heard",
        "call",  # the next call as a plan takes it, and where from
    }

    run(
        "account",
        "edit",
        "CAFE MULLER",
        "--stage",
        "sold",
        "--consequence",
        "Overtime",
        "--domain",
        "cafe-mueller.com",
    )
    shown = json.loads(run("account", "show", "café müller", "--json").stdout)
    assert shown["account"]["stage"] == "sold"
    assert shown["account"]["consequence"] == "Overtime"
    assert shown["account"]["need"] == "Faster close"
    assert shown["account"]["domains"] == ["cafe-mueller.de", "cafe-mueller.com"]

    table = run("account", "list").stdout
    assert "Café Müller" in table and "sold" in table


def test_duplicate_account_is_refused(run):
    run("account", "add", "Acme")
    result = run("account", "add", "  ACME ", code=4)
    assert "already exists" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_unknown_account_suggests_close_matches(run):
    run("account", "add", "Kestrel Robotics")
    result = run("account", "show", "Kestrl Robotics", code=3)
    assert "no account named 'Kestrl Robotics'" in result.stderr
    assert "Kestrel Robotics" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.both_stores("case and collation: names in any script stored, compared and sorted")
def test_names_with_quotes_and_unicode(run):
    name = 'O\'Brien "Quotes" & Sons — Ωmega 東京 😀'
    run("account", "add", name, "--alias", "OBrien")
    run("remark", "add", 'o\'brien "quotes" & sons — ωmega 東京 😀', "hello; -- DROP TABLE remark;")
    shown = json.loads(run("account", "show", name, "--json").stdout)
    assert shown["account"]["name"] == name
    assert shown["remarks"][0]["text"] == "hello; -- DROP TABLE remark;"
    assert name in run("account", "list").stdout
    assert run("account", "add", "   ", code=4).stderr.startswith(
        "Error: account name: must not be empty"
    )


@pytest.mark.both_stores("a unique index over owner and name, enforced by each database")
def test_two_owners_each_have_an_account_of_the_same_name(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "ann@example.com")
    run("account", "add", "Acme", "--need", "Ann's view")
    run("remark", "add", "Acme", "Ann heard this")
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "bob@example.com")
    run("account", "add", "Acme", "--need", "Bob's view")
    mine = json.loads(run("account", "list", "--json").stdout)
    assert [(a["name"], a["owner"], a["need"]) for a in mine] == [
        ("Acme", "bob@example.com", "Bob's view")
    ]
    assert json.loads(run("remark", "list", "--json").stdout) == []
    everyone = json.loads(run("--all-owners", "account", "list", "--json").stdout)
    assert sorted(a["owner"] for a in everyone) == ["ann@example.com", "bob@example.com"]
    assert len(json.loads(run("--all-owners", "remark", "list", "--json").stdout)) == 1
    result = run("--all-owners", "account", "show", "Acme", code=3)
    assert "several owners" in result.stderr


@pytest.mark.both_stores("the array column of aliases updated in place")
def test_rename_keeps_the_old_name_as_an_alias(acme):
    acme("account", "add", "Globex")
    result = acme("account", "rename", "Acme Corp", "Acme Corporation")
    assert "Renamed account to 'Acme Corporation' (aliases: Acme Corp)" in result.stdout
    assert {r["account"] for r in _remarks(acme, "Acme Corp")} == {"Acme Corporation"}
    assert "already exists" in _one_line_error(
        acme("account", "rename", "Globex", "acme corporation", code=4)
    )
    assert "is an alias of account 'Acme Corporation'" in _one_line_error(
        acme("account", "rename", "Globex", "ACME CORP", code=4)
    )
    assert "no account named 'Nope'" in _one_line_error(
        acme("account", "rename", "Nope", "X", code=3)
    )
    acme("account", "rename", "Acme Corporation", "Acme Corp")
    view = json.loads(acme("account", "show", "Acme Corp", "--json").stdout)["account"]
    assert view["name"] == "Acme Corp" and view["aliases"] == ["Acme Corporation"]


@pytest.mark.both_stores("many updates under unique constraints in one transaction")
def test_merge_moves_everything_and_keeps_one_block_per_week(example_store, tmp_path):
    run = example_store
    run("account", "add", "Kestrel Robotics Inc", "--domain", "kestrel.io", "--alias", "KRI")
    run(
        "remark",
        "add",
        "Kestrel Robotics Inc",
        "A remark under the duplicate.",
        "--on",
        "2026-11-20",
    )
    out = tmp_path / "f.ics"
    run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out))
    before = _export(run)
    kestrel = next(a for a in before["accounts"] if a["name"] == "Kestrel Robotics")
    duplicate = next(a for a in before["accounts"] if a["name"] == "Kestrel Robotics Inc")
    moved = [r["id"] for r in before["remarks"] if r["account_id"] == duplicate["id"]]
    result = run("account", "merge", "Kestrel Robotics Inc", "kestrel")
    assert "Merged 'Kestrel Robotics Inc' into 'Kestrel Robotics': 1 remark" in result.stdout
    after = _export(run)
    assert duplicate["id"] not in {a["id"] for a in after["accounts"]}
    merged = next(a for a in after["accounts"] if a["id"] == kestrel["id"])
    assert "Kestrel Robotics Inc" in merged["aliases"] and "KRI" in merged["aliases"]
    assert "kestrel.io" in merged["domains"]
    assert {r["id"] for r in after["remarks"] if r["account_id"] == kestrel["id"]} >= set(moved)
    assert sorted(r["text"] for r in after["remarks"]) == sorted(
        r["text"] for r in before["remarks"]
    )
    weeks = [(b["account_id"], b["week"]) for b in after["focus_blocks"]]
    assert len(weeks) == len(set(weeks))
    assert (
        "did you mean" not in run("remark", "add", "Kestrel Robotics Inc", "found by alias").stderr
    )
    assert "same account" in _one_line_error(run("account", "merge", "Kestrel", "KRI", code=4))
    assert "no account named 'Nobody'" in _one_line_error(
        run("account", "merge", "Nobody", "Kestrel", code=3)
    )
    run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out))


def test_merge_of_two_planned_blocks_in_one_week_keeps_into(run, tmp_path, write):
    calendar = two_accounts_with_calls(run, write)
    plan = json.loads(run("plan", "--busy", str(calendar), "--dry-run", "--json").stdout)
    if len(plan["blocks"]) < 2:
        pytest.skip("the plan placed fewer than two blocks")
    run("plan", "--busy", str(calendar), "--out", str(tmp_path / "f.ics"))
    northwind = next(a for a in _export(run)["accounts"] if a["name"] == "Northwind")
    kept = next(b for b in _export(run)["focus_blocks"] if b["account_id"] == northwind["id"])
    result = run("account", "merge", "Northwind Traders", "Northwind")
    assert "no longer planned; the next plan of 2026-W49 with --publish removes it" in result.stdout
    blocks = _export(run)["focus_blocks"]
    assert [b["uid"] for b in blocks] == [kept["uid"]]


def test_account_delete_and_restore(acme, tmp_path):
    before = _export(acme)
    refused = acme("account", "delete", "Acme Corp", code=4)
    assert "account 'Acme Corp' has 2 remarks; nothing was deleted" in _one_line_error(refused)
    assert "--with-remarks" in refused.stderr
    acme("account", "delete", "acme corp", "--with-remarks")
    assert json.loads(acme("account", "list", "--json").stdout) == []
    assert _remarks(acme) == []
    for args in (
        ("account", "show", "Acme Corp"),
        ("remark", "add", "Acme Corp", "x"),
        ("remark", "list", "Acme Corp"),
        ("worksheet", "Acme Corp"),
    ):
        assert "no account named 'Acme Corp'" in _one_line_error(acme(*args, code=3))
    assert "no remark #1" in _one_line_error(acme("remark", "show", "1", code=3))
    assert "was deleted" in _one_line_error(acme("account", "add", "ACME CORP", code=4))
    exported = _export(acme)
    assert exported["accounts"][0]["deleted_at"] is not None
    assert len(exported["remarks"]) == 2
    csv = tmp_path / "acme.csv"
    csv.write_text("account,text\nAcme Corp,new words\n", encoding="utf-8")
    assert "was deleted" in _one_line_error(acme("remark", "import", str(csv), code=4))
    acme("account", "restore", "Acme Corp")
    assert _export(acme) == before
    assert "is not deleted" in _one_line_error(acme("account", "restore", "Acme Corp", code=4))
    assert "no deleted account named 'Zed'" in _one_line_error(
        acme("account", "restore", "Zed", code=3)
    )
    acme("account", "add", "Empty")
    assert "Deleted account 'Empty'" in acme("account", "delete", "Empty").stdout


def test_merge_keeps_repeats_of_the_same_words_on_both_sides(run):
    """FROM said it twice on purpose (--again), INTO once: all three stay, numbered apart.
    Before, FROM's first copy was renumbered onto its own second one and the merge failed
    every time ('changed the store meanwhile')."""
    run("account", "add", "Acme")
    run("account", "add", "Acme Dup")
    for name, again in (("Acme", ()), ("Acme Dup", ()), ("Acme Dup", ("--again",))):
        run("remark", "add", name, "Budget is tight.", "--on", "2026-11-02", *again)
    run("account", "merge", "Acme Dup", "Acme")
    remarks = _export(run)["remarks"]
    assert len(remarks) == 3 and len({r["account_id"] for r in remarks}) == 1
    assert len({r["repeat"] for r in remarks}) == 3


# account list's next-call column was empty whenever the calls came from calendars (only a
# typed --next-call showed): it now shows the call the last plan took, from the calendar
# or typed, and says which; a call the calendar shows wins over a typed one (issue 20).
def test_account_list_shows_the_calls_the_last_plan_took_and_where_from(example_store, tmp_path):
    example_store("account", "edit", "Kestrel Robotics", "--next-call", "2026-12-03 16:00")
    example_store("account", "add", "Zephyr Mining", "--next-call", "2026-12-04 15:00")
    before = {a["name"]: a for a in json.loads(example_store("account", "list", "--json").stdout)}
    assert before["Zephyr Mining"]["call"]["from"] == "typed"
    assert before["Kestrel Robotics"]["call"]["from"] == "typed"  # no plan has read a calendar
    example_store(
        "plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(tmp_path / "f.ics")
    )
    listed = {a["name"]: a for a in json.loads(example_store("account", "list", "--json").stdout)}
    kestrel = listed["Kestrel Robotics"]
    assert kestrel["call"] == {
        "start": "2026-12-02T08:00:00-05:00",
        "summary": "Kestrel / Field service parts tracking (with Daniel)",
        "from": "calendar",
    }
    assert kestrel["next_call"] == "2026-12-03T16:00:00-05:00"  # the typed fact, kept as typed
    assert listed["Zephyr Mining"]["call"]["start"] == "2026-12-04T15:00:00-05:00"
    assert listed["Zephyr Mining"]["call"]["from"] == "typed"
    assert listed["Océane Cosmétiques"]["call"]["from"] == "calendar"
    assert listed["Halvorsen & Dahl"]["call"] is None
    text = example_store("account", "list").stdout.splitlines()
    row = {line.split("  ")[0]: line for line in text}
    assert "2026-12-02 08:00 (calendar)" in row["Kestrel Robotics"]
    assert "2026-12-03 14:00 (calendar)" in row["Océane Cosmétiques"]
    assert "2026-12-04 15:00" in row["Zephyr Mining"]  # typed: shown as typed, unmarked
    assert "(calendar)" not in row["Zephyr Mining"]
