"""Files holding customer remarks are the user's alone: created 0600, written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

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
    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:  # name the file the user asked for, not our temporary
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(folder)
    _remove_stale_temporaries(folder, path.name)


STALE_AFTER_SECONDS = 3600


def _remove_stale_temporaries(folder: Path, name: str) -> None:
    """A process killed mid-write leaves its temporary file; clear those of this target.

    Only old ones: a younger one may belong to a writer that is still running.
    """
    import time

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
