"""Writing focus blocks as an .ics file that Google Calendar and Outlook import.

One calendar (METHOD:PUBLISH, UTF-8, CRLF, folded lines); each block one event with a UID
that stays the same for its account and week, a SEQUENCE raised on every change, and our
mark, so that a re-import updates the event instead of adding a second one. A withdrawn
block stays in the file, cancelled and free, so that the calendar removes it. Times are
written in UTC (never floating: UTC needs no VTIMEZONE and every client reads it the
same). The builder takes `now` and the UIDs as inputs: no hidden clock, no random UIDs,
so the output is reproducible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from focusblock import __version__
from focusblock.model import FocusBlock

PRODID = f"-//focusblock//focusblock {__version__}//EN"
MAX_DESCRIPTION = 7_500  # Google cuts descriptions near 8,000 characters
SUMMARY_PREFIX = "Focus: "
PRIVATE_TITLE = "Focus block"
MARK = "X-FOCUSBLOCK"  # on every event we write: only events carrying it are ever changed
UID_SUFFIX = "@focusblock"  # how every block UID ends, so exports that drop MARK still tell


# The title and the description a block's event shows (shown_text of its account).
EventText = Callable[[FocusBlock], tuple[str, str]]


def shown_text(
    account: str, description: str, private: bool, code: str | None = None
) -> tuple[str, str]:
    """The title and description an event shows (private: no customer name at all, only
    the account's code if it has one)."""
    if private:
        title = f"{PRIVATE_TITLE} {code}" if code else PRIVATE_TITLE
        return title, title + "."
    return SUMMARY_PREFIX + account, description


def fingerprint(account: str, description: str, private: bool, code: str | None = None) -> str:
    """A digest of what the event shows: a change of it is a change of the event."""
    title, text = shown_text(account, description, private, code)
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def event_text(summary: str, description: str) -> str:
    """A digest of an event's title and description as a calendar app may hand them back
    (its own line breaks and spacing): the same words give the same digest."""
    words = " ".join(summary.split()) + "\n" + " ".join(description.split())
    return hashlib.sha256(words.encode()).hexdigest()


def block_uid(week_label: str, account_key: str) -> str:
    """Stable per account and week; ASCII, short, and free of the customer's name."""
    digest = hashlib.sha256(f"{week_label}|{account_key}".encode()).hexdigest()[:20]
    return f"{week_label.lower()}-{digest}{UID_SUFFIX}"


def block_description(
    account: str,
    reason: str,
    remarks_newest_first: list[tuple[str, str]],  # (date label, text)
    questions: list[str],
    worksheet_name: str | None,
) -> str:
    """Plain text: why this block, where the worksheet is, first questions, then remarks."""
    head = [f"One customer, full attention: {account}.", f"Why now: {reason}."]
    if worksheet_name:
        head.append(f"Worksheet: {worksheet_name}")
    if questions:
        head.append("")
        head.append("Start with:")
        head.extend(f"- {q}" for q in questions)
    text = "\n".join(head)
    if not remarks_newest_first:
        return text
    text += "\n\nWhat they said (newest first):"
    for index, (when, said) in enumerate(remarks_newest_first):
        line = f"\n- {when}: {said}"
        rest = len(remarks_newest_first) - index
        tail = f"\n... and {rest} more on the worksheet."
        if len(text) + len(line) + len(tail) > MAX_DESCRIPTION:
            if len(text) + len(tail) <= MAX_DESCRIPTION:
                text += tail
            break
        text += line
    return text[:MAX_DESCRIPTION]


def render_ics(
    blocks: Sequence[FocusBlock], text: EventText, now: datetime, private: bool = False
) -> bytes:
    """The blocks as one RFC 5545 calendar (UTF-8, CRLF, folded lines), sorted by start;
    `text` gives each block's title and description, `private` marks them CLASS:PRIVATE."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for block in sorted(blocks, key=lambda b: (b.start, b.uid)):
        event = Event()
        event.add("uid", block.uid)
        event.add(MARK, "1")
        event.add("dtstamp", stamp)
        event.add("dtstart", block.start.astimezone(UTC))
        event.add("dtend", block.end.astimezone(UTC))
        title, description = text(block)
        event.add("summary", title)
        event.add("sequence", block.sequence)
        event.add("last-modified", block.updated_at.astimezone(UTC).replace(microsecond=0))
        event.add("description", description)
        if private:
            event.add("class", "PRIVATE")
        if block.cancelled:
            event.add("status", "CANCELLED")
            event.add("transp", "TRANSPARENT")
            event.add("x-microsoft-cdo-busystatus", "FREE")
        else:
            event.add("status", "CONFIRMED")
            event.add("transp", "OPAQUE")
            event.add("x-microsoft-cdo-busystatus", "BUSY")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(minutes=-5))
            alarm.add("description", title)
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
