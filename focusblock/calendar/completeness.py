"""When a calendar file cannot be trusted to show the week: it ends early, or it is empty.

A calendar file that ends early keeps the complete components before the cut.

An export cut off by a full disk, an interrupted download or a mail size limit misses
its last lines. icalendar then returns nothing at all (an unclosed VCALENDAR yields no
component), which reads as a free week. Here the file is cut back to the last point
where only VCALENDARs were open (so a half-written event is dropped, never read with
half its properties) and those VCALENDARs are closed, so every complete event and
time zone before the cut is read; the caller is told the file ends early.
"""

from __future__ import annotations

import re
from datetime import timedelta

from focusblock.byte_order import without_byte_order_mark
from focusblock.calendar.events import CalendarReading

# A calendar with no event, busy or not, this close to the planned dates is more likely
# the wrong file (another account's, an old export) than a truly empty quarter.
NEAR_WINDOW = timedelta(days=90)

# A BEGIN or END line. Folded continuation lines start with a space or tab, so a
# line that starts with BEGIN: or END: is always a component boundary.
_MARKER = re.compile(rb"^(BEGIN|END):([^\r\n]*)(\r?\n|\r?\Z)", re.M | re.I)
_LAST_LINE = re.compile(rb"\nEND:VCALENDAR\s*\Z", re.I)


def mend_cut(data: bytes) -> tuple[bytes, bool]:
    """`data` with the components a cut left open closed, and whether it ended early.

    A file whose last line is END:VCALENDAR is taken as whole, without a scan (the
    usual case, and a big export is scanned only when it really is cut).
    """
    data = without_byte_order_mark(data)
    if _LAST_LINE.search(data[-256:]):
        return data, False
    still_open: list[bytes] = []
    safe_end, safe_open = 0, still_open[:]  # the last point where only VCALENDARs were open
    for marker in _MARKER.finditer(data):
        name = marker.group(2).strip().upper()
        if marker.group(1).upper() == b"BEGIN":
            still_open.append(name)
        elif name in still_open:  # also closes anything left open inside it
            del still_open[len(still_open) - 1 - still_open[::-1].index(name) :]
        else:
            continue  # an END that closes nothing (a cut END line, or junk): not a boundary
        if all(open_name == b"VCALENDAR" for open_name in still_open):
            safe_end, safe_open = marker.end(), list(still_open)
    if not still_open:
        return data, False
    kept = data[:safe_end]
    if kept and not kept.endswith(b"\n"):  # cut inside a line break: finish it
        kept = kept.rstrip(b"\r") + b"\r\n"
    return kept + b"".join(b"END:" + name + b"\r\n" for name in reversed(safe_open)), True


def complete_part(name: str, data: bytes, reading: CalendarReading) -> bytes:
    """`data` as mend_cut leaves it; a file that ends early is recorded and warned about."""
    mended, cut = mend_cut(data)
    if cut:
        reading.truncated.append(name)
        reading.warn(
            f"{name}: ends early (the file is cut off); only the events before the cut "
            "are read; export it again"
        )
    return mended
