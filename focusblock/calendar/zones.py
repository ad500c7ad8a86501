"""Time zone definitions in the user's exports: prefer the tz database, survive broken ones.

The zones are taken in this order: an IANA TZID; a Windows/Exchange name through
icalendar's Windows-to-IANA map; the file's own VTIMEZONE if sane; else the user's zone
with a warning. Exchange also writes display strings ("(UTC+01:00) Amsterdam, ..."),
and VTIMEZONEs with wrong or identical offsets.
"""

from __future__ import annotations

import re
import warnings
from typing import Any
from zoneinfo import ZoneInfo

from focusblock.errors import BadInput

_VTIMEZONE = re.compile(rb"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", re.DOTALL | re.IGNORECASE)
_HAS_VTIMEZONE = re.compile(rb"^BEGIN:VTIMEZONE", re.M | re.I)
_TZID_LINE = re.compile(rb"^TZID:([^\r\n]*)", re.M | re.I)


def prefer_named_zones(data: bytes) -> bytes:
    """Drop VTIMEZONEs whose TZID names an IANA or Windows zone.

    The tz database knows these zones better than an exporter's copy (Exchange writes
    rules from 1601, some files have wrong offsets), and evaluating a VTIMEZONE's
    rules costs far more than zoneinfo. Custom zones keep their definition.
    """
    if not _HAS_VTIMEZONE.search(data):
        return data

    def keep_unless_named(match: re.Match[bytes]) -> bytes:
        tzid = _TZID_LINE.search(match.group(0))
        if tzid and _named_zone(tzid.group(1).decode("utf-8", "replace").strip().strip('"')):
            return b""
        return match.group(0)

    return _VTIMEZONE.sub(keep_unless_named, data)


def _named_zone(tzid: str) -> bool:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    if tzid in WINDOWS_TO_OLSON:
        return True
    if not tzid or tzid.startswith("/") or ".." in tzid:
        return False
    try:
        ZoneInfo(tzid)
    except Exception:  # not a name the tz database knows
        return False
    return True


def without_own_timezones(data: bytes, name: str, first_error: Exception) -> list[Any]:
    """Exchange and old exporters write VTIMEZONEs with impossible offsets; try without them.

    The events keep their TZIDs, which then resolve as IANA or Windows names, or fall
    back to the user's zone.
    """
    import icalendar

    stripped = _VTIMEZONE.sub(b"", data)
    if stripped == data:
        raise BadInput(f"{name}: cannot be read as iCalendar ({reason(first_error)})") from None
    try:
        components = icalendar.Calendar.from_ical(stripped, multiple=True)
    except Exception:  # still unreadable: report the original problem
        raise BadInput(f"{name}: cannot be read as iCalendar ({reason(first_error)})") from None
    warnings.warn(
        f"ignored its time zone definitions ({reason(first_error)}); zones taken by name",
        stacklevel=1,
    )
    return components


def reason(exc: BaseException) -> str:
    """An exception as a short phrase for a one-line message: its type and first line."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:160]}" if text else type(exc).__name__
