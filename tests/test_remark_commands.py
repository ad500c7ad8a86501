"""Correcting mistakes: remark edit/show/delete/restore/purge, account rename/merge/delete/
restore, near-duplicate account names and `remark add --again`, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import pytest

from tests.conftest import EXAMPLES


def _one_line_error(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _remarks(run, *args: str) -> list[dict]:
    return json.loads(run("remark", "list", *args, "--json").stdout)


def _export(run) -> dict:
    return json.loads(run("export").stdout)


@pytest.fixture
def acme(run):
    run("account", "add", "Acme Corp", "--domain", "acme.com")
    run(
        "remark",
        "add",
        "Acme Corp",
        "We close in six days.",
        "--on",
        "2026-11-02",
        "--lens",
        "need",
    )
    run("remark", "add", "Acme Corp", "Audit fees went up 30%.", "--on", "2026-11-09")
    return run


def test_remark_list_shows_the_number_the_commands_take(acme):
    table = acme("remark", "list").stdout
    assert "#1" in table and "#2" in table
    assert [r["id"] for r in _remarks(acme)] == [1, 2]


def test_edit_keeps_the_previous_version_in_show_and_export(acme):
    result = acme("remark", "edit", "1", "--text", "We close in seven days.", "--who", "Dana")
    assert "1 earlier version kept" in result.stdout
    acme("remark", "edit", "#1", "--on", "2026-11-03", "--lens", "none")
    shown = json.loads(acme("remark", "show", "1", "--json").stdout)
    assert list(shown) == ["remark", "deleted_at", "imported_from", "repeat", "history"]
    assert list(shown["history"][0]) == ["text", "who", "heard_on", "via", "lens", "replaced_at"]
    assert shown["remark"]["text"] == "We close in seven days."
    assert shown["remark"]["who"] == "Dana" and shown["remark"]["lens"] is None
    assert shown["remark"]["heard_on"] == "2026-11-03"
    assert [(v["text"], v["who"], v["lens"]) for v in shown["history"]] == [
        ("We close in six days.", None, "need"),
        ("We close in seven days.", "Dana", "need"),
    ]
    table = acme("remark", "show", "1").stdout
    assert "We close in six days." in table and "2 earlier versions" in table
    revisions = _export(acme)["remark_revisions"]
    assert [r["text"] for r in revisions] == ["We close in six days.", "We close in seven days."]
    same = acme("remark", "edit", "1", "--text", "We close in seven days.")
    assert "nothing changed" in same.stdout
    assert len(_export(acme)["remark_revisions"]) == 2


def test_an_edited_remark_is_a_duplicate_of_its_new_words_not_its_old(acme):
    # the fingerprint under the unique index follows an edit: before, it kept the old
    # words, so the old text could not be added again and the new one could, twice
    acme("remark", "edit", "1", "--text", "We close in seven days.")
    acme("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02")
    again = acme(
        "remark", "add", "Acme Corp", "We close in seven days.", "--on", "2026-11-02", code=4
    )
    assert "remark #1 of 'Acme Corp' already says that" in _one_line_error(again)
    exported = _export(acme)["remarks"]
    assert {r["text_hash"] for r in exported if r["id"] == 1} == {
        hashlib.sha256(b"We close in seven days.").hexdigest()
    }


def test_edit_errors_are_one_line(acme):
    cases = [
        (("remark", "edit", "99", "--text", "x"), 3, "no remark #99"),
        (("remark", "edit", "1"), 4, "nothing to change"),
        (("remark", "edit", "1", "--on", "someday"), 4, "on: 'someday' is not a date"),
        (("remark", "edit", "1", "--lens", "vibes"), 4, "lens: 'vibes' is not one of"),
        (("remark", "edit", "1", "--text", "  "), 4, "text: is empty"),
        (
            ("remark", "edit", "2", "--text", "We close in six days.", "--on", "2026-11-02"),
            4,
            "remark #1 already says that on 2026-11-02",
        ),
    ]
    for args, code, message in cases:
        assert message in _one_line_error(acme(*args, code=code))
    assert acme("remark", "show", "abc", code=2).exit_code == 2
    assert _export(acme)["remark_revisions"] == []


def test_deleted_remark_is_hidden_restorable_and_flagged_in_export(acme, tmp_path):
    result = acme("remark", "delete", "1")
    assert "Deleted remark #1 of 'Acme Corp'" in result.stdout
    assert [r["id"] for r in _remarks(acme)] == [2]
    assert [r["id"] for r in _remarks(acme, "Acme Corp")] == [2]
    shown = json.loads(acme("account", "show", "Acme Corp", "--json").stdout)
    assert [r["id"] for r in shown["remarks"]] == [2]
    assert shown["account"]["remark_count"] == 1
    sheet = acme("worksheet", "Acme Corp").stdout
    assert "six days" not in sheet and "Audit fees" in sheet
    assert "deleted" in acme("remark", "show", "1").stdout
    assert json.loads(acme("remark", "show", "1", "--json").stdout)["deleted_at"]
    remarks = {r["id"]: r for r in _export(acme)["remarks"]}
    assert remarks[1]["deleted_at"] is not None and remarks[2]["deleted_at"] is None
    assert "is deleted; restore it first" in _one_line_error(
        acme("remark", "edit", "1", "--text", "x", code=4)
    )
    assert "already deleted" in _one_line_error(acme("remark", "delete", "2", "1", code=4))
    assert [r["id"] for r in _remarks(acme)] == [2]  # all or nothing: #2 is still there
    acme("remark", "restore", "1")
    assert [r["id"] for r in _remarks(acme)] == [1, 2]
    assert "is not deleted" in _one_line_error(acme("remark", "restore", "1", code=4))
    assert "no remark #7" in _one_line_error(acme("remark", "delete", "7", code=3))


def test_purge_needs_a_deleted_remark_and_yes(acme, tmp_path):
    sheet = acme("worksheet", "Acme Corp").stdout
    filled = sheet.replace(
        "**Q:** Why did they say it now?\n", "**Q:** Why did they say it now?\nAudit.\n", 1
    )
    (tmp_path / "a.md").write_text(filled, encoding="utf-8")
    acme("reflect", "Acme Corp", "--from", str(tmp_path / "a.md"))
    acme("remark", "edit", "1", "--text", "We close in seven days.")
    assert "is not deleted" in _one_line_error(acme("remark", "purge", "1", "--yes", code=4))
    acme("remark", "delete", "1")
    before = _export(acme)
    refused = _one_line_error(acme("remark", "purge", "1", code=4))
    assert "would purge remark #1 with 1 earlier version" in refused and "--yes" in refused
    assert _export(acme) == before
    acme("remark", "purge", "1", "--yes")
    after = _export(acme)
    assert [r["id"] for r in after["remarks"]] == [2]
    assert after["remark_revisions"] == []
    assert all(r["remark_id"] != 1 for r in after["reflections"])
    assert "no remark #1" in _one_line_error(acme("remark", "restore", "1", code=3))


def test_add_refuses_an_exact_duplicate_unless_again(acme):
    refused = acme(
        "remark", "add", "Acme Corp", "Audit fees went up 30%.", "--on", "2026-11-09", code=4
    )
    assert "remark #2 of 'Acme Corp' already says that on 2026-11-09" in _one_line_error(refused)
    assert "--again" in refused.stderr
    acme("remark", "add", "Acme Corp", "Audit fees went up 30%.", "--on", "2026-11-09", "--again")
    assert [r["text"] for r in _remarks(acme)].count("Audit fees went up 30%.") == 2
    assert sorted(r["repeat"] for r in _export(acme)["remarks"]) == [0, 0, 1]
    acme("remark", "delete", "1")
    gone = acme("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02", code=4)
    assert "deleted remark #1" in _one_line_error(gone) and "remark restore 1" in gone.stderr


def test_remark_add_matches_loose_names_and_asks_about_near_ones(acme):
    acme("account", "add", "Halvorsen & Dahl AS")
    acme("account", "add", "O'Brien Ltd")
    for typed in ("acme corp.", "ACME CORP, Inc.", "Acme-Corp GmbH", "Ácme Corp S.A."):
        assert "to 'Acme Corp'" in acme("remark", "add", typed, f"said to {typed}").stdout
    assert "to 'Halvorsen & Dahl AS'" in acme("remark", "add", "halvorsen and dahl", "x").stdout
    assert "to 'O'Brien Ltd'" in acme("remark", "add", "O\u2019Brien", "y").stdout
    typo = _one_line_error(acme("remark", "add", "Acme Crop", "z", code=3))
    assert "no account named 'Acme Crop'; did you mean 'Acme Corp'?" in typo
    acme("account", "add", "Globex Industries")
    first_word = _one_line_error(acme("remark", "add", "Globex", "z", code=3))
    assert "did you mean 'Globex Industries'?" in first_word
    assert "to 'Acme Corp'" in acme("remark", "add", "Acme", "corp is a legal suffix").stdout
    assert "did you mean" not in _one_line_error(acme("remark", "add", "Zebra Zoo", "z", code=3))


def test_import_matches_loose_names_and_stops_on_near_ones(acme, write):
    near = write(
        "near.csv",
        "account,text\nACME corp inc,one\nAcme Crop,two\nAcme Corp Europe,three\n"
        "Brand New Ltd,four\n",
    )
    result = acme("remark", "import", str(near), code=4)
    assert "2 account names are close to an existing account; nothing was imported" in result.stderr
    assert "'Acme Crop': no such account; did you mean 'Acme Corp'?" in result.stderr
    assert "'Acme Corp Europe': no such account; did you mean 'Acme Corp'?" in result.stderr
    assert "--new-accounts" in result.stderr
    assert len(_remarks(acme)) == 2
    done = acme("remark", "import", str(near), "--new-accounts").stdout
    assert (
        "Added 4 remarks" in done
        and "3 new accounts: Acme Crop, Acme Corp Europe, Brand New Ltd" in done
    )
    by_text = {r["text"]: r["account"] for r in _remarks(acme)}
    assert by_text["one"] == "Acme Corp" and by_text["two"] == "Acme Crop"


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
    for name, domain in (("Northwind", "northwind.com"), ("Northwind Traders", "nwt.com")):
        run("account", "add", name, "--domain", domain, "--need", "Faster close")
        run("remark", "add", name, f"{name} needs a faster close.", "--lens", "need")
    calendar = write(
        "c.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20261120T000000Z\r\n"
        "DTSTART:20261203T150000Z\r\nDTEND:20261203T160000Z\r\nSUMMARY:Northwind call\r\n"
        "ATTENDEE:mailto:x@northwind.com\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b@t\r\nDTSTAMP:20261120T000000Z\r\n"
        "DTSTART:20261204T150000Z\r\nDTEND:20261204T160000Z\r\nSUMMARY:NWT call\r\n"
        "ATTENDEE:mailto:y@nwt.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    plan = json.loads(run("plan", "--busy", str(calendar), "--dry-run", "--json").stdout)
    if len(plan["blocks"]) < 2:
        pytest.skip("the plan placed fewer than two blocks")
    run("plan", "--busy", str(calendar), "--out", str(tmp_path / "f.ics"))
    northwind = next(a for a in _export(run)["accounts"] if a["name"] == "Northwind")
    kept = next(b for b in _export(run)["focus_blocks"] if b["account_id"] == northwind["id"])
    result = run("account", "merge", "Northwind Traders", "Northwind")
    assert "no longer kept; delete it from your calendar" in result.stdout
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


@pytest.mark.both_stores("sequences after rows inserted with their ids; deletion times with zones")
def test_export_import_all_round_trip_keeps_history_and_deletions(acme, run_on, tmp_path):
    acme("remark", "edit", "1", "--text", "Seven days, not six.")
    acme("remark", "delete", "2")
    acme("account", "add", "Gone Inc")
    acme("account", "delete", "Gone Inc")
    backup = tmp_path / "b.json"
    acme("export", "--out", str(backup))
    first = json.loads(backup.read_text(encoding="utf-8"))
    other = run_on(tmp_path / "moved.db")
    other("import-all", str(backup))
    assert json.loads(other("export").stdout) == first
    assert [r["id"] for r in json.loads(other("remark", "list", "--json").stdout)] == [1]


def test_every_correction_command_has_help(run):
    for group, command in (
        ("remark", "show"),
        ("remark", "edit"),
        ("remark", "delete"),
        ("remark", "restore"),
        ("remark", "purge"),
        ("account", "rename"),
        ("account", "merge"),
        ("account", "delete"),
        ("account", "restore"),
    ):
        text = run(group, command, "--help").stdout
        assert f"{group} {command} [OPTIONS]" in text
        assert len(text.splitlines()) > 4


def test_the_next_plan_withdraws_the_blocks_of_a_deleted_account(example_store, tmp_path):
    """Delete a customer after planning: the re-plan of that week writes its block as
    CANCELLED (same UID, SEQUENCE up), so the calendar loses it without a hand edit."""
    import icalendar

    run = example_store
    out = tmp_path / "week.ics"
    first = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    gone = first["blocks"][0]
    deleted = run("account", "delete", gone["account"], "--with-remarks").stdout
    assert "until the next plan of" in deleted and "withdraws it" in deleted
    again = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    assert gone["account"] not in [b["account"] for b in again["blocks"]]
    withdrawn = [b for b in again["cancelled"] if b["uid"] == gone["uid"]]
    assert [(b["account"], b["reason"]) for b in withdrawn] == [
        (gone["account"], "the account was deleted")
    ]
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    assert str(events[gone["uid"]]["STATUS"]) == "CANCELLED"
    assert int(events[gone["uid"]]["SEQUENCE"]) == gone["sequence"] + 1
    run("account", "restore", gone["account"])
    back = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    assert gone["uid"] in [b["uid"] for b in back["blocks"]]


def test_a_deleted_accounts_block_under_way_is_kept_without_a_worksheet(
    example_store, tmp_path, monkeypatch
):
    run = example_store
    out = tmp_path / "week.ics"
    busy = str(EXAMPLES / "calendar.ics")
    first = json.loads(run("plan", "--busy", busy, "--out", str(out), "--json").stdout)
    gone = first["blocks"][0]
    run("account", "delete", gone["account"], "--with-remarks")
    for sheet in tmp_path.glob("*.md"):
        sheet.unlink()
    started = datetime.fromisoformat(gone["start"]) + timedelta(minutes=10)
    monkeypatch.setenv("FOCUSBLOCK_NOW", started.isoformat())
    week = ("--week", first["week"])
    again = json.loads(run("plan", "--busy", busy, *week, "--out", str(out), "--json").stdout)
    kept = [b for b in again["blocks"] if b["uid"] == gone["uid"]]
    assert [(b["sequence"], b["start"], b["reason"]) for b in kept] == [
        (gone["sequence"], gone["start"], "the account was deleted")
    ]
    assert not [p for p in tmp_path.glob("*.md") if slug_of(gone["account"]) in p.name]
    # its time stays taken: no other block is placed over it
    start, end = (datetime.fromisoformat(kept[0][k]) for k in ("start", "end"))
    for other in again["blocks"]:
        if other["uid"] != gone["uid"]:
            o_start, o_end = (datetime.fromisoformat(other[k]) for k in ("start", "end"))
            assert o_end <= start or o_start >= end, (other, kept[0])
    import icalendar

    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    assert str(events[gone["uid"]].get("DESCRIPTION", "")).strip()  # not rewritten empty


def slug_of(name: str) -> str:
    return name.lower().split()[0]


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


def test_import_all_of_an_export_made_before_0009_refreshes_edited_fingerprints(
    acme, run_on, tmp_path
):
    """An export of a store edited before revision 0009 holds an edited remark's old
    fingerprint; restoring it must not bring that bug back into a new store."""
    acme("remark", "edit", "1", "--text", "We close in seven days.")
    acme("remark", "add", "Acme Corp", "Something else.", "--on", "2026-11-02")
    document = _export(acme)
    stale = hashlib.sha256(b"We close in six days.").hexdigest()
    document["schema"] = "0008"
    for remark in document["remarks"]:
        if remark["id"] == 1:
            remark["text_hash"] = stale  # what 0008's `remark edit` left
    backup = tmp_path / "old.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    other = run_on(tmp_path / "restored.db")
    other("import-all", str(backup))
    other("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02")
    again = other(
        "remark", "add", "Acme Corp", "We close in seven days.", "--on", "2026-11-02", code=4
    )
    assert "remark #1 of 'Acme Corp' already says that" in _one_line_error(again)
