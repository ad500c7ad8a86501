"""`export` and `import-all`: a backup that round-trips exactly (history and deletions too),
what export says it wrote, and older exports brought up to date."""

from __future__ import annotations

import hashlib
import json
import stat

import pytest

from tests.conftest import EXAMPLES
from tests.helpers import _export, _one_line_error


@pytest.mark.both_stores(
    "every column type round-trips; sequences go on after rows inserted with ids"
)
def test_export_import_round_trip_is_exact(example_store, run_on, tmp_path):
    example_store(
        "plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(tmp_path / "f.ics")
    )
    sheet = example_store("worksheet", "Kestrel Robotics").stdout
    filled = sheet.replace(
        "**Q:** How will I open the call?\n",
        "**Q:** How will I open the call?\nWith the fix rate.\n",
    )
    (tmp_path / "k.md").write_text(filled, encoding="utf-8")
    example_store("reflect", "Kestrel", "--from", str(tmp_path / "k.md"))

    backup = tmp_path / "backup.json"
    example_store("export", "--out", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    first = json.loads(backup.read_text(encoding="utf-8"))
    assert len(first["remarks"]) == 42 and len(first["reflections"]) == 1
    assert len(first["focus_blocks"]) >= 3

    other = run_on(tmp_path / "moved.db")
    result = other("import-all", str(backup))
    assert "42 remarks" in result.stdout
    again = json.loads(other("export").stdout)
    assert again == first

    refused = other("import-all", str(backup), code=4)
    assert "needs an empty store" in refused.stderr


def test_import_all_rejects_other_json(run, write):
    path = write("x.json", '{"hello": 1}')
    assert "not a focusblock export" in run("import-all", str(path), code=4).stderr
    bad = write("y.json", "{not json")
    assert "not a JSON export" in run("import-all", str(bad), code=4).stderr


@pytest.mark.both_stores("length limits only PostgreSQL enforces; the whole import rolled back")
def test_import_all_of_rows_that_do_not_fit_changes_nothing(run, write):
    document = {
        "format": "focusblock-export",
        "version": 1,
        "accounts": [
            {
                "id": 1,
                "name": "A",
                "name_key": "a",
                "owner": "x",
                "aliases": [],
                "domains": [],
                "stage": "pending",
                "created_at": "2026-01-01T00:00:00+00:00",
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        ],
        "remarks": [
            {
                "id": 1,
                "account_id": 99,
                "text": "t",
                "heard_on": "2026-01-01",
                "via": "call",
                "created_at": "2026-01-01T00:00:00+00:00",
            }
        ],
    }
    path = write("orphan.json", json.dumps(document))
    result = run("import-all", str(path), code=4)
    assert "'remarks' does not fit the rest of the export" in result.stderr
    assert json.loads(run("--all-owners", "export").stdout)["accounts"] == []


def test_export_says_what_it_wrote_per_owner(run, tmp_path, monkeypatch):
    for owner in ("ann@example.com", "bob@example.com"):
        monkeypatch.setenv("FOCUSBLOCK_EMAIL", owner)
        run("account", "add", f"Acme of {owner[:3]}")
    out = tmp_path / "backup.json"
    result = run("export", "--out", str(out))
    data = json.loads(out.read_text())
    assert len(data["accounts"]) == 2  # every owner's data
    assert "ann@example.com: 1 account" in result.stdout
    assert "bob@example.com: 1 account" in result.stdout


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
    # the old words are no stored remark's fingerprint now, only an earlier version's
    refused = other(
        "remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02", code=4
    )
    assert "before it was corrected" in _one_line_error(refused)
    other("remark", "add", "Acme Corp", "We close in six days.", "--on", "2026-11-02", "--again")
    again = other(
        "remark", "add", "Acme Corp", "We close in seven days.", "--on", "2026-11-02", code=4
    )
    assert "remark #1 of 'Acme Corp' already says that" in _one_line_error(again)
