"""Files holding customer remarks are the user's alone: created 0600, written atomically,
and never written over the store or over a file that is not ours."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from focusblock.byte_order import head_text
from focusblock.csv_text import REMARKS_CSV_COLUMNS
from focusblock.errors import BadInput
from focusblock.fingerprints import WORKSHEET_MARK

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only; leave existing folders as they are."""
    if not path.exists():
        path.mkdir(parents=True, mode=PRIVATE_DIR_MODE, exist_ok=True)
    return path


def touch_private(path: Path) -> None:
    """Create an empty file with mode 0600 if it does not exist yet."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)


def write_private(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` so that a reader sees the old file or the new one, never half.

    The temporary file lives in the same folder (rename is atomic only within one file
    system) and is fsynced before the rename, so a crash cannot leave an empty file behind.
    """
    with StagedFiles() as staged:
        staged.add(path, data)
        staged.put_in_place()


def write_private_cache(path: Path, data: bytes) -> None:
    """Replace a cache file with `data` (0600), not waiting for the disk: a crash may leave
    it empty or cut, which its reader takes as damaged and ignores. An fsync of the file
    and its folder is most of the cost of writing on a laptop, and a cache is not worth it."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)
            handle.write(data)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


STDOUT = "stdout"  # what `stream_kind` says of `-` and of the file stdout is open on
STREAM = "stream"  # ... and of a character device or a FIFO: written to, never replaced


def refuse_unless_a_file(path: Path) -> None:
    """An input read whole, and perhaps twice (a CSV is checked, then read), must be a
    regular file: a FIFO waits for a writer forever and a device such as /dev/zero never
    ends. Told by stat, which never waits; a missing file is left to its reader to say."""
    try:
        found = os.stat(path)
    except OSError:
        return
    if not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(found.st_mode) else "a device or socket"
        raise BadInput(f"{path}: is {kind}, not a file; save what it gives to a file first")


def stream_kind(path: Path) -> str | None:
    """STDOUT for `-` or the very file stdout is open on (/dev/stdout, a link to it),
    STREAM for a character device or FIFO (written to in place: never read first, since
    reading a FIFO waits for a writer, and never replaced), None for a file to be
    written beside and renamed into place. A socket or a disk's block device is refused:
    it cannot be written as a file and must never be replaced by one."""
    if str(path) == "-":
        return STDOUT
    try:
        found = os.stat(path)
    except OSError:
        return None
    if _is_stdout(found):
        return STDOUT
    if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
        return STREAM
    if stat.S_ISSOCK(found.st_mode) or stat.S_ISBLK(found.st_mode):
        what = "a socket" if stat.S_ISSOCK(found.st_mode) else "a block device"
        raise BadInput(
            f"{path}: is {what}; expected a file name, a FIFO, a device or - for stdout",
            hint="choose another file name",
        )
    return None


def _is_stdout(found: os.stat_result) -> bool:
    try:
        ours = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (closed, captured)
        return False
    return (found.st_dev, found.st_ino) == (ours.st_dev, ours.st_ino)


def shown_target(path: Path) -> str:
    """How a message names an output: `stdout` for `-`, else the path as typed."""
    return "stdout" if str(path) == "-" else str(path)


def write_stream(path: Path, data: bytes, kind: str) -> None:
    """Write `data` to stdout or into a device or FIFO as a stream. A FIFO nobody reads is
    refused at once (opening it for writing would wait for a reader forever)."""
    if kind == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise BadInput(
                f"{path}: is a FIFO nobody reads; nothing written",
                hint="start the program that reads it first",
            ) from None
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        # a blocking write from here on: a slow reader is waited for, never dropped
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class StagedFiles:
    """Files written in full beside their targets first, then put in place together.

    A command whose last step may still fail (a plan that finds another plan of its week
    saved meanwhile) stages its files and puts them in place only once that check has
    passed: if it fails, or the command stops, the temporaries are removed and no file
    it meant to write has changed.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, str] = {}  # target -> its temporary, in the same folder
        # target -> (mtime_ns, size) it had when it was read: changed since, it is kept
        self._read_as: dict[Path, tuple[int, int] | None] = {}
        self.set_aside: list[tuple[Path, Path]] = []  # (target, where it was kept)
        # stdout, devices and FIFOs: written when the files are put in place, never staged
        self._streams: dict[Path, tuple[bytes, str]] = {}

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, path: Path, data: bytes | str, read_as: tuple[int, int] | None = None) -> None:
        """Write `data` (mode 0600, fsynced) to a temporary beside `path`. With `read_as`
        (what `file_state` said when the file was read), a file changed since (someone
        saved into it meanwhile) is first kept under another name, never written over."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = Path(path)
        kind = stream_kind(path)
        if kind is not None:
            self._streams[path] = (data, kind)
            return
        folder = path.parent if str(path.parent) else Path(".")
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:  # name the file the user asked for, not our temporary
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        try:
            os.fchmod(fd, PRIVATE_FILE_MODE)
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)  # fdopen did not take it over
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        try:
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            if isinstance(exc, OSError) and exc.filename is None:  # a full disk: which file
                raise OSError(exc.errno, exc.strerror, str(path)) from None
            raise
        previous = self._staged.pop(path, None)
        if previous is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(previous)
        self._staged[path] = tmp_name
        if read_as is not None:
            self._read_as[path] = read_as

    def put_in_place(self) -> None:
        """Write the streams, then rename every staged file onto its target (each rename
        atomic). The streams first: a FIFO refused leaves every file as it was."""
        while self._streams:
            path, (data, kind) = next(iter(self._streams.items()))
            del self._streams[path]
            write_stream(path, data, kind)
        folders = set()
        while self._staged:
            path, tmp_name = next(iter(self._staged.items()))
            if path in self._read_as and file_state(path) not in (None, self._read_as[path]):
                aside = free_name(path, "changed")
                os.replace(path, aside)
                self.set_aside.append((path, aside))
            os.replace(tmp_name, path)
            del self._staged[path]
            folder = path.parent if str(path.parent) else Path(".")
            folders.add(folder)
            _remove_stale_temporaries(folder, path.name)
        for folder in folders:
            _fsync_dir(folder)

    def discard(self) -> None:
        """Remove the temporaries not put in place."""
        self._streams.clear()
        for tmp_name in self._staged.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        self._staged.clear()


def file_state(path: Path) -> tuple[int, int] | None:
    """(modification time in ns, size) of a file, None when there is none: changed
    between two readings, someone wrote into it."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def free_name(path: Path, why: str) -> Path:
    """`name.<why>.ext` beside `path`, or `name.<why>-2.ext`, ... : the first not taken."""
    candidate, n = path.with_name(f"{path.stem}.{why}{path.suffix}"), 2
    while candidate.exists():
        candidate, n = path.with_name(f"{path.stem}.{why}-{n}{path.suffix}"), n + 1
    return candidate


STALE_AFTER_SECONDS = 3600


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """A process killed mid-write leaves its temporary file; clear those of this target.

    Only old ones: a younger one may belong to a writer that is still running.
    """
    cutoff = time.time() - STALE_AFTER_SECONDS
    for leftover in folder.glob(f".{name}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# What a file we may replace starts with, per kind of file we write.
_OURS: dict[str, tuple[str, ...]] = {
    "calendar": ("BEGIN:VCALENDAR",),
    "export": ('{\n "format": "focusblock-export"', '{"format": "focusblock-export"'),
    "remarks CSV": (",".join(REMARKS_CSV_COLUMNS),),  # `export --format csv` (BOM stripped)
    "worksheet": ("# Focus: ", "<!doctype html", "%PDF-"),
}
_DATABASE = b"SQLite format 3\x00"


def store_files(database: Path) -> list[Path]:
    """A SQLite store's file and the journal files beside it: never written over."""
    return [
        database,
        *(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal")),
    ]


def check_target(
    path: Path,
    kind: str,
    protected: Sequence[Path],
    force: bool = False,
    answers_kept: bool = False,
) -> None:
    """Refuse to replace the store (however it is named: a hard link, another path), a
    database, or a file that is neither ours nor of `kind`, unless `force` (never the store).
    `answers_kept`: the caller stored a worksheet's answers first (a plan), so one of ours
    whose title the seller changed may be replaced too.
    """
    if str(path) == "-" or not path.exists():
        return
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; expected a file name")
    for store in protected:
        if store.exists() and os.path.samefile(path, store):
            raise BadInput(
                f"{path}: that is your focusblock store; nothing is ever written over it",
                hint="choose another file name",
            )
    if stream_kind(path) is not None:  # written to in place, never replaced nor read
        return
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(_DATABASE):
        if force:
            return
        raise BadInput(
            f"{path}: is a database; not overwritten",
            hint="choose another file name, or add --force to replace it",
        )
    # a worksheet the seller saved as "Unicode" in Notepad is still ours: UTF-16
    text = head_text(head).lstrip()
    if not text or force or text.lower().startswith(tuple(s.lower() for s in _OURS[kind])):
        return
    if answers_kept and kind == "worksheet" and WORKSHEET_MARK in text[:1000]:
        return  # ours, its title touched by the seller: its answers were kept
    raise BadInput(
        f"{path}: exists and is not {'an' if kind[0] in 'aeiou' else 'a'} {kind} file "
        "focusblock wrote; not overwritten",
        hint="choose another file name, or add --force to replace it",
    )
