"""Slow, huge or broken feed servers: one overall deadline per source, only a complete
body cached, the cache folder's defences, and every server fault one line, never a
traceback. The server is a loopback TCP server written here that misbehaves on purpose;
commands that could hang run in a subprocess with a timeout.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socketserver
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, NOW

CALENDAR = (EXAMPLES / "calendar.ics").read_bytes()
BOUND = 60  # seconds: a command that hangs fails the test instead
TIMEOUT = 3  # calendars.timeout in these tests, seconds


def head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def complete(body: bytes, etag: str = '"v1"') -> bytes:
    headers = {"Content-Length": str(len(body)), "ETag": etag, "Connection": "close"}
    return head("200 OK", headers) + body


class Misbehaving(socketserver.ThreadingTCPServer):
    """Answers each path as `behaviours[path](request headers, write)` says."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.behaviours: dict[str, Callable[[str, Callable[[bytes], None]], None]] = {}
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(socketserver.StreamRequestHandler):
    server: Misbehaving

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            request += chunk
        text = request.decode("latin-1")
        # the body read too (a REPORT has one): a socket closed with unread bytes is reset,
        # and a reset can drop the end of what was sent before it
        said = re.search(r"(?im)^content-length:\s*(\d+)", text)
        missing = int(said.group(1)) - len(request.split(b"\r\n\r\n", 1)[1]) if said else 0
        while missing > 0:
            chunk = self.request.recv(min(missing, 65536))
            if not chunk:
                return
            missing -= len(chunk)
        path = text.split(" ", 2)[1]
        behaviour = self.server.behaviours.get(path)
        if behaviour is None:
            self.wfile.write(head("404 Not Found", {"Content-Length": "0"}))
            return
        with contextlib.suppress(OSError):  # the client gave up: what a deadline is for
            behaviour(text, self.wfile.write)


@pytest.fixture
def server() -> Iterator[Misbehaving]:
    running = Misbehaving()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.stopping.set()
    running.shutdown()
    running.server_close()


def drip(server: Misbehaving, first: bytes, then: bytes) -> Callable[..., None]:
    """`first`, then `then` one byte every half second until the test ends."""

    def behave(_request: str, write: Callable[[bytes], None]) -> None:
        write(first)
        for byte in then:
            if server.stopping.wait(0.5):
                return
            write(bytes([byte]))

    return behave


def canned(answer: bytes) -> Callable[..., None]:
    return lambda _request, write: write(answer)


@pytest.fixture
def busy(store_target: str, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(url: str, timeout: int = TIMEOUT) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FOCUSBLOCK_CALENDARS_TIMEOUT": str(timeout)}
        return subprocess.run(
            [sys.executable, "-m", "focusblock", "--db", store_target, "busy", "--busy", url],
            capture_output=True,
            text=True,
            timeout=BOUND,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
            env=env,
        )

    return run


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 4, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("Hint:")]
    assert len(lines) == 1 and lines[0].startswith("Error:"), done.stderr
    return lines[0]


def feed_cache() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "focusblock" / "feeds"


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_dripping_server_is_given_up_on_at_the_timeout(server, busy, where):
    if where == "body":
        first = head("200 OK", {"Content-Length": str(len(CALENDAR))})
        server.behaviours["/drip.ics"] = drip(server, first, CALENDAR)
    else:
        server.behaviours["/drip.ics"] = drip(server, b"HTTP/1.1 200 OK\r\n", b"X-Slow: " * 500)
    started = time.monotonic()
    done = busy(server.url("/drip.ics"))
    elapsed = time.monotonic() - started
    assert f"no answer within {TIMEOUT} s" in one_line_error(done)
    assert elapsed < 5 * TIMEOUT + 10, f"took {elapsed:.0f} s with a {TIMEOUT} s timeout"


def test_a_cut_download_is_never_cached(server, busy):
    answered = []

    def cut_then_whole(request: str, write: Callable[[bytes], None]) -> None:
        answered.append(request)
        if 'If-None-Match: "v1"' in request:
            write(head("304 Not Modified", {"ETag": '"v1"', "Connection": "close"}))
        elif len(answered) == 1:
            write(complete(CALENDAR)[: len(CALENDAR) // 2])  # the connection drops halfway
        else:
            write(complete(CALENDAR))

    server.behaviours["/cal.ics"] = cut_then_whole
    first = one_line_error(busy(server.url("/cal.ics")))
    assert "cut short" in first and "no cached copy" in first
    assert not list(feed_cache().glob("*.ics")) if feed_cache().exists() else True
    second = busy(server.url("/cal.ics"))
    assert second.returncode == 0, second.stderr
    assert "If-None-Match" not in answered[1]


@pytest.mark.parametrize(
    "answer, said",
    [
        (b"GARBAGE\r\n\r\n", "not an HTTP answer"),
        (
            head("200 OK", {f"X-H{n}": "1" for n in range(101)}) + CALENDAR,
            "not an HTTP answer",
        ),
        (head("200 OK", {"X-Long": "a" * 70_000}) + CALENDAR, "not an HTTP answer"),
        (
            head("200 OK", {"Transfer-Encoding": "chunked", "Connection": "close"})
            + b"zz\r\nBEGIN\r\n0\r\n\r\n",
            "cut short",
        ),
        (
            head("200 OK", {"Transfer-Encoding": "chunked", "Connection": "close"})
            + b"4000\r\nBEGIN:VCALENDAR",
            "cut short",
        ),
    ],
    ids=["status-line", "101-headers", "70kb-header", "bad-chunked", "cut-chunked"],
)
def test_broken_answers_are_one_line(server, busy, answer, said):
    server.behaviours["/broken.ics"] = canned(answer)
    line = one_line_error(busy(server.url("/broken.ics")))
    assert said in line and "no cached copy" in line


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:port/x.ics", "http://[::1/x.ics", "https://cal.example.com:99999/x"]
)
def test_malformed_feed_addresses_are_one_line(busy, url):
    line = one_line_error(busy(url))
    assert "not a valid address" in line


def test_the_feed_cache_folder_as_a_symlink_is_refused_and_its_target_untouched(
    server, busy, tmp_path
):
    server.behaviours["/cal.ics"] = canned(complete(CALENDAR))
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    feed_cache().parent.mkdir(parents=True, exist_ok=True)
    feed_cache().symlink_to(shared)
    line = one_line_error(busy(server.url("/cal.ics")))
    assert "is a symbolic link" in line
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert list(shared.iterdir()) == []


def test_a_cache_time_in_the_future_is_stale_not_0_min_ago(server, busy):
    server.behaviours["/cal.ics"] = canned(complete(CALENDAR))
    assert busy(server.url("/cal.ics")).returncode == 0
    (meta_path,) = feed_cache().glob("*.json")
    meta = json.loads(meta_path.read_text())
    future = datetime.fromisoformat(NOW) + timedelta(days=3)
    meta_path.write_text(json.dumps({**meta, "fetched": future.isoformat()}))
    server.behaviours["/cal.ics"] = canned(head("503 Busy", {"Content-Length": "0"}))
    line = one_line_error(busy(server.url("/cal.ics")))
    assert "in the future" in line and "0 min" not in line


# -- CalDAV: a page where XML was expected, a dripping server, a target that is not a calendar


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    from tests.calendar_servers import Radicale

    running = Radicale(tmp_path_factory.mktemp("radicale"))
    yield running
    running.stop()


@pytest.fixture
def caldav_user(monkeypatch):
    from tests.calendar_servers import PASSWORD, USER

    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_USERNAME", USER)
    monkeypatch.setenv("FOCUSBLOCK_CALDAV_PASSWORD", PASSWORD)


def test_a_login_page_where_caldav_xml_was_expected_is_one_line(server, busy, caldav_user):
    page = b"<!doctype html><html><body><form>Sign in</form></body></html>"
    answer = head("200 OK", {"Content-Type": "text/html", "Content-Length": str(len(page))})
    server.behaviours["/dav/work/"] = canned(answer + page)
    # a timeout no busy machine reaches: what is said of the page is the point here
    line = one_line_error(busy("caldav:" + server.url("/dav/work/"), timeout=30))
    assert "not a CalDAV answer" in line and "AttributeError" not in line


def test_a_dripping_caldav_server_is_given_up_on_at_the_timeout(server, busy, caldav_user):
    first = head("207 Multi-Status", {"Content-Length": "100000"})
    server.behaviours["/dav/work/"] = drip(server, first, b"<" * 1000)
    started = time.monotonic()
    line = one_line_error(busy("caldav:" + server.url("/dav/work/")))
    elapsed = time.monotonic() - started
    assert "did not answer in time" in line
    assert elapsed < 5 * TIMEOUT + 10, f"took {elapsed:.0f} s with a {TIMEOUT} s timeout"


def plan_publishing(store_target: str, target: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOCUSBLOCK_CALENDARS_TIMEOUT": "20"}
    return subprocess.run(
        [
            *(sys.executable, "-m", "focusblock", "--db", store_target, "plan"),
            *("--busy", str(EXAMPLES / "calendar.ics"), "--no-file", "--publish", target),
        ],
        capture_output=True,
        text=True,
        timeout=BOUND,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def test_publishing_to_what_is_not_a_calendar_collection_is_refused(
    example_store, store_target, radicale, caldav_user
):
    from tests.calendar_servers import USER

    calendar, _ = radicale.new_calendar("hostile-home")
    before = sorted(str(c.url) for c in radicale.client().principal().calendars())
    home = f"caldav:{radicale.url}{USER}/"
    line = one_line_error(plan_publishing(store_target, home))
    assert "not a calendar collection" in line
    assert sorted(str(c.url) for c in radicale.client().principal().calendars()) == before
    event = calendar.save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:x1\r\n"
        "DTSTAMP:20261125T090000Z\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        "SUMMARY:Theirs\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    line = one_line_error(plan_publishing(store_target, f"caldav:{event.url}"))
    assert "not a calendar collection" in line and "password" not in line
    assert [e.icalendar_component["SUMMARY"] for e in calendar.events()] == ["Theirs"]


@pytest.mark.parametrize("length", ["said", "unsaid"])
def test_a_caldav_answer_over_50_mb_is_refused_in_one_line(server, busy, caldav_user, length):
    size = 51 * 1024 * 1024
    headers = {"Content-Type": "application/xml", "Connection": "close"}
    if length == "said":
        headers["Content-Length"] = str(size)

    def huge(_request: str, write: Callable[[bytes], None]) -> None:
        write(head("207 Multi-Status", headers))
        block = b"<" * (1024 * 1024)
        for _ in range(size // len(block)):
            write(block)

    server.behaviours["/dav/work/"] = huge
    line = one_line_error(busy("caldav:" + server.url("/dav/work/"), timeout=30))
    assert "larger than 50 MB" in line


def _cached_then(server, busy, damage: Callable[[Path], None]) -> subprocess.CompletedProcess[str]:
    """A feed read once (cached with its ETag), its cached copy damaged, read again."""

    def with_etag(request: str, write: Callable[[bytes], None]) -> None:
        if 'If-None-Match: "v1"' in request:
            write(head("304 Not Modified", {"ETag": '"v1"', "Connection": "close"}))
        else:
            write(complete(CALENDAR))

    server.behaviours["/cal.ics"] = with_etag
    assert busy(server.url("/cal.ics")).returncode == 0
    (copy,) = feed_cache().glob("*.ics")
    damage(copy)
    return busy(server.url("/cal.ics"))


def test_a_damaged_cached_copy_is_fetched_again_not_confirmed(server, busy):
    again = _cached_then(server, busy, lambda copy: copy.write_bytes(b"\x00garbage"))
    assert again.returncode == 0, again.stderr
    assert again.stdout == busy(server.url("/cal.ics")).stdout


def test_a_fifo_where_the_cached_copy_was_is_passed_by(server, busy):
    def fifo(copy: Path) -> None:
        copy.unlink()
        os.mkfifo(copy)

    again = _cached_then(server, busy, fifo)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
