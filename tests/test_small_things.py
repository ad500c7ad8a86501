"""Smaller things that went wrong: lists at 80 columns, plurals, stores that cannot be
opened, imports that cannot be read, database limits, a named setting, a busy store."""

from __future__ import annotations

import itertools
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests import terminal
from tests.conftest import EXAMPLES, REPO, make_runner
from tests.test_golden import check

CALENDAR = str(EXAMPLES / "calendar.ics")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def focusblock(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    """The real program in a child process (stdout and stderr are pipes)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "focusblock", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        **kwargs,
    )


def in_terminal(*args: str, columns: int = 80) -> str:
    """What focusblock prints to a real terminal (a pseudo-terminal) `columns` wide."""
    seen = terminal.in_terminal([sys.executable, "-m", "focusblock", *args], columns)
    return ANSI.sub("", seen).replace("\r\n", "\n")


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


# --- plan --only-changed and withdrawn blocks ----------------------------------------------


def test_only_changed_with_nothing_changed_says_so_and_writes_no_file(example_store, tmp_path):
    example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics"))
    again = tmp_path / "b.ics"
    result = example_store("plan", "--busy", CALENDAR, "--out", str(again), "--only-changed")
    assert not again.exists()
    assert "Nothing changed since the last plan of 2026-W49; no .ics written" in result.stdout
    assert "Wrote 0 events" not in result.stdout and "Import the .ics" not in result.stdout


def test_worksheets_of_a_withdrawn_block_are_removed_and_only_ours(example_store, tmp_path):
    out = tmp_path / "out" / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    folder = out.parent
    md, html = (
        folder / "2026-W49-brightwater-health.md",
        folder / "2026-W49-brightwater-health.html",
    )
    assert md.exists() and html.exists()
    nordwind = folder / "2026-W49-nordwind-logistik-gmbh.html"
    nordwind.write_text("<p>my own notes, not focusblock's</p>")  # a file that is not ours
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    example_store("account", "edit", "Nordwind", "--stage", "not-sold")
    result = example_store("plan", "--busy", CALENDAR, "--out", str(out), "--force")
    assert "Withdrawn: Brightwater Health" in result.stdout
    assert not md.exists() and not html.exists()
    assert nordwind.read_text() == "<p>my own notes, not focusblock's</p>"
    assert not (folder / "2026-W49-nordwind-logistik-gmbh.md").exists()  # this one was ours
    assert (folder / "2026-W49-kestrel-robotics.md").exists()
    assert "Removed 3 worksheet files of withdrawn blocks" in result.stdout, result.stdout


# --- stores that cannot be opened -----------------------------------------------------------


def _one_line_error(result, *words: str) -> None:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= 2 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], result.stderr


def test_an_empty_db_is_an_error_not_the_default_store(tmp_path, monkeypatch):
    result = make_runner("")("account", "add", "Acme", code=6)
    _one_line_error(result, "--db")
    default = tmp_path / "home" / "data" / "focusblock" / "focusblock.db"
    assert not default.exists()
    monkeypatch.setenv("FOCUSBLOCK_DB", "")
    from click.testing import CliRunner

    from focusblock.cli import cli

    via_env = CliRunner().invoke(cli, ["account", "add", "Acme"])
    _one_line_error(via_env, "FOCUSBLOCK_DB")
    assert not default.exists()


@pytest.mark.parametrize(
    "target, words",
    [
        ("mysql://me@localhost/crm", ("mysql", "SQLite file path or a postgresql:// URL")),
        ("foo://bar", ("foo", "SQLite file path or a postgresql:// URL")),
        ("postgresql://localhost:notaport/x", ("port",)),
        ("postgresql://localhost:99999/x", ("port",)),
        ("sqlite://", ("no file",)),
        ("/dev/null", ("/dev/null", "not a regular file")),
    ],
)
def test_unusable_stores_are_one_line_errors(target, words):
    result = make_runner(target)("account", "list", code=6)
    _one_line_error(result, *words)


def test_a_password_in_a_bad_url_is_not_printed():
    result = make_runner("mysql://me:s3cret@localhost/crm")("account", "list", code=6)
    assert "s3cret" not in result.stderr


@pytest.mark.slow  # a subprocess
def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "store.db"
    os.mkfifo(fifo)
    # opened as a database, a pipe blocks forever: a hang fails as the timeout
    done = focusblock("--db", str(fifo), "account", "list", timeout=20)
    assert done.returncode == 6
    assert done.stderr.strip().splitlines() == [
        f"Error: {fifo}: not a regular file (a named pipe); the store must be a SQLite file"
    ]


# --- import-all of exports that cannot be read ----------------------------------------------


def _export(accounts=None, remarks=None, blocks=None) -> dict:
    stamp = "2026-01-01T00:00:00+00:00"
    return {
        "format": "focusblock-export",
        "version": 1,
        "accounts": accounts
        or [
            {
                "id": 1,
                "name": "A",
                "name_key": "a",
                "owner": "x",
                "aliases": [],
                "domains": [],
                "stage": "pending",
                "created_at": stamp,
                "updated_at": stamp,
            }
        ],
        "remarks": remarks
        or [
            {
                "id": 1,
                "account_id": 1,
                "text": "t",
                "heard_on": "2026-01-01",
                "via": "call",
                "lens": "need",
                "created_at": stamp,
            }
        ],
        "focus_blocks": blocks or [],
    }


def _nothing_imported(run) -> None:
    assert json.loads(run("--all-owners", "export").stdout)["accounts"] == []


def test_import_all_of_deeply_nested_json_is_one_line(run, write):
    path = write("deep.json", "[" * 200_000 + "]" * 200_000)
    result = run("import-all", str(path), code=4)
    _one_line_error(result, str(path), "nested too deeply")
    _nothing_imported(run)


def test_import_all_of_a_time_without_offset_is_one_line(run, write):
    document = _export()
    document["remarks"][0]["created_at"] = "2026-01-01T09:30:00"
    path = write("naive.json", json.dumps(document))
    result = run("import-all", str(path), code=4)
    _one_line_error(result, "remarks[0]", "'created_at'", "no UTC offset")
    _nothing_imported(run)


BLOCK = {
    "id": 1,
    "account_id": 1,
    "week": "2026-W49",
    "start": "2026-12-01T15:00:00+00:00",
    "end": "2026-12-01T16:00:00+00:00",
    "timezone": "UTC",
    "uid": "2026-w49-x@focusblock",
    "sequence": 0,
    "status": "planned",
    "updated_at": "2026-11-25T14:00:00+00:00",
}


@pytest.mark.parametrize(
    "table, field, value",
    [
        ("accounts", "stage", "maybe"),
        ("remarks", "via", "fax"),
        ("remarks", "lens", "mood"),
        ("focus_blocks", "status", "lost"),
    ],
)
def test_import_all_of_words_outside_the_vocabulary_is_one_line(run, write, table, field, value):
    document = _export(blocks=[dict(BLOCK)])
    document[table][0][field] = value
    path = write("words.json", json.dumps(document))
    result = run("import-all", str(path), code=4)
    _one_line_error(result, f"{table}[0]", f"'{field}'", repr(value), "expected one of")
    _nothing_imported(run)


def test_import_all_of_a_good_export_still_works(run, write):
    path = write("good.json", json.dumps(_export(blocks=[dict(BLOCK)])))
    assert "Imported 1 account, 1 remark" in run("import-all", str(path)).stdout


# --- what PostgreSQL cannot hold, refused the same on both backends --------------------------

SECRET = "our margin on this deal is 41 percent"


@pytest.mark.both_stores("NUL bytes: PostgreSQL refuses them in text, SQLite stores them")
def test_a_nul_byte_in_a_remark_is_refused_without_echoing_it(run, write):
    run("account", "add", "Acme")
    result = run("remark", "add", "Acme", f"{SECRET}\x00 and more", code=4)
    _one_line_error(result, "text", "NUL")
    assert SECRET not in result.stderr
    csv = write("nul.csv", f"account,text\nAcme,{SECRET}\x00\n")
    imported = run("remark", "import", str(csv), code=4)  # a CSV with NUL is not text
    assert "binary file" in imported.stderr and SECRET not in imported.stderr
    assert json.loads(run("remark", "list", "--json").stdout) == []


@pytest.mark.both_stores("NUL bytes: PostgreSQL refuses them in text, SQLite stores them")
def test_a_nul_byte_in_an_account_fact_is_refused(run):
    run("account", "add", "Acme")
    for args in (
        ("account", "add", "Bad\x00name"),
        ("account", "edit", "Acme", "--need", f"{SECRET}\x00"),
        ("remark", "add", "Acme", "fine", "--who", "Pri\x00ya"),
    ):
        result = run(*args, code=4)
        _one_line_error(result, "NUL")
        assert SECRET not in result.stderr


@pytest.mark.both_stores("length limits that only PostgreSQL enforces")
def test_names_too_long_for_the_store_are_refused_without_the_remark(run, write):
    result = run("remark", "add", "A" * 201, SECRET, code=4)
    _one_line_error(result, "at most 200 characters")
    assert SECRET not in result.stderr
    # 150 characters whose comparison key is longer ("ß" folds to "ss"): the key's column
    # holds 200 characters too
    long_key = "ß" * 150
    _one_line_error(run("account", "add", long_key, code=4), "at most 200 characters")
    csv = write("long.csv", f"account,text\n{long_key},{SECRET}\n")
    imported = run("remark", "import", str(csv), code=4)
    assert "at most 200 characters" in imported.stderr and SECRET not in imported.stderr
    assert json.loads(run("account", "list", "--json").stdout) == []


# --- settings and a busy store ---------------------------------------------------------------


def test_a_time_zone_that_is_a_folder_names_the_setting(run, write, monkeypatch):
    config = write("config.toml", 'timezone = "America"\n')
    result = run("--config", str(config), "account", "list", code=5)
    _one_line_error(result, str(config), "'timezone'", "'America'")
    monkeypatch.setenv("FOCUSBLOCK_TIMEZONE", "America")
    from_env = run("account", "list", code=5)
    _one_line_error(from_env, "FOCUSBLOCK_TIMEZONE", "'timezone'")


@pytest.mark.sqlite_only
@pytest.mark.slow  # holds a lock for 3 s on purpose
def test_a_busy_store_says_it_is_waiting(run, db_path):
    run("account", "add", "Acme")
    quick = run("remark", "add", "Acme", "no one else is here")
    assert "waiting" not in quick.stderr
    held = threading.Event()
    releasing = threading.Event()

    def hold_the_lock() -> None:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(3.0)  # longer than the quiet wait before the command says it is waiting
        releasing.set()
        other.execute("ROLLBACK")
        other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert held.wait(10)
    result = run("remark", "add", "Acme", "I waited for my turn")
    assert releasing.is_set()  # it waited for the lock: it did not write beside it
    holder.join()
    assert result.stderr.count("waiting for another focusblock command") == 1
    assert result.stderr.splitlines() == [
        "waiting for another focusblock command (the store is busy)..."
    ]
    texts = [r["text"] for r in json.loads(run("remark", "list", "--json").stdout)]
    assert "I waited for my turn" in texts


@pytest.mark.sqlite_only
@pytest.mark.slow  # a subprocess in a terminal
def test_golden_account_list_of_the_examples_at_80_columns(example_store, store_target, tmp_path):
    check("account-list-80.txt", in_terminal("--db", store_target, "account", "list"), tmp_path)
