"""Checks every .ics we write must pass, with two independent parsers."""

from __future__ import annotations

from pathlib import Path

import icalendar
import vobject

REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED")


def check_ics(path: Path) -> list[icalendar.Event]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"", "ends with CRLF"
    assert b"\n" not in raw.replace(b"\r\n", b""), "every line ends with CRLF"
    assert all(len(line) <= 75 for line in lines), "lines folded at 75 octets"

    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//focusblock//focusblock ")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    events = list(calendar.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "unique UIDs"
    used_tzids = {
        p.params["TZID"] for e in events for p in (e["DTSTART"], e["DTEND"]) if "TZID" in p.params
    }
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used_tzids <= defined, "a VTIMEZONE for every TZID"
    for event in events:
        for name in REQUIRED:
            assert name in event, f"{name} missing"
        assert "ORGANIZER" not in event and "ATTENDEE" not in event
        assert event["DTSTART"].dt.tzinfo is not None, "never floating"
        assert len(str(event["UID"]).encode()) < 100 and str(event["UID"]).isascii()
        assert len(list(event.walk("VALARM"))) <= 1
        assert len(str(event.get("DESCRIPTION", ""))) <= 8000

    parsed = list(vobject.readComponents(text))  # the second, independent parser
    assert len(parsed) == 1
    vevents = parsed[0].contents.get("vevent", [])
    assert sorted(v.uid.value for v in vevents) == sorted(uids)
    return events
