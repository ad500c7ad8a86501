"""Opening and guarding the store: stores that cannot be opened, passwords never printed, no
command writing over a store or a foreign file, `import-all` files that cannot be read,
database limits (NUL bytes, lengths), a time zone setting naming a folder, a busy store, and
the typed columns agreeing with the tables they map."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import fields

import pytest

from focusblock.model import Account, FocusBlock, Remark, RemarkVersion
from focusblock.store.tables import ACCOUNT, FOCUS_BLOCK, REFLECTION, REMARK, REMARK_REVISION
from tests.conftest import REPO, make_runner
from tests.helpers import CALENDAR

# --- nothing writes over the store ------------------------------------------------------


@pytest.mark.sqlite_only
def test_no_command_writes_over_the_store(run, db_path, tmp_path, backend):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "We lose two days every close", "--on", "2026-11-20")
    before = db_path.read_bytes()
    link = tmp_path / "hard-link.db"
    os.link(db_path, link)
    for target in (db_path, link):
        for args in (
            ("plan", "--busy", CALENDAR, "--out", str(target)),
            ("export", "--out", str(target)),
            ("worksheet", "Acme", "--out", str(target)),
            ("worksheet", "Acme", "--format", "pdf", "--out", str(target)),
        ):
            result = run(*args, code=None)
            assert result.exit_code != 0, args
            assert "store" in result.stderr, result.stderr
        assert db_path.read_bytes()[:100] == before[:100]
    assert "We lose two days" in run("remark", "list").stdout


def test_no_command_writes_over_a_database_or_a_foreign_file(run, tmp_path, write):
    run("account", "add", "Acme", "--need", "n")
    run("remark", "add", "Acme", "We lose two days every close", "--on", "2026-11-20")
    other_db = write("other.db", b"SQLite format 3\x00" + b"\x00" * 100)
    notes = write("notes.txt", "my own notes, not a calendar\n")
    for target in (other_db, notes):
        original = target.read_bytes()
        for args in (
            ("plan", "--busy", CALENDAR, "--out", str(target)),
            ("export", "--out", str(target)),
            ("worksheet", "Acme", "--out", str(target)),
        ):
            result = run(*args, code=None)
            assert result.exit_code != 0 and "--force" in result.stderr, (args, result.stderr)
            assert target.read_bytes() == original
    # our own earlier file, or one of the kind being written, is replaced as before
    ics = tmp_path / "f.ics"
    run("plan", "--busy", CALENDAR, "--out", str(ics))
    run("plan", "--busy", CALENDAR, "--out", str(ics))
    run("export", "--out", str(notes), "--force")
    assert json.loads(notes.read_text())["format"] == "focusblock-export"


# --- the database password is never printed ----------------------------------------------


def test_database_password_is_masked(postgres_cluster, tmp_path):
    url = postgres_cluster.new_database()
    from sqlalchemy.engine import make_url

    secret_url = make_url(url).set(password="s3cr3t-Pa55")
    run = make_runner(secret_url.render_as_string(hide_password=False))
    for args in (("init",), ("config",), ("config", "--json")):
        result = run(*args, code=None)
        assert "s3cr3t-Pa55" not in result.stdout + result.stderr, args
        assert result.exit_code == 0, (args, result.stderr)  # it ran, and still did not say it
    assert ":***@" in run("config").stdout  # the store is named, its password masked


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


def test_each_typed_column_is_named_as_its_column():
    for columns in (ACCOUNT, REMARK, REMARK_REVISION, REFLECTION, FOCUS_BLOCK):
        assert [column.name for column in columns] == list(columns._fields)


def test_model_fields_are_stored_columns():
    """What the model says of a stored thing is a column of its table (a remark's account
    is its account's name; `source` is the remark's imported_from; a block's call is
    kept in its call_* columns, the seller's text of its event in user_summary and
    user_description)."""
    cases = [
        (Account, ACCOUNT, {}),
        (Remark, REMARK, {"account": "account_id", "source": "imported_from"}),
        (RemarkVersion, REMARK_REVISION, {}),
        (FocusBlock, FOCUS_BLOCK, {"call": "call_start", "user_text": "user_summary"}),
    ]
    for model, columns, stored_as in cases:
        names = [stored_as.get(f.name, f.name) for f in fields(model)]
        missing = [name for name in names if name not in columns._fields]
        assert not missing, f"{model.__name__}: {missing}"
