"""The busy-time reader against 116 real-world .ics files from other projects."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.errors import BadInput
from tests.conftest import CORPUS
from tests.corpus import corpus_files, corpus_params, manifest_status, require_corpus

ZONE = ZoneInfo("America/New_York")


def test_manifest_covers_the_corpus():
    require_corpus()
    status = manifest_status()
    files = {str(p.relative_to(CORPUS)) for p in corpus_files()}
    assert len(files) == 116
    assert set(status) == files
    assert sum(1 for s in status.values() if s == "reads") >= 100


@pytest.mark.sqlite_only  # `busy` opens no store: one backend is enough
@pytest.mark.parametrize("path", corpus_params())
@pytest.mark.slow  # big data: every file of the calendar corpus
def test_each_file_is_read_or_refused_in_one_line(run, path):
    require_corpus()
    result = run("busy", "--busy", str(path), "--week", "2026-W49", "--json", code=None)
    assert "Traceback" not in result.stderr
    status = manifest_status()[str(path.relative_to(CORPUS))]
    if result.exit_code == 0:
        data = json.loads(result.stdout)
        assert data["week"] == "2026-W49"
        assert all(line.startswith("Warning: ") for line in result.stderr.splitlines())
    else:
        assert status == "fails", f"{path.name} is marked 'reads' but was refused: {result.stderr}"
        assert result.exit_code == 4
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1 and path.name in errors[0]


def reference_busy(data: bytes, start: datetime, end: datetime) -> set[tuple]:
    """An independent walk: bench/plain_pipeline.py, the plain library pipeline with the
    busy rules applied (the same baseline bench/run measures against)."""
    import importlib.util

    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location(
        "plain_pipeline", REPO / "bench" / "plain_pipeline.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {
        (datetime.fromisoformat(s).timestamp(), datetime.fromisoformat(e).timestamp(), uid)
        for s, e, uid in module.busy_spans(data, start, end, ZONE, "")
    }


def recurring_reads() -> list:
    if not corpus_files():
        return [pytest.param(None, id="corpus-missing")]
    status = manifest_status()
    chosen = []
    for path in corpus_files():
        rel = str(path.relative_to(CORPUS))
        if status.get(rel) == "reads" and b"RRULE" in path.read_bytes().replace(b"\r\n ", b""):
            chosen.append(pytest.param(path, id=rel))
    return chosen


def _weeks_with_events(data: bytes) -> list[date]:
    """The first three weeks in which the reference sees something busy, plus one of 2026."""
    wide = reference_busy(
        data, datetime(1990, 1, 1, tzinfo=ZONE), datetime(2035, 1, 1, tzinfo=ZONE)
    )
    days = sorted({datetime.fromtimestamp(s, ZONE).date() for s, _, _ in wide})
    mondays: list[date] = []
    for day in days:
        monday = day - timedelta(days=day.weekday())
        if monday not in mondays:
            mondays.append(monday)
        if len(mondays) == 3:
            break
    return [*mondays, date(2026, 11, 30)]


@pytest.mark.parametrize("path", recurring_reads())
@pytest.mark.slow  # big data: the corpus, expanded twice
def test_busy_spans_match_an_independent_expansion(path):
    require_corpus()
    data = path.read_bytes()
    try:
        weeks = _weeks_with_events(data)
    except Exception as exc:  # the reference itself cannot read it: nothing to compare against
        pytest.skip(f"the plain pipeline fails on this file ({type(exc).__name__})")
    for monday in weeks:
        start = datetime.combine(monday, time(0), ZONE)
        end = start + timedelta(days=7)
        try:
            expected = reference_busy(data, start, end)
        except Exception:  # the reference cannot expand this week; ours is checked elsewhere
            continue
        reading = read_calendars([CalendarSource(path.name, data)], start, end, ZONE)
        got = {(e.start.timestamp(), e.end.timestamp(), e.uid) for e in reading.events if e.busy}
        assert got == expected, f"week of {monday}"


def test_a_file_that_is_not_a_calendar_is_one_line(run, write):
    path = write("notes.ics", "Dear team,\nthis is not a calendar.\n")
    result = run("busy", "--busy", str(path), code=4)
    assert result.stderr.strip().splitlines() == [
        f"Error: {path}: not an iCalendar (.ics) file (no BEGIN:VCALENDAR)"
    ]


def test_binary_junk_is_refused(tmp_path):
    with pytest.raises(BadInput, match="binary data"):
        read_calendars(
            [CalendarSource("junk.ics", b"\x00\x01BEGIN:VCALENDAR")],
            datetime(2026, 1, 1, tzinfo=ZONE),
            datetime(2026, 2, 1, tzinfo=ZONE),
            ZONE,
        )
