"""What a newcomer's trial on a fresh clone found: each case once went wrong silently."""

from __future__ import annotations

from tests.conftest import EXAMPLES

CALENDAR = str(EXAMPLES / "calendar.ics")


def test_a_calendar_folder_with_nothing_readable_is_refused_by_plan(run, tmp_path):
    run("account", "add", "Acme", "--need", "n", "--consequence", "c")
    run("remark", "add", "Acme", "We need it", "--on", "2026-11-20")
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_text("not a calendar")
    (junk / "b.ics").write_bytes(b"\x00\x01\x02 binary")
    out = tmp_path / "f.ics"
    result = run("plan", "--busy", str(junk), "--out", str(out), code=4)
    assert "no readable event" in result.stderr and "--allow-empty" in result.stderr
    assert not out.exists()
    run("plan", "--busy", str(junk), "--out", str(out), "--allow-empty")
    assert out.exists()


def test_the_strip_gives_a_call_in_another_zone_in_your_zone(example_store):
    strip = example_store("busy", "--busy", CALENDAR, "--week", "2026-W50", "--grid").stdout
    nordwind = next(line for line in strip.splitlines() if "Nordwind" in line and "!" in line)
    # the Jour fixe is 16:00 in Berlin: 10:00 in New York, where the bar draws it
    assert "10:00 Nordwind" in nordwind and "16:00" not in nordwind


def test_a_huge_header_line_is_not_echoed_whole(run, tmp_path):
    line = tmp_path / "oneline.csv"
    line.write_text("a" * 200_000)
    result = run("remark", "import", str(line), code=4)
    assert len(result.stderr) < 1_000


def test_a_worksheet_written_to_a_pipe_is_the_file_exactly(run, tmp_path):
    name = "Esc\x1b[2JCorp"
    run("account", "add", name)
    run("remark", "add", name, "clear \x1b[2J screen", "--on", "2026-11-20")
    piped = run("worksheet", name).stdout  # CliRunner's stdout is not a terminal
    out = tmp_path / "w.md"
    run("worksheet", name, "--out", str(out))
    assert piped == out.read_text(encoding="utf-8")


def test_a_remark_heard_tomorrow_is_refused_as_after_today(run):
    run("account", "add", "Acme")
    result = run("remark", "add", "Acme", "x", "--on", "tomorrow", code=4)
    assert "after today" in result.stderr
