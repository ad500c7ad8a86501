"""Calendar URLs in messages: the secret parts masked, one rule for every message.

A feed's URL is its password: Google's "secret address in iCal format" carries a
`private-<hex>` token in the path, Outlook's published calendar a long id and token,
iCloud's public calendar a token; any of them may also carry a password in the user
part or a key in the query. Whoever reads the message (a colleague behind the
shoulder, a bug report, a CI log) must not be able to rebuild the URL from it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

MASK = "***"
CALDAV_PREFIX = "caldav:"
_LOCAL_SUFFIXES = (".local", ".lan", ".home.arpa", ".internal", ".localdomain")


def _secret_segment(segment: str) -> bool:
    """A path segment that looks like a token rather than a name: long and full of digits."""
    if segment.startswith("private-") or segment.startswith("private_"):
        return True
    digits = sum(c.isdigit() for c in segment)
    return len(segment) >= 16 and digits >= 2


def mask_url(url: str, keep_path: bool = False) -> str:
    """`url` as it may be shown: password, query and token-like path segments replaced by ***.

    `keep_path` keeps the whole path (a CalDAV collection's path names the calendar and
    holds no secret; its password is sent separately), masking only password and query.
    """
    prefix = ""
    if url.startswith(CALDAV_PREFIX):
        prefix, url = CALDAV_PREFIX, url[len(CALDAV_PREFIX) :]
        keep_path = True
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return prefix + MASK  # unparseable: show nothing of it
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    if parts.username:
        user = MASK if _secret_segment(parts.username) else parts.username
        netloc = f"{user}:{MASK}@{netloc}" if parts.password else f"{user}@{netloc}"
    path = parts.path
    if not keep_path:
        segments = path.split("/")
        path = "/".join(
            segment
            if not _secret_segment(segment)
            else ("private-" + MASK if segment.startswith("private") else MASK)
            for segment in segments
        )
    query = MASK if parts.query else ""
    return prefix + urlunsplit((parts.scheme, netloc, path, query, ""))


def secret_parts(url: str) -> list[str]:
    """The substrings of `url` that mask_url hides (to scrub them from library messages)."""
    if url.startswith(CALDAV_PREFIX):
        url = url[len(CALDAV_PREFIX) :]
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found = [parts.password or "", parts.query]
    found += [s for s in parts.path.split("/") if _secret_segment(s)]
    return [s for s in found if s]


def scrub(text: str, url: str) -> str:
    """`text` with the raw URL and each of its secret parts replaced by the masked form."""
    text = text.replace(url, mask_url(url))
    for part in sorted(secret_parts(url), key=len, reverse=True):
        text = text.replace(part, MASK)
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


def mask_source(spec: str) -> str:
    """A --busy SOURCE as it may be shown: URLs masked, file names as they are."""
    if spec.startswith(CALDAV_PREFIX) or spec.lower().startswith(
        ("http://", "https://", "webcal://", "webcals://")
    ):
        return mask_url(spec)
    return spec
