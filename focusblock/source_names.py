"""Which busy SOURCE is an address, and the name a user gave one (`NAME=URL`).

A plain helper so the settings can tell a named source from a file without the calendar
code: `calendars.busy = [{url = "...", name = "Team calendar"}]` is kept as the string
`--busy "Team calendar=..."` gives, and calendar/urls.py shows the name instead of the
address.
"""

from __future__ import annotations

import re

CALDAV_PREFIX = "caldav:"
FEED_SCHEMES = ("https://", "http://", "webcal://", "webcals://")
# NAME=URL names a source; a file path holding "=" has no address on the right: a path
_NAMED = re.compile(r"(?P<name>[^=]+?)=(?P<url>(?:caldav:)?(?:https?|webcals?)://.*)", re.I | re.S)


def is_url(spec: str) -> bool:
    """A feed or a CalDAV collection, not a file."""
    return spec.startswith(CALDAV_PREFIX) or spec.lower().startswith(FEED_SCHEMES)


def split_named(spec: str) -> tuple[str | None, str]:
    """(the name, the source) of `NAME=URL`; (None, spec) for any other SOURCE."""
    if is_url(spec):
        return None, spec
    named = _NAMED.fullmatch(spec)
    if named is None or not named["name"].strip():
        return None, spec
    return named["name"].strip(), named["url"]


def named_source(name: str, url: str) -> str:
    """The SOURCE string of a named source, as `--busy NAME=URL` writes it."""
    return f"{name}={url}"
