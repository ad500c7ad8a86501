"""Weeks, dates and times typed by hand are read exactly, never guessed.

`--week` takes this, next, last, YYYY-Www or a date (YYYY-MM-DD, or written out with a
month name and a four-digit year); anything else, and anything out of range, is a
one-line error. No answer comes from the real clock when FOCUSBLOCK_NOW pins it.
"""

from __future__ import annotations

import json

import pytest

from focusblock.dates import parse_week


def one_line_error(result, code: int = 4) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.stderr
    return lines[0]


NOT_WEEKS = [
    "5",  # was: the 5th of the real clock's month
    "2026",  # was: today's date in 2026, from the real clock
    "-1",  # was: the 1st of the real clock's month
    "12/09/2026",  # 12 September or December 9: ambiguous
    "December 2026",  # no day: it would come from the real clock
    "2026-12-09T10:00",  # a moment, not a date
    "today",
    "W49",
    "2026-W54",
    "2026-02-30",
]
OUT_OF_RANGE = ["0001-W01", "0001-01-01", "1899-W52", "9999-W52", "9999-12-31", "9001-01-01"]


# plan with --dry-run: were a week wrongly taken, nothing would be written to the cwd
COMMANDS = {"plan": ("plan", "--dry-run"), "busy": ("busy",)}


@pytest.mark.sqlite_only  # the week is read before any store is opened
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("week", NOT_WEEKS)
def test_what_is_not_a_week_is_one_line(run, command, week):
    line = one_line_error(run(*COMMANDS[command], "--week", week, code=None))
    assert line.startswith(f"Error: --week: {week!r} is not a week")
    assert "this, next, last, YYYY-Www" in line


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("week", OUT_OF_RANGE)
def test_weeks_out_of_range_are_one_line(run, command, week):
    line = one_line_error(run(*COMMANDS[command], "--week", week, code=None))
    assert f"--week: {week!r}" in line and "1900" in line and "9000" in line


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("week", "label"),
    [
        ("this", "2026-W48"),
        ("next", "2026-W49"),
        ("last", "2026-W47"),
        ("2026-W50", "2026-W50"),
        ("2026-w01", "2026-W01"),
        ("2026-12-09", "2026-W50"),
        ("9 December 2026", "2026-W50"),
        ("Dec 9, 2026", "2026-W50"),
        ("1900-W01", "1900-W01"),
        ("9000-W52", "9000-W52"),
    ],
)
def test_the_forms_of_a_week(run, week, label):
    assert json.loads(run("busy", "--week", week, "--json").stdout)["week"] == label


@pytest.mark.sqlite_only
def test_relative_weeks_follow_the_pinned_clock(run, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2031-03-05T12:00:00+01:00")
    weeks = {
        w: json.loads(run("busy", "--week", w, "--json").stdout)["week"]
        for w in ("this", "next", "last")
    }
    assert weeks == {"this": "2031-W10", "next": "2031-W11", "last": "2031-W09"}


@pytest.mark.parametrize("moment", ["9999-12-31", "9999-12-31 23:59", "1066-10-14 09:00"])
def test_a_next_call_out_of_range_is_one_line(run, moment):
    line = one_line_error(run("account", "add", "Acme", "--next-call", moment, code=None))
    assert f"--next-call: {moment!r}" in line and "1900" in line
    run("account", "add", "Acme", "--next-call", "2026-12-01 10:00")
    line = one_line_error(run("account", "edit", "Acme", "--next-call", moment, code=None))
    assert "--next-call" in line


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "pinned",
    [
        "2026-11-25T09:00:00+99:00",
        "2026-11-25 09:00 +2400",
        "9999-12-31T23:00:00",
        "0001-01-01T00:00",
        "5",
    ],
)
def test_a_pinned_clock_out_of_range_is_one_line(run, monkeypatch, pinned):
    monkeypatch.setenv("FOCUSBLOCK_NOW", pinned)
    line = one_line_error(run("busy", code=None))
    assert "FOCUSBLOCK_NOW" in line and repr(pinned) in line


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("plan", "--dry-run"), ("config",)])
def test_a_working_time_with_an_offset_is_one_line(run, monkeypatch, command):
    monkeypatch.setenv("FOCUSBLOCK_WORK_START", "09:00+05:00")
    line = one_line_error(run(*command, code=None), code=5)
    assert "FOCUSBLOCK_WORK_START" in line and "09:00+05:00" in line and "HH:MM" in line


@pytest.mark.sqlite_only
def test_a_bare_number_is_not_a_remark_date(run):
    run("account", "add", "Acme")
    line = one_line_error(run("remark", "add", "Acme", "We need it by May", "--on", "5", code=None))
    assert "'5' is not a date" in line


def test_parse_week_takes_today_as_given():
    from datetime import date

    assert parse_week("next", date(1950, 6, 14)).label == "1950-W25"
    assert parse_week(None, date(2026, 11, 25)).label == "2026-W49"


# An empty value is a mistake (an unset variable in a script: --on "$DAY"), not the default:
# before, --on "" stored the remark as heard today, `remark edit --on ""` re-dated it to
# today, and --week "" planned next week, all without a word.
@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "args",
    [
        ("remark", "add", "Acme", "Budget is tight.", "--on", ""),
        ("remark", "add", "Acme", "Budget is tight.", "--on", "  "),
        ("remark", "edit", "1", "--on", ""),
        ("remark", "list", "--since", ""),
        ("account", "show", "Acme", "--since", " "),
        ("plan", "--dry-run", "--week", ""),
        ("busy", "--week", " "),
    ],
)
def test_an_empty_date_or_week_is_refused_not_defaulted(run, args):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "First words.", "--on", "2026-11-02")
    line = one_line_error(run(*args, code=4))
    assert "is empty" in line and "expected" in line, line
    remarks = json.loads(run("remark", "list", "--json").stdout)
    assert [(r["text"], r["heard_on"]) for r in remarks] == [("First words.", "2026-11-02")]


# Nothing of a date may come from the real clock (the tests pin it to 2026-11-25, the
# machine's differs): before, these took the day, the month or "tomorrow" from it, or read
# 03.04.2031 month first without asking.
@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "args",
    [
        ("remark", "add", "Acme", "x", "--on", "October 2025 10:30"),
        ("account", "edit", "Acme", "--next-call", "Dec 2031"),
        ("account", "edit", "Acme", "--decision-date", "10:30"),
        ("account", "edit", "Acme", "--decision-date", "03.04.2031"),
    ],
)
def test_a_date_missing_a_part_or_read_two_ways_is_refused(run, args):
    run("account", "add", "Acme")
    line = one_line_error(run(*args, code=4))
    assert "not a date" in line or "could be" in line, line


@pytest.mark.sqlite_only
def test_decision_date_tomorrow_follows_the_pinned_clock(run):
    run("account", "add", "Acme", "--decision-date", "tomorrow")
    shown = json.loads(run("account", "show", "Acme", "--json").stdout)
    assert shown["account"]["decision_date"] == "2026-11-26"


# --next-call is read like every other date (issue 20): before, "09/12/2026 14:00" was
# stored as Sat 12 Sep 2026, a past Saturday, without a word, and "2026-12-09" meant
# midnight. The clock is pinned to Wed 2026-11-25 09:00 in New York.
def _stored_call(run) -> str | None:
    return json.loads(run("account", "show", "Acme", "--json").stdout)["account"]["next_call"]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["add", "edit"])
def test_a_next_call_read_two_ways_is_refused_naming_both(run, command):
    if command == "edit":
        run("account", "add", "Acme")
    args = ("account", command, "Acme", "--next-call", "09/12/2026 14:00")
    line = one_line_error(run(*args, code=4))
    assert "--next-call" in line and "9 December" in line and "12 September" in line, line
    if command == "edit":
        assert _stored_call(run) is None


@pytest.mark.sqlite_only
def test_a_next_call_without_a_time_is_refused_with_a_hint(run):
    run("account", "add", "Acme")
    result = run("account", "edit", "Acme", "--next-call", "2026-12-09", code=4)
    assert "Traceback" not in result.stderr
    assert "--next-call: '2026-12-09'" in result.stderr and "no time" in result.stderr
    assert "add a time: --next-call '2026-12-09 14:00'" in result.stderr
    assert _stored_call(run) is None


@pytest.mark.sqlite_only
def test_a_next_call_in_the_past_is_refused_unless_past(run):
    run("account", "add", "Acme")
    line = one_line_error(run("account", "edit", "Acme", "--next-call", "2026-11-24 14:00", code=4))
    assert "--next-call" in line and "in the past" in line and "--past" in line, line
    assert _stored_call(run) is None
    run("account", "edit", "Acme", "--next-call", "2026-11-24 14:00", "--past")
    assert _stored_call(run) == "2026-11-24T14:00:00-05:00"
    line = one_line_error(run("account", "add", "Beta", "--next-call", "2026-11-25 08:59", code=4))
    assert "in the past" in line


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-12-09 14:00", "2026-12-09T14:00:00-05:00"),
        ("2026-12-09T14:00", "2026-12-09T14:00:00-05:00"),
        ("2026-12-09 14:00+01:00", "2026-12-09T08:00:00-05:00"),
        ("13/12/2026 14:00", "2026-12-13T14:00:00-05:00"),
        ("12/13/2026 2:30 pm", "2026-12-13T14:30:00-05:00"),
        ("9 December 2026 14:00", "2026-12-09T14:00:00-05:00"),
        ("Dec 9, 2026 09:30", "2026-12-09T09:30:00-05:00"),
        ("tomorrow 10:30", "2026-11-26T10:30:00-05:00"),
        ("2026-12-09 00:00", "2026-12-09T00:00:00-05:00"),
    ],
)
def test_the_forms_of_a_next_call(run, typed, stored):
    run("account", "add", "Acme", "--next-call", typed)
    assert _stored_call(run) == stored


@pytest.mark.sqlite_only
@pytest.mark.parametrize("typed", ["14:00", "2026-12-09 25:00", "next tuesday 14:00", "5 14:00"])
def test_what_is_not_a_next_call_is_one_line(run, typed):
    line = one_line_error(run("account", "add", "Acme", "--next-call", typed, code=4))
    assert f"--next-call: {typed!r}" in line or "--next-call: '" in line, line
