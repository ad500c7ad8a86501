"""iCalendar feeds over http(s): fetched with conditional requests into a private cache.

Google's secret address, Outlook's published calendar and iCloud's public calendars
are plain GETs of an .ics. Each fetch sends the ETag and Last-Modified of the cached
copy, so an unchanged feed answers 304 and is not downloaded again. Offline, on a
timeout or a 5xx, the cached copy is used with a warning giving its age, unless it is
older than `max_age`. The cache holds the user's calendar: files 0600 in a 0700
folder, named by a hash of the URL (the URL itself is a secret).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from focusblock.byte_order import UTF16_MARKS
from focusblock.calendar.reading import is_zip
from focusblock.calendar.urls import mask_url, scrub
from focusblock.errors import BadInput, FocusblockError
from focusblock.private_files import PRIVATE_DIR_MODE, ensure_private_dir, write_private

MAX_FEED_BYTES = 50 * 1024 * 1024  # the largest real exports we know are a few MB
MAX_REDIRECTS = 5
USER_AGENT = "focusblock (iCalendar feed reader)"
CLOCK_SLACK = timedelta(minutes=5)  # clocks of two machines sharing a cache differ a little


@dataclass(frozen=True)
class FeedOptions:
    cache_dir: Path
    now: datetime
    max_age: timedelta = timedelta(hours=24)
    timeout: float = 20.0
    max_bytes: int = MAX_FEED_BYTES


@dataclass(frozen=True)
class FeedResult:
    data: bytes
    status: str  # "downloaded", "not modified" (304) or "cached" (server unreachable)
    warning: str | None = None


class _RedirectRefused(Exception):
    """Too many hops, or a hop off http(s): the message says which."""


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """At most MAX_REDIRECTS hops, only to http(s) (urllib would also follow ftp://)."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        _refuse_other_schemes(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def http_error_302(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> Any:
        # urllib refuses file:// and other schemes itself, in an error that reads like a
        # redirect loop: the scheme is checked here first, so the message says what it is
        location = headers.get("location") or headers.get("uri")
        if location:
            try:
                _refuse_other_schemes(urljoin(req.full_url, location))
            except _RedirectRefused:
                fp.close()  # it holds the connection open
                raise
        try:
            return super().http_error_302(req, fp, code, msg, headers)
        except urllib.error.HTTPError as exc:
            exc.close()  # it holds the connection open
            if "redirect" in str(exc.msg).lower():  # urllib's own loop detection
                raise _RedirectRefused(f"more than {MAX_REDIRECTS} redirects") from None
            raise

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _refuse_other_schemes(newurl: str) -> None:
    scheme = urlsplit(newurl).scheme.lower()
    if scheme not in ("http", "https"):
        # only the scheme is named: the rest of the address may be a path or a secret
        said = f"a {scheme}: address" if scheme.isalnum() else "an address"
        raise _RedirectRefused(f"redirected to {said}, not http(s); refused")


class _Deadline:
    """One deadline for the whole fetch (connect, headers, body): a server that sends a
    byte every few seconds never trips a per-read timeout, so when the time is up every
    connection of the fetch is shut down and the read waiting on it ends."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def track(self, connection: http.client.HTTPConnection) -> http.client.HTTPConnection:
        """`connection`, its socket shut down at the deadline. The socket itself is kept:
        urllib drops the connection's reference once the headers are read, while the
        body is still read from that socket."""
        connect = connection.connect

        def connect_and_track() -> None:
            connect()
            with self._lock:
                self._sockets.append(connection.sock)
                if self.expired:
                    _shut(connection.sock)

        setattr(connection, "connect", connect_and_track)  # noqa: B010 - a method replaced
        return connection

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _HttpWithDeadline(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connection(host: str, **kw: Any) -> http.client.HTTPConnection:
            return self._deadline.track(http.client.HTTPConnection(host, **kw))

        return self.do_open(connection, req)


class _HttpsWithDeadline(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        def connection(host: str, **kw: Any) -> http.client.HTTPConnection:
            return self._deadline.track(http.client.HTTPSConnection(host, **kw))

        return self.do_open(connection, req, context=ssl.create_default_context())


def fetch_feed(url: str, options: FeedOptions, shown: str | None = None) -> FeedResult:
    """The feed's bytes: fresh, confirmed unchanged (304), or the cached copy when offline.

    The whole fetch (connect, headers, body) ends at `options.timeout`; only a complete
    body (as long as its Content-Length says) is cached. Messages name the feed `shown`
    (its name, or its masked URL), never its URL."""
    shown = shown or mask_url(url)
    _check_address(url, shown)
    _check_cache_dir(options.cache_dir)
    data_path, meta_path = _cache_paths(options.cache_dir, url)
    meta = _read_meta(meta_path)
    # only a plain file is a cached copy: reading a FIFO put there would wait forever
    cached = data_path.read_bytes() if meta and data_path.is_file() else None
    if cached is not None and not _a_calendar(cached):
        # a damaged copy (a disk error, a hand edit): never confirmed by a 304 answer, or
        # every later reading would fail on it; fetched whole instead
        cached = None
    request = urllib.request.Request(_without_userinfo(url), headers={"User-Agent": USER_AGENT})
    authorization = _basic_auth(url)
    if authorization:  # urllib ignores a user:password@ in the URL; some servers need it
        request.add_unredirected_header("Authorization", authorization)
    if cached is not None:
        if meta.get("etag"):
            request.add_header("If-None-Match", meta["etag"])
        if meta.get("last_modified"):
            request.add_header("If-Modified-Since", meta["last_modified"])
    deadline = _Deadline(options.timeout)
    opener = urllib.request.build_opener(
        _LimitedRedirects(), _HttpWithDeadline(deadline), _HttpsWithDeadline(deadline)
    )
    timed_out = f"no answer within {options.timeout:g} s"
    try:
        with deadline, opener.open(request, timeout=options.timeout) as response:
            body = response.read(options.max_bytes + 1)
            if len(body) > options.max_bytes:
                raise BadInput(
                    f"{shown}: the feed is larger than {options.max_bytes // 1_000_000} MB; "
                    "not a calendar we can read"
                )
            headers = response.headers
        if deadline.expired:
            return _fallback(shown, timed_out, cached, meta, options)
        cut = _cut_short(headers, len(body))
        if cut:
            return _fallback(shown, cut, cached, meta, options)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection open
        if exc.code == 304 and cached is not None:
            _write_meta(meta_path, {**meta, "fetched": options.now.isoformat()})
            return FeedResult(cached, "not modified")
        if exc.code >= 500:
            return _fallback(shown, f"the server answered {exc.code}", cached, meta, options)
        raise BadInput(_http_refusal(shown, exc.code)) from None
    except _RedirectRefused as exc:
        raise BadInput(f"{shown}: {exc}; check the address") from None
    except TimeoutError:
        return _fallback(shown, timed_out, cached, meta, options)
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout) or deadline.expired:
            why = timed_out
        else:
            why = f"cannot reach the server ({scrub(_reason(reason), url)})"
        return _fallback(shown, why, cached, meta, options)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        # a connection reset mid-body, a bad URL, an answer that is not HTTP
        why = timed_out if deadline.expired else scrub(_broken(exc), url)
        return _fallback(shown, why, cached, meta, options)
    try:
        ensure_private_dir(options.cache_dir)
        write_private(data_path, body)
        _write_meta(
            meta_path,
            {
                "etag": headers.get("ETag"),
                "last_modified": headers.get("Last-Modified"),
                "fetched": options.now.isoformat(),
            },
        )
    except (OSError, FocusblockError) as exc:
        # the feed was read: a copy that cannot be kept costs only the offline fallback
        return FeedResult(body, "downloaded", f"{shown}: no copy kept for offline use ({exc})")
    return FeedResult(body, "downloaded")


def _a_calendar(data: bytes) -> bool:
    """Whether a cached copy can be an iCalendar file (or a zip of them) at all."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return head.startswith(b"BEGIN:") or is_zip(data) or data.startswith(UTF16_MARKS)


def _check_address(url: str, shown: str) -> None:
    """A port that is not a number, an unclosed [IPv6 bracket, a space or a control
    character (http.client's message would quote the secret path): one line, before any
    request."""
    if any(c.isspace() or not c.isprintable() for c in url):
        raise BadInput(
            f"{shown}: not a valid address (it holds a space or a control character); check it"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise BadInput(f"{shown}: not a valid address ({_reason(exc)}); check it") from None
    if not parts.hostname:
        raise BadInput(f"{shown}: not a valid address (no server name); check it")


def _check_cache_dir(folder: Path) -> None:
    """The cache folder is made private (0700): a link there would make us change the
    mode of whatever folder it points to, so a link is refused, never followed."""
    if folder.is_symlink():
        raise BadInput(
            f"{folder}: is a symbolic link; the feed cache must be a folder of its own",
            hint="remove the link; focusblock makes the folder again",
        )


def _cut_short(headers: Any, received: int) -> str | None:
    """Why a body is not the whole answer (fewer bytes than its Content-Length), or None."""
    try:
        expected = int(headers.get("Content-Length", ""))
    except ValueError:
        return None
    if received < expected:
        return f"the answer was cut short ({received:,} of {expected:,} bytes)"
    return None


def _broken(exc: BaseException) -> str:
    """One line for an answer http.client could not read."""
    if isinstance(exc, http.client.IncompleteRead):
        return f"the answer was cut short ({len(exc.partial):,} bytes read)"
    if isinstance(exc, OSError | ValueError) or not isinstance(exc, http.client.HTTPException):
        return _reason(exc)
    if isinstance(exc, http.client.LineTooLong):
        return "not an HTTP answer (a line too long)"
    if isinstance(exc, http.client.BadStatusLine):
        return "not an HTTP answer (a bad status line)"
    return f"not an HTTP answer ({_reason(exc)})"


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _basic_auth(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.username is None:
        return None
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return "Basic " + base64.b64encode(pair.encode()).decode("ascii")


def _http_refusal(shown: str, code: int) -> str:
    if code in (401, 403):
        return f"{shown}: the server refused access ({code}); is the secret address still valid?"
    if code == 404:
        return f"{shown}: no calendar at this address (404); was the secret address reset?"
    return f"{shown}: the server answered {code}"


def _fallback(
    shown: str, why: str, cached: bytes | None, meta: dict[str, Any], options: FeedOptions
) -> FeedResult:
    fetched = _parse_time(meta.get("fetched"))
    if cached is None or fetched is None:
        raise BadInput(f"{shown}: {why}, and there is no cached copy of this feed")
    age = options.now - fetched
    if age < -CLOCK_SLACK:  # a clock that was wrong: its age is unknown, so it is stale
        raise BadInput(
            f"{shown}: {why}, and the cached copy's time is in the future "
            f"({fetched:%Y-%m-%d %H:%M}); not used"
        )
    if age > options.max_age:
        raise BadInput(
            f"{shown}: {why}, and the cached copy is {_age(age)} old (older than "
            f"calendars.max_age, {_age(options.max_age)})"
        )
    return FeedResult(cached, "cached", f"{shown}: {why}; using the copy from {_age(age)} ago")


def _age(age: timedelta) -> str:
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 90:
        return f"{minutes} min"
    hours = minutes / 60
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def _cache_paths(cache_dir: Path, url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode()).hexdigest()[:32]
    return cache_dir / f"{key}.ics", cache_dir / f"{key}.json"


def _read_meta(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}  # none yet, or not a plain file (a FIFO would be waited on forever)
    try:
        meta = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    ensure_private_dir(path.parent)
    path.parent.chmod(PRIVATE_DIR_MODE)
    write_private(path, json.dumps(meta))


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _reason(exc: object) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
