"""With --private, a per-account code tells blocks apart with no customer name."""

from __future__ import annotations

from tests.conftest import EXAMPLES
from tests.ics_checks import check_ics

CALENDAR = str(EXAMPLES / "calendar.ics")


def test_a_private_block_carries_the_accounts_code_and_no_name(example_store, tmp_path):
    example_store("account", "edit", "Kestrel Robotics", "--code", "K7")
    out = tmp_path / "private.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out), "--private")
    titles = sorted(str(e["SUMMARY"]) for e in check_ics(out))
    assert "Focus block K7" in titles
    assert all(t == "Focus block" for t in titles if t != "Focus block K7")
    raw = out.read_text(encoding="utf-8")
    assert "Kestrel" not in raw and "kestrel" not in raw


def test_a_code_is_short_and_plain(run):
    run("account", "add", "Acme")
    result = run("account", "edit", "Acme", "--code", "Acme Corp secret deal", code=4)
    assert "--code" in result.stderr and len(result.stderr.strip().splitlines()) == 1
