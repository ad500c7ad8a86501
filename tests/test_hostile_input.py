"""Hostile input: rules that count past the calendar's end, bytes that are not UTF-8, numbers
beyond what a store can hold, sources that never end, names that print like another's, and
a database that is not ours. Each case runs focusblock in a subprocess with a timeout (a
regression fails instead of hanging) and asserts the exit code, one line on stderr, no
traceback, and that nothing changed. Tests run as root: each makes its own FIFOs in its
temporary folder and reads no device of the machine but /dev/zero.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

BOUND = 60  # seconds: a command that hangs fails the test instead
LARGEST_ID = 2**63 - 1


def focusblock(
    target: str, *args: str | bytes, stdin: bytes = b"", config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run in the store's folder: a `-` taken for a file name lands there, not in the repo.
    Arguments may be bytes: the operating system hands them to Python as they are. The
    output is decoded here, a byte that is not UTF-8 shown as an escape."""
    settings = ["--config", str(config)] if config else []
    done = subprocess.run(
        [sys.executable, "-m", "focusblock", "--db", target, *settings, *args],
        capture_output=True,
        timeout=BOUND,
        input=stdin,
        cwd=Path(target).parent,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "backslashreplace"),
        done.stderr.decode("utf-8", "backslashreplace"),
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), done.stderr
    return lines[0]


def store_bytes(target: str) -> bytes:
    return Path(target).read_bytes()


def calendar(tmp_path: Path, *events: str) -> Path:
    path = tmp_path / "busy.ics"
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}@t\r\nDTSTAMP:20261120T000000Z\r\n{event}END:VEVENT\r\n"
        for n, event in enumerate(events)
    )
    path.write_text(
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{body}END:VCALENDAR\r\n",
        newline="",
    )
    return path


# -- rules that count past the end of the calendar ---------------------------------------

DAILY_FOR_EVER = (
    "DTSTART:20261101T150000Z\r\nDTEND:20261101T160000Z\r\n"
    "RRULE:FREQ=DAILY;COUNT=100000000\r\nSUMMARY:Stand-up\r\n"
)


def test_a_count_beyond_the_calendars_end_is_read_in_busy(store_target, tmp_path):
    busy = calendar(tmp_path, DAILY_FOR_EVER)
    done = focusblock(store_target, "busy", "--busy", str(busy), "--week", "2026-W49", "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    days = sorted(e["start"][:10] for e in json.loads(done.stdout)["busy"])
    assert days == ["2026-11-30"] + [f"2026-12-{d:02d}" for d in range(1, 7)]  # every day


def test_a_count_beyond_the_calendars_end_plans(store_target, tmp_path):
    busy = calendar(tmp_path, DAILY_FOR_EVER)
    out = tmp_path / "focus.ics"
    done = focusblock(
        store_target, "plan", "--busy", str(busy), "--week", "2026-W49", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_text().startswith("BEGIN:VCALENDAR")


# -- numbers beyond what a store holds ----------------------------------------------------

TOO_BIG = "99999999999999999999"  # beyond 2**63 - 1, the largest integer SQLite stores


@pytest.mark.parametrize(
    "args",
    [
        ("show", TOO_BIG),
        ("edit", TOO_BIG, "--text", "Corrected."),
        ("delete", TOO_BIG),
        ("restore", TOO_BIG),
        ("purge", TOO_BIG),
    ],
    ids=lambda args: args[0],
)
def test_a_remark_number_beyond_any_store_is_no_such_remark(acme, store_target, args):
    before = store_bytes(store_target)
    done = focusblock(store_target, "remark", *args)
    assert done.returncode == 3, done.stderr
    assert f"no remark #{TOO_BIG}" in one_line_error(done)
    assert store_bytes(store_target) == before


def test_the_largest_remark_number_a_store_holds_is_looked_up(acme, store_target):
    done = focusblock(store_target, "remark", "show", str(LARGEST_ID))
    assert done.returncode == 3, done.stderr
    assert f"no remark #{LARGEST_ID}" in done.stderr


def test_an_export_with_an_id_beyond_any_store_is_refused(acme, store_target, tmp_path):
    document = json.loads(focusblock(store_target, "export").stdout)
    document["remarks"][0]["id"] = 2**70
    export = tmp_path / "export.json"
    export.write_text(json.dumps(document))
    empty = tmp_path / "empty" / "focusblock.db"
    empty.parent.mkdir()
    assert focusblock(str(empty), "account", "list").returncode == 0
    before = store_bytes(str(empty))
    done = focusblock(str(empty), "import-all", str(export))
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "export.json" in error and "'id'" in error and str(2**70) in error
    assert store_bytes(str(empty)) == before


# -- bytes that are not UTF-8 -------------------------------------------------------------

LATIN_1 = "Caf\u00e9 talk: we close in six days.".encode("latin-1")


def test_latin_1_on_stdin_for_remark_add_is_refused(acme, store_target):
    before = store_bytes(store_target)
    done = focusblock(store_target, "remark", "add", "Acme Corp", "-", stdin=LATIN_1)
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "stdin" in error and "UTF-8" in error and "0xe9" in error
    assert store_bytes(store_target) == before


def test_latin_1_on_stdin_for_remark_edit_is_refused(acme, store_target):
    before = store_bytes(store_target)
    done = focusblock(store_target, "remark", "edit", "1", "--text", "-", stdin=LATIN_1)
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "stdin" in error and "UTF-8" in error
    assert store_bytes(store_target) == before


def test_utf_8_on_stdin_is_still_read(acme, store_target):
    done = focusblock(
        store_target, "remark", "add", "Acme Corp", "-", stdin="Caf\u00e9 talk.".encode()
    )
    assert done.returncode == 0, done.stderr
    shown = focusblock(store_target, "remark", "list", "--json")
    assert "Caf\u00e9 talk." in [r["text"] for r in json.loads(shown.stdout)]


@pytest.mark.parametrize(
    "args",
    [
        (b"remark", b"add", b"Acme Corp", LATIN_1),
        (b"account", b"add", b"Caf\xe9 M\xfcller"),
        (b"remark", b"add", b"Acme Corp", b"Fine.", b"--who", b"Ren\xe9"),
    ],
    ids=["remark-text", "account-name", "option-value"],
)
def test_latin_1_in_arguments_is_refused(acme, store_target, args):
    before = store_bytes(store_target)
    done = focusblock(store_target, *args)
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "argument" in error and "UTF-8" in error and "0x" in error
    assert store_bytes(store_target) == before


# -- sources that never end ---------------------------------------------------------------


def quick_timeout(tmp_path: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text("[calendars]\ntimeout = 2\n")
    return config


def test_busy_from_dev_zero_ends_at_the_size_cap(store_target):
    done = focusblock(store_target, "busy", "--busy", "/dev/zero")
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "/dev/zero" in error and "MB" in error


def test_a_fifo_nobody_writes_to_ends_at_the_timeout(store_target, tmp_path):
    fifo = tmp_path / "busy.fifo"
    os.mkfifo(fifo)
    done = focusblock(store_target, "busy", "--busy", str(fifo), config=quick_timeout(tmp_path))
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "busy.fifo" in error and "nothing" in error


def test_a_fifo_with_a_writer_is_read(store_target, tmp_path):
    """`--busy <(curl ...)`: a pipe is a stream like any other."""
    source = calendar(tmp_path, DAILY_FOR_EVER).read_bytes()
    fifo = tmp_path / "busy.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as handle:
            handle.write(source)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    done = focusblock(store_target, "busy", "--busy", str(fifo), "--week", "2026-W49", "--json")
    writer.join(BOUND)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["busy"]) == 7


def test_a_huge_file_is_refused_unread(store_target, tmp_path):
    huge = tmp_path / "huge.ics"
    with open(huge, "wb") as handle:
        handle.truncate(2**40)  # a terabyte, sparse: reading it would never end
    done = focusblock(store_target, "busy", "--busy", str(huge))
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert "huge.ics" in error and "MB" in error


def test_a_huge_file_in_a_calendar_folder_is_refused_unread(store_target, tmp_path):
    folder = tmp_path / "vdir"
    folder.mkdir()
    with open(folder / "huge.ics", "wb") as handle:
        handle.truncate(2**40)
    done = focusblock(store_target, "busy", "--busy", str(folder))
    assert "Traceback" not in done.stderr
    assert "huge.ics" in done.stderr and "MB" in done.stderr
    assert done.returncode == 0 and "skipped:" in done.stderr, done.stderr  # the rest is read


def test_busy_on_stdin_from_dev_zero_ends_at_the_size_cap(store_target):
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "focusblock", "--db", store_target, "busy", "--busy", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=BOUND,
        )
    assert done.returncode == 4, done.stderr
    assert "stdin" in one_line_error(done)


ADD_FROM_STDIN = ("remark", "add", "Acme Corp", "-")


def test_a_remark_on_stdin_from_dev_zero_ends(acme, store_target):
    before = store_bytes(store_target)
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "focusblock", "--db", store_target, *ADD_FROM_STDIN],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=BOUND,
        )
    assert done.returncode == 4, done.stderr
    assert "stdin" in one_line_error(done)
    assert store_bytes(store_target) == before


# -- a database that is not ours ----------------------------------------------------------


def foreign_database(folder: Path, wal: bool = False) -> Path:
    """Another program's SQLite file, in the default rollback-journal mode or in WAL."""
    path = folder / "theirs" / "theirs.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO orders (total) VALUES (12.5)")
    conn.close()
    return path


@pytest.mark.parametrize("wal", [False, True], ids=["rollback journal", "WAL"])
@pytest.mark.parametrize(
    "args", [("account", "list"), ("account", "add", "Acme"), ("export",)], ids=" ".join
)
def test_someone_elses_sqlite_file_is_refused_before_any_write(tmp_path, args, wal):
    theirs = foreign_database(tmp_path, wal)
    before = theirs.read_bytes()
    mode = theirs.stat().st_mode
    done = focusblock(str(theirs), *args)
    assert done.returncode == 6, done.stderr
    assert "not made by focusblock; refusing to touch it" in one_line_error(done)
    assert theirs.read_bytes() == before, "the file was changed (switched to WAL?)"
    assert theirs.stat().st_mode == mode
    assert [p.name for p in theirs.parent.iterdir()] == ["theirs.db"], "no -wal, -shm left"


# -- names that print like another's ------------------------------------------------------

INVISIBLE = {
    "\u200b": "U+200B",  # zero width space
    "\u200c": "U+200C",  # zero width non-joiner
    "\u200d": "U+200D",  # zero width joiner
    "\u200e": "U+200E",  # left-to-right mark
    "\u200f": "U+200F",  # right-to-left mark
    "\u2060": "U+2060",  # word joiner
    "\ufeff": "U+FEFF",  # zero width no-break space (a byte-order mark)
    "\u202e": "U+202E",  # right-to-left override
    "\u2066": "U+2066",  # left-to-right isolate
}


@pytest.mark.parametrize("char", INVISIBLE, ids=INVISIBLE.values())
def test_an_invisible_character_is_refused_in_account_add(acme, store_target, char):
    before = store_bytes(store_target)
    done = focusblock(store_target, "account", "add", f"Ac{char}me Corp")
    assert done.returncode == 4, done.stderr
    error = one_line_error(done)
    assert f"<{INVISIBLE[char]}>" in error and char not in error
    assert store_bytes(store_target) == before


@pytest.mark.parametrize("char", ["\u200b", "\u202e"], ids=["U+200B", "U+202E"])
def test_an_invisible_character_is_refused_in_account_rename(acme, store_target, char):
    before = store_bytes(store_target)
    done = focusblock(store_target, "account", "rename", "Acme Corp", f"Acme{char} Ltd")
    assert done.returncode == 4, done.stderr
    assert f"<{INVISIBLE[char]}>" in one_line_error(done)
    assert store_bytes(store_target) == before


def remarks_of(store_target: str) -> list[dict]:
    done = focusblock(store_target, "remark", "list", "--all", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_name_with_invisible_characters_matches_the_account(acme, store_target):
    had = len(remarks_of(store_target))
    done = focusblock(store_target, "remark", "add", "\u200bAc\u200dme\ufeff Corp", "Fine.")
    assert done.returncode == 0, done.stderr
    assert [r["account"] for r in remarks_of(store_target)] == ["Acme Corp"] * (had + 1)


def test_an_import_with_invisible_characters_in_names_goes_on(acme, store_target, tmp_path):
    had = len(remarks_of(store_target))
    rows = tmp_path / "remarks.csv"
    rows.write_text(
        "account,text,on\n"
        "Ac\u200bme Corp,We need it by March.,2026-11-03\n"
        "\u2060Acme Corp\u200e,Budget is approved.,2026-11-04\n",
        encoding="utf-8",
    )
    done = focusblock(store_target, "remark", "import", str(rows))
    assert done.returncode == 0, done.stderr
    assert [r["account"] for r in remarks_of(store_target)] == ["Acme Corp"] * (had + 2)


def test_a_new_account_with_an_invisible_character_is_refused_with_its_row(
    acme, store_target, tmp_path
):
    """A name no account fits would create one that prints like another: refused as
    `account add` refuses it, naming the file and row, and the file imports nothing."""
    had = len(remarks_of(store_target))
    rows = tmp_path / "remarks.csv"
    rows.write_text(
        "account,text,on\nAcme Corp,We need it by March.,2026-11-03\n"
        "Ne\u200bw Co,Budget is tight.,2026-11-04\n",
        encoding="utf-8",
    )
    done = focusblock(store_target, "remark", "import", str(rows))
    line = one_line_error(done)
    assert done.returncode == 4
    assert "remarks.csv row 3" in line and "<U+200B>" in line, line
    assert len(remarks_of(store_target)) == had


def test_invisible_characters_are_shown_visibly(acme, store_target):
    """Remark text is kept verbatim, and printed with its invisible characters escaped."""
    done = focusblock(store_target, "remark", "add", "Acme Corp", "We\u200b close\u2060 soon.")
    assert done.returncode == 0, done.stderr
    listed = focusblock(store_target, "remark", "list").stdout
    assert "We\\u200b close\\u2060 soon." in listed
    assert "\u200b" not in listed and "\u2060" not in listed
    stored = [r["text"] for r in remarks_of(store_target)]
    assert "We\u200b close\u2060 soon." in stored  # JSON is data: kept as it is


def test_folding_invisible_characters_in_names_leaves_stored_search_words_as_they_were():
    """remark.search_text holds search_key(text), filled by a migration: folding names
    must not change it (a zero-width space still parts words there, as it always did)."""
    from focusblock.names import name_key, search_key

    assert name_key("Ac\u200bme\u2060 Corp") == "acme corp"
    assert search_key("We\u200bclose in\u2060six days") == "we close in six days"


@pytest.mark.parametrize("kind", ["fifo", "zero device"])
@pytest.mark.parametrize(
    "args",
    [("remark", "import"), ("reflect", "Kestrel", "--from"), ("import-all",)],
    ids=" ".join,
)
def test_an_input_file_that_never_ends_is_refused_at_once(store_target, tmp_path, kind, args):
    """A FIFO nobody writes to would be waited on forever, /dev/zero read until memory
    runs out: both refused in one line, before anything is read. The device is made in
    the test's own folder (the tests run as root), never the machine's /dev."""
    endless = tmp_path / "endless"
    if kind == "fifo":
        os.mkfifo(endless)
    else:
        try:
            os.mknod(endless, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
        except PermissionError:
            pytest.skip("making a device node needs root")
    focusblock(store_target, "account", "add", "Kestrel")
    before = store_bytes(store_target)
    done = focusblock(store_target, *args, str(endless))
    assert done.returncode == 4, done.stderr
    assert "not a file" in one_line_error(done)
    assert store_bytes(store_target) == before


@pytest.mark.parametrize(
    "args",
    [("remark", "search", "truck"), ("account", "show", "Kestrel"), ("remark", "list")],
    ids=" ".join,
)
def test_a_limit_beyond_any_store_shows_everything(store_target, args):
    focusblock(store_target, "account", "add", "Kestrel")
    focusblock(store_target, "remark", "add", "Kestrel", "Two trucks wait at the depot.")
    done = focusblock(store_target, *args, "--limit", "99999999999999999999")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "Two trucks" in done.stdout, done.stdout  # everything: the one remark there is


@pytest.mark.parametrize(
    "text", [" ".join(f"w{n}" for n in range(1001)), "x" * 60_000], ids=["1001 words", "60k word"]
)
def test_a_search_too_big_for_a_query_is_one_line(store_target, text):
    done = focusblock(store_target, "remark", "search", text)
    assert done.returncode == 4, done.stderr
    assert "expected at most" in one_line_error(done)


def test_an_empty_file_given_as_the_store_becomes_private(tmp_path):
    empty = tmp_path / "zero.db"
    empty.touch(mode=0o644)
    os.chmod(empty, 0o644)
    done = focusblock(str(empty), "account", "add", "Kestrel")
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(empty.stat().st_mode) == 0o600
