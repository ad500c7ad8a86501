"""Never lose or leak a word on the import path: extra cells, duplicates under concurrency,
interrupts after the commit, a full disk, and dates that could be read two ways."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, select

from focusblock.store.opening import make_engine, to_url, upgrade
from focusblock.store.tables import REMARK_TABLE
from tests.conftest import REPO


def count_remarks(target: str) -> int:
    engine = create_engine(to_url(target))
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(REMARK_TABLE)).scalar_one())
    finally:
        engine.dispose()


def all_remarks(run, *args: str) -> list[dict]:
    return json.loads(run("remark", "list", *args, "--all", "--json").stdout)


def big_csv(path: Path, rows: int) -> Path:
    lines = ["account,text,on"] + [
        f"Acme {i % 7},remark number {i},2026-10-{1 + i % 28:02d}" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def focusblock_with(hook: str, target: str, *args: str) -> subprocess.CompletedProcess:
    """Run focusblock in a fresh process after `hook` (Python) has set up a real condition:
    a signal at a chosen moment, a size limit on the database file."""
    # Ctrl-C as a terminal delivers it: a suite started in the background (`cmd &` in a
    # script) hands its children SIGINT ignored, and Python then installs no handler
    program = "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n"
    program += textwrap.dedent(hook) + textwrap.dedent(
        f"""
        import sys
        from focusblock.cli import main
        sys.argv = ["focusblock", "--db", {target!r}, *{list(args)!r}]
        main()
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300, env=env
    )


# --- 2. extra cells -----------------------------------------------------------------------


def test_a_row_with_more_cells_than_the_header_is_a_bad_row(run, write):
    path = write(
        "cut.csv",
        "account,text\n"
        "Kestrel Robotics,We need it by March, not later, or the deal is off\n"
        "Kestrel Robotics,fine\n",
    )
    result = run("remark", "import", str(path), code=4)
    assert "1 bad row; nothing was imported" in result.stderr
    assert "cut.csv row 2:" in result.stderr
    assert "4 cells" in result.stderr and "2 columns" in result.stderr
    assert "quote" in result.stderr  # the hint: put the text in double quotes
    assert "Traceback" not in result.stderr
    assert all_remarks(run) == []


def test_quoted_text_with_the_delimiter_is_kept_whole(run, write):
    text = "We need it by March, not later, or the deal is off"
    path = write("quoted.csv", f'account,text\nKestrel Robotics,"{text}"\n')
    run("remark", "import", str(path))
    assert [r["text"] for r in all_remarks(run)] == [text]


def test_trailing_empty_cells_lose_no_word_and_are_accepted(run, write):
    path = write("trailing.csv", "account,text\nAcme,hello,,\n")
    run("remark", "import", str(path))
    assert [r["text"] for r in all_remarks(run)] == ["hello"]


# --- 6. duplicates are impossible, also under concurrency -----------------------------------


@pytest.mark.both_stores("concurrency: two imports at once, row locks against a file lock")
@pytest.mark.slow  # two subprocesses
def test_concurrent_imports_of_the_same_file_store_each_remark_once(store_target, tmp_path, run):
    run("account", "add", "Acme 0")  # the store exists before both start
    csv_file = big_csv(tmp_path / "same.csv", 3000)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "focusblock", "--db", store_target, "remark", "import"]
    first = subprocess.Popen(
        [*command, str(csv_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    second = subprocess.Popen(
        [*command, str(csv_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    outcomes = [(p, *p.communicate(timeout=300)) for p in (first, second)]
    assert count_remarks(store_target) == 3000
    for process, _out, err in outcomes:
        assert b"Traceback" not in err, err.decode()
        # the one that loses the race waits and skips, or fails in one line
        assert process.returncode == 0 or len(err.decode().strip().splitlines()) == 1
    assert any(p.returncode == 0 for p, _, _ in outcomes)


@pytest.mark.both_stores("the unique index on a remark's words, enforced by each database itself")
def test_a_duplicate_insert_is_refused_by_the_database_itself(store_target, run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "same words", "--on", "2026-10-01")
    engine = make_engine(to_url(store_target))
    try:
        with engine.connect() as conn:
            account_id = conn.exec_driver_sql("SELECT id FROM account").scalar_one()
            from sqlalchemy.exc import IntegrityError

            with pytest.raises(IntegrityError):
                conn.execute(
                    insert(REMARK_TABLE).values(
                        account_id=account_id,
                        text="same words",
                        heard_on=__import__("datetime").date(2026, 10, 1),
                        via="other",
                    )
                )
            conn.rollback()
    finally:
        engine.dispose()
    assert count_remarks(store_target) == 1


def test_remark_add_of_an_exact_duplicate_is_a_one_line_error(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "same words", "--on", "2026-10-01")
    result = run("remark", "add", "Acme", "same words", "--on", "2026-10-01", code=4)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "already stored" in lines[0]
    run("remark", "add", "Acme", "same words", "--on", "2026-10-02")  # another day: new
    assert len(all_remarks(run)) == 2


def test_long_texts_are_compared_whole(run, write):
    run("account", "add", "Acme")
    base = "x" * 19_990
    run("remark", "add", "Acme", base + "a", "--on", "2026-10-01")
    run("remark", "add", "Acme", base + "b", "--on", "2026-10-01")
    assert len(all_remarks(run)) == 2


@pytest.mark.both_stores("upgrades: a migration adds a unique index over rows already stored")
@pytest.mark.fresh_store("it migrates the store one revision at a time itself")
def test_upgrade_keeps_duplicates_stored_before_and_refuses_new_ones(store_target, run):
    """A store at 0004 may hold exact duplicates (the old check-then-insert raced): after the
    upgrade every one of them is still there, and no further copy can be added."""
    engine = make_engine(to_url(store_target))
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO account (id, name, name_key, owner, aliases, domains, stage, "
            "created_at, updated_at) VALUES (1, 'Acme', 'acme', 'me', '[]', '[]', 'pending', "
            "'2026-08-01 00:00:00', '2026-08-01 00:00:00')"
        )
        for index in (1, 2, 3):
            conn.exec_driver_sql(
                "INSERT INTO remark (id, account_id, text, heard_on, via, created_at) "
                f"VALUES ({index}, 1, 'twice told', '2026-08-02', 'call', '2026-08-01 00:00:00')"
            )
        conn.exec_driver_sql(
            "INSERT INTO reflection (account_id, remark_id, question, answer, written_at) "
            "VALUES (1, 2, 'q', 'an answer about the second copy', '2026-08-03 00:00:00')"
        )
    engine.dispose()
    os.environ["FOCUSBLOCK_EMAIL"] = "me"
    try:
        assert [r["id"] for r in all_remarks(run)] == [1, 2, 3]
        result = run("remark", "add", "Acme", "twice told", "--on", "2026-08-02", code=4)
        assert "already stored" in result.stderr
    finally:
        del os.environ["FOCUSBLOCK_EMAIL"]
    assert count_remarks(store_target) == 3


# --- 7. an interrupt says what is in the store ---------------------------------------------

AFTER_COMMIT = """
import os, signal
from sqlalchemy import event
from sqlalchemy.engine import Engine
event.listen(Engine, "commit", lambda conn: os.kill(os.getpid(), signal.SIGINT))
"""

DURING_INSERTS = """
import os, signal
from sqlalchemy import event
from sqlalchemy.engine import Engine
seen = []
def _maybe_interrupt(conn, cursor, statement, params, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO REMARK"):
        seen.append(1)
        if len(seen) == 2:
            os.kill(os.getpid(), signal.SIGINT)
event.listen(Engine, "before_cursor_execute", _maybe_interrupt)
"""


@pytest.mark.both_stores("transactions: what the interrupt finds committed, per driver")
@pytest.mark.slow  # a subprocess, 20,000 rows
def test_sigint_just_after_the_commit_says_every_row_was_stored(store_target, tmp_path, run):
    run("account", "add", "Acme 0")
    csv_file = big_csv(tmp_path / "rows.csv", 20_000)
    done = focusblock_with(AFTER_COMMIT, store_target, "remark", "import", str(csv_file))
    assert count_remarks(store_target) == 20_000
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert "nothing half-written was kept" not in done.stderr
    assert "20,000 remarks" in done.stderr and "stored" in done.stderr


@pytest.mark.both_stores("transactions: an interrupted insert is rolled back by each database")
@pytest.mark.slow  # a subprocess
def test_sigint_during_the_inserts_keeps_nothing_and_says_so(store_target, tmp_path, run):
    run("account", "add", "Acme 0")
    csv_file = big_csv(tmp_path / "rows.csv", 20_000)
    done = focusblock_with(DURING_INSERTS, store_target, "remark", "import", str(csv_file))
    assert done.returncode == 130, done.stderr
    assert count_remarks(store_target) == 0
    assert "Traceback" not in done.stderr
    assert "nothing was imported" in done.stderr


# --- 8. a full disk -------------------------------------------------------------------------

TINY_DISK = """
from sqlalchemy import event
from sqlalchemy.engine import Engine
@event.listens_for(Engine, "connect")
def _tiny(dbapi_connection, record):
    cursor = dbapi_connection.cursor()
    pages = cursor.execute("PRAGMA page_count").fetchone()[0]
    cursor.execute(f"PRAGMA max_page_count = {pages + 4}")
    cursor.close()
"""


@pytest.mark.sqlite_only
@pytest.mark.slow  # a subprocess
def test_a_full_disk_is_one_line_and_leaves_the_store_unchanged(run, db_path, tmp_path):
    run("account", "add", "Acme 0")
    run("remark", "add", "Acme 0", "already here", "--on", "2026-10-01")
    before = all_remarks(run)
    csv_file = big_csv(tmp_path / "rows.csv", 20_000)
    done = focusblock_with(TINY_DISK, str(db_path), "remark", "import", str(csv_file))
    assert done.returncode == 8, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "full" in lines[0] and "nothing was imported" in lines[0]
    assert all_remarks(run) == before


# --- dates ----------------------------------------------------------------------------------


def _import(run, write, body: str, *args: str, code: int = 0):
    return run(
        "remark", "import", str(write("dates.csv", "account,text,on\n" + body)), *args, code=code
    )


def test_a_remark_dated_after_today_is_refused(run, write):
    result = _import(run, write, "Acme,from the future,2026-12-24\nAcme,fine,2026-11-24\n", code=4)
    assert "row 2: on: 2026-12-24 is after today (2026-11-25)" in result.stderr
    run("account", "add", "Acme")
    result = run("remark", "add", "Acme", "later", "--on", "2026-11-26", code=4)
    assert "after today" in result.stderr


def test_day_month_order_is_decided_by_the_rows_that_allow_only_one(run, write):
    _import(run, write, "Acme,a,19/11/2026\nAcme,b,03/04/2026\nAcme,c,2026-05-06\n")
    got = {r["text"]: r["heard_on"] for r in all_remarks(run)}
    assert got == {"a": "2026-11-19", "b": "2026-04-03", "c": "2026-05-06"}


def test_month_first_files_are_read_month_first(run, write):
    _import(run, write, "Acme,a,11/19/2026\nAcme,b,03.04.2026\n")
    got = {r["text"]: r["heard_on"] for r in all_remarks(run)}
    assert got == {"a": "2026-11-19", "b": "2026-03-04"}


def test_a_file_that_cannot_decide_is_refused_with_its_rows(run, write):
    result = _import(
        run, write, "Acme,a,03/04/2026\nAcme,b,2026-05-06\nAcme,c,05/06/2026\n", code=4
    )
    assert "row 2" in result.stderr and "row 4" in result.stderr
    assert "--dates dmy" in result.stderr
    assert all_remarks(run) == []
    _import(run, write, "Acme,a,03/04/2026\nAcme,c,05/06/2026\n", "--dates", "mdy")
    assert {r["heard_on"] for r in all_remarks(run)} == {"2026-03-04", "2026-05-06"}


def test_a_file_mixing_both_orders_is_refused(run, write):
    result = _import(run, write, "Acme,a,19/11/2026\nAcme,b,11/19/2026\n", code=4)
    assert "row 2" in result.stderr and "row 3" in result.stderr
    assert all_remarks(run) == []


def test_dates_flag_decides_and_rows_it_cannot_read_are_bad(run, write):
    result = _import(run, write, "Acme,a,19/11/2026\n", "--dates", "mdy", code=4)
    assert "row 2: on: '19/11/2026'" in result.stderr and "month" in result.stderr


def test_times_and_bare_numbers_are_not_dates(run, write):
    result = _import(run, write, "Acme,a,10:30\nAcme,b,5\nAcme,c,20261001\n", code=4)
    assert "3 bad rows" in result.stderr
    run("account", "add", "Acme")
    for value in ("10:30", "5"):
        assert "not a date" in run("remark", "add", "Acme", "x", "--on", value, code=4).stderr


def test_iso_dates_always_work_whatever_the_order(run, write):
    _import(run, write, "Acme,a,2026-03-04\nAcme,b,19/11/2026\n", "--dates", "mdy", code=4)
    _import(run, write, "Acme,a,2026-03-04\nAcme,b,2026-11-19T10:30:00\n", "--dates", "mdy")
    assert {r["heard_on"] for r in all_remarks(run)} == {"2026-03-04", "2026-11-19"}
