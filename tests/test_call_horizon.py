"""Beyond the planned week only calls matter: the text test that keeps them before parsing
must never miss a call that a full parse finds.

Each test reads a calendar twice over the week and the call horizon: once parsing every
event (fast=False), once with the prefilter and the call test on raw text, and compares
the calls found (and the warnings about ambiguous titles) and the week's events.
"""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.calendar.calls import AccountSignature, CallText, next_calls
from focusblock.calendar.events import CalendarReading
from focusblock.calendar.prefilter import CallHorizon, prefilter
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.calendar.series_cache import SeriesCache
from focusblock.calendar.writing import UID_SUFFIX
from focusblock.errors import BadInput
from focusblock.plan.busy import CALL_HORIZON_DAYS
from tests.conftest import CORPUS, REPO
from tests.corpus import corpus_params, require_corpus

ZONE = ZoneInfo("America/New_York")
ME = "me@example.com"


def read_week_and_horizon(
    data: bytes,
    monday: date,
    signatures: list[AccountSignature],
    fast: bool = True,
    cache: SeriesCache | None = None,
) -> CalendarReading:
    """The week of `monday` and the call horizon after it, read as `busy` reads them."""
    start = datetime.combine(monday, time(0), ZONE)
    end = start + timedelta(days=7)
    horizon = CallHorizon(end, CallText(signatures).may_be_call) if fast else None
    return read_calendars(
        [CalendarSource("x.ics", data)],
        start,
        end + timedelta(days=CALL_HORIZON_DAYS),
        ZONE,
        ME,
        fast=fast,
        horizon=horizon,
        series_cache=cache,
    )


def read_calls(
    data: bytes, monday: date, signatures: list[AccountSignature], fast: bool
) -> tuple | str:
    start = datetime.combine(monday, time(0), ZONE)
    end = start + timedelta(days=7)
    try:
        reading = read_week_and_horizon(data, monday, signatures, fast)
    except BadInput as exc:
        return f"refused: {exc}"
    search = next_calls(reading.events, signatures, start, ME)
    calls = {i: (c.start, c.summary, c.matched_by) for i, c in search.calls.items()}
    week = {
        (e.start, e.end, e.uid, e.free_reason)
        for e in reading.events
        if e.start < end and e.end > start
    }
    return calls, search.warnings, week


_SUMMARY = re.compile(rb"^SUMMARY[^:\r\n]*:([^\r\n]*)", re.M)
_HOST = re.compile(rb"@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def signatures_from(data: bytes) -> list[AccountSignature]:
    """Accounts named after words of the file's own titles, with its attendees' domains:
    so that many of its events are calls, some ambiguous, most of them not."""
    words = []
    for raw in _SUMMARY.findall(data)[::3]:
        found = re.findall(r"[^\W\d_]{3,}", raw.decode("utf-8", "replace"))
        words.extend(found[:2])
    names = sorted(set(words))[:150]
    domains = sorted({h.decode().lower() for h in _HOST.findall(data)})[::2][:100]
    found = [AccountSignature(i, (name,), ()) for i, name in enumerate(names)]
    found += [AccountSignature(1000 + i, (), (d,)) for i, d in enumerate(domains)]
    return found


def _mondays_of(data: bytes) -> list[date]:
    days = sorted({m.group(1) for m in re.finditer(rb"DTSTART[^:\r\n]*:(\d{8})", data)})
    found = []
    for raw in (*days[:1], *days[len(days) // 2 : len(days) // 2 + 1]):
        try:
            day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        except ValueError:
            continue
        found.append(day - timedelta(days=day.weekday() + 7))
    return [*found, date(2026, 11, 30)]


@pytest.mark.parametrize("path", corpus_params())
@pytest.mark.slow  # every file of the calendar corpus, read twice per week
def test_the_calls_found_are_a_full_parses_on_the_corpus(path):
    require_corpus()
    data = path.read_bytes()
    signatures = signatures_from(data)
    for monday in _mondays_of(data):
        full = read_calls(data, monday, signatures, fast=False)
        if isinstance(full, str):
            continue  # the full parse refuses the file; the fast one may read it, never less
        assert read_calls(data, monday, signatures, fast=True) == full, (
            f"{path.relative_to(CORPUS)}, week of {monday}"
        )


def _generate():
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # the benchmark's calendar, read twice per week
def test_the_calls_found_are_a_full_parses_on_the_bench_calendar():
    data = _generate().generate_calendar("S", seed=5)
    signatures = [
        AccountSignature(1, ("café",), ()),
        AccountSignature(2, ("Zurich",), ()),  # accents folded: "Zürich" in the titles
        AccountSignature(3, ("Meeting roadmap",), ()),
        AccountSignature(4, (), ("customer7.example",)),
        AccountSignature(5, ("Meeting",), ("customer1.example",)),  # many calls, ambiguous
    ]
    found = 0
    for monday in (date(2026, 11, 30), date(2025, 6, 2), date(2023, 1, 2)):
        full = read_calls(data, monday, signatures, fast=False)
        assert not isinstance(full, str)
        assert read_calls(data, monday, signatures, fast=True) == full
        found += len(full[0])
    assert found >= 3, "the comparison needs calls"


ACCOUNTS = [
    AccountSignature(1, ("Café Müller", "CM Logistics"), ("cafe-mueller.de",)),
    AccountSignature(2, ("Smith & Sons",), ("smith.co.uk",)),
    AccountSignature(3, ("O'Brien, Ltd",), ()),
    AccountSignature(4, ("Nordwind",), ("nordwind.example",)),
    AccountSignature(5, ("Ωμέγα",), ()),
]
# how a title may carry an account's name: case, accents, escapes, line breaks, words around
TITLES = [
    "Call with Café Müller",
    "CAFE MULLER quarterly",
    "cafe\u0301 mu\u0308ller review",  # combining accents
    "CM Logistics\\, pricing",
    "Smith & Sons demo",
    "smith  &  sons",
    "O'Brien\\, Ltd renewal",
    "O'Brien\\,\\nLtd",
    "Nordwind\\; next steps",
    "Demo: NORDWIND",
    "Nordwindy",  # not a whole word: no call
    "ΩΜΈΓΑ kickoff",
    "Lunch",
    "Team sync about Nordwind",
    "Focus: Nordwind",  # one of our focus blocks by its title: never a call
    "EMEA\\Smith & Sons QBR",  # a backslash before a plain letter stays a backslash
    "Nordwind\\:review",
]
ATTENDEES = [
    "",
    "ATTENDEE;CN=Jo:mailto:jo@cafe-mueller.de",
    "ATTENDEE;PARTSTAT=ACCEPTED:MAILTO:Ann@EU.Smith.CO.UK",
    'ATTENDEE;CN="Meyer, Jonas (Nordwind)":mailto:jonas@nordwind.example',
    "ORGANIZER:mailto:boss@nordwind.example",
    "ATTENDEE:mailto:x@notnordwind.example",
    "ATTENDEE:mailto:me@example.com",
]


def _fold(line: str, width: int) -> str:
    raw = line.encode()
    parts = []
    while len(raw) > width:
        cut = width
        while cut > 1 and (raw[cut] & 0xC0) == 0x80:  # never inside a character
            cut -= 1
        parts.append(raw[:cut])
        raw = raw[cut:]
    parts.append(raw)
    return "\r\n ".join(p.decode() for p in parts)


@st.composite
def calendars_with_calls(draw) -> bytes:
    monday = datetime(2026, 11, 30, 0, 0)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gen//gen//EN"]
    width = draw(st.sampled_from([75, 20, 9]))
    for index in range(draw(st.integers(1, 20))):
        start = monday + timedelta(minutes=30 * draw(st.integers(-2 * 48, 52 * 48)))
        stamp = f"{start:%Y%m%dT%H%M%S}"
        end = f"{start + timedelta(hours=1):%Y%m%dT%H%M%S}"
        uid = f"e{index}" + (UID_SUFFIX if draw(st.integers(0, 9)) == 0 else "")
        event = ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z"]
        event += [f"DTSTART;TZID=Europe/Berlin:{stamp}", f"DTEND;TZID=Europe/Berlin:{end}"]
        param = draw(st.sampled_from(["", ";LANGUAGE=de", ';X-A="a:b;c"']))
        event.append(f"SUMMARY{param}:{draw(st.sampled_from(TITLES))}")
        event += [a for a in draw(st.lists(st.sampled_from(ATTENDEES), max_size=3)) if a]
        if draw(st.booleans()):
            event.append("DESCRIPTION:Prep for Smith & Sons\\, see nordwind.example")
        if draw(st.integers(0, 5)) == 0:
            event.append("RRULE:FREQ=WEEKLY;COUNT=8")
        lines += [*event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    if draw(st.booleans()):
        # the lines the call test reads; a folded DTSTART would keep the event anyway
        folded = ("SUMMARY", "ATTENDEE", "ORGANIZER", "UID")
        lines = [_fold(line, width) if line.startswith(folded) else line for line in lines]
    return ("\r\n".join(lines) + "\r\n").encode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars_with_calls(), st.sampled_from([date(2026, 11, 30), date(2026, 12, 14)]))
def test_the_text_test_never_misses_a_call_a_full_parse_finds(data, monday):
    assert read_calls(data, monday, ACCOUNTS, fast=True) == read_calls(
        data, monday, ACCOUNTS, fast=False
    )


def _kept_for_week_49(data: bytes) -> bytes:
    """What the prefilter keeps of `data` for week 49 and its call horizon."""
    start = datetime(2026, 11, 30, tzinfo=ZONE)
    end = start + timedelta(days=7)
    horizon = CallHorizon(end, CallText(ACCOUNTS).may_be_call)
    return prefilter(data, start, end + timedelta(days=CALL_HORIZON_DAYS), horizon)


def test_beyond_the_week_only_calls_and_our_blocks_are_parsed():
    def event(uid: str, day: str, summary: str) -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART:{day}T150000Z\r\nDTEND:{day}T160000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
        )

    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        + event("in-week", "20261201", "Dentist")
        + event("later-call", "20261222", "Nordwind review")
        + event("later-other", "20261222", "Dentist again")
        + event("later-ours" + UID_SUFFIX, "20261223", "Thinking time")
        + "END:VCALENDAR\r\n"
    ).encode()
    kept = _kept_for_week_49(data)
    assert b"UID:in-week" in kept
    assert b"UID:later-call" in kept
    assert b"UID:later-ours" in kept
    assert b"UID:later-other" not in kept


def test_a_backslash_the_parser_keeps_is_kept_by_the_text_test():
    text = CallText([AccountSignature(1, ("Kestrel Robotics",), ())])
    event = b"BEGIN:VEVENT\r\nSUMMARY:EMEA\\Kestrel Robotics QBR\r\nEND:VEVENT\r\n"
    assert text.may_be_call(event)


def test_a_free_week_with_meetings_only_later_is_planned(example_store, write):
    """The weeks after the planned one are read for calls only; a week with no meeting in
    it, in a calendar whose meetings come later, is a free week to plan, not "no readable
    event" (it was planned before the call horizon was read for calls only)."""
    later = "".join(
        f"BEGIN:VEVENT\r\nUID:later-{day}\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:202612{day}T150000Z\r\nDTEND:202612{day}T160000Z\r\n"
        "SUMMARY:Dentist\r\nEND:VEVENT\r\n"
        for day in (14, 15, 16)
    )
    calendar = write(
        "later.ics",
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{later}END:VCALENDAR\r\n",
    )
    done = example_store("plan", "--busy", str(calendar), "--week", "2026-W49", "--json")
    assert json.loads(done.stdout)["blocks"], "the free week gets its blocks"


@pytest.mark.parametrize("fold", ["\r\n ", "\r\n\t", "\r\n\r\n "])
def test_one_of_our_blocks_beyond_the_week_is_kept_with_its_uid_folded_in_our_mark(fold):
    """Our mark is read on the UID's own line joined again, whatever else is folded."""
    uid = f"later{UID_SUFFIX[:4]}{fold}{UID_SUFFIX[4:]}"
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261223T150000Z\r\n"
        "DTEND:20261223T160000Z\r\nSUMMARY:Thinking time\r\n"
        "DESCRIPTION:a long text\r\n that goes on\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    assert b"UID:later" in _kept_for_week_49(data)
