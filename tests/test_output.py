"""What commands print: tables on a terminal and piped, counts in words, customer text shown
as text, and `--json` on the commands that create or change something: each prints what it
created or changed, with its id, in the shapes README lists; and the output layer's one
choice between JSON and text."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import string
import unicodedata
from datetime import UTC

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.cli.output import Interrupted, Result, emit, plain_table, say, width
from tests.helpers import CALENDAR, in_terminal

REMARK_KEYS = {"id", "account", "text", "who", "heard_on", "via", "lens"}


def data(result):
    return json.loads(result.stdout)


def test_account_changes_print_the_account_with_its_id(run):
    added = data(run("account", "add", "Acme", "--need", "Faster close", "--json"))
    assert added["name"] == "Acme" and added["need"] == "Faster close"
    edited = data(run("account", "edit", "Acme", "--stage", "sold", "--json"))
    assert edited["id"] == added["id"] and edited["stage"] == "sold"
    renamed = data(run("account", "rename", "Acme", "Acme Corp", "--json"))
    assert renamed["id"] == added["id"]
    assert renamed["name"] == "Acme Corp" and renamed["aliases"] == ["Acme"]
    listed = data(run("account", "list", "--json"))
    assert listed == [renamed]  # the same object as an item of the list, keys and all
    assert set(added) == set(listed[0])

    run("remark", "add", "Acme Corp", "We lose two days", "--on", "2026-11-02")
    deleted = data(run("account", "delete", "Acme Corp", "--with-remarks", "--json"))
    assert deleted.pop("id") == added["id"]
    assert deleted == {"deleted": "Acme Corp", "remarks": 1, "left_in_calendar": []}
    restored = data(run("account", "restore", "Acme Corp", "--json"))
    assert restored["id"] == added["id"] and restored["remark_count"] == 1


def test_account_merge_prints_the_account_kept_and_what_moved(run):
    into = data(run("account", "add", "Kestrel Robotics", "--json"))
    run("account", "add", "Kestrel Robotcs")
    run("remark", "add", "Kestrel Robotcs", "Parts on site", "--on", "2026-11-02")
    merged = data(run("account", "merge", "Kestrel Robotcs", "Kestrel Robotics", "--json"))
    assert set(merged) == {"merged", "into", "moved", "left_in_calendar", "kept_facts"}
    assert merged["merged"] == "Kestrel Robotcs"
    assert merged["into"]["id"] == into["id"] and "Kestrel Robotcs" in merged["into"]["aliases"]
    assert merged["moved"] == {"remarks": 1, "answers": 0, "blocks": 0}


def test_remark_changes_print_the_remark_with_its_id(run):
    run("account", "add", "Acme")
    added = data(run("remark", "add", "Acme", "Budget is tight", "--on", "2026-11-02", "--json"))
    assert set(added) == REMARK_KEYS
    assert added["heard_on"] == "2026-11-02" and added["account"] == "Acme"
    number = str(added["id"])
    edited = data(run("remark", "edit", number, "--text", "Budget is very tight", "--json"))
    assert edited == {
        "remark": {**added, "text": "Budget is very tight"},
        "changed": True,
        "earlier_versions": 1,
    }
    again = data(run("remark", "edit", number, "--text", "Budget is very tight", "--json"))
    assert again["changed"] is False
    deleted = data(run("remark", "delete", number, "--json"))
    assert deleted == {"deleted": [edited["remark"]]}
    restored = data(run("remark", "restore", number, "--json"))
    assert restored == edited["remark"]
    run("remark", "delete", number)
    purged = data(run("remark", "purge", number, "--yes", "--json"))
    assert purged == {"purged": [added["id"]], "earlier_versions": 1, "answers": 0}


CSV = (
    "account,text,who,on\n"
    "Acme,Budget is tight,Ann,2026-11-02\n"
    "Globex,We lose two days,,2026-11-03\n"
    "Acme,Budget is tight,Ann,2026-11-02\n"
)


def test_remark_import_has_one_shape_with_ids_and_none_on_a_dry_run(run, write):
    path = str(write("notes.csv", CSV))
    run("account", "add", "Acme")
    dry = data(run("remark", "import", path, "--dry-run", "--json"))
    assert set(dry) == {
        "added",
        "skipped",
        "accounts_created",
        "people_added",
        "activity_types",
        "warnings",
        "dry_run",
    }
    assert dry["dry_run"] is True
    assert dry["added"] == [
        {
            "id": None,
            "account": "Acme",
            "who": "Ann",
            "heard_on": "2026-11-02",
            "source": "notes.csv row 2",
        },
        {
            "id": None,
            "account": "Globex",
            "who": None,
            "heard_on": "2026-11-03",
            "source": "notes.csv row 3",
        },
    ]
    assert dry["skipped"] == [{"text": "Budget is tight", "why": "already stored"}]
    assert dry["accounts_created"] == ["Globex"] and dry["warnings"] == []
    assert data(run("remark", "list", "--json")) == []  # the dry run stored nothing

    done = data(run("remark", "import", path, "--json"))
    stored = {r["id"]: r for r in data(run("remark", "list", "--json"))}
    assert [a["id"] for a in done["added"]] == sorted(stored)
    for added in done["added"]:
        remark = stored[added["id"]]
        assert (remark["account"], remark["who"], remark["heard_on"]) == (
            added["account"],
            added["who"],
            added["heard_on"],
        )
    again = data(run("remark", "import", path, "--json"))
    assert again["added"] == [] and len(again["skipped"]) == 3


def test_remark_import_warns_of_ignored_columns_in_json_too(run, write):
    path = str(write("crm.csv", "account,text,on,Owner\nAcme,Budget,2026-11-02,Ann\n"))
    result = data(run("remark", "import", path, "--json"))
    assert result["warnings"] == ["Ignored columns: Owner"]
    assert result["added"][0]["account"] == "Acme"


def test_reflect_prints_what_was_saved(run, write):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "Budget is tight", "--on", "2026-11-02")
    sheet = run("worksheet", "Acme").stdout
    question = re.search(r"^\*\*Q:\*\* .*\n", sheet, re.M)
    assert question is not None
    answered = sheet[: question.end()] + "Because the board cut it.\n" + sheet[question.end() :]
    result = data(run("reflect", "Acme", "--from", str(write("a.md", answered)), "--json"))
    ids = result.pop("ids")
    assert result == {"account": "Acme", "saved": 1, "already_saved": 0, "about_earlier_words": 0}
    assert [r["id"] for r in json.loads(run("export").stdout)["reflections"]] == ids


def test_account_edit_has_no_rename_option(run):
    """`account rename` is the one way to rename (`edit --rename` did the same)."""
    run("account", "add", "Acme")
    result = run("account", "edit", "Acme", "--rename", "Acme Corp", code=2)
    assert "No such option" in result.stderr and "--rename" in result.stderr
    assert data(run("account", "list", "--json"))[0]["name"] == "Acme"


def test_a_list_note_goes_to_stderr_with_json_and_stdout_with_text(run):
    run("account", "add", "Acme")
    for day in ("2026-11-02", "2026-11-03"):
        run("remark", "add", "Acme", f"Said on {day}", "--on", day)
    as_json = run("remark", "list", "--limit", "1", "--json")
    assert len(data(as_json)) == 1 and "Showing the newest 1 of 2" in as_json.stderr
    as_text = run("remark", "list", "--limit", "1")
    assert "Showing the newest 1 of 2" in as_text.stdout


@pytest.mark.sqlite_only
def test_every_piped_table_is_aligned_text_with_one_empty_mark(run):
    run("account", "add", "Acme", "--next-call", "2026-12-01 10:00")
    run("account", "add", "Globex")
    out = run("account", "list").stdout
    lines = out.splitlines()
    assert lines[0] == "2 accounts"
    header = "account  stage    need  decision  next call         remarks  last heard"
    assert lines[1] == header
    assert "\t" not in out
    acme = next(line for line in lines if line.startswith("Acme"))
    assert "2026-12-01 10:00" in acme  # one format for a point in time
    globex = next(line for line in lines if line.startswith("Globex"))
    assert globex.split() == ["Globex", "pending", "-", "-", "-", "0", "-"]
    # the columns line up: every value of a column starts where its header does
    column = lines[1].index("next call")
    assert acme[column:].startswith("2026-12-01 10:00") and globex[column] == "-"


class _Shown(Result):
    def __init__(self, interrupt: bool = False) -> None:
        self.interrupt = interrupt

    def json(self, zone):
        return {"id": 7}

    def text(self, zone):
        if self.interrupt:
            raise KeyboardInterrupt
        say("seven")

    def warnings(self):
        return ["a calendar was empty"]

    def note(self):
        return "one left out"

    def kept_if_interrupted(self):
        return "remark #7 was stored"


def test_emit_is_the_one_place_that_chooses_json_or_text(capsys):
    emit(_Shown(), as_json=True, zone=UTC)
    out, err = capsys.readouterr()
    assert json.loads(out) == {"id": 7}
    assert err == "Warning: a calendar was empty\none left out\n"  # stdout stays JSON
    emit(_Shown(), as_json=False, zone=UTC)
    out, err = capsys.readouterr()
    assert out == "seven\none left out\n" and err == "Warning: a calendar was empty\n"


def test_ctrl_c_while_printing_a_change_says_what_was_kept():
    with pytest.raises(KeyboardInterrupt) as caught:
        emit(_Shown(interrupt=True), as_json=False, zone=UTC)
    assert isinstance(caught.value, Interrupted)
    assert caught.value.kept == "remark #7 was stored"


# --- customer text is shown as text ------------------------------------------------------

HOSTILE = [
    "[/bold] x",
    "Globex [/i]",
    "[sso] sign-on",
    "[link=https://evil.example]click[/link]",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07title",
    "abc\u202eevil",
]


def _shown_safely(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_printed_as_text(run, text, tmp_path, write):
    name = f"Acme {text}".replace("\u202e", "")  # refused in a name (test_hostile_input)
    run("account", "add", name, "--need", text)
    run("remark", "add", name, text, "--on", "2026-11-20", "--who", text)
    for args in (
        ("remark", "list"),
        ("account", "list"),
        ("account", "show", name),
        ("plan", "--busy", CALENDAR, "--out", str(tmp_path / "f.ics")),
    ):
        result = run(*args)
        _shown_safely(result.stdout + result.stderr)
    listed = run("remark", "list").stdout
    visible = text.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\u202e", "\\u202e")
    assert visible.split()[0] in listed
    invite = write(
        "invite.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:x@example.com\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:20261201T150000Z\r\n"
        f"DTEND:20261201T160000Z\r\nSUMMARY:Quarterly review {text}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    busy = run("busy", "--busy", str(invite))
    _shown_safely(busy.stdout + busy.stderr)
    assert "Quarterly review" in busy.stdout


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from([*string.printable, "\x1b", "\x07", "\u202e", "[", "]", "/"]),
        min_size=1,
        max_size=40,
    ).filter(lambda t: t.strip() and t.strip() != "-")  # "-" reads the remark from stdin
)
def test_any_text_prints_without_crash_or_escape(tmp_path_factory, migrated_sqlite, text):
    from tests.conftest import make_runner as runner

    target = str(tmp_path_factory.mktemp("s") / "s.db")
    shutil.copyfile(migrated_sqlite, target)  # a new store per example, migrated once
    run = runner(target)
    # a name refuses invisible characters (test_hostile_input); the remark keeps them
    name = "Acme " + " ".join(text.replace("\u202e", "").split())[:60]
    run("account", "add", "--", name)
    run("remark", "add", "--on", "2026-11-20", "--", name, text)
    for args in (("remark", "list"), ("account", "list"), ("account", "show", name)):
        result = run(*args)
        _shown_safely(result.stdout + result.stderr)


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


# --- account list: readable at 80 columns, whole values when piped ----------------------

LONG_NEED = "Close the books in three days instead of six, before the new CFO starts"


@pytest.fixture
def accounts(run):
    run(
        "account",
        "add",
        "Nordwind Logistik GmbH",
        "--need",
        LONG_NEED,
        "--decision-date",
        "2027-01-29",
        "--next-call",
        "2026-12-08 10:00",
    )
    run("account", "add", "Halvorsen & Dahl", "--stage", "not-sold")
    run("account", "add", "Kestrel Robotics", "--need", "Parts on site", "--stage", "sold")
    for day in ("2026-11-17", "2026-11-18"):
        run("remark", "add", "Nordwind Logistik GmbH", f"We said something on {day}", "--on", day)
    run("remark", "add", "Halvorsen & Dahl", "Not this year", "--on", "2026-09-01")
    return run


@pytest.mark.sqlite_only
@pytest.mark.slow  # a subprocess in a terminal
def test_account_list_fits_an_80_column_terminal_and_cuts_only_the_need(accounts, store_target):
    text = in_terminal("--db", store_target, "account", "list")
    lines = text.rstrip("\n").split("\n")
    assert all(len(line.rstrip()) <= 80 for line in lines), text
    assert lines[0].strip() == "3 accounts"
    # every date whole (today's table printed "20" and "2026-12-1")
    for date in ("2026-12-08 10:00", "2026-11-18", "2026-09-01"):
        assert date in text, text
    row = next(line for line in lines if "pending" in line)
    assert "Nordwind" in row and row.rstrip().endswith("2026-11-18")
    assert re.search(r"\b2\b", row)  # the remark count
    assert "Close the" in row and "…" in row and LONG_NEED not in text  # the need is cut
    for name, stage in (("Halvorsen & Dahl", "not-sold"), ("Kestrel Robotics", "sold")):
        line = next(line for line in lines if line.startswith(name))
        assert stage in line.split()
    assert "Parts on" in text
    # the decision date did not fit: a line says where it is
    assert "Decision dates" in lines[-1] and "account show" in lines[-1]


@pytest.mark.sqlite_only
@pytest.mark.slow  # a subprocess in a terminal
def test_a_wide_terminal_shows_every_column_whole(accounts, store_target):
    text = in_terminal("--db", store_target, "account", "list", columns=160)
    assert LONG_NEED in text and "2027-01-29" in text and "decision" in text
    assert all(len(line.rstrip()) <= 160 for line in text.split("\n"))


def test_piped_account_list_is_aligned_text_with_whole_values(accounts):
    """Piped, `account list` is the same aligned plain text as every other table: a title,
    a header, one line per account (a value's own line break continues under its column),
    every value whole, a missing value `-`."""
    accounts("account", "edit", "Kestrel Robotics", "--need", "Parts\ton site\nnow")
    out = accounts("account", "list").stdout
    lines = out.splitlines()
    assert lines[0] == "3 accounts"
    headers = ("account", "stage", "need", "decision", "next call", "remarks", "last heard")
    starts = [lines[1].index(h) for h in headers]
    assert starts == sorted(starts) and lines[1].startswith("account")

    def cells(line: str) -> list[str]:
        bounds = [*starts, len(line) + 1]
        return [line[a:b].strip() for a, b in itertools.pairwise(bounds)]

    rows = {cells(line)[0]: cells(line) for line in lines[2:] if not line.startswith(" ")}
    assert rows["Nordwind Logistik GmbH"] == [
        "Nordwind Logistik GmbH",
        "pending",
        LONG_NEED,
        "2027-01-29",
        "2026-12-08 10:00",
        "2",
        "2026-11-18",
    ]
    assert rows["Halvorsen & Dahl"] == [
        "Halvorsen & Dahl",
        "not-sold",
        "-",
        "-",
        "-",
        "1",
        "2026-09-01",
    ]
    # a tab is expanded; a line break continues under the need's own column
    kestrel = next(i for i, line in enumerate(lines) if line.startswith("Kestrel Robotics"))
    assert cells(lines[kestrel])[2] == "Parts   on site"
    assert lines[kestrel + 1].index("now") == starts[2]
    assert len(lines) == 6


def test_a_200_character_name_is_printed_whole_when_piped(run):
    name = "Acme " + "x" * 195
    run("account", "add", name)
    assert run("account", "list").stdout.splitlines()[2].startswith(name + "  ")


# --- plurals ------------------------------------------------------------------------------


def test_counts_of_one_are_singular(run, write, tmp_path, run_on, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")
    csv = write(
        "one.csv", "account,text,on,lens\nKestrel Robotics,Parts never arrive,2026-11-19,need\n"
    )
    imported = run("remark", "import", str(csv)).stdout
    assert "Added 1 remark;" in imported and "1 remarks" not in imported
    assert "Added 1 new account: Kestrel Robotics" in imported
    run(
        "account", "edit", "Kestrel Robotics", "--domain", "kestrel-robotics.com", "--need", "Parts"
    )
    listed = run("remark", "list").stdout + run("account", "show", "Kestrel Robotics").stdout
    assert "1 remarks" not in listed
    out = tmp_path / "out" / "f.ics"
    planned = run("plan", "--busy", CALENDAR, "--out", str(out)).stdout
    assert f"Wrote 1 event to {out}" in planned, planned
    backup = tmp_path / "backup.json"
    exported = run("export", "--out", str(backup)).stdout
    assert "Exported 1 account, 1 remark, 0 reflections" in exported
    restored = run_on(tmp_path / "restored.db")("import-all", str(backup)).stdout
    assert (
        "Imported 1 account, 1 remark, 0 remark revisions, 0 reflections, 1 focus block."
        in restored
    ), restored
    sheet = tmp_path / "k.md"
    text = run("worksheet", "Kestrel Robotics").stdout
    question = next(line for line in text.splitlines() if line.startswith("**Q:**"))
    sheet.write_text(text.replace(question + "\n", question + "\nAn answer.\n", 1))
    assert "Saved 1 answer." in run("reflect", "Kestrel Robotics", "--from", str(sheet)).stdout


@given(st.text())
def test_a_cells_width_counts_every_character_as_the_rule_says(text):
    """The quick path for plain ASCII gives what the character rule gives."""
    by_rule = sum(
        0
        if unicodedata.category(ch) in ("Mn", "Me", "Cf")
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )
    assert width(text) == by_rule
