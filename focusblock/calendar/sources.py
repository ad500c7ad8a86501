"""Where busy time comes from: each --busy SOURCE turned into calendar data to read.

A SOURCE is an .ics file or '-', Google's export .zip (one .ics per calendar), a
folder of .ics files (the vdir layout vdirsyncer and khal keep), an http(s) iCalendar
feed, or `caldav:URL`. All of them become CalendarSources, so the busy rules of
reading.py apply the same way to each.
"""

from __future__ import annotations

import os
import select
import stat
import sys
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path

from platformdirs import user_cache_path

from focusblock.calendar.credentials import Credentials, credentials_from
from focusblock.calendar.reading import CalendarSource, is_zip
from focusblock.calendar.urls import show_source
from focusblock.config import Settings
from focusblock.errors import BadInput
from focusblock.source_names import CALDAV_PREFIX, FEED_SCHEMES, split_named

MAX_ZIP_MEMBER_BYTES = 100 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200  # iCalendar text compresses ~10x; far beyond that is a zip bomb
MAX_FOLDER_FILES = 100_000
# A calendar file or stream is read at most this far, as a zip's member: /dev/zero or a
# sparse terabyte would otherwise take all memory (the largest real exports are a few MB).
MAX_FILE_BYTES = MAX_ZIP_MEMBER_BYTES


@dataclass(frozen=True)
class SourceOptions:
    """What reading live sources needs: the window, the clock, the cache, credentials."""

    start: datetime
    end: datetime
    now: datetime
    cache_dir: Path
    max_age: timedelta = timedelta(hours=24)
    timeout: float = 20.0
    credentials: Credentials = field(default_factory=Credentials)


@dataclass
class OpenedSources:
    sources: list[CalendarSource] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def source_kind(spec: str) -> str:
    """'caldav', 'feed', 'stdin', 'folder' or 'file' (a .zip is told by its content)."""
    if spec.startswith(CALDAV_PREFIX):
        return "caldav"
    if spec.lower().startswith(FEED_SCHEMES):
        return "feed"
    if spec == "-":
        return "stdin"
    if Path(spec).expanduser().is_dir():
        return "folder"
    return "file"


def open_sources(specs: list[str] | tuple[str, ...], options: SourceOptions) -> OpenedSources:
    """Every SOURCE as calendar data; a source we cannot read at all is a one-line BadInput."""
    opened = OpenedSources()
    named: dict[str, str] = {}
    for name, spec in map(split_named, specs):  # before any is read: refused, nothing fetched
        if name is not None and named.setdefault(name, spec) != spec:
            # the name is the calendar's identity (what it shows, its cache, its blocks):
            # two calendars under one would be read as one
            raise BadInput(f"{name}=: names two calendars; give each calendar its own name")
    for given in specs:
        name, spec = split_named(given)  # NAME=URL: the source shown by its name
        kind = source_kind(spec)
        if kind == "caldav":
            opened.sources.extend(_caldav(spec, options, name))
        elif kind == "feed":
            opened.sources.extend(_feed(spec, options, opened.warnings, name))
        elif kind == "folder":
            opened.sources.extend(
                _folder(Path(spec).expanduser(), show_source(spec), opened.warnings)
            )
        else:
            opened.sources.extend(_file_or_zip(spec, options.timeout))
    return opened


def _file_or_zip(spec: str, timeout: float) -> list[CalendarSource]:
    if spec == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        name = "<stdin>"
        if len(data) > MAX_FILE_BYTES:
            raise _too_big("stdin")
    else:
        name = show_source(spec)  # a path may hold an address by mistake: never its secret
        data = read_calendar_file(Path(spec).expanduser(), name, timeout)
    if is_zip(data):
        return zip_members(name, data)
    return [CalendarSource(name, data)]


def _too_big(name: str) -> BadInput:
    return BadInput(
        f"{name}: more than {MAX_FILE_BYTES // 2**20} MB; expected a calendar "
        "(real exports are a few MB)"
    )


def read_calendar_file(path: Path, name: str, timeout: float) -> bytes:
    """A calendar file's bytes, at most MAX_FILE_BYTES; BadInput naming `name` otherwise.

    A file larger than the cap is refused unread. A FIFO (`--busy <(curl ...)`) or a
    character device is read as a stream until it ends, for `timeout` seconds at most:
    opened without blocking, so a FIFO nobody writes to ends at the deadline, not never.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise BadInput(f"{name}: cannot read the calendar file ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            if info.st_size > MAX_FILE_BYTES:
                raise _too_big(name)
            os.set_blocking(fd, True)
            return _read_capped(fd, name, None)
        return _read_capped(fd, name, timeout)
    except OSError as exc:
        raise BadInput(f"{name}: cannot read the calendar file ({exc.strerror})") from None
    finally:
        os.close(fd)


def _read_capped(fd: int, name: str, timeout: float | None) -> bytes:
    """Until the end, MAX_FILE_BYTES at most. With a timeout (a stream), each read waits
    for data first, until the deadline at most: a FIFO without a writer reads as ended
    without blocking, but is never ready until a writer has come and gone."""
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks: list[bytes] = []
    total = 0
    while True:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                what = "nothing came" if total == 0 else "it did not end"
                raise BadInput(
                    f"{name}: {what} within {timeout:g} s (calendars.timeout); "
                    "expected a calendar file or a stream that ends"
                )
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise _too_big(name)
        chunks.append(chunk)


def zip_members(name: str, data: bytes) -> list[CalendarSource]:
    """Every .ics inside a zip (Google's export holds one per calendar), read in memory.

    Nothing is extracted to disk, so member paths cannot escape anywhere; sizes are
    checked as read (a member's declared size can lie), against a zip bomb.
    """
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadInput(f"{name}: not a readable .zip ({exc})") from None
    if not members:
        raise BadInput(f"{name}: an empty zip archive (expected a calendar export)")
    calendars = [m for m in members if m.filename.lower().endswith(".ics")]
    if not calendars:
        raise BadInput(f"{name}: the .zip holds no .ics file (expected a calendar export)")
    sources: list[CalendarSource] = []
    total = 0
    for member in sorted(calendars, key=lambda m: m.filename):
        label = f"{name}:{member.filename}"
        if member.flag_bits & 0x1:
            raise BadInput(f"{label}: encrypted; export the calendar without a password")
        try:
            with archive.open(member) as handle:
                content = handle.read(MAX_ZIP_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise BadInput(f"{label}: cannot be unpacked ({exc})") from None
        ratio = len(content) / max(member.compress_size, 1)
        if len(content) > MAX_ZIP_MEMBER_BYTES or (ratio > MAX_ZIP_RATIO and len(content) > 1e6):
            raise BadInput(f"{label}: unpacks to far more than a calendar (a zip bomb?)")
        total += len(content)
        if total > MAX_ZIP_TOTAL_BYTES:
            raise BadInput(f"{name}: unpacks to more than {MAX_ZIP_TOTAL_BYTES // 2**20} MB")
        sources.append(CalendarSource(label, content, part_of=name))
    return sources


def _folder(folder: Path, spec: str, warnings: list[str]) -> list[CalendarSource]:
    """A vdir: every *.ics below the folder (vdirsyncer keeps one folder per calendar).

    Hidden files are skipped (vdirsyncer writes its temporaries as dot-files); a file
    that is not a calendar is a warning, not the end of the plan.
    """
    paths = sorted(
        p
        for p in folder.rglob("*.ics")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if len(paths) > MAX_FOLDER_FILES:
        raise BadInput(f"{spec}: more than {MAX_FOLDER_FILES:,} .ics files; name a calendar folder")
    if not paths:
        warnings.append(f"{spec}: no .ics files in this folder; nothing in it counts as busy")
    sources = []
    for path in paths:
        try:
            data = read_calendar_file(path, str(path), timeout=0)
        except BadInput as exc:
            warnings.append(f"skipped: {exc}")
            continue
        sources.append(CalendarSource(str(path), data, skip_if_unreadable=True, part_of=spec))
    return sources


def _feed(
    spec: str, options: SourceOptions, warnings: list[str], name: str | None
) -> list[CalendarSource]:
    # http.client, ssl, email and the XML parser load only for a calendar on the network:
    # a twentieth of reading a file's week
    from focusblock.calendar.feeds import FeedOptions, fetch_feed

    shown = name or show_source(spec)  # as the user wrote it: `config` shows the same
    url = spec
    if url.lower().startswith("webcal"):  # Apple's name for an https feed
        url = "https" + url[url.index(":") :]
    result = fetch_feed(
        url,
        FeedOptions(
            cache_dir=options.cache_dir / "feeds",
            now=options.now,
            max_age=options.max_age,
            timeout=options.timeout,
        ),
        shown,
    )
    if result.warning:
        warnings.append(result.warning)
    return [CalendarSource(shown, result.data)]


def _caldav(spec: str, options: SourceOptions, name: str | None) -> list[CalendarSource]:
    from focusblock.calendar.caldav_io import read_window  # network code: as in _feed

    resources = read_window(spec, options.start, options.end, options.credentials, options.timeout)
    if name is not None:  # every resource is of the one calendar the name stands for
        return [
            CalendarSource(name, data, skip_if_unreadable=True, part_of=name)
            for _, data in resources
        ]
    shown = show_source(spec)
    return [
        CalendarSource(f"{shown}{resource}", data, skip_if_unreadable=True, part_of=shown)
        for resource, data in resources
    ]


def default_cache_dir() -> Path:
    """The user cache folder (~/.cache/focusblock on Linux): copies of feeds live there."""
    return user_cache_path("focusblock", appauthor=False)


def credentials_for(settings: Settings) -> Credentials:
    """The CalDAV credentials the settings and the environment name (password read lazily)."""
    return credentials_from(settings.caldav_username, settings.password_command)


def open_busy_sources(
    specs: list[str] | tuple[str, ...],
    settings: Settings,
    start: datetime,
    end: datetime,
    now: datetime,
    cache_dir: Path | None = None,
) -> OpenedSources:
    """open_sources with what the settings say: cache age, timeout, credentials."""
    return open_sources(
        specs,
        SourceOptions(
            start=start,
            end=end,
            now=now,
            cache_dir=cache_dir or default_cache_dir(),
            max_age=timedelta(hours=settings.max_age_hours),
            timeout=float(settings.fetch_timeout),
            credentials=credentials_for(settings),
        ),
    )
