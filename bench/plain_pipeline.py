"""The baseline every Python peer uses: parse everything, expand everything, apply the busy rules.

    python bench/plain_pipeline.py FILE.ics 2026-11-30 America/New_York me@example.com

Prints the busy spans as JSON lines (start, end, uid), for the equality check.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import x_wr_timezone


def busy_spans(
    data: bytes, start: datetime, end: datetime, zone: ZoneInfo, me: str
) -> list[tuple[str, str, str]]:
    """(start, end, uid) in UTC ISO form of every busy occurrence meeting [start, end)."""
    spans = []
    for calendar in icalendar.Calendar.from_ical(data, multiple=True):
        calendar = x_wr_timezone.to_standard(calendar)
        for event in recurring_ical_events.of(calendar, skip_bad_series=True).between(start, end):
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            if str(event.get("TRANSP", "")).upper() == "TRANSPARENT":
                continue
            if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
                continue
            attendees = event.get("ATTENDEE", [])
            attendees = attendees if isinstance(attendees, list) else [attendees]
            if any(
                str(a).lower().removeprefix("mailto:") == me
                and str(a.params.get("PARTSTAT", "")).upper() == "DECLINED"
                for a in attendees
            ):
                continue
            s = event["DTSTART"].dt
            e = event["DTEND"].dt if "DTEND" in event else s
            if not isinstance(s, datetime):
                s, e = datetime.combine(s, time(0), zone), datetime.combine(e, time(0), zone)
                if e <= s:
                    e = s + timedelta(days=1)
            s = s if s.tzinfo else s.replace(tzinfo=zone)
            e = e if e.tzinfo else e.replace(tzinfo=zone)
            spans.append(
                (
                    s.astimezone(ZoneInfo("UTC")).isoformat(),
                    max(e, s).astimezone(ZoneInfo("UTC")).isoformat(),
                    str(event.get("UID", "")),
                )
            )
    return sorted(spans)


def main() -> None:
    path, monday, zone, me = sys.argv[1:5]
    with open(path, "rb") as handle:
        data = handle.read()
    start = datetime.combine(date.fromisoformat(monday), time(0), ZoneInfo(zone))
    for span in busy_spans(data, start, start + timedelta(days=7), ZoneInfo(zone), me.lower()):
        print(json.dumps(span))


if __name__ == "__main__":
    main()
