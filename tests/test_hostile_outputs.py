"""Outputs that are not files: `--out -` and /dev/stdout write to stdout, a character
device or a FIFO is written to as a stream (never read first, never replaced), a socket
is refused in one line. The tests run as root, which may replace any node: each makes its
own device nodes, FIFOs and sockets in its temporary folder, never touches /dev, and
runs focusblock in a subprocess with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

CALENDAR = str(EXAMPLES / "calendar.ics")
BOUND = 60  # seconds: a command that hangs fails the test instead


def focusblock(target: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run in the store's folder: a `-` taken for a file name lands there, not in the repo."""
    return subprocess.run(
        [sys.executable, "-m", "focusblock", "--db", target, *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        stdin=subprocess.DEVNULL,
        cwd=Path(target).parent,
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, done.stderr
    return lines[0]


def null_device(folder: Path) -> Path:
    """A node of our own for the kernel's /dev/null (major 1, minor 3)."""
    path = folder / "null"
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


def stdout_link(folder: Path) -> Path:
    """What /dev/stdout is, made in our own folder: a link to the process's stdout."""
    path = folder / "stdout"
    path.symlink_to("/proc/self/fd/1")
    return path


class FifoReader:
    """A FIFO with a reader already waiting, so a writer never blocks; what it read."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "out.fifo"
        os.mkfifo(self.path)
        self.data = b""
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with open(self.path, "rb") as handle:
            self.data = handle.read()

    def close(self) -> bytes:
        if self._thread.is_alive():  # nobody wrote: a writer of our own lets the reader end
            fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        self._thread.join(BOUND)
        return self.data


@pytest.fixture
def fifo(tmp_path):
    reader = FifoReader(tmp_path)
    yield reader
    reader.close()


def export_is_complete(text: str | bytes) -> None:
    document = json.loads(text)
    assert document["format"] == "focusblock-export"
    assert [a["name"] for a in document["accounts"]] == ["Acme Corp"]


def test_export_to_a_character_device_writes_through_it_and_keeps_the_node(
    acme, store_target, tmp_path
):
    device = null_device(tmp_path)
    done = focusblock(store_target, "export", "--out", str(device))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(device.lstat().st_mode), "the device node was replaced"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".null")] == []


@pytest.mark.parametrize("out", ["-", "link"])
def test_export_to_stdout_by_dash_or_link(acme, store_target, tmp_path, out):
    link = stdout_link(tmp_path)
    done = focusblock(store_target, "export", "--out", "-" if out == "-" else str(link))
    assert done.returncode == 0, done.stderr
    export_is_complete(done.stdout)
    assert link.is_symlink(), "the link to stdout was replaced"
    assert "Exported" in done.stderr, "what was written is said on stderr, beside the data"


def test_export_into_a_fifo_is_a_stream_never_read_first(acme, store_target, fifo):
    done = focusblock(store_target, "export", "--out", str(fifo.path))
    assert done.returncode == 0, done.stderr
    export_is_complete(fifo.close())
    assert stat.S_ISFIFO(fifo.path.lstat().st_mode)


def test_a_fifo_nobody_reads_is_refused_in_one_line(acme, store_target, tmp_path):
    path = tmp_path / "lonely.fifo"
    os.mkfifo(path)
    done = focusblock(store_target, "export", "--out", str(path))
    assert done.returncode == 4
    assert "lonely.fifo: is a FIFO nobody reads" in one_line_error(done)
    assert stat.S_ISFIFO(path.lstat().st_mode)


def test_a_socket_is_refused_in_one_line(acme, store_target, tmp_path):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        done = focusblock(store_target, "export", "--out", str(path))
    finally:
        server.close()
    assert done.returncode == 4
    assert "s.sock: is a socket" in one_line_error(done)
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_worksheet_into_a_fifo_and_to_stdout(acme, store_target, fifo, tmp_path):
    done = focusblock(store_target, "worksheet", "Acme Corp", "--out", str(fifo.path))
    assert done.returncode == 0, done.stderr
    assert fifo.close().decode().startswith("# Focus: Acme Corp")
    for out in ("-", str(stdout_link(tmp_path))):
        done = focusblock(store_target, "worksheet", "Acme Corp", "--format", "html", "--out", out)
        assert done.returncode == 0, done.stderr
        assert done.stdout.lower().startswith("<!doctype html")


def test_plan_to_stdout_writes_the_ics_there_and_the_rest_beside_the_store(
    example_store, store_target, tmp_path
):
    done = focusblock(store_target, "plan", "--busy", CALENDAR, "--out", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("BEGIN:VCALENDAR"), "stdout holds the calendar alone"
    assert done.stdout.rstrip().endswith("END:VCALENDAR")
    assert "Focus blocks, week 2026-W49" in done.stderr
    assert "Wrote" in done.stderr and "to stdout" in done.stderr
    week = Path(store_target).parent / "weeks" / "2026-W49"
    assert (week / "2026-W49-kestrel-robotics.md").exists(), "worksheets where they go today"
    assert not (week / "focusblock-2026-W49.ics").exists()
    assert not (Path(store_target).parent / "-").exists()
    assert not list(Path(store_target).parent.glob("*.md")), "no worksheet in the current folder"


def test_plan_into_a_device_or_fifo_keeps_the_node(example_store, store_target, tmp_path, fifo):
    device = null_device(tmp_path)
    done = focusblock(store_target, "plan", "--busy", CALENDAR, "--out", str(device))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert not list(tmp_path.glob("*.md")), "no worksheet written beside a device"
    done = focusblock(store_target, "plan", "--busy", CALENDAR, "--out", str(fifo.path))
    assert done.returncode == 0, done.stderr
    assert fifo.close().startswith(b"BEGIN:VCALENDAR")


def test_plan_to_stdout_and_json_both_asked_is_refused(example_store, store_target):
    done = focusblock(store_target, "plan", "--busy", CALENDAR, "--out", "-", "--json")
    assert done.returncode == 2
    assert "--json" in done.stderr and "stdout" in done.stderr
    assert "Traceback" not in done.stderr
