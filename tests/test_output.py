"""`--json` on the commands that create or change something: each prints what it created
or changed, with its id, in the shapes README lists; and the output layer's one choice
between JSON and text."""

from __future__ import annotations

import json
import re
from datetime import UTC

import pytest

from focusblock.cli.output import Interrupted, Result, emit, say

REMARK_KEYS = {"id", "account", "text", "who", "heard_on", "via", "lens"}


def data(result):
    return json.loads(result.stdout)


def test_account_changes_print_the_account_with_its_id(run):
    added = data(run("account", "add", "Acme", "--need", "Faster close", "--json"))
    assert added["name"] == "Acme" and added["need"] == "Faster close"
    edited = data(run("account", "edit", "Acme", "--stage", "sold", "--json"))
    assert edited["id"] == added["id"] and edited["stage"] == "sold"
    renamed = data(run("account", "rename", "Acme", "Acme Corp", "--json"))
    assert renamed["id"] == added["id"]
    assert renamed["name"] == "Acme Corp" and renamed["aliases"] == ["Acme"]
    listed = data(run("account", "list", "--json"))
    assert listed == [renamed]  # the same object as an item of the list, keys and all
    assert set(added) == set(listed[0])

    run("remark", "add", "Acme Corp", "We lose two days", "--on", "2026-11-02")
    deleted = data(run("account", "delete", "Acme Corp", "--with-remarks", "--json"))
    assert deleted == {"deleted": "Acme Corp", "remarks": 1, "left_in_calendar": []}
    restored = data(run("account", "restore", "Acme Corp", "--json"))
    assert restored["id"] == added["id"] and restored["remark_count"] == 1


def test_account_merge_prints_the_account_kept_and_what_moved(run):
    into = data(run("account", "add", "Kestrel Robotics", "--json"))
    run("account", "add", "Kestrel Robotcs")
    run("remark", "add", "Kestrel Robotcs", "Parts on site", "--on", "2026-11-02")
    merged = data(run("account", "merge", "Kestrel Robotcs", "Kestrel Robotics", "--json"))
    assert set(merged) == {"merged", "into", "moved", "left_in_calendar"}
    assert merged["merged"] == "Kestrel Robotcs"
    assert merged["into"]["id"] == into["id"] and "Kestrel Robotcs" in merged["into"]["aliases"]
    assert merged["moved"] == {"remarks": 1, "answers": 0, "blocks": 0}


def test_remark_changes_print_the_remark_with_its_id(run):
    run("account", "add", "Acme")
    added = data(run("remark", "add", "Acme", "Budget is tight", "--on", "2026-11-02", "--json"))
    assert set(added) == REMARK_KEYS
    assert added["heard_on"] == "2026-11-02" and added["account"] == "Acme"
    number = str(added["id"])
    edited = data(run("remark", "edit", number, "--text", "Budget is very tight", "--json"))
    assert edited == {
        "remark": {**added, "text": "Budget is very tight"},
        "changed": True,
        "earlier_versions": 1,
    }
    again = data(run("remark", "edit", number, "--text", "Budget is very tight", "--json"))
    assert again["changed"] is False
    deleted = data(run("remark", "delete", number, "--json"))
    assert deleted == {"deleted": [edited["remark"]]}
    restored = data(run("remark", "restore", number, "--json"))
    assert restored == edited["remark"]
    run("remark", "delete", number)
    purged = data(run("remark", "purge", number, "--yes", "--json"))
    assert purged == {"purged": [added["id"]], "earlier_versions": 1, "answers": 0}


CSV = (
    "account,text,who,on\n"
    "Acme,Budget is tight,Ann,2026-11-02\n"
    "Globex,We lose two days,,2026-11-03\n"
    "Acme,Budget is tight,Ann,2026-11-02\n"
)


def test_remark_import_has_one_shape_with_ids_and_none_on_a_dry_run(run, write):
    path = str(write("notes.csv", CSV))
    run("account", "add", "Acme")
    dry = data(run("remark", "import", path, "--dry-run", "--json"))
    assert set(dry) == {"added", "skipped", "accounts_created", "warnings", "dry_run"}
    assert dry["dry_run"] is True
    assert dry["added"] == [
        {"id": None, "account": "Acme", "who": "Ann", "heard_on": "2026-11-02"},
        {"id": None, "account": "Globex", "who": None, "heard_on": "2026-11-03"},
    ]
    assert dry["skipped"] == [{"text": "Budget is tight", "why": "already stored"}]
    assert dry["accounts_created"] == ["Globex"] and dry["warnings"] == []
    assert data(run("remark", "list", "--json")) == []  # the dry run stored nothing

    done = data(run("remark", "import", path, "--json"))
    stored = {r["id"]: r for r in data(run("remark", "list", "--json"))}
    assert [a["id"] for a in done["added"]] == sorted(stored)
    for added in done["added"]:
        remark = stored[added["id"]]
        assert (remark["account"], remark["who"], remark["heard_on"]) == (
            added["account"],
            added["who"],
            added["heard_on"],
        )
    again = data(run("remark", "import", path, "--json"))
    assert again["added"] == [] and len(again["skipped"]) == 3


def test_remark_import_warns_of_ignored_columns_in_json_too(run, write):
    path = str(write("crm.csv", "account,text,on,Owner\nAcme,Budget,2026-11-02,Ann\n"))
    result = data(run("remark", "import", path, "--json"))
    assert result["warnings"] == ["Ignored columns: Owner"]
    assert result["added"][0]["account"] == "Acme"


def test_reflect_prints_what_was_saved(run, write):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "Budget is tight", "--on", "2026-11-02")
    sheet = run("worksheet", "Acme").stdout
    question = re.search(r"^\*\*Q:\*\* .*\n", sheet, re.M)
    assert question is not None
    answered = sheet[: question.end()] + "Because the board cut it.\n" + sheet[question.end() :]
    result = data(run("reflect", "Acme", "--from", str(write("a.md", answered)), "--json"))
    assert result == {"account": "Acme", "saved": 1, "already_saved": 0, "ignored": []}


def test_account_edit_has_no_rename_option(run):
    """`account rename` is the one way to rename (`edit --rename` did the same)."""
    run("account", "add", "Acme")
    result = run("account", "edit", "Acme", "--rename", "Acme Corp", code=2)
    assert "No such option" in result.stderr and "--rename" in result.stderr
    assert data(run("account", "list", "--json"))[0]["name"] == "Acme"


def test_a_list_note_goes_to_stderr_with_json_and_stdout_with_text(run):
    run("account", "add", "Acme")
    for day in ("2026-11-02", "2026-11-03"):
        run("remark", "add", "Acme", f"Said on {day}", "--on", day)
    as_json = run("remark", "list", "--limit", "1", "--json")
    assert len(data(as_json)) == 1 and "Showing the newest 1 of 2" in as_json.stderr
    as_text = run("remark", "list", "--limit", "1")
    assert "Showing the newest 1 of 2" in as_text.stdout


@pytest.mark.sqlite_only
def test_every_piped_table_is_aligned_text_with_one_empty_mark(run):
    run("account", "add", "Acme", "--next-call", "2026-12-01 10:00")
    run("account", "add", "Globex")
    out = run("account", "list").stdout
    lines = out.splitlines()
    assert lines[0] == "2 accounts"
    header = "account  stage    need  decision  next call         remarks  last heard"
    assert lines[1] == header
    assert "\t" not in out
    acme = next(line for line in lines if line.startswith("Acme"))
    assert "2026-12-01 10:00" in acme  # one format for a point in time
    globex = next(line for line in lines if line.startswith("Globex"))
    assert globex.split() == ["Globex", "pending", "-", "-", "-", "0", "-"]
    # the columns line up: every value of a column starts where its header does
    column = lines[1].index("next call")
    assert acme[column:].startswith("2026-12-01 10:00") and globex[column] == "-"


class _Shown(Result):
    def __init__(self, interrupt: bool = False) -> None:
        self.interrupt = interrupt

    def json(self, zone):
        return {"id": 7}

    def text(self, zone):
        if self.interrupt:
            raise KeyboardInterrupt
        say("seven")

    def warnings(self):
        return ["a calendar was empty"]

    def note(self):
        return "one left out"

    def kept_if_interrupted(self):
        return "remark #7 was stored"


def test_emit_is_the_one_place_that_chooses_json_or_text(capsys):
    emit(_Shown(), as_json=True, zone=UTC)
    out, err = capsys.readouterr()
    assert json.loads(out) == {"id": 7}
    assert err == "Warning: a calendar was empty\none left out\n"  # stdout stays JSON
    emit(_Shown(), as_json=False, zone=UTC)
    out, err = capsys.readouterr()
    assert out == "seven\none left out\n" and err == "Warning: a calendar was empty\n"


def test_ctrl_c_while_printing_a_change_says_what_was_kept():
    with pytest.raises(KeyboardInterrupt) as caught:
        emit(_Shown(interrupt=True), as_json=False, zone=UTC)
    assert isinstance(caught.value, Interrupted)
    assert caught.value.kept == "remark #7 was stored"
