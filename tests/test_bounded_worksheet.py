"""A huge account's worksheet stays printable: what matters now in full, the rest counted."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES


def _answer_first_question(run, tmp_path, account: str) -> None:
    sheet = run("worksheet", account).stdout
    marker = "**Q:** "
    cut = sheet.index("\n", sheet.index(marker)) + 1
    path = tmp_path / "filled.md"
    path.write_text(sheet[:cut] + "Seen it.\n" + sheet[cut:], encoding="utf-8")
    run("reflect", account, "--from", str(path))


@pytest.mark.both_stores("paging with ordering and counts in SQL")
def test_a_big_worksheet_shows_the_unreflected_and_latest_and_counts_the_rest(run, tmp_path):
    run("account", "add", "Giant", "--need", "speed")
    rows = ["account,text,on"] + [
        f"Giant,Remark number {i:03d} about the close,2026-{1 + i // 28:02d}-{1 + i % 28:02d}"
        for i in range(130)
    ]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("remark", "import", str(tmp_path / "big.csv"))
    _answer_first_question(run, tmp_path, "Giant")  # remark 000, the oldest, is reflected on
    sheet = run("worksheet", "Giant").stdout
    assert sheet.count("\n### ") == 100
    assert "Remark number 129" in sheet and "Remark number 000" not in sheet
    assert "Not shown here: 30 more remarks" in sheet
    assert "(1 of them reflected on already)" in sheet
    assert "focusblock worksheet 'Giant' --all" in sheet
    every = run("worksheet", "Giant", "--all").stdout
    assert every.count("\n### ") == 130 and "Not shown" not in every


def test_a_small_worksheet_is_whole_and_says_nothing_is_left_out(example_store):
    sheet = example_store("worksheet", "Kestrel").stdout
    assert "Not shown" not in sheet


def test_the_plan_packet_is_bounded_too(run, tmp_path):
    run("account", "add", "Giant", "--need", "n", "--consequence", "c")
    rows = ["account,text,on"] + [
        f"Giant,Said thing {i:03d},2026-11-{1 + i % 20:02d}" for i in range(120)
    ]
    (tmp_path / "big.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    run("remark", "import", str(tmp_path / "big.csv"))
    out = tmp_path / "w" / "f.ics"
    data = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    (block,) = data["blocks"]
    sheet = (out.parent / block["worksheet"].replace(".html", ".md")).read_text()
    assert sheet.count("\n### ") == 100 and "Not shown here: 20 more remarks" in sheet
