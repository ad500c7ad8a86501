"""Piped tables: aligned plain text, nothing cut, wide letters counted as two columns,
and customer text made safe as on a terminal."""

from __future__ import annotations

from focusblock.cli.output import plain_table, width


def test_columns_line_up_with_wide_letters_and_line_breaks():
    text = plain_table(
        "2 remarks",
        ("id", "who", "what they said"),
        [("#1", "田中", "first line\nsecond line"), ("#12", "Ann", "x" * 300)],
        show_header=True,
    )
    lines = text.splitlines()
    assert lines[0] == "2 remarks"
    assert lines[1] == "id   who   what they said"
    assert lines[2] == "#1   田中  first line"
    assert lines[3] == "           second line"  # continues under its own column
    assert lines[4] == "#12  Ann   " + "x" * 300  # nothing cut
    assert width("田中") == 4 and width("é") == 1 and width("e\u0301") == 1
    assert width("👍\ufe0f") == 2 and width("a\u200db") == 2  # selector and joiner: none


def test_a_piped_remark_list_is_plain_and_safe(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "[bold]Budget[/bold] \x1b[31mred\x1b[0m\ttab")
    out = run("remark", "list").stdout
    assert "┃" not in out and "│" not in out
    row = next(line for line in out.splitlines() if line.startswith("#1"))
    assert row.endswith("[bold]Budget[/bold] \\x1b[31mred\\x1b[0m  tab")  # tab to a stop
    assert "\x1b" not in out


def test_remark_list_all_lines_up_wide_names_too(run):
    run("account", "add", "田中商事")
    run("account", "add", "Acme")
    run("remark", "add", "田中商事", "納期が遅い", "--on", "2026-11-02")
    run("remark", "add", "Acme", "late", "--on", "2026-11-02")
    rows = [line for line in run("remark", "list", "--all").stdout.splitlines() if "#" in line]
    assert len({width(row[: row.index("2026-11-02")]) for row in rows}) == 1, rows
