"""Calendar URLs in messages: the secret parts masked, one rule for every message.

A feed's URL is its password: Google's "secret address in iCal format" carries a
`private-<hex>` token in the path, Outlook's published calendar a long id and token,
iCloud's public calendar a token; any of them may also carry a password in the user
part or a key in the query. Whoever reads the message (a colleague behind the
shoulder, a bug report, a CI log) must not be able to rebuild the URL from it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from focusblock.source_names import CALDAV_PREFIX, is_url, split_named

MASK = "***"
HIDDEN = "…"  # what stands for the hidden parts of a feed's URL
_LOCAL_SUFFIXES = (".local", ".lan", ".home.arpa", ".internal", ".localdomain")
FILE_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb", ".vcs")
MAX_FILE_STEM = 15  # "basic", "calendar", "holidays-2026"; a token is longer
MIN_SCRUBBED = 4  # shorter hidden segments ("dav", "me") are scrubbed as part of the path
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# NAME=URL names a source; a file path holding "=" is no URL on the right, so stays a path


def _secret_segment(segment: str) -> bool:
    """A path segment that looks like a token rather than a name: long and full of digits."""
    if segment.startswith("private-") or segment.startswith("private_"):
        return True
    digits = sum(c.isdigit() for c in segment)
    return len(segment) >= 16 and digits >= 2


# the tag mask_url ends a feed's shown address with
_TAGGED = re.compile(r" \(#[0-9a-f]{4}\)$")


def without_tag(shown: str) -> str | None:
    """A feed's shown address without the tag mask_url gave it; None when it has none."""
    return _TAGGED.sub("", shown) if _TAGGED.search(shown) else None


def mask_url(url: str) -> str:
    """`url` as it may be shown: for a feed, scheme, host (and port) and at most the file
    name of its last path segment, every other part hidden behind one "…", and a tag from
    a hash of the whole URL so two feeds of one host stay apart:
    `https://calendar.google.com/…/basic.ics (#3fa2)`. Which path segment is a token
    cannot be told (Nextcloud's are all letters), so none is shown.

    A CalDAV collection (`caldav:URL`) keeps its path: the path names the
    calendar and holds no secret, its password is sent separately; only the password and
    the query are masked.
    """
    if url.startswith(CALDAV_PREFIX):
        return CALDAV_PREFIX + _mask_collection(url[len(CALDAV_PREFIX) :])
    tag = f"(#{hashlib.sha256(url.encode('utf-8', 'surrogateescape')).hexdigest()[:4]})"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return f"{HIDDEN} {tag}"  # unparseable: show nothing of it
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    segments = [s for s in parts.path.split("/") if s]
    file_name = _file_name(segments[-1]) if segments else None
    hidden = (
        "@" in parts.netloc
        or bool(parts.query or parts.fragment)
        or len(segments) > (1 if file_name else 0)
    )
    path = "/" + "/".join(([HIDDEN] if hidden else []) + ([file_name] if file_name else []))
    return f"{parts.scheme}://{netloc}{path} {tag}"


def _file_name(segment: str) -> str | None:
    """`segment` when it is plainly a calendar's file name (basic.ics, calendar.ics), never
    a token: short, of plain characters, not a mix of upper, lower case and digits."""
    stem, dot, suffix = segment.rpartition(".")
    if not dot or f".{suffix.lower()}" not in FILE_SUFFIXES or not stem:
        return None
    if len(stem) > MAX_FILE_STEM or not _PLAIN_NAME.fullmatch(stem) or _secret_segment(stem):
        return None
    mixed = any(c.isupper() for c in stem) and any(c.islower() for c in stem)
    if mixed and any(c.isdigit() for c in stem):
        return None
    return segment


def _mask_collection(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return MASK  # unparseable: show nothing of it
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    if parts.username:
        user = MASK if _secret_segment(parts.username) else parts.username
        netloc = f"{user}:{MASK}@{netloc}" if parts.password else f"{user}@{netloc}"
    query = MASK if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def secret_parts(url: str) -> list[str]:
    """The substrings of `url` that mask_url hides (to scrub them from library messages)."""
    collection = url.startswith(CALDAV_PREFIX)
    if collection:
        url = url[len(CALDAV_PREFIX) :]
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found = [parts.password or "", parts.query, parts.fragment]
    if not collection:
        userinfo = parts.netloc.rpartition("@")[0]
        segments = [s for s in parts.path.split("/") if s]
        kept = _file_name(segments[-1]) if segments else None
        # the path whole (a message may quote it), then each hidden segment long enough
        # not to be an everyday word of the message
        found += [userinfo, parts.username or "", parts.path, unquote(parts.path)]
        found += [s for s in segments if s != kept and len(s) >= MIN_SCRUBBED]
    else:
        found += [s for s in parts.path.split("/") if _secret_segment(s)]
    return [s for s in found if s and s != "/"]


def scrub(text: str, url: str) -> str:
    """`text` with the raw URL and each of its secret parts replaced by the masked form."""
    text = text.replace(url, mask_url(url))
    hidden = MASK if url.startswith(CALDAV_PREFIX) else HIDDEN
    for part in sorted(secret_parts(url), key=len, reverse=True):
        text = text.replace(part, hidden)
    return text


def is_local_host(host: str) -> bool:
    """This machine or the local network: where plain http does not cross the internet."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or (host and "." not in host):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return True  # a bare name such as "nas" or "localhost": the local network
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


_EMBEDDED_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*")


def show_source(spec: str) -> str:
    """A SOURCE as it is shown, stored and exported: its name when the user gave one, a
    URL masked (mask_url), a file name as it is."""
    name, source = split_named(spec)
    if name is not None:
        return name
    if is_url(source):
        return mask_url(source)
    # read as a file, but it holds an address (a name with '=' in it, a space pasted before
    # the address, a mistyped scheme): its secret is hidden all the same
    return _EMBEDDED_ADDRESS.sub(lambda found: mask_url(found.group()), source)
