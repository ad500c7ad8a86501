"""Talking to a CalDAV calendar collection (the `caldav` package): connect, read a window.

Every failure becomes a one-line BadInput naming the calendar (URL masked) with the
password scrubbed out; the library's own exception texts can hold URLs and headers.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from focusblock.calendar.credentials import Credentials
from focusblock.calendar.urls import CALDAV_PREFIX, is_local_host, mask_url, scrub
from focusblock.errors import BadInput, FocusblockError

DEFAULT_TIMEOUT = 20.0
T = TypeVar("T")


def collection_url(spec: str) -> str:
    """The http(s) URL inside `caldav:URL`; plain http only to this machine or network."""
    url = spec[len(CALDAV_PREFIX) :] if spec.startswith(CALDAV_PREFIX) else spec
    shown = mask_url(CALDAV_PREFIX + url)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise BadInput(f"{shown}: not a URL; expected caldav:https://server/path/") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{shown}: expected caldav:https://server/path/to/calendar/")
    if parts.scheme == "http" and not is_local_host(parts.hostname):
        raise BadInput(
            f"{shown}: plain http would send your password across the internet; use https "
            "(http is accepted only for a server on this machine or your local network)"
        )
    if parts.password:
        raise BadInput(
            f"{shown}: no password in the URL, please; use calendars.password_command "
            "or FOCUSBLOCK_CALDAV_PASSWORD"
        )
    return url if url.endswith("/") else url + "/"


def open_collection(spec: str, credentials: Credentials, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """The caldav Calendar object for the collection at `spec` (no request sent yet)."""
    import caldav

    url = collection_url(spec)
    client_class: Any = caldav.DAVClient  # its stubs type the class oddly
    client = client_class(
        url=url,
        username=credentials.username,
        password=credentials.password(),
        timeout=timeout,
    )
    client.session.hooks["response"].append(_capped)
    return client.calendar(url=url)


MAX_ANSWER_BYTES = 50 * 1024 * 1024  # as for feeds: a calendar's window is far smaller


class AnswerTooLarge(Exception):
    pass


def _capped(response: Any, **_: Any) -> Any:
    """Read the answer's body here, before the library does, stopping past the cap: a
    server sending half a gigabyte must not be held in memory (counted as decoded, so a
    gzip bomb is stopped too)."""
    said = str(response.headers.get("Content-Length", ""))
    if said.isdigit() and int(said) > MAX_ANSWER_BYTES:
        response.close()
        raise AnswerTooLarge
    body = bytearray()
    for chunk in response.iter_content(1024 * 1024):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            response.close()
            raise AnswerTooLarge
    response._content = bytes(body)
    response._content_consumed = True
    return response


@contextmanager
def talking_to(spec: str, credentials: Credentials, doing: str) -> Iterator[None]:
    """Turn whatever the server or the library raises into one line naming `spec`."""
    shown = mask_url(spec if spec.startswith(CALDAV_PREFIX) else CALDAV_PREFIX + spec)
    try:
        yield
    except FocusblockError:  # ours already: a password command that failed, a bad URL
        raise
    except Exception as exc:  # caldav raises DAVError subclasses, niquests/OSError, lxml errors
        raise BadInput(f"{shown}: {doing}: {_explain(exc, spec, credentials)}") from None


def _status(code: int, text: str) -> bool:
    """`text` names the HTTP status `code` as a number of its own: not the digits inside
    an object's address ("at 0x7f4129...") or a port, which misread a refused connection
    as a 412."""
    return re.search(rf"(?<![\w.:]){code}(?!\w|\.\d)", text) is not None


def _explain(exc: Exception, spec: str, credentials: Credentials) -> str:
    name = type(exc).__name__
    text = str(exc)
    if isinstance(exc, AnswerTooLarge):
        mb = MAX_ANSWER_BYTES // (1024 * 1024)
        why = f"the answer is larger than {mb} MB; not a calendar we can read"
    elif name == "XMLSyntaxError" or (isinstance(exc, AttributeError) and "'tag'" in text):
        # what the library makes of a login page or any HTML where XML was expected
        why = "not a CalDAV answer (a login or HTML page?); check the address"
    elif name == "AuthorizationError" or _status(401, text) or "Unauthorized" in text:
        why = "the server refused the username or password (401)"
    elif name == "ETagMismatchError" or _status(412, text):
        why = "someone changed this event on the server since it was read (412); plan again"
    elif name == "NotFoundError" or _status(404, text):
        why = "no calendar collection at this address (404)"
    elif _status(403, text) or "Forbidden" in text:
        why = "the server forbids this (403)"
    elif isinstance(exc, OSError) or "Connection" in name or "Timeout" in name:
        low = text.lower()
        if "refused" in low:
            why = "cannot reach the server (connection refused); is it running?"
        elif "timed out" in low or "timeout" in name.lower():
            why = "the server did not answer in time"
        else:
            why = "cannot reach the server (" + (text.splitlines() or [name])[0][:120] + ")"
    else:
        why = f"{name}: " + (text.strip().splitlines() or [""])[0][:160]
    collection = spec if spec.startswith(CALDAV_PREFIX) else CALDAV_PREFIX + spec
    return credentials.scrub(scrub(why, collection))  # its path is no secret, kept


def read_window(
    spec: str,
    start: datetime,
    end: datetime,
    credentials: Credentials,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[tuple[str, bytes]]:
    """(resource name, raw iCalendar bytes) of every event resource meeting [start, end).

    A time-range REPORT: the server sends only what meets the window (recurring series
    whose instances do), and our own reader expands them as it does for files.
    """

    def read() -> list[tuple[str, bytes]]:
        calendar = open_collection(spec, credentials, timeout)
        found = calendar.search(start=start, end=end, event=True, expand=False)
        resources = []
        for item in found:
            raw = _raw(item)
            name = str(item.url).rstrip("/").rsplit("/", 1)[-1]
            resources.append((name, raw))
        return resources

    with talking_to(spec, credentials, "cannot read the calendar"):
        return sorted(within(timeout, read))


def within(seconds: float, action: Callable[[], T]) -> T:
    """`action`'s result, or TimeoutError once it has run `seconds` in all: the library's
    timeout is per read, so a server sending a byte every few seconds would never trip
    it. The read left running is abandoned (it only reads, and ends with the command)."""
    import caldav  # noqa: F401 - loaded before the clock starts: it takes seconds on a busy machine

    results: list[T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(action())
        except BaseException as exc:  # handed to the caller's thread, raised there
            failures.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if failures:
        raise failures[0]
    if not results:
        raise TimeoutError("timed out")
    return results[0]


_RESOURCE_TYPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>'
)
_CALENDAR_TYPE = "{urn:ietf:params:xml:ns:caldav}calendar"


def check_calendar_collection(spec: str, calendar: Any) -> None:
    """Refuse, before anything is written, a target that is not a calendar collection (the
    principal's home, an event's address): a server would make calendars or overwrite
    an event there."""
    url = collection_url(spec)
    response = calendar.client.propfind(url, _RESOURCE_TYPE, depth=0)
    raw = getattr(response, "_raw", b"") or b""
    try:
        tree = ElementTree.fromstring(raw) if raw else None
    except ElementTree.ParseError:
        tree = None
    if tree is None or tree.find(f".//{{DAV:}}resourcetype/{_CALENDAR_TYPE}") is None:
        shown = mask_url(spec if spec.startswith(CALDAV_PREFIX) else CALDAV_PREFIX + spec)
        raise BadInput(
            f"{shown}: is not a calendar collection; nothing was written",
            hint="give the address of a calendar (e.g. caldav:https://server/user/focus/), "
            "not of your home or of one event",
        )


def _raw(item: Any) -> bytes:
    raw = getattr(item, "raw_data", None)  # as the server sent it, where caldav keeps it
    if isinstance(raw, bytes):
        return raw
    data = item.data
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def guarded(spec: str, credentials: Credentials, doing: str, action: Callable[[], T]) -> T:
    """Run `action` with failures turned into one line (see talking_to)."""
    with talking_to(spec, credentials, doing):
        return action()
