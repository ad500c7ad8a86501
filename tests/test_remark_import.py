"""`remark import` of CSV files: the formats real exports come in, all-or-nothing, extra cells,
loose account names, duplicates under concurrency, interrupts after the commit, a full disk,
and dates that could be read two ways."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import insert

from focusblock.store.opening import make_engine, to_url
from focusblock.store.tables import REMARK_TABLE
from tests.conftest import EXAMPLES, REPO
from tests.helpers import _remarks, all_remarks, count_remarks

MULTILINE = 'Notes, her words:\n- "we reconcile the reconciliations"\n- FX; rates\n'


def remarks(run):
    return json.loads(run("remark", "list", "--json").stdout)


@pytest.mark.both_stores("bulk insert and the unique index that makes a re-import add nothing")
def test_example_file_imports_and_reimport_adds_nothing(run):
    result = run("remark", "import", str(EXAMPLES / "remarks.csv"))
    assert "Added 42 remarks" in result.stdout
    assert "6 new accounts" in result.stdout
    first = remarks(run)
    assert len(first) == 42
    again = run("remark", "import", str(EXAMPLES / "remarks.csv"))
    assert "Added 0 remarks; skipped 42 already stored" in again.stdout
    assert remarks(run) == first


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters_bom_and_multiline_cells(run, write, sep):
    quoted = '"' + MULTILINE.replace('"', '""') + '"'
    body = sep.join(["Account Name", "Note", "Date", "Contact", "Channel", "Category"]) + "\r\n"
    body += sep.join(["Nordwind", quoted, "2026-10-14", "Sabine Krüger", "Meeting", ""]) + "\r\n"
    body += sep.join(["Ωmega Systems", "Привет 👋", "2026-10-15", "", "email", "worry"]) + "\r\n"
    path = write("export.csv", b"\xef\xbb\xbf" + body.encode("utf-8"))
    run("remark", "import", str(path))
    got = remarks(run)
    by_account = {r["account"]: r for r in got}
    assert by_account["Nordwind"]["text"] == MULTILINE
    assert by_account["Nordwind"]["who"] == "Sabine Krüger"
    assert by_account["Nordwind"]["via"] == "meeting"
    assert by_account["Nordwind"]["lens"] is None
    assert by_account["Ωmega Systems"]["text"] == "Привет 👋"
    assert by_account["Ωmega Systems"]["lens"] == "worry"


def test_only_account_and_text_are_required(run, write):
    path = write("min.csv", "ACCOUNT,TEXT\nAcme,hello\n")
    run("remark", "import", str(path))
    (remark,) = remarks(run)
    assert remark["via"] == "other" and remark["lens"] is None and remark["heard_on"]


def test_a_bad_row_aborts_everything_and_lists_every_bad_row(run, write):
    run("account", "add", "Acme")
    path = write(
        "bad.csv",
        "account,text,on,via,lens\n"
        "Acme,fine,2026-10-01,call,need\n"
        "Acme,,2026-10-02,call,\n"
        "Newco,fine too,yesterday-ish,call,\n"
        "Acme,ok,2026-10-03,pigeon,\n"
        "Acme,ok,2026-10-04,call,hope\n",
    )
    result = run("remark", "import", str(path), code=4)
    lines = result.stderr.strip().splitlines()
    assert "3 bad rows; nothing was imported" in lines[0]
    assert any("row 3: text" in line for line in lines)
    assert any("row 4: on" in line for line in lines)
    assert not any("row 5" in line for line in lines)  # an unknown channel is 'other'
    assert any("row 6: lens" in line for line in lines)
    assert remarks(run) == []
    names = [a["name"] for a in json.loads(run("account", "list", "--json").stdout)]
    assert names == ["Acme"]  # Newco was not created either


def test_dry_run_changes_nothing(run, write):
    path = write("r.csv", "account,text\nAcme,hello\nAcme,again\n")
    result = run("remark", "import", str(path), "--dry-run")
    assert "Would add 2 remarks" in result.stdout
    assert "Would add 1 new account: Acme" in result.stdout
    assert remarks(run) == []
    assert json.loads(run("account", "list", "--json").stdout) == []


def test_duplicates_inside_one_file_are_skipped(run, write):
    path = write("d.csv", "account,text,on\nAcme,same,2026-10-01\nacme,same,2026-10-01\n")
    result = run("remark", "import", str(path))
    assert "Added 1 remark; skipped 1" in result.stdout


def test_not_utf8_is_a_clear_error(run, write):
    path = write("cp1252.csv", "account,text\nCaf\xe9,na\xefve\n".encode("cp1252"))
    result = run("remark", "import", str(path), code=4)
    assert "not UTF-8" in result.stderr and "cp1252.csv" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_column_names_what_was_found(run, write):
    path = write("nocol.csv", "customer name,when\nAcme,2026-10-01\n")
    result = run("remark", "import", str(path), code=4)
    assert "no 'text' column" in result.stderr


def test_missing_file_is_a_usage_error(run, tmp_path):
    result = run("remark", "import", str(tmp_path / "nope.csv"), code=4)
    assert "nope.csv" in result.stderr


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


def test_long_texts_are_compared_whole(run, write):
    run("account", "add", "Acme")
    base = "x" * 19_990
    run("remark", "add", "Acme", base + "a", "--on", "2026-10-01")
    run("remark", "add", "Acme", base + "b", "--on", "2026-10-01")
    assert len(all_remarks(run)) == 2


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


def test_import_matches_loose_names_and_stops_on_near_ones(acme, write):
    near = write(
        "near.csv",
        "account,text\nACME corp inc,one\nAcme Crop,two\nAcme Corp Europe,three\n"
        "Brand New Ltd,four\n",
    )
    result = acme("remark", "import", str(near), code=4)
    assert "2 account names are close to an existing account; nothing was imported" in result.stderr
    assert "'Acme Crop': no such account; did you mean 'Acme Corp'?" in result.stderr
    assert "'Acme Corp Europe': no such account; did you mean 'Acme Corp'?" in result.stderr
    assert "--new-accounts" in result.stderr
    assert len(_remarks(acme)) == 2
    done = acme("remark", "import", str(near), "--new-accounts").stdout
    assert (
        "Added 4 remarks" in done
        and "3 new accounts: Acme Crop, Acme Corp Europe, Brand New Ltd" in done
    )
    by_text = {r["text"]: r["account"] for r in _remarks(acme)}
    assert by_text["one"] == "Acme Corp" and by_text["two"] == "Acme Crop"


def test_a_huge_header_line_is_not_echoed_whole(run, tmp_path):
    line = tmp_path / "oneline.csv"
    line.write_text("a" * 200_000)
    result = run("remark", "import", str(line), code=4)
    assert len(result.stderr) < 1_000


WEEKLY_EXPORT = (
    "Account Name,Note,Date\n"
    "Acme,We reconcile by hand evry month.,2026-10-01\n"
    "Acme,Audit is in March.,2026-10-08\n"
)


@pytest.mark.both_stores("earlier versions read back by a join, and the unique index")
def test_a_corrected_typo_is_not_brought_back_by_the_weekly_export(run, write):
    path = write("weekly.csv", WEEKLY_EXPORT)
    run("remark", "import", str(path))
    run("remark", "edit", "1", "--text", "We reconcile by hand every month.")

    again = run("remark", "import", str(path))

    assert "Added 0 remarks; skipped 1 already stored, 1 corrected since." in again.stdout
    assert [r["text"] for r in remarks(run)] == [
        "We reconcile by hand every month.",
        "Audit is in March.",
    ]
    listed = json.loads(run("remark", "import", str(path), "--dry-run", "--json").stdout)
    assert listed["added"] == []
    assert sorted((s["text"], s["why"]) for s in listed["skipped"]) == [
        ("Audit is in March.", "already stored"),
        ("We reconcile by hand evry month.", "corrected since (remark #1)"),
    ]


def test_a_remark_moved_to_another_day_is_not_brought_back_on_its_old_day(run, write):
    path = write("weekly.csv", WEEKLY_EXPORT)
    run("remark", "import", str(path))
    run("remark", "edit", "2", "--on", "2026-10-09")  # heard a day later than the CRM says

    again = run("remark", "import", str(path), "--json")

    data = json.loads(again.stdout)
    assert data["added"] == []
    assert {"text": "Audit is in March.", "why": "corrected since (remark #2)"} in data["skipped"]
    assert [(r["text"], r["heard_on"]) for r in remarks(run)] == [
        ("We reconcile by hand evry month.", "2026-10-01"),
        ("Audit is in March.", "2026-10-09"),
    ]


def test_every_earlier_version_counts_not_only_the_last(run, write):
    path = write("weekly.csv", WEEKLY_EXPORT)
    run("remark", "import", str(path))
    run("remark", "edit", "1", "--text", "We reconcile by hand every month")
    run("remark", "edit", "1", "--text", "We reconcile by hand, every month.")
    run("remark", "edit", "1", "--who", "Dana")  # an edit that keeps the words

    again = run("remark", "import", str(path))

    assert "Added 0 remarks" in again.stdout
    assert len(remarks(run)) == 2


def test_words_a_remark_went_back_to_are_already_stored_not_corrected(run, write):
    path = write("weekly.csv", WEEKLY_EXPORT)
    run("remark", "import", str(path))
    run("remark", "edit", "1", "--text", "We reconcile by hand every month.")
    run("remark", "edit", "1", "--text", "We reconcile by hand evry month.")  # as it was

    again = json.loads(run("remark", "import", str(path), "--json").stdout)

    assert {s["why"] for s in again["skipped"]} == {"already stored"}


def test_a_deleted_remark_is_not_brought_back_by_a_reimport(run, write):
    path = write("weekly.csv", WEEKLY_EXPORT)
    run("remark", "import", str(path))
    run("remark", "delete", "1")

    again = run("remark", "import", str(path))

    assert (
        "Added 0 remarks; skipped 1 already stored; skipped 1 deleted "
        "(remark #1; focusblock remark restore 1 to bring it back)." in again.stdout
    )
    assert [r["text"] for r in remarks(run)] == ["Audit is in March."]
    # purged is gone for good, its earlier versions with it: the file may bring it back
    run("remark", "purge", "1", "--yes")
    assert "Added 1 remark;" in run("remark", "import", str(path)).stdout


def test_the_same_words_for_another_account_or_day_are_still_added(run, write):
    run("remark", "import", str(write("weekly.csv", WEEKLY_EXPORT)))
    run("remark", "edit", "1", "--text", "We reconcile by hand every month.")
    other = write(
        "other.csv",
        "account,text,on\n"
        "Globex,We reconcile by hand evry month.,2026-10-01\n"
        "Acme,We reconcile by hand evry month.,2026-10-02\n",
    )

    result = run("remark", "import", str(other))

    assert "Added 2 remarks; skipped 0 already stored." in result.stdout
