"""The parsed-series cache: reading a calendar again skips its recurring series, and never
changes what is read (same events, same warnings), whatever the cache folder holds."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import stat
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusblock.calendar import series_cache
from focusblock.calendar.prefilter import CallHorizon, prefilter, week_only_series
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.calendar.series_cache import Reading, SeriesCache
from focusblock.errors import BadInput
from tests.conftest import CORPUS, REPO
from tests.corpus import corpus_params, require_corpus
from tests.helpers import parsed_texts

ZONE = ZoneInfo("America/New_York")
ME = "bench@example.com"
MONDAY = date(2026, 11, 30)


def _window(monday: date) -> tuple[datetime, datetime]:
    start = datetime.combine(monday, time(0), ZONE)
    return start, start + timedelta(days=49)


def read(data: bytes, cache: SeriesCache | None, monday: date = MONDAY):
    start, end = _window(monday)
    horizon = CallHorizon(start + timedelta(days=7), lambda block: b"Meeting" in block)
    try:
        reading = read_calendars(
            [CalendarSource("cal.ics", data)],
            start,
            end,
            ZONE,
            ME,
            horizon=horizon,
            series_cache=cache,
        )
    except BadInput as exc:
        return f"refused: {exc}"
    events = [(e, e.start.isoformat(), e.end.isoformat()) for e in reading.events]
    return events, reading.warnings, reading.empty


def hits(data: bytes, cache: SeriesCache, monday: date = MONDAY) -> tuple[int, int]:
    """(series found in the cache, series in the file's window) for a reading of `data`."""
    start, end = _window(monday)
    horizon = CallHorizon(start + timedelta(days=7), lambda block: b"Meeting" in block)
    text = prefilter(data, start, end, horizon)
    # the context the reader gives: the series that can be no call are read for the week
    week_only = week_only_series(text, horizon)
    context = Reading(start, end, ZONE.key, ME, (), week_only, horizon.after)
    split = cache.split("cal.ics", text, context)
    return len(split.hits), len(split.keys)


def _bench_calendar(size: str = "S", seed: int = 7) -> bytes:
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_calendar(size, seed=seed)


@pytest.fixture(scope="module")
def calendar() -> bytes:
    return _bench_calendar()


def test_a_second_reading_parses_no_series_and_reads_the_same(calendar, tmp_path):
    cache = SeriesCache(tmp_path / "series")
    uncached = read(calendar, None)
    assert read(calendar, cache) == uncached  # cold: fills the cache
    found, total = hits(calendar, cache)
    assert total >= 5 and found == total  # enough series for the test to mean something
    assert read(calendar, cache) == uncached  # warm: every series from the cache


def test_a_feed_that_rewrites_dtstamp_keeps_every_series(calendar, tmp_path):
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    refetched = re.sub(rb"DTSTAMP:\d{8}T\d{6}Z", b"DTSTAMP:20261203T101010Z", calendar)
    assert refetched != calendar
    found, total = hits(refetched, cache)
    assert found == total
    assert read(refetched, cache) == read(refetched, None)


def test_a_changed_series_is_read_again_and_the_others_are_kept(calendar, tmp_path):
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    changed = calendar.replace(b"RRULE:FREQ=MONTHLY;BYDAY=2TU", b"RRULE:FREQ=WEEKLY;BYDAY=TU", 1)
    assert changed != calendar
    found, total = hits(changed, cache)
    assert found == total - 1
    assert read(changed, cache) == read(changed, None)


def test_another_week_or_zone_or_code_is_another_key(calendar, tmp_path, monkeypatch):
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    assert hits(calendar, cache, MONDAY + timedelta(days=7))[0] == 0
    monkeypatch.setattr(series_cache, "_code_version", "another version of the code")
    assert hits(calendar, cache)[0] == 0


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x80\x04\x95 not json (a pickle would be code)",
        b'{"format": 1, "entries": []}',
        b'{"format": 1, "entries": {"KEY": [{"start": "x"}]}}',
        b'{"format": 99, "entries": {}}',
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_cache_file_changes_nothing(calendar, tmp_path, damage):
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    (file,) = (tmp_path / "series").glob("*.json")
    text = file.read_bytes()
    if b"KEY" in damage:  # a right key with a wrong entry
        key = next(iter(json.loads(text)["entries"]))
        damage = damage.replace(b"KEY", key.encode())
    file.write_bytes(damage)
    assert read(calendar, cache) == read(calendar, None)


def test_an_entry_of_another_calendar_is_never_taken(calendar, tmp_path):
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    other = _bench_calendar(seed=8)
    assert read(other, cache) == read(other, None)


def test_the_cache_is_private_json_and_bounded(calendar, tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "series"
    cache = SeriesCache(folder)
    read(calendar, cache)
    (file,) = folder.glob("*.json")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert json.loads(file.read_bytes())["format"] == series_cache.FORMAT
    monkeypatch.setattr(series_cache, "MAX_FILES", 3)
    for index in range(6):
        start, end = _window(MONDAY)
        read_calendars(
            [CalendarSource(f"other-{index}.ics", calendar)],
            start,
            end,
            ZONE,
            ME,
            series_cache=cache,
        )
    assert len(list(folder.glob("*.json"))) == 3
    monkeypatch.setattr(series_cache, "MAX_BYTES", 100)
    read(calendar.replace(b"Meeting", b"Meeting!"), SeriesCache(tmp_path / "small"))
    # only the series that fit are kept (here those without an occurrence in the window)
    assert all(f.stat().st_size <= 100 for f in (tmp_path / "small").glob("*.json"))


def test_a_cache_folder_that_is_a_link_is_never_followed(calendar, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o1777)
    os.chmod(elsewhere, 0o1777)
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "series").symlink_to(elsewhere)
    cache = SeriesCache(tmp_path / "cache" / "series")
    assert read(calendar, cache) == read(calendar, None)
    assert list(elsewhere.iterdir()) == []
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o1777


def test_a_series_with_a_warning_is_not_cached(tmp_path):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;TZID=Nowhere/Land:20261102T100000\r\nDTEND;TZID=Nowhere/Land:20261102T110000\r\n"
        b"RRULE:FREQ=WEEKLY\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    cache = SeriesCache(tmp_path / "series")
    first = read(data, cache)
    assert not isinstance(first, str) and first[1], "the unknown zone is warned about"
    assert read(data, cache) == first  # and again: the warning is not lost to the cache
    assert hits(data, cache)[0] == 0


@pytest.mark.parametrize("path", corpus_params())
@pytest.mark.slow  # every file of the calendar corpus, read three times
def test_warm_equals_cold_on_the_corpus(path, tmp_path):
    require_corpus()
    data = path.read_bytes()
    days = sorted({m.group(1) for m in re.finditer(rb"DTSTART[^:\r\n]*:(\d{8})", data)})
    mondays = [MONDAY]
    if days:
        try:
            day = date(int(days[0][:4]), int(days[0][4:6]), int(days[0][6:8]))
            mondays.append(day - timedelta(days=day.weekday()))
        except ValueError:
            pass
    for monday in mondays:
        cache = SeriesCache(tmp_path / f"series-{monday}")
        read(data, None, monday)  # icalendar warns of some zones only once in a process
        uncached = read(data, None, monday)
        assert read(data, cache, monday) == uncached, f"{path.relative_to(CORPUS)}, cold"
        assert read(data, cache, monday) == uncached, f"{path.relative_to(CORPUS)}, warm"


def test_busy_twice_shows_the_same_from_the_users_cache(example_store):
    calendar = str(REPO / "examples" / "calendar.ics")
    first = example_store("busy", "--busy", calendar, "--json").stdout
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "focusblock" / "series"
    assert list(cache.glob("*.json")), "the first reading fills the user's cache"
    assert example_store("busy", "--busy", calendar, "--json").stdout == first


@pytest.mark.parametrize(
    "uid_lines",
    [
        "UID:weekly\\,team",  # escaped: the parser reads "weekly,team"
        "UID:weekly-team ",  # a trailing space the parser keeps
        "BEGIN:VALARM\r\nUID:alarm-1\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n"
        "UID:weekly-team",  # Apple writes a UID in the alarm, before the event's own
    ],
)
def test_a_series_whose_uid_reads_otherwise_is_never_lost_to_the_cache(tmp_path, uid_lines):
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"{uid_lines}\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20261102T150000Z\r\nDTEND:20261102T160000Z\r\n"
        "RRULE:FREQ=DAILY\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    cache = SeriesCache(tmp_path / "series")
    first = read(data, cache)
    assert not isinstance(first, str) and len(first[0]) >= 7
    assert read(data, cache) == first
    assert read(data, cache) == read(data, None)


def test_a_fifo_in_the_cache_folder_is_no_entry(calendar, tmp_path):
    """Reading a FIFO waits for a writer forever: one put where an entry would be is
    passed by, and the calendar read as without a cache."""
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    (file,) = (tmp_path / "series").glob("*.json")
    file.unlink()
    os.mkfifo(file)
    assert read(calendar, cache) == read(calendar, None)


def test_a_cache_file_is_replaced_whole_and_private_or_not_at_all(tmp_path):
    from focusblock.private_files import write_private_cache

    path = tmp_path / "entry.json"
    write_private_cache(path, b'{"a": 1}')
    write_private_cache(path, b'{"a": 2}')
    assert path.read_bytes() == b'{"a": 2}'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    taken = tmp_path / "taken.json"
    taken.mkdir()  # something else where the entry goes: refused, nothing left behind
    with pytest.raises(OSError):
        write_private_cache(taken, b"{}")
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*"))


def test_the_code_key_names_each_parsing_library_release(tmp_path, monkeypatch):
    from importlib.metadata import version

    for distribution, module in series_cache._LIBRARIES:
        assert f"-{version(distribution)}." in series_cache._installed(distribution, module)
    # a library with no metadata beside it (copied in by hand): its file's size and time
    (tmp_path / "handmade_lib.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    first = series_cache._installed("handmade-lib", "handmade_lib")
    assert str(tmp_path / "handmade_lib.py") in first
    (tmp_path / "handmade_lib.py").write_text("X = 22\n")
    assert series_cache._installed("handmade-lib", "handmade_lib") != first


def _resource(index: int) -> bytes:
    """One CalDAV resource: a weekly series of its own, as a server hands it out."""
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:series-%d\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;TZID=America/New_York:20261102T%02d0000\r\n"
        b"DTEND;TZID=America/New_York:20261102T%02d3000\r\n"
        b"RRULE:FREQ=WEEKLY\r\nSUMMARY:Weekly %d\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ) % (index, 8 + index, 8 + index, index)


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(("Team", "Team"), id="named"),  # --busy Team=caldav:...
        pytest.param(
            (
                "caldav:https://dav.example.com/team/r{i}.ics",
                "caldav:https://dav.example.com/team/",
            ),
            id="unnamed",
        ),
    ],
)
def test_every_resource_of_a_caldav_calendar_is_read_from_the_cache(tmp_path, monkeypatch, names):
    """A CalDAV calendar is read one resource at a time: each resource's series must stay in
    the cache beside the others' (one resource's reading replaced the others' under one
    name, and an unnamed calendar of more resources than MAX_FILES pushed out its own)."""

    monkeypatch.setattr(series_cache, "MAX_FILES", 4)
    name, calendar = names
    sources = [
        CalendarSource(name.format(i=i), _resource(i), skip_if_unreadable=True, part_of=calendar)
        for i in range(8)
    ]
    start, end = _window(MONDAY)
    cache = SeriesCache(tmp_path / "series")
    cold = read_calendars(sources, start, end, ZONE, ME, series_cache=cache)
    assert len(cold.events) == 8 * 7  # eight weekly series over seven weeks

    parsed = parsed_texts(monkeypatch)
    warm = read_calendars(sources, start, end, ZONE, ME, series_cache=cache)
    assert warm.events == cold.events and warm.warnings == cold.warnings
    assert not [data for data in parsed if b"BEGIN:VEVENT" in data], "a series was parsed again"
    assert len(list((tmp_path / "series").glob("*.json"))) == 1  # one calendar, one file


def test_a_reading_that_changes_nothing_writes_nothing(calendar, tmp_path):
    """The daily re-reading of an unchanged calendar: every series from the cache, and the
    cache file (megabytes for a big calendar) is not written again, only marked as used."""
    cache = SeriesCache(tmp_path / "series")
    read(calendar, cache)
    (file,) = (tmp_path / "series").glob("*.json")
    before = file.stat().st_ino, file.read_bytes()
    os.utime(file, (1, 1))
    read(calendar, cache)
    assert (file.stat().st_ino, file.read_bytes()) == before
    assert file.stat().st_mtime > 1  # recently used: pruned last
    changed = calendar.replace(b"RRULE:FREQ=MONTHLY;BYDAY=2TU", b"RRULE:FREQ=WEEKLY;BYDAY=TU", 1)
    read(changed, cache)
    assert file.read_bytes() != before[1]  # a changed series is kept


def test_a_calendar_over_the_bound_keeps_its_file_as_it_is_when_nothing_changed(
    tmp_path, monkeypatch
):
    """The file of a calendar whose series overflow MAX_BYTES holds those that fit; a
    warm reading that changed nothing left it as it was (it was rewritten every time,
    review finding)."""
    sources = [CalendarSource(f"vdir/{i}.ics", _resource(i), True, "vdir") for i in range(6)]
    start, end = _window(MONDAY)
    probe = SeriesCache(tmp_path / "probe")
    read_calendars(sources[:1], start, end, ZONE, ME, series_cache=probe)
    (one,) = (tmp_path / "probe").glob("*.json")
    monkeypatch.setattr(series_cache, "MAX_BYTES", 3 * one.stat().st_size)
    cache = SeriesCache(tmp_path / "series")
    read_calendars(sources, start, end, ZONE, ME, series_cache=cache)
    (file,) = (tmp_path / "series").glob("*.json")
    before = file.stat().st_ino, file.read_bytes()
    for _ in range(2):
        read_calendars(sources, start, end, ZONE, ME, series_cache=cache)
        assert (file.stat().st_ino, file.read_bytes()) == before
