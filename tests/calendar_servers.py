"""Real servers on 127.0.0.1 for the live-calendar tests: Radicale (CalDAV) and a feed server.

Radicale runs as a subprocess with its own storage folder and a password file, exactly
as a user would run it. The feed server is the standard library's http.server with the
behaviour of real feeds: ETag and 304, plus a slow answer, a 500 and a redirect loop.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

USER = "seller"
PASSWORD = "Tr0ub4dor-3-horse-staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections while the block runs: bound, never
    listening, so no other process (another suite's server) can take it meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


class Radicale:
    """A Radicale 3 server on a free port, storage and htpasswd in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        users = folder / "users"
        users.write_text(f"{USER}:{PASSWORD}\n")
        self.log = (folder / "radicale.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--config",
                "",  # no system or user config: only what is given here
                "--server-hosts",
                f"127.0.0.1:{self.port}",
                "--storage-filesystem-folder",
                str(folder / "collections"),
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(users),
                "--auth-htpasswd-encryption",
                "plain",
                "--logging-level",
                "warning",
                # a server for tests: no deliberate wait after a wrong password or a 5xx
                # (a second each, several per run; what the client is told is the same)
                "--auth-delay",
                "0",
                "--server-delay-on-error",
                "0",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"radicale exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(self.url, timeout=1).close()
                return
            except urllib.error.HTTPError as exc:
                exc.close()
                return  # it answers (401 or a redirect): it is up
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("radicale did not start within 30 s")

    def client(self, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        import caldav

        return caldav.DAVClient(url=self.url, username=USER, password=password, timeout=10)

    def new_calendar(self, name: str):  # type: ignore[no-untyped-def]
        """A fresh calendar collection; returns (caldav Calendar, caldav:URL spec)."""
        calendar = self.client().principal().make_calendar(name=name, cal_id=name)
        return calendar, f"caldav:{self.url}{USER}/{name}/"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@dataclass
class FeedServer:
    """Serves feeds[path] with an ETag; counts full downloads and 304s per path."""

    feeds: dict[str, bytes] = field(default_factory=dict)
    downloads: dict[str, int] = field(default_factory=dict)
    not_modified: dict[str, int] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)  # paths answering 500 for now
    slow_seconds: float = 3.0

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path
                if path == "/slow.ics":
                    time.sleep(server.slow_seconds)
                    return self._send(200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
                if path == "/error.ics" or path in server.failing:
                    return self._send(500, b"oops")
                if path.startswith("/loop"):
                    n = int(path.removeprefix("/loop").removesuffix(".ics") or 0)
                    self.send_response(302)
                    self.send_header("Location", f"/loop{(n + 1) % 2}.ics")
                    self.end_headers()
                    return None
                if path.startswith("/auth/"):  # a feed behind HTTP basic authentication
                    import base64

                    wanted = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                    if self.headers.get("Authorization") != f"Basic {wanted}":
                        return self._send(401, b"who are you?")
                body = server.feeds.get(path)
                if body is None:
                    return self._send(404, b"no such feed")
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    server.not_modified[path] = server.not_modified.get(path, 0) + 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return None
                server.downloads[path] = server.downloads.get(path, 0) + 1
                return self._send(200, body, {"ETag": etag, "Content-Type": "text/calendar"})

            def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(code)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # the client may have given up (the slow feed's timeout)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
