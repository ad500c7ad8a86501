"""Messages and exit codes under hostile conditions: what a command says must name the
real cause (a deleted remark, an empty zip, a redirect off http, a full disk, a read-only
store) in one line with README's exit code, never a traceback, never a long wait. Every
command runs in a subprocess with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.test_hostile_servers import canned, head, server  # noqa: F401 - a fixture

BOUND = 60  # seconds: a command that hangs fails the test instead

ONE_EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
    "UID:utf16@example.com\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:20261201T150000Z\r\n"
    "DTEND:20261201T160000Z\r\nSUMMARY:Zahnarzt \u00e4\u00f6\u00fc\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def focusblock(
    target: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run in the store's folder: a `-` taken for a file name lands there, not in the repo."""
    return subprocess.run(
        [sys.executable, "-m", "focusblock", "--db", target, *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        cwd=Path(target).parent if "://" not in target else None,
        env={**os.environ, **(env or {})},
    )


def one_line_error(done: subprocess.CompletedProcess[str], code: int) -> str:
    """The one `Error:` line (a `Hint:` line may follow), after checking the exit code."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if not line.startswith("Hint:")]
    assert len(lines) == 1 and lines[0].startswith("Error:"), done.stderr
    return lines[0]


# -- a remark imported again after it was deleted


@pytest.mark.both_stores("the unique index that skips the words, enforced by each database")
def test_importing_a_deleted_remark_says_deleted_and_how_to_restore_it(run, store_target, write):
    run("account", "add", "Acme")
    added = json.loads(run("remark", "add", "Acme", "We close in March.", "--json").stdout)
    run("remark", "delete", str(added["id"]))
    heard = added["heard_on"]
    notes = write("notes.csv", f"account,text,on\nAcme,We close in March.,{heard}\n")

    done = focusblock(store_target, "remark", "import", str(notes))
    assert done.returncode == 0, done.stderr
    said = f"skipped 1 deleted (remark #{added['id']}; focusblock remark restore {added['id']}"
    assert said in done.stdout + done.stderr
    assert "already stored" not in done.stdout + done.stderr

    report = json.loads(focusblock(store_target, "remark", "import", str(notes), "--json").stdout)
    assert report["added"] == []
    why = (
        f"deleted (remark #{added['id']}; focusblock remark restore {added['id']} to bring it back)"
    )
    assert report["skipped"] == [{"text": "We close in March.", "why": why}]
    # nothing lost, nothing brought back by the import: the remark stays deleted
    shown = json.loads(run("remark", "show", str(added["id"]), "--json").stdout)
    assert shown["deleted_at"] is not None


# -- zips and UTF-16 calendars are named for what they are


def _busy(target: str, source: Path) -> subprocess.CompletedProcess[str]:
    return focusblock(target, "busy", "--busy", str(source), "--week", "2026-W49", "--json")


def test_an_empty_zip_is_said_to_be_an_empty_zip(store_target, write):
    archive = io.BytesIO()
    zipfile.ZipFile(archive, "w").close()  # only the end-of-archive record: PK\x05\x06
    source = write("takeout.zip", archive.getvalue())
    line = one_line_error(_busy(store_target, source), 4)
    assert "empty zip archive" in line and str(source) in line
    assert "binary data" not in line


def test_a_damaged_zip_is_named_as_a_zip_not_binary_data(store_target, write):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as made:
        made.writestr("cal.ics", ONE_EVENT)
    cut = archive.getvalue()[:40]  # a local header and a few bytes: no central directory
    line = one_line_error(_busy(store_target, write("takeout.zip", cut)), 4)
    assert "zip" in line and "binary data" not in line


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_calendar_is_decoded_by_its_byte_order_mark(store_target, write, codec):
    mark = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    source = write("windows.ics", mark + ONE_EVENT.encode(codec))
    done = _busy(store_target, source)
    assert done.returncode == 0, done.stderr
    busy = json.loads(done.stdout)["busy"]
    assert [event["summary"] for event in busy] == ["Zahnarzt \u00e4\u00f6\u00fc"]


# -- a redirect off http


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/cal.ics"])
def test_a_redirect_to_another_scheme_is_refused_as_such(server, store_target, target):  # noqa: F811
    moved = head("302 Found", {"Location": target, "Content-Length": "0"})
    server.behaviours["/cal.ics"] = canned(moved)
    line = one_line_error(focusblock(store_target, "busy", "--busy", server.url("/cal.ics")), 4)
    assert "redirected to" in line and "not http" in line, line
    assert "more than" not in line and "passwd" not in line


# -- a password helper that leaves a child holding its output


def test_a_password_helper_whose_child_keeps_stdout_open_is_not_waited_on(
    server,  # noqa: F811
    store_target,
    tmp_path,
):
    page = b"<!doctype html><html><body><form>Sign in</form></body></html>"
    answer = head("200 OK", {"Content-Type": "text/html", "Content-Length": str(len(page))})
    server.behaviours["/dav/work/"] = canned(answer + page)
    helper = tmp_path / "helper.sh"
    # like a password manager that starts its agent: the agent inherits stdout and lives on
    helper.write_text("#!/bin/sh\necho s3cret\nsleep 120 &\nexit 0\n")
    helper.chmod(0o700)
    env = {
        "FOCUSBLOCK_CALENDARS_USERNAME": "me",
        "FOCUSBLOCK_CALENDARS_PASSWORD_COMMAND": str(helper),
        "FOCUSBLOCK_CALENDARS_TIMEOUT": "30",
    }
    started = time.monotonic()
    done = focusblock(store_target, "busy", "--busy", "caldav:" + server.url("/dav/work/"), env=env)
    elapsed = time.monotonic() - started
    line = one_line_error(done, 4)
    assert "not a CalDAV answer" in line, line  # the password was read and used
    assert "s3cret" not in done.stdout + done.stderr
    assert elapsed < 20, f"took {elapsed:.0f} s"


# -- a read-only store and a full disk, each made in a mount namespace of the test's own


def _can_mount() -> str | None:
    """Why a mount of our own cannot be made here (None when it can)."""
    try:
        done = subprocess.run(
            ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
            capture_output=True,
            text=True,
            timeout=BOUND,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare cannot run here ({exc})"
    return None if done.returncode == 0 else f"cannot mount here: {done.stderr.strip()}"


needs_mounts = pytest.mark.skipif(
    (why := _can_mount()) is not None, reason=why or "", allow_module_level=False
)


def mounted(setup: str, target: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`focusblock --db TARGET ARGS` after the shell `setup` ran in a mount namespace of
    its own: the mounts it makes are seen by this command only and vanish with it."""
    return subprocess.run(
        [
            *("unshare", "-m", "sh", "-c", f'{setup} && exec "$@"', "sh"),
            *(sys.executable, "-m", "focusblock", "--db", target, *args),
        ],
        capture_output=True,
        text=True,
        timeout=BOUND,
        stdin=subprocess.DEVNULL,
        cwd=Path(target).parent.parent,
    )


READING = [
    ("account", "list"),
    ("account", "show", "Acme"),
    ("remark", "list"),
    ("remark", "show", "1"),
    ("export",),
    ("worksheet", "Acme"),
    ("busy", "--busy", str(EXAMPLES / "calendar.ics"), "--week", "2026-W49"),
    ("remark", "search", "close"),
]
WRITING = [
    ("account", "add", "Globex"),
    ("remark", "add", "Acme", "We close in March."),
    ("remark", "delete", "1"),
    ("remark", "edit", "1", "--text", "Month-end close takes five days."),
    ("account", "edit", "Acme", "--need", "Close in three days"),
    ("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--week", "2026-W49"),
]


@pytest.fixture
def acme_store(run, db_path: Path) -> Path:
    run("account", "add", "Acme", "--need", "Faster close")
    run("remark", "add", "Acme", "Month-end close takes six days.", "--lens", "need")
    return db_path


def _bytes_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@needs_mounts
@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_a_read_only_store_is_read(acme_store, args):
    folder = acme_store.parent
    before = _bytes_of(folder)
    setup = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    done = mounted(setup, str(acme_store), *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    shown = {"account": "Acme", "busy": "2026-W49"}.get(args[0], "Month-end close")
    assert shown in done.stdout, done.stdout  # what the command reads, it shows
    assert _bytes_of(folder) == before


@needs_mounts
@pytest.mark.parametrize("args", WRITING, ids=" ".join)
def test_writing_to_a_read_only_store_is_one_line(acme_store, args):
    folder = acme_store.parent
    before = _bytes_of(folder)
    setup = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}"
    line = one_line_error(mounted(setup, str(acme_store), *args), 8)
    assert str(acme_store) in line and "read-only" in line.lower(), line
    assert _bytes_of(folder) == before


def _full_disk(store: Path) -> str:
    """A shell setup: a small tmpfs over the store's folder, the store copied in, the
    rest of the space filled."""
    folder = store.parent
    kept = folder.with_name("kept")
    folder.rename(kept)
    folder.mkdir()
    return (
        f"mount -t tmpfs -o size=1m tmpfs {folder} && cp -p {kept}/* {folder}/ && "
        f"(dd if=/dev/zero of={folder}/filler bs=4k 2>/dev/null; true)"
    )


@needs_mounts
@pytest.mark.parametrize("args", WRITING, ids=" ".join)
def test_writing_on_a_full_disk_says_no_space_left(acme_store, args):
    line = one_line_error(mounted(_full_disk(acme_store), str(acme_store), *args), 8)
    assert str(acme_store) in line and "no space left" in line.lower(), line


@needs_mounts
@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_reading_on_a_full_disk_works(acme_store, args):
    done = mounted(_full_disk(acme_store), str(acme_store), *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@needs_mounts
def test_a_plan_on_a_full_disk_names_the_file_it_could_not_write(acme_store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    setup = (
        f"mount -t tmpfs -o size=64k tmpfs {out} && "
        f"(dd if=/dev/zero of={out}/filler bs=4k 2>/dev/null; true)"
    )
    calendar = str(EXAMPLES / "calendar.ics")
    before = focusblock(str(acme_store), "export").stdout
    done = mounted(
        setup,
        str(acme_store),
        "plan",
        "--busy",
        calendar,
        "--week",
        "2026-W49",
        "--out",
        str(out / "focus.ics"),
    )
    line = one_line_error(done, 8)
    assert str(out) in line and "no space left" in line.lower(), line
    assert focusblock(str(acme_store), "export").stdout == before  # no block kept unwritten


@needs_mounts
def test_an_import_that_fills_the_disk_names_the_store_and_keeps_nothing(acme_store, tmp_path):
    rows = "".join(f"Acme,Remark {n} {'x' * 400},2026-11-0{1 + n % 9}\n" for n in range(3000))
    notes = tmp_path / "notes.csv"
    notes.write_text("account,text,on\n" + rows)
    folder = acme_store.parent
    kept = folder.with_name("kept")
    folder.rename(kept)
    folder.mkdir()
    setup = (  # room to open the store and begin, not for 1.2 MB of remarks
        f"mount -t tmpfs -o size=1m tmpfs {folder} && cp -p {kept}/* {folder}/ && "
        f"dd if=/dev/zero of={folder}/filler bs=4k count=150 2>/dev/null"
    )
    line = one_line_error(mounted(setup, str(acme_store), "remark", "import", str(notes)), 8)
    assert str(acme_store) in line and "no space left" in line.lower(), line
    assert "nothing was imported" in line


# -- a store in a folder its owner cannot write (chmod 555): what a user meets. The tests
# run as root, who writes anywhere; without CAP_DAC_OVERRIDE root is held to the mode
# bits like any owner.
NO_OVERRIDE = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner")


def _can_drop_override() -> str | None:
    try:
        done = subprocess.run([*NO_OVERRIDE, "true"], capture_output=True, timeout=BOUND)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"setpriv cannot run here ({exc})"
    return None if done.returncode == 0 else "setpriv cannot drop CAP_DAC_OVERRIDE here"


needs_setpriv = pytest.mark.skipif(
    (no_setpriv := _can_drop_override()) is not None, reason=no_setpriv or ""
)


def as_owner(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NO_OVERRIDE, sys.executable, "-m", "focusblock", "--db", str(target), *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        stdin=subprocess.DEVNULL,
        cwd=target.parent.parent,
    )


@pytest.fixture
def unwritable_folder(acme_store):
    acme_store.parent.chmod(0o555)
    yield acme_store
    acme_store.parent.chmod(0o700)


@needs_setpriv
@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_a_store_in_a_folder_you_cannot_write_is_read(unwritable_folder, args):
    before = _bytes_of(unwritable_folder.parent)
    done = as_owner(unwritable_folder, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert _bytes_of(unwritable_folder.parent) == before


@needs_setpriv
def test_writing_a_store_in_a_folder_you_cannot_write_is_one_line(unwritable_folder):
    before = _bytes_of(unwritable_folder.parent)
    line = one_line_error(as_owner(unwritable_folder, "remark", "add", "Acme", "Hi."), 8)
    assert str(unwritable_folder) in line and "read-only" in line, line
    assert _bytes_of(unwritable_folder.parent) == before
