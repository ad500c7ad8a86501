"""Publishing the week's blocks: into a CalDAV collection, or into a vdir folder.

Both keep one resource per block, named by its UID, so a re-plan updates the block in
place instead of adding a copy. In a CalDAV collection, only events whose UID the store
wrote are ever changed or deleted (a mark or a UID that merely looks like ours proves
nothing): the user's own events are left exactly as they are. In a vdir folder, only
files carrying focusblock's mark are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from focusblock.calendar.caldav_io import (
    check_calendar_collection,
    guarded,
    open_collection,
    within,
)
from focusblock.calendar.credentials import Credentials
from focusblock.calendar.urls import mask_url
from focusblock.calendar.writing import MARK, PRIVATE_TITLE, SUMMARY_PREFIX, EventText, render_ics
from focusblock.errors import BadInput
from focusblock.model import FocusBlock
from focusblock.private_files import ensure_private_dir, write_private

_SAFE_NAME = re.compile(r"[^A-Za-z0-9@._-]")
_DTSTAMP_LINE = re.compile(rb"^DTSTAMP[:;][^\r\n]*\r?\n", re.M)
_COMPARED = ("DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "STATUS", "CLASS")


@dataclass
class PublishReport:
    """What publishing did (or, on a dry run, would do), as block titles."""

    target: str  # masked
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    left_alone: int = 0  # events in the window that are not ours: never touched
    dry_run: bool = False
    # withdrawn blocks the seller had written in: cancelled in place, their notes kept
    cancelled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line per event that failed


def resource_name(uid: str) -> str:
    """The file (or CalDAV resource) name of a block: its UID, made safe for paths."""
    return _SAFE_NAME.sub("_", uid) + ".ics"


def resource_ics(block: FocusBlock, text: EventText, now: datetime, private: bool) -> bytes:
    """One block as a calendar object resource: no METHOD (RFC 4791 4.1 forbids it there)."""
    import icalendar

    calendar = icalendar.Calendar.from_ical(render_ics([block], text, now, private))
    calendar.pop("METHOD", None)
    return bytes(calendar.to_ical())


def _title(block: FocusBlock, text: EventText, private: bool) -> str:
    """How a report names the block: its account, or only "Focus block" when private."""
    return PRIVATE_TITLE if private else text(block)[0].removeprefix(SUMMARY_PREFIX)


# -- CalDAV -------------------------------------------------------------------------


def publish_caldav(
    spec: str,
    blocks: list[FocusBlock],
    text: EventText,
    credentials: Credentials,
    now: datetime,
    private: bool = False,
    dry_run: bool = False,
    timeout: float = 20.0,
    ours: Collection[str] = frozenset(),
    week: str | None = None,
    hands_off: Collection[str] = frozenset(),
    named: Callable[[FocusBlock], str] | None = None,
) -> PublishReport:
    """Make the collection at `spec` (caldav:URL) hold the week's live blocks.

    New blocks are created, changed ones updated in place (same resource, SEQUENCE
    raised when they move, If-Match on the ETag), withdrawn ones deleted (If-Match too),
    or cancelled in place when the seller had written in them. `ours` are the UIDs the
    store wrote: only those events are ever touched; those of `week` that no block owns
    any more (a merged or deleted account's) are deleted too, so no ghost stays live.
    An event changed on the server meanwhile (412) is left as it is and reported;
    one event that fails is reported and never stops the others. `hands_off` are UIDs of
    blocks the seller removed or dragged out of the week: never touched. `named` says how the
    report and messages name a block for the user (the account's name, even when the
    calendar's title is private).
    """
    report = PublishReport(target=mask_url(spec), dry_run=dry_run)
    mine = {b.uid for b in blocks}
    known = set(ours) | mine
    if not blocks:
        return report
    # a day's margin: a block the user dragged a little by hand is still found by its UID
    start = min(b.start for b in blocks) - timedelta(days=1)
    end = max(b.end for b in blocks) + timedelta(days=1)

    def read() -> tuple[Any, dict[str, tuple[Any, Any]]]:
        calendar = open_collection(spec, credentials, timeout)
        check_calendar_collection(spec, calendar)
        found = calendar.search(start=start, end=end, event=True, expand=False)
        events: dict[str, tuple[Any, Any]] = {}
        for item in found:
            vevent = _first_event(item)
            if vevent is not None and str(vevent.get("UID", "")) in known:
                events[str(vevent.get("UID", ""))] = (item, vevent)
            else:
                report.left_alone += 1
        return calendar, events

    calendar, found = guarded(
        spec, credentials, "cannot read the calendar", lambda: within(timeout, read)
    )

    def render(block: FocusBlock) -> bytes:
        return resource_ics(block, text, now, private)

    for block in sorted(blocks, key=lambda b: (b.start, b.uid)):
        title = named(block) if named is not None else _title(block, text, private)
        current = found.get(block.uid)
        try:
            if current is None:
                # dragged far away, or its mark stripped by an app: still there by its name
                current = _by_name(calendar, block.uid)
            _apply(block, render, title, current, calendar, report, spec, credentials)
        except BadInput as exc:
            report.failed.append(str(exc))
    prefix = f"{week.lower()}-" if week else None
    for uid, (item, _) in sorted(found.items()):
        if uid in mine or uid in hands_off or prefix is None or not uid.startswith(prefix):
            continue
        report.deleted.append(GHOST_TITLE)
        if not dry_run:
            try:
                _delete(item, spec, credentials, GHOST_TITLE)
            except BadInput as exc:
                report.failed.append(str(exc))
    return report


GHOST_TITLE = "a block no account owns any more"


def _by_name(calendar: Any, uid: str) -> tuple[Any, Any] | None:
    """The block's resource fetched by its name, if the server has it."""
    try:
        item = calendar.event_by_url(calendar.url.join(quote(resource_name(uid))))
        item.load()
    except Exception:  # not there (404), or unreadable: as good as absent
        return None
    vevent = _first_event(item)
    return None if vevent is None else (item, vevent)


def _apply(
    block: FocusBlock,
    render: Callable[[FocusBlock], bytes],
    title: str,
    current: tuple[Any, Any] | None,
    calendar: Any,
    report: PublishReport,
    spec: str,
    credentials: Credentials,
) -> None:
    """Create, update or delete one block's resource (on a dry run, only count it);
    `render` writes a block as its resource."""
    if block.cancelled:
        if current is None:
            return
        if block.user_text is not None:  # the seller wrote in it: cancelled, never deleted
            report.cancelled.append(title)
            if not report.dry_run:
                _update(current[0], current[1], block, render, spec, credentials, title)
            return
        report.deleted.append(title)
        if not report.dry_run:
            _delete(current[0], spec, credentials, title)
        return
    if current is None:
        if report.dry_run:
            report.created.append(title)
            return
        try:
            _create(calendar, block, render(block), spec, credentials, title)
            report.created.append(title)
            return
        except BadInput:
            # another publisher created it meanwhile: read it back and go on from there
            current = _by_name(calendar, block.uid)
            if current is None:
                raise
    item, vevent = current
    if _same(vevent, block, render(block)):
        report.unchanged.append(title)
        return
    report.updated.append(title)
    if not report.dry_run:
        _update(item, vevent, block, render, spec, credentials, title)


def _create(
    calendar: Any, block: FocusBlock, data: bytes, spec: str, creds: Credentials, title: str
) -> None:
    import caldav

    url = calendar.url.join(quote(resource_name(block.uid)))

    def put() -> None:
        event_class: Any = caldav.Event
        resource = event_class(client=calendar.client, url=url, parent=calendar)
        resource.save(raw_data=data, no_overwrite=True, increase_seqno=False)

    guarded(spec, creds, f"cannot create '{title}'", put)


def _update(
    item: Any,
    vevent: Any,
    block: FocusBlock,
    render: Callable[[FocusBlock], bytes],
    spec: str,
    creds: Credentials,
    title: str,
) -> None:
    server_sequence = int(vevent.get("SEQUENCE", 0) or 0)
    moved = _times(vevent) != (block.start, block.end)
    sequence = block.sequence
    if sequence <= server_sequence:
        # the server's copy may be newer than our store's count (another machine, a
        # restored store): a moved block must still read as a newer revision
        sequence = server_sequence + 1 if moved else server_sequence
    data = _keeping_theirs(_raw_of(item), render(replace(block, sequence=sequence)))

    def put() -> None:
        if not item.etag or str(item.etag).startswith("W/"):
            item.load()  # a strong ETag for If-Match
        item.save(raw_data=data, increase_seqno=False, precondition="etag")

    guarded(spec, creds, f"cannot update '{title}'", put)


# what a plan writes into a block's event; everything else there (a location, the
# seller's reminders, invitees, categories) is the seller's and stays as they left it
_OUR_PROPERTIES = (
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "DESCRIPTION",
    "SEQUENCE",
    "LAST-MODIFIED",
    "STATUS",
    "TRANSP",
    "CLASS",
    "X-MICROSOFT-CDO-BUSYSTATUS",
    MARK,
)


def _keeping_theirs(server: bytes | None, ours: bytes) -> bytes:
    """Our new version of an event, written over the server's copy only where we write:
    what the seller added or changed elsewhere in it is kept (their reminders replace ours)."""
    import icalendar

    if not server:
        return ours
    try:
        theirs = icalendar.Calendar.from_ical(server)
        their_event = theirs.walk("VEVENT")[0]
    except Exception:  # unreadable on the server: ours whole
        return ours
    our_event = icalendar.Calendar.from_ical(ours).walk("VEVENT")[0]
    kept_private = their_event.get("CLASS")
    for name in _OUR_PROPERTIES:
        their_event.pop(name, None)
        if name in our_event:
            their_event[name] = our_event[name]
    # a block the seller made private (colleagues see "busy", not the customer) stays so:
    # a plan only ever makes a block more private
    if _private(kept_private) and not _private(their_event.get("CLASS")):
        their_event["CLASS"] = kept_private
    if not any(c.name == "VALARM" for c in their_event.subcomponents):
        their_event.subcomponents.extend(c for c in our_event.subcomponents if c.name == "VALARM")
    theirs.pop("METHOD", None)
    return bytes(theirs.to_ical())


def _private(value: object) -> bool:
    return value is not None and str(value).upper() in ("PRIVATE", "CONFIDENTIAL")


def _raw_of(item: Any) -> bytes | None:
    raw = getattr(item, "raw_data", None) or getattr(item, "data", None)
    if raw is None:
        return None
    return raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)


def _delete(item: Any, spec: str, credentials: Credentials, title: str) -> None:
    def delete() -> None:
        if not item.etag or str(item.etag).startswith("W/"):
            item.load()
        item.delete(if_match=True, precondition="etag")

    guarded(spec, credentials, f"cannot delete '{title}'", delete)


def _first_event(item: Any) -> Any:
    import icalendar

    raw = getattr(item, "raw_data", None) or item.data
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except Exception:  # a resource we cannot parse is not ours to touch
        return None
    for component in calendar.walk("VEVENT"):
        return component
    return None


def _times(vevent: Any) -> tuple[Any, Any]:
    try:
        return vevent.get("DTSTART").dt, vevent.get("DTEND").dt
    except AttributeError:
        return None, None


def _same(vevent: Any, block: FocusBlock, data: bytes) -> bool:
    """The server's copy says what we would write (times, title, text, status)."""
    import icalendar

    ours = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    if int(vevent.get("SEQUENCE", 0) or 0) < block.sequence:
        return False
    for name in _COMPARED:
        mine, theirs = ours.get(name), vevent.get(name)
        if name in ("DTSTART", "DTEND"):
            if (mine.dt if mine else None) != (theirs.dt if theirs else None):
                return False
        elif str(mine or "") != str(theirs or ""):
            return False
    return True


# -- vdir ---------------------------------------------------------------------------


@dataclass
class VdirReport:
    folder: str
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def write_vdir(
    folder: Path, blocks: list[FocusBlock], text: EventText, now: datetime, private: bool = False
) -> VdirReport:
    """One `<UID>.ics` per live block; the files of withdrawn blocks removed.

    A file is rewritten only when the block changed (DTSTAMP aside), so vdirsyncer
    uploads only real changes. Only files carrying our mark are ever removed. `text`
    gives each block's title and description.
    """
    report = VdirReport(folder=str(folder))
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{folder}: not a folder; --out DIR/ writes one file per block there")
    ensure_private_dir(folder)
    for block in sorted(blocks, key=lambda b: (b.start, b.uid)):
        path = folder / resource_name(block.uid)
        if block.cancelled and block.user_text is None:
            if path.exists() and _is_ours(path, block.uid):
                path.unlink()
                report.removed.append(str(path))
            continue
        if block.cancelled and not path.exists():
            continue
        # the seller wrote in it: cancelled in place, never deleted; a location or
        # reminders they added (synced down by vdirsyncer) stay
        current = path.read_bytes() if path.exists() and _is_ours(path, block.uid) else None
        data = _keeping_theirs(current, resource_ics(block, text, now, private))
        if path.exists() and _without_stamp(path.read_bytes()) == _without_stamp(data):
            report.unchanged.append(str(path))
            continue
        if path.exists() and not _is_ours(path, block.uid):
            raise BadInput(f"{path}: exists and is not a focusblock block; left as it is")
        write_private(path, data)
        report.written.append(str(path))
    return report


def _is_ours(path: Path, uid: str | None = None) -> bool:
    """A file carrying our mark, or (its mark stripped by a sync app) our block's UID."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if re.search(rb"^" + MARK.encode() + rb":1\r?$", data, re.M) is not None:
        return True
    return (
        uid is not None
        and re.search(rb"^UID:" + re.escape(uid.encode()) + rb"\r?$", data, re.M) is not None
    )


def _without_stamp(data: bytes) -> bytes:
    return _DTSTAMP_LINE.sub(b"", data)
