"""What the seller did to our blocks in their calendar, read back before a re-plan (pure).

The calendar is the seller's: a block they moved stays where they put it (pinned), a
title or description they typed into it is kept by every later write, and a block whose
event they deleted is not created again that week. To tell their change from an older
import of one of our own versions, an event read back is compared with every time and
text the block was ever written with: matching one, it is ours as written; matching none,
the seller changed it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from focusblock.calendar.events import CalendarEvent, calendar_of
from focusblock.calendar.reading import NO_TITLE, OURS
from focusblock.calendar.urls import without_tag
from focusblock.calendar.writing import event_text
from focusblock.model import BlockStatus, FocusBlock

# every (start, end) and event_text() a block's UID was written with
Versions = Mapping[str, tuple[frozenset[tuple[datetime, datetime]], frozenset[str]]]


@dataclass(frozen=True)
class HandEdits:
    """The week's stored blocks with the seller's changes applied, and what changed."""

    blocks: tuple[FocusBlock, ...]
    moved: frozenset[str] = frozenset()  # UIDs the seller moved since the last plan
    retitled: frozenset[str] = frozenset()  # UIDs whose text the seller changed
    removed: frozenset[str] = frozenset()  # UIDs whose event the seller deleted
    out_of_week: Mapping[str, datetime] = field(default_factory=dict)  # dragged away: where


def _calendar_read_now(seen_in: str | None, read_whole: Collection[str]) -> str | None:
    """The calendar read now that a block was seen in. A feed stored before its tag was
    made from its whole address (stores upgraded by migration 0017 masked what they held,
    and the tag then came from that) carries another tag than the same feed read now: it
    is the one feed read now of the same shown address; with two or more, none is."""
    shown = without_tag(seen_in) if seen_in is not None and seen_in not in read_whole else None
    if shown is None:
        return seen_in
    same = [name for name in read_whole if without_tag(name) == shown]
    return same[0] if len(same) == 1 else seen_in


def hand_edits(
    stored: Sequence[FocusBlock],
    events: Sequence[CalendarEvent],
    versions: Versions,
    read_whole: Collection[str],
    week: tuple[datetime, datetime],
    now: datetime,
) -> HandEdits:
    """Apply what the calendars read show of the seller's hands to the stored blocks.

    A block under way or past is history and left as it is. A block never seen in any
    calendar is not "deleted": only one whose event was read back from a calendar before,
    and is gone from that same calendar read whole now.
    """
    ours: dict[str, list[CalendarEvent]] = {}
    for event in events:
        if event.free_reason == OURS:
            ours.setdefault(event.uid, []).append(event)
    blocks = []
    moved, retitled, removed = set(), set(), set()
    out_of_week: dict[str, datetime] = {}
    for block in stored:
        if block.status is not BlockStatus.PLANNED or block.start < now:
            blocks.append(block)
            continue
        copies = ours.get(block.uid, [])
        times, texts = versions.get(block.uid, (frozenset(), frozenset()))
        seen_in = _calendar_read_now(block.seen_in, read_whole)
        block = replace(block, seen_in=seen_in)
        where_seen = [e for e in copies if calendar_of(e.source) == seen_in]
        # gone from the calendar it was seen in, read whole now: the seller deleted it
        # there, whatever older copies other calendars still hold
        if seen_in is not None and seen_in in read_whole and not where_seen:
            removed.add(block.uid)
            blocks.append(replace(block, status=BlockStatus.REMOVED))
            continue
        if not copies:
            blocks.append(block)
            continue
        copies = _one_per_calendar(copies, block, week)
        where_seen = [e for e in copies if calendar_of(e.source) == seen_in]
        event = _the_sellers(copies, where_seen, block, times)
        block = replace(block, seen_in=block.seen_in if where_seen else calendar_of(event.source))
        where = _instants(event)
        # a block written before its versions were kept cannot tell a move from an old import
        # a time we once wrote is an older import, unless its SEQUENCE is newer than any we
        # wrote: then the seller dragged it back there
        newer = event.sequence > block.sequence
        if times and where != (block.start, block.end) and (where not in times or newer):
            if not week[0] <= event.start < week[1]:
                out_of_week[block.uid] = event.start
                removed.add(block.uid)
                block = replace(block, status=BlockStatus.REMOVED)
            else:
                moved.add(block.uid)
                block = replace(block, start=where[0], end=where[1], pinned=True)
        text = event_text(event.summary, event.description)
        # a calendar that hides details ("Busy", no description: an availability-only
        # feed) says nothing about the seller's text; only one that gives it can
        detailed = bool(event.description.strip()) and event.summary != NO_TITLE
        if (
            detailed
            and texts
            and text not in texts
            and block.user_text != (event.summary, event.description)
        ):
            retitled.add(block.uid)
            block = replace(block, user_text=(event.summary, event.description))
        if event.sequence > block.sequence:
            # the seller's calendar raised it (a move, an edit): what we write next must be
            # no older, or Apple Calendar and Thunderbird ignore it as stale
            block = replace(block, sequence=event.sequence)
        blocks.append(block)
    return HandEdits(
        tuple(blocks), frozenset(moved), frozenset(retitled), frozenset(removed), out_of_week
    )


def _instants(event: CalendarEvent) -> tuple[datetime, datetime]:
    """An event's span on real instants: a wall-clock span in one zone measures a DST
    night wrong, and our stored blocks are in UTC."""
    return event.start.astimezone(UTC), event.end.astimezone(UTC)


def _one_per_calendar(
    copies: list[CalendarEvent], block: FocusBlock, week: tuple[datetime, datetime]
) -> list[CalendarEvent]:
    """A block the seller made repeat is one copy per occurrence in a calendar: of each
    calendar's copies, the one still at the block's own time (the seller kept it there),
    else the first in the week, else the first."""
    by_calendar: dict[str, list[CalendarEvent]] = {}
    for event in copies:
        by_calendar.setdefault(event.source, []).append(event)
    chosen = []
    for found in by_calendar.values():
        at_its_time = [e for e in found if _instants(e) == (block.start, block.end)]
        in_week = [e for e in found if week[0] <= e.start < week[1]]
        chosen.append((at_its_time or in_week or found)[0])
    return chosen


def _the_sellers(
    copies: list[CalendarEvent],
    where_seen: list[CalendarEvent],
    block: FocusBlock,
    times: frozenset[tuple[datetime, datetime]],
) -> CalendarEvent:
    """Of several copies of one block (an old import in one calendar, the seller's move in
    another), the one the seller changed; else the one in the calendar it was seen in."""
    for event in copies:
        where = _instants(event)
        if where != (block.start, block.end) and where not in times:
            return event
    return (where_seen or copies)[0]
