"""Golden files: the bundled examples' plan, .ics, worksheets and busy time, byte for byte.

They pin what users see, so that moving code cannot change it unnoticed. Compared after a
small normaliser (the test's temporary folder, DTSTAMP). Regenerate only on purpose:
`FOCUSBLOCK_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`, then read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO
from tests.helpers import in_terminal

GOLDEN = Path(__file__).parent / "golden"
CALENDAR = str(EXAMPLES / "calendar.ics")
UPDATE = os.environ.get("FOCUSBLOCK_UPDATE_GOLDEN") == "1"


def normalise(text: str, tmp_path: Path) -> str:
    text = text.replace("\r\n", "\n")
    text = text.replace(str(tmp_path), "<TMP>").replace(str(REPO), "<REPO>")
    text = re.sub(r"^DTSTAMP:\d{8}T\d{6}Z$", "DTSTAMP:<NOW>", text, flags=re.M)
    # UIDs hash the account's creation time (the real clock): number them by first use
    uids: dict[str, str] = {}
    text = re.sub(
        r"\d{4}-w\d{2}-[0-9a-f]{20}@focusblock",
        lambda m: uids.setdefault(m.group(0), f"<UID-{len(uids) + 1}>"),
        text,
    )
    # Rich pads table cells to the terminal width; trailing blanks carry no meaning
    return "\n".join(line.rstrip() for line in text.split("\n"))


def check(name: str, actual: str, tmp_path: Path) -> None:
    path = GOLDEN / name
    actual = normalise(actual, tmp_path)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"{path} is missing; create it with FOCUSBLOCK_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from tests/golden/{name}"


@pytest.fixture
def planned(example_store, tmp_path):
    out = tmp_path / "out" / "focus.ics"
    table = example_store("plan", "--busy", CALENDAR, "--out", str(out)).stdout
    return example_store, out, table


@pytest.mark.both_stores("ordering: golden files pin it, so ORDER BY and collation must agree")
def test_plan_table_ics_and_worksheets(planned, tmp_path):
    _, out, table = planned
    check("plan-table.txt", table, tmp_path)
    check("plan.ics", out.read_text(encoding="utf-8"), tmp_path)
    check("kestrel.md", (out.parent / "2026-W49-kestrel-robotics.md").read_text(), tmp_path)
    check("kestrel.html", (out.parent / "2026-W49-kestrel-robotics.html").read_text(), tmp_path)
    written = sorted(p.name for p in out.parent.iterdir())
    check("plan-files.txt", "\n".join(written) + "\n", tmp_path)


@pytest.mark.both_stores("ordering and times with zones, pinned by a golden file")
def test_plan_json(example_store, tmp_path):
    out = tmp_path / "f.ics"
    data = example_store("plan", "--busy", CALENDAR, "--json", "--out", str(out)).stdout
    check("plan.json", data, tmp_path)


def test_busy_json(example_store, tmp_path):
    check("busy.json", example_store("busy", "--busy", CALENDAR, "--json").stdout, tmp_path)


def test_worksheet_command(example_store, tmp_path):
    check("worksheet-oceane.md", example_store("worksheet", "Oceane").stdout, tmp_path)


def test_account_and_remark_tables(example_store, tmp_path):
    check("account-list.txt", example_store("account", "list").stdout, tmp_path)
    check("account-list.json", example_store("account", "list", "--json").stdout, tmp_path)
    check("account-show.txt", example_store("account", "show", "Kestrel").stdout, tmp_path)
    check("remark-list.txt", example_store("remark", "list", "Nordwind").stdout, tmp_path)
    check("remark-list.json", example_store("remark", "list", "--json").stdout, tmp_path)


@pytest.mark.sqlite_only
@pytest.mark.slow  # a subprocess in a terminal
def test_golden_account_list_of_the_examples_at_80_columns(example_store, store_target, tmp_path):
    check("account-list-80.txt", in_terminal("--db", store_target, "account", "list"), tmp_path)
