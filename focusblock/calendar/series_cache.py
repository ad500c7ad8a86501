"""The occurrences of each recurring series in a window, kept from one reading to the next.

A seller's calendar is read again and again for the same week (the daily `plan --publish`,
`busy` then `plan`), and most of what is parsed each time is the same recurring series.
Each series (its master and overrides: the events sharing a UID) is looked up by a key made
of its own text, so a feed that rewrites DTSTAMP on every fetch (Google does), or a new
meeting elsewhere in the file, leaves the other series' entries valid; DTSTAMP lines are
left out of the key for that reason. The key also holds everything else the occurrences
depend on: the calendar's own properties and time zones, the window, the user's zone and
address, whether the series is one of our blocks, and the code that reads it (this
package's calendar modules and the parsing libraries' versions). An entry is never
invalidated by time, only by a different key.

Entries are JSON (reading them runs no code), in one file per calendar holding the series
of its latest reading only (a calendar read in parts, a CalDAV calendar's resources or a
folder's files, keeps its parts' series together in its one file, written once per
reading and not at all when nothing in it changed), 0600 in a private folder that is never
a link; at most MAX_FILES files, the least recently used removed first, and a file over
MAX_BYTES is not written. A file that cannot be read is ignored (and replaced): the cache
can only save work, never change what is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from focusblock.calendar.events import CalendarEvent
from focusblock.calendar.prefilter import event_spans, own_lines, recurs, unfolded, without_spans
from focusblock.errors import FocusblockError
from focusblock.private_files import ensure_private_dir, write_private_cache

FORMAT = 2  # 2: a time in a named zone kept as its wall time and fold
MAX_FILES = 64
MAX_BYTES = 20_000_000

_UID = re.compile(rb"^UID(?:;[^\r\n:]*)?:([^\r\n]*)", re.M | re.I)
# a DTSTAMP the parser reads (a UTC time): one it cannot read must stay in the key, for
# its warning depends on it
_DTSTAMP = re.compile(rb"^DTSTAMP(?:;[^\r\n:]*)?:\d{8}T\d{6}Z?\r?\n", re.M | re.I)
# the zones a series' times are written in, read by their names from the time zone data
_ZONE_NAME = re.compile(rb"TZID=\"?([^\";:\r\n]+)|^X-WR-TIMEZONE[^:\r\n]*:([^\r\n]*)", re.M | re.I)
_ZONE_KEY = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")
# the modules whose code decides an occurrence; a change in any of them is a new key
_CODE = (
    "reading.py",
    "prefilter.py",
    "zones.py",
    "events.py",
    "completeness.py",
    "series_cache.py",
    "series_window.py",
)
# (distribution, module) of each parsing library
_LIBRARIES = (
    ("icalendar", "icalendar"),
    ("recurring-ical-events", "recurring_ical_events"),
    ("x-wr-timezone", "x_wr_timezone"),
    ("python-dateutil", "dateutil"),
)


@dataclass(frozen=True)
class Reading:
    """What a reading's context is: every input of an occurrence besides the series text."""

    start: datetime
    end: datetime
    zone: str
    user_email: str
    ours: Collection[str]
    # the series read only up to the week's end (no account's call: week_only_series)
    week_only: Collection[str] = frozenset()
    week_end: datetime | None = None


@dataclass
class Split:
    """A calendar's text with the series found in the cache taken out."""

    rest: bytes  # what is still to be parsed
    found: list[CalendarEvent] = field(default_factory=list)  # the cached series' occurrences
    uids: frozenset[str] = frozenset()  # every event's UID, as the text gives it
    keys: dict[str, str] = field(default_factory=dict)  # uid -> key of every series read
    hits: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class SeriesCache:
    """The cache of one reading: `split` and `keep` each part of a calendar, then `save`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stored: dict[str, dict[str, Any]] = {}  # calendar -> its file's entries
        self._kept: dict[str, dict[str, Any]] = {}  # calendar -> this reading's entries
        # calendar -> the keys of the series parsed (not found) in this reading
        self._parsed: dict[str, set[str]] = {}
        self._rules = ZoneRules()  # each zone's rules read once a reading, for every part

    def split(
        self, source: str, data: bytes, context: Reading, calendar: str | None = None
    ) -> Split:
        """`data` (read from `source`) without the series whose occurrences are cached, and
        those occurrences; `calendar`: the calendar `source` is one part of, whose file
        holds the series of all its parts (by default, `source` is a calendar of its own)."""
        calendar = calendar or source
        spans = event_spans(data)
        if spans is None:
            return Split(data)  # an odd file: parsed whole, as without a cache
        groups: dict[str, list[tuple[int, int]]] = {}
        for span in spans:
            groups.setdefault(_uid(data[span[0] : span[1]]), []).append(span)
        if any("\\" in uid for uid in groups):
            # an escaped UID ('a\,b') is another series' to the parser ('a,b'): which events
            # make one series is then the parser's to say, and nothing is cached
            return Split(data)
        series = {
            uid: blocks
            for uid, blocks in groups.items()
            if uid and any(recurs(data[a:b]) for a, b in blocks)
        }
        split = Split(data, uids=frozenset(groups))
        if not series:
            return split
        rest = without_spans(data, spans)
        rules = self._rules
        zones = rules.of(_zone_names(rest), context.zone)
        base = _base_key(context, hashlib.sha256(rest).hexdigest() + zones)
        split.keys = {}
        for uid, blocks in series.items():
            texts = [data[a:b] for a, b in blocks]
            split.keys[uid] = _series_key(base, uid, texts, context, rules)
        if calendar not in self._stored:
            self._stored[calendar] = self._load(calendar)
        stored = self._stored[calendar]
        taken: list[tuple[int, int]] = []
        for uid, key in split.keys.items():
            entry = stored.get(key)
            if entry is None:
                continue
            try:
                occurrences = [_event(item, source) for item in entry]
            except (KeyError, TypeError, ValueError, OverflowError, OSError, RecursionError):
                continue  # a damaged entry (a hand edit, a disk error): parse the series
            split.found.extend(occurrences)
            split.hits[key] = entry
            taken.extend(series[uid])
        if taken:
            split.rest = without_spans(data, sorted(taken))
        return split

    def keep(self, calendar: str, split: Split, read: Iterable[CalendarEvent]) -> None:
        """Keep the occurrences of every series of this reading of one of `calendar`'s parts
        (found or just parsed), to be written by `save`.

        Occurrences are filed under the UID the parser read. Only when every event read
        has a UID exactly as its text gives it is each series' text known to be the one
        its occurrences came from: else (an escaped UID, a space the parser keeps, a UID
        in an alarm before the event's own) nothing is kept, for an entry filed under the
        wrong series would make a meeting vanish from the next reading."""
        events = list(read)
        if any(event.uid not in split.uids for event in events):
            return
        by_uid: dict[str, list[dict[str, Any]]] = {uid: [] for uid in split.keys}
        for event in events:
            if event.uid in by_uid:
                by_uid[event.uid].append(_as_json(event))
        kept = self._kept.setdefault(calendar, {})
        kept.update(split.hits)
        for uid, key in split.keys.items():
            if key not in split.hits:
                kept[key] = by_uid[uid]
                self._parsed.setdefault(calendar, set()).add(key)

    def save(self) -> None:
        """Write each calendar's file whose entries this reading changed, once."""
        written = False
        for calendar, entries in self._kept.items():
            stored = self._stored.get(calendar, {})
            body = _body(entries)
            if len(body) > MAX_BYTES:
                # the parts of a big calendar: as many series as the bound holds still
                # spare most of the work; those kept before first, so the file stays
                first = sorted(entries, key=lambda key: key not in stored)
                entries = _within({key: entries[key] for key in first}, MAX_BYTES - len(_body({})))
                body = _body(entries)
            parsed = self._parsed.get(calendar, set())
            unchanged = entries.keys() == stored.keys() and not parsed & entries.keys()
            if unchanged or not entries:
                continue  # its file was marked as used when read
            try:
                self._write(self._path(calendar), body.encode())
                written = True
            except (OSError, FocusblockError):
                # a cache that cannot be written (a full disk, something not a file where
                # an entry goes) only costs the next reading its time
                pass
        self._kept.clear()
        self._parsed.clear()
        self._stored.clear()
        self._rules = ZoneRules()  # the zone data may change before the next reading
        if written:
            with contextlib.suppress(OSError):
                self._prune()

    def _path(self, calendar: str) -> Path:
        return self.folder / (hashlib.sha256(calendar.encode()).hexdigest()[:32] + ".json")

    def _load(self, calendar: str) -> dict[str, Any]:
        path = self._path(calendar)
        try:
            # a link is never followed; anything but a plain file (a FIFO would be waited
            # on forever) is no entry
            if self.folder.is_symlink() or path.is_symlink() or not path.is_file():
                return {}
            data = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return {}
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def _write(self, path: Path, body: bytes) -> None:
        if self.folder.is_symlink() or self.folder.parent.is_symlink():
            return  # never follow a link into someone else's folder
        ensure_private_dir(self.folder.parent)
        ensure_private_dir(self.folder)
        write_private_cache(path, body)

    def _prune(self) -> None:
        files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[MAX_FILES:]:
            old.unlink(missing_ok=True)


def _body(entries: dict[str, Any]) -> str:
    return json.dumps({"format": FORMAT, "entries": entries}, separators=(",", ":"))


def _within(entries: dict[str, Any], size: int) -> dict[str, Any]:
    """The first of `entries` that together take at most `size` characters."""
    kept: dict[str, Any] = {}
    for key, entry in entries.items():
        size -= len(json.dumps({key: entry}, separators=(",", ":")))
        if size < 0:
            break
        kept[key] = entry
    return kept


def _uid(block: bytes) -> str:
    """The UID of the event itself (not of an alarm inside it), as its text gives it."""
    own = own_lines(unfolded(block))
    match = _UID.search(own) if own is not None else None
    return match.group(1).decode("utf-8", "replace") if match else ""


_code_version: str | None = None


def _code() -> str:
    global _code_version
    if _code_version is None:
        digest = hashlib.sha256(str(FORMAT).encode())
        here = Path(__file__).parent
        for name in _CODE:
            digest.update(name.encode() + (here / name).read_bytes())
        for distribution, module in _LIBRARIES:
            digest.update(_installed(distribution, module).encode())
        _code_version = digest.hexdigest()
    return _code_version


def _installed(distribution: str, module: str) -> str:
    """Which release of a library is installed: the name of its metadata folder beside it
    ("icalendar-7.3.2.dist-info"), read without importlib.metadata, whose import was a
    tenth of `busy`'s start-up; without one, the size and time of the module's file."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return distribution
    origin = Path(spec.origin)
    folder = (origin.parent if origin.name == "__init__.py" else origin).parent
    prefix = distribution.replace("-", "_").lower() + "-"
    with contextlib.suppress(OSError):
        found = sorted(
            name
            for name in os.listdir(folder)
            if name.lower().startswith(prefix) and name.endswith((".dist-info", ".egg-info"))
        )
        if found:
            return ",".join(found)
    with contextlib.suppress(OSError):
        found_file = origin.stat()
        return f"{origin}:{found_file.st_size}:{found_file.st_mtime_ns}"
    return distribution


def _base_key(context: Reading, header: str) -> bytes:
    parts = (
        _code(),
        header,
        context.start.isoformat(),
        context.end.isoformat(),
        context.zone,
        context.user_email,
    )
    return "\n".join(parts).encode()


def _series_key(
    base: bytes, uid: str, blocks: list[bytes], context: Reading, rules: ZoneRules
) -> str:
    digest = hashlib.sha256(base)
    digest.update(b"\nours" if uid in context.ours else b"\nnot ours")
    if uid in context.week_only and context.week_end is not None:
        digest.update(b"\nread to " + context.week_end.isoformat().encode())
    texts = [unfolded(block) for block in blocks]
    for text in texts:
        digest.update(b"\n" + _DTSTAMP.sub(b"", text))
    digest.update(rules.of(name for text in texts for name in _zone_names(text)).encode())
    return digest.hexdigest()


def _zone_names(text: bytes) -> set[str]:
    return {
        (named or whole).decode("utf-8", "replace").strip()
        for named, whole in _ZONE_NAME.findall(text)
    }


class ZoneRules:
    """What the time zone data says of named zones, as a key: a tzdata update that changes
    a zone's rules (Mexico's end of summer time in 2022) changes the occurrences of the
    series written in it, as a new release of the code would. Read where zoneinfo reads
    it (the system's zone files first, then the tzdata package); each zone once."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def of(self, names: Iterable[str], *more: str) -> str:
        """The rules of every zone named, as one text."""
        return ",".join(self._rules(name) for name in sorted({*names, *more}))

    def _rules(self, name: str) -> str:
        if name not in self._known:
            self._known[name] = f"{name}={_zone_file_digest(name)}"
        return self._known[name]


def _zone_file_digest(name: str) -> str:
    if not _ZONE_KEY.fullmatch(name):
        return "-"  # not a zone's name: no file of the zone data is read for it
    for folder in zoneinfo.TZPATH:
        path = Path(folder, name)
        with contextlib.suppress(OSError):
            if path.is_file():  # a FIFO would be waited on forever
                return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    try:
        import importlib.resources

        resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
        return hashlib.sha256(resource.read_bytes()).hexdigest()[:16]
    except (ImportError, OSError, ValueError):
        return "-"


def _as_json(event: CalendarEvent) -> dict[str, Any]:
    return {
        "start": _time_as_json(event.start),
        "end": _time_as_json(event.end),
        # the zone by name, so that times read back keep its rules (a fixed offset would not)
        "zone": getattr(event.start.tzinfo, "key", None),
        "end_zone": getattr(event.end.tzinfo, "key", None),
        "folds": [event.start.fold, event.end.fold],
        "all_day": event.all_day,
        "summary": event.summary,
        "uid": event.uid,
        "emails": list(event.attendee_emails),
        "names": [list(pair) for pair in event.attendee_names],
        "free": event.free_reason,
        "private": event.private,
        "description": event.description,
        "sequence": event.sequence,
    }


def _time_as_json(moment: datetime) -> str:
    """In a named zone, the wall time alone (with the fold kept beside it): the parser may
    give a time the zone skips (02:30 on the night clocks go from 02:00 to 03:00), which
    only its wall time gives back as it was (through UTC it would come back as 03:30).
    Any other time with its offset."""
    if getattr(moment.tzinfo, "key", None):
        return moment.replace(tzinfo=None).isoformat()
    return moment.isoformat()


def _time_of(text: str, zone: object, fold: object) -> datetime:
    moment = datetime.fromisoformat(text)
    if zone:
        if moment.tzinfo is not None:
            raise ValueError("a time in a named zone with an offset")
        return moment.replace(tzinfo=_zone(str(zone)), fold=1 if fold else 0)
    if moment.tzinfo is None:
        raise ValueError("a time without its offset")
    return moment


def _zone(key: str) -> tzinfo:
    """The zone named `key` as the parser gives it (icalendar keeps its own): a time in a
    zone's gap equals another only within one zone object, so a cached occurrence must
    carry the very object a parsed one would."""
    from icalendar.timezone import tzp

    found = tzp.timezone(key)
    return found if found is not None else ZoneInfo(key)


def _event(item: dict[str, Any], source: str) -> CalendarEvent:
    start_fold, end_fold = item["folds"]
    start = _time_of(item["start"], item["zone"], start_fold)
    end = _time_of(item["end"], item["end_zone"], end_fold)
    free = item["free"]
    return CalendarEvent(
        start=start,
        end=end,
        all_day=bool(item["all_day"]),
        summary=str(item["summary"]),
        uid=str(item["uid"]),
        source=source,
        attendee_emails=tuple(str(e) for e in item["emails"]),
        free_reason=None if free is None else str(free),
        private=bool(item["private"]),
        description=str(item["description"]),
        sequence=int(item["sequence"]),
        attendee_names=tuple((str(a), str(n)) for a, n in item["names"]),
    )
