"""CSV import: the formats real exports come in, and all-or-nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES

MULTILINE = 'Notes, her words:\n- "we reconcile the reconciliations"\n- FX; rates\n'


def remarks(run):
    return json.loads(run("remark", "list", "--json").stdout)


@pytest.mark.both_stores("bulk insert and the unique index that makes a re-import add nothing")
def test_example_file_imports_and_reimport_adds_nothing(run):
    result = run("remark", "import", str(EXAMPLES / "remarks.csv"))
    assert "Added 42 remarks" in result.stdout
    assert "6 new accounts" in result.stdout
    first = remarks(run)
    assert len(first) == 42
    again = run("remark", "import", str(EXAMPLES / "remarks.csv"))
    assert "Added 0 remarks; skipped 42 already stored" in again.stdout
    assert remarks(run) == first


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters_bom_and_multiline_cells(run, write, sep):
    quoted = '"' + MULTILINE.replace('"', '""') + '"'
    body = sep.join(["Account Name", "Note", "Date", "Contact", "Channel", "Category"]) + "\r\n"
    body += sep.join(["Nordwind", quoted, "2026-10-14", "Sabine Krüger", "Meeting", ""]) + "\r\n"
    body += sep.join(["Ωmega Systems", "Привет 👋", "2026-10-15", "", "email", "worry"]) + "\r\n"
    path = write("export.csv", b"\xef\xbb\xbf" + body.encode("utf-8"))
    run("remark", "import", str(path))
    got = remarks(run)
    by_account = {r["account"]: r for r in got}
    assert by_account["Nordwind"]["text"] == MULTILINE
    assert by_account["Nordwind"]["who"] == "Sabine Krüger"
    assert by_account["Nordwind"]["via"] == "meeting"
    assert by_account["Nordwind"]["lens"] is None
    assert by_account["Ωmega Systems"]["text"] == "Привет 👋"
    assert by_account["Ωmega Systems"]["lens"] == "worry"


def test_only_account_and_text_are_required(run, write):
    path = write("min.csv", "ACCOUNT,TEXT\nAcme,hello\n")
    run("remark", "import", str(path))
    (remark,) = remarks(run)
    assert remark["via"] == "other" and remark["lens"] is None and remark["heard_on"]


def test_a_bad_row_aborts_everything_and_lists_every_bad_row(run, write):
    run("account", "add", "Acme")
    path = write(
        "bad.csv",
        "account,text,on,via,lens\n"
        "Acme,fine,2026-10-01,call,need\n"
        "Acme,,2026-10-02,call,\n"
        "Newco,fine too,yesterday-ish,call,\n"
        "Acme,ok,2026-10-03,pigeon,\n"
        "Acme,ok,2026-10-04,call,hope\n",
    )
    result = run("remark", "import", str(path), code=4)
    lines = result.stderr.strip().splitlines()
    assert "4 bad rows; nothing was imported" in lines[0]
    assert any("row 3: text" in line for line in lines)
    assert any("row 4: on" in line for line in lines)
    assert any("row 5: via" in line for line in lines)
    assert any("row 6: lens" in line for line in lines)
    assert remarks(run) == []
    names = [a["name"] for a in json.loads(run("account", "list", "--json").stdout)]
    assert names == ["Acme"]  # Newco was not created either


def test_dry_run_changes_nothing(run, write):
    path = write("r.csv", "account,text\nAcme,hello\nAcme,again\n")
    result = run("remark", "import", str(path), "--dry-run")
    assert "Would add 2 remarks" in result.stdout
    assert "Would add 1 new account: Acme" in result.stdout
    assert remarks(run) == []
    assert json.loads(run("account", "list", "--json").stdout) == []


def test_duplicates_inside_one_file_are_skipped(run, write):
    path = write("d.csv", "account,text,on\nAcme,same,2026-10-01\nacme,same,2026-10-01\n")
    result = run("remark", "import", str(path))
    assert "Added 1 remark; skipped 1" in result.stdout


def test_not_utf8_is_a_clear_error(run, write):
    path = write("cp1252.csv", "account,text\nCaf\xe9,na\xefve\n".encode("cp1252"))
    result = run("remark", "import", str(path), code=4)
    assert "not UTF-8" in result.stderr and "cp1252.csv" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_column_names_what_was_found(run, write):
    path = write("nocol.csv", "customer name,when\nAcme,2026-10-01\n")
    result = run("remark", "import", str(path), code=4)
    assert "no 'text' column" in result.stderr


def test_missing_file_is_a_usage_error(run, tmp_path):
    result = run("remark", "import", str(tmp_path / "nope.csv"), code=4)
    assert "nope.csv" in result.stderr
