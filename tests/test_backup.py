"""`export` and `import-all`: a backup that round-trips exactly."""

from __future__ import annotations

import json
import stat

import pytest

from tests.conftest import EXAMPLES


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
