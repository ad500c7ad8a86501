"""`remark add/list/show/edit/delete/restore/purge` through the CLI: the fields a remark takes,
the numbers the commands take, earlier versions kept, exact duplicates refused unless
`--again`, loose account names matched, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

from tests.helpers import _export, _one_line_error, _remarks, all_remarks


def test_remark_list_shows_the_number_the_commands_take(acme):
    table = acme("remark", "list").stdout
    assert "#1" in table and "#2" in table
    assert [r["id"] for r in _remarks(acme)] == [1, 2]


def test_edit_keeps_the_previous_version_in_show_and_export(acme):
    result = acme("remark", "edit", "1", "--text", "We close in seven days.", "--who", "Dana")
    assert "1 earlier version kept" in result.stdout
    acme("remark", "edit", "#1", "--on", "2026-11-03", "--lens", "none")
    shown = json.loads(acme("remark", "show", "1", "--json").stdout)
    assert list(shown) == [
        "remark",
        "deleted_at",
        "imported_from",
        "repeat",
        "history",
        "answers",
        "answer_count",
    ]
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
    # the old words are refused as corrected since, unless on purpose (--again)
    acme("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02", "--again")
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


def test_remark_add_and_list(run):
    run("account", "add", "Acme")
    run(
        "remark",
        "add",
        "acme",
        "We lose two days\nevery month-end",
        "--who",
        "Ann",
        "--on",
        "2026-11-02",
        "--via",
        "Phone",
        "--lens",
        "COST",
    )
    run("remark", "add", "Acme", "-", stdin="Read from stdin; kept as typed.\n")
    remarks = json.loads(run("remark", "list", "Acme", "--json").stdout)
    assert remarks[0] == {
        "id": 1,
        "account": "Acme",
        "text": "We lose two days\nevery month-end",
        "who": "Ann",
        "heard_on": "2026-11-02",
        "via": "call",
        "lens": "cost",
    }
    assert remarks[1]["text"] == "Read from stdin; kept as typed.\n"
    assert "We lose two days" in run("remark", "list").stdout
    shown = run("account", "show", "Acme").stdout
    assert "2 remarks" in shown


def test_remark_add_rejects_bad_fields_with_one_line(run):
    run("account", "add", "Acme")
    for args, word in [
        (("--lens", "hope"), "lens"),
        (("--via", "pigeon"), "via"),
        (("--on", "31/31/2026"), "on"),
    ]:
        result = run("remark", "add", "Acme", "text", *args, code=4)
        assert result.stderr.startswith(f"Error: {word}:")
        assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(run("remark", "list", "--json").stdout) == []


def test_remark_for_unknown_account_is_an_error(run):
    result = run("remark", "add", "Nobody", "hello", code=3)
    assert "no account named 'Nobody'" in result.stderr


def test_remark_add_of_an_exact_duplicate_is_a_one_line_error(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "same words", "--on", "2026-10-01")
    result = run("remark", "add", "Acme", "same words", "--on", "2026-10-01", code=4)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "already stored" in lines[0]
    run("remark", "add", "Acme", "same words", "--on", "2026-10-02")  # another day: new
    assert len(all_remarks(run)) == 2


def test_a_remark_heard_tomorrow_is_refused_as_after_today(run):
    run("account", "add", "Acme")
    result = run("remark", "add", "Acme", "x", "--on", "tomorrow", code=4)
    assert "after today" in result.stderr


def test_add_refuses_the_words_a_remark_was_corrected_from_unless_again(acme):
    acme("remark", "edit", "1", "--text", "We close in seven days.")
    refused = acme(
        "remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02", code=4
    )
    error = _one_line_error(refused)
    assert "remark #1 of 'Acme Corp' said that on 2026-11-02 before it was corrected" in error
    assert "--again" in refused.stderr and "remark show 1" in refused.stderr
    assert [r["id"] for r in _remarks(acme)] == [1, 2]
    # another day is other words heard: added as usual
    acme("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-03")
    acme("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02", "--again")
    assert [r["text"] for r in _remarks(acme)].count("We close in six days.") == 2
