"""The fast busy reader gives exactly the spans of the full parse."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.calendar.prefilter import prefilter
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.errors import BadInput
from tests.conftest import CORPUS
from tests.corpus import corpus_params, require_corpus

ZONE = ZoneInfo("America/New_York")


def spans(data: bytes, monday: date, fast: bool) -> set[tuple] | str:
    start = datetime.combine(monday, time(0), ZONE)
    try:
        reading = read_calendars(
            [CalendarSource("x.ics", data)],
            start,
            start + timedelta(days=7),
            ZONE,
            "me@example.com",
            fast=fast,
        )
    except BadInput as exc:
        return f"refused: {exc}"
    return {(e.start, e.end, e.uid, e.summary, e.free_reason) for e in reading.events}


def _mondays_of(data: bytes) -> list[date]:
    import re

    days = sorted({m.group(1) for m in re.finditer(rb"DTSTART[^:\r\n]*:(\d{8})", data)})[:2]
    found = []
    for raw in days:
        try:
            day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        except ValueError:
            continue
        found.append(day - timedelta(days=day.weekday()))
    return [*found, date(2026, 11, 30), date(2019, 3, 4)]


@pytest.mark.parametrize("path", corpus_params())
@pytest.mark.slow  # big data: every file of the calendar corpus, read twice
def test_fast_equals_full_on_the_corpus(path):
    require_corpus()
    data = path.read_bytes()
    for monday in _mondays_of(data):
        full = spans(data, monday, fast=False)
        if isinstance(full, str):
            continue  # the full parse refuses the file; the fast one may read it, never less
        assert spans(data, monday, fast=True) == full, (
            f"{path.relative_to(CORPUS)}, week of {monday}"
        )


ZONES = ["Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland"]
# TZID parameters as exporters write them: quoted values may hold ':' ';' ',' and spaces
# (RFC 5545 3.2); Exchange writes display names; some exporters forget the quotes.
TZID_PARAMS = [
    *(f"TZID={zone}" for zone in ZONES),
    'TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"',
    'TZID="W. Europe Standard Time"',
    'TZID="Tokyo; Osaka, Sapporo"',
    'TZID="Customized Time Zone"',
    'X-NOTE="a:b;c,d";TZID=Asia/Tokyo',
    'TZID="America/Los_Angeles";X-FLAG=x,"y:z"',
    "TZID=(UTC-08:00) Pacific Time (US & Canada)",  # unquoted ':': not a valid parameter
]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@st.composite
def calendars(draw) -> bytes:
    base = datetime(2026, 11, 30, 0, 0)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gen//gen//EN"]
    if draw(st.booleans()):
        lines.append("X-WR-TIMEZONE:Europe/Berlin")
    for index in range(draw(st.integers(1, 25))):
        start = base + timedelta(minutes=15 * draw(st.integers(-4000, 4000)))
        # long events too: one that starts weeks before the window and ends in it is kept
        # only if its DTEND is read right, whatever the parameters before the value
        minutes = draw(st.sampled_from([0, 30, 60, 90, 24 * 60, 3 * 24 * 60, 12 * 24 * 60]))
        kind = draw(st.sampled_from(["utc", "tzid", "mixed", "floating", "date"]))
        zone = draw(st.sampled_from(ZONES))
        if kind == "utc":
            dtstart, dtend = (
                f"DTSTART:{_stamp(start)}Z",
                f"DTEND:{_stamp(start + timedelta(minutes=minutes))}Z",
            )
        elif kind == "tzid":
            end_param = draw(st.sampled_from([f"TZID={zone}", *TZID_PARAMS]))
            dtstart = f"DTSTART;{draw(st.sampled_from(TZID_PARAMS))}:{_stamp(start)}"
            dtend = f"DTEND;{end_param}:{_stamp(start + timedelta(minutes=minutes))}"
        elif kind == "mixed":  # DTSTART in UTC, DTEND in a zone, or the other way round
            end_text = _stamp(start + timedelta(minutes=minutes))
            if draw(st.booleans()):
                dtstart = f"DTSTART:{_stamp(start)}Z"
                dtend = f"DTEND;{draw(st.sampled_from(TZID_PARAMS))}:{end_text}"
            else:
                dtstart = f"DTSTART;{draw(st.sampled_from(TZID_PARAMS))}:{_stamp(start)}"
                dtend = f"DTEND:{end_text}Z"
        elif kind == "floating":
            dtstart, dtend = (
                f"DTSTART:{_stamp(start)}",
                f"DTEND:{_stamp(start + timedelta(minutes=minutes))}",
            )
        else:
            days = max(1, minutes // (24 * 60))
            dtstart = f"DTSTART;VALUE=DATE:{start:%Y%m%d}"
            dtend = f"DTEND;VALUE=DATE:{start + timedelta(days=days):%Y%m%d}"
        if draw(st.booleans()) and kind != "date":
            dtend = f"DURATION:PT{max(minutes, 15)}M"
        event = [
            "BEGIN:VEVENT",
            f"UID:gen-{index}",
            "DTSTAMP:20260101T000000Z",
            dtstart,
            dtend,
            f"SUMMARY:Event {index}",
        ]
        rule = draw(
            st.sampled_from(
                [
                    None,
                    "FREQ=DAILY;COUNT=5",
                    "FREQ=WEEKLY;UNTIL=20270101T000000Z",
                    "FREQ=WEEKLY;BYDAY=MO,WE",
                    "FREQ=MONTHLY",
                ]
            )
        )
        if rule:
            event.append(f"RRULE:{rule}")
        event.append(
            draw(
                st.sampled_from(
                    [
                        "",
                        "TRANSP:TRANSPARENT",
                        "STATUS:CANCELLED",
                        "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
                    ]
                )
            )
        )
        event.append("END:VEVENT")
        lines.extend(line for line in event if line)
        if rule and draw(st.booleans()):  # an override of the second occurrence
            moved = start + timedelta(days=1)
            recurrence = dtstart.replace("DTSTART", "RECURRENCE-ID")
            lines += [
                "BEGIN:VEVENT",
                f"UID:gen-{index}",
                "DTSTAMP:20260101T000000Z",
                recurrence,
                dtstart.split(":")[0]
                + ":"
                + (
                    _stamp(moved) + ("Z" if kind == "utc" else "")
                    if kind != "date"
                    else f"{moved:%Y%m%d}"
                ),
                f"SUMMARY:Event {index} (moved)",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    if draw(st.booleans()):  # exporters fold lines longer than 75 octets (RFC 5545 3.1)
        lines = [_fold(line) for line in lines]
    return ("\r\n".join(lines) + "\r\n").encode()


def _fold(line: str, width: int = 75) -> str:
    """The line folded as RFC 5545 exporters do: CRLF and a space every `width` octets."""
    parts = [line[:width]]
    rest = line[width:]
    while rest:
        parts.append(" " + rest[: width - 1])
        rest = rest[width - 1 :]
    return "\r\n".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calendars(),
    st.sampled_from(
        [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 10, 26)]
    ),
)
@pytest.mark.slow  # big data: generated calendars, read twice
def test_fast_equals_full_on_generated_calendars(data, monday):
    assert spans(data, monday, fast=True) == spans(data, monday, fast=False)


# RFC 5545 3.1: a parameter value is text without control characters, '"', ';', ':' and
# ',', or a quoted string, which may hold any of them but '"'.
# Mostly the characters that matter (the separators, brackets, spaces), some of any kind.
_QUOTED = st.one_of(
    st.text(st.sampled_from(list(":;,() +-/01aZ")), max_size=20),
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"')),
)
_PARAM_VALUE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='";:,')),
    _QUOTED.map(lambda value: f'"{value}"'),
    _QUOTED.map(lambda value: f'"{value}"'),
)
_PARAM = st.tuples(
    st.sampled_from(["X-A", "X-MS-OLK-ORIGINALTZ", "VALUE", "CN", "TZID"]),
    st.lists(_PARAM_VALUE, min_size=1, max_size=3),
).map(lambda item: "" if item[0] == "VALUE" else f";{item[0]}={','.join(item[1])}")


@st.composite
def single_events_with_odd_parameters(draw) -> bytes:
    """Single events around the week of 2026-11-30, DTSTART and DTEND (or DURATION) each
    with its own parameter list, in different zones, sometimes folded."""
    monday = datetime(2026, 11, 30)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gen//gen//EN"]
    for index in range(draw(st.integers(1, 6))):
        # many start days before the window (and its two-day margin) and end inside it
        start = monday + timedelta(hours=draw(st.integers(-20 * 24, 9 * 24)))
        end = start + timedelta(hours=draw(st.sampled_from([0, 1, 48, 12 * 24, 12 * 24, 40 * 24])))
        stamps = []
        for name, moment in (("DTSTART", start), ("DTEND", end)):
            params = "".join(draw(st.lists(_PARAM, max_size=3)))
            utc = draw(st.booleans())
            stamps.append(f"{name}{params}:{_stamp(moment)}{'Z' if utc else ''}")
        if draw(st.booleans()):
            hours = int((end - start).total_seconds() // 3600)
            stamps[1] = f"DURATION{''.join(draw(st.lists(_PARAM, max_size=2)))}:PT{hours}H"
        lines += ["BEGIN:VEVENT", f"UID:odd-{index}", "DTSTAMP:20260101T000000Z", *stamps]
        lines += [f"SUMMARY:Odd {index}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    if draw(st.booleans()):
        lines = [_fold(line) for line in lines]
    return ("\r\n".join(lines) + "\r\n").encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(single_events_with_odd_parameters())
@pytest.mark.slow  # 150 generated calendars, each read twice
def test_fast_equals_full_whatever_the_parameters(data):
    assert spans(data, date(2026, 11, 30), fast=True) == spans(data, date(2026, 11, 30), fast=False)


AMSTERDAM = '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"'


def _single(dtstart: str, dtend: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:long-1\r\nDTSTAMP:20260101T000000Z\r\n{dtstart}\r\n{dtend}\r\n"
        "SUMMARY:Trade fair\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("dtstart", "dtend"),
    [
        # seen in a real export: DTSTART in UTC, DTEND in an Exchange zone whose TZID holds ':'
        ("DTSTART:20261120T150000Z", f"DTEND;TZID={AMSTERDAM}:20261202T100000"),
        (f"DTSTART;TZID={AMSTERDAM}:20261120T150000", "DTEND:20261202T100000Z"),
        ('DTSTART;TZID="Tokyo; Osaka":20261120T150000', 'DTEND;X-A="1:2";TZID=UTC:20261202T1000'),
        ("DTSTART:20261120T150000Z", "DTEND;TZID=(UTC+01:00) Amsterdam:20261202T100000"),
        ("DTSTART:20261120T150000Z", _fold(f"DTEND;TZID={AMSTERDAM}:20261202T100000")),
    ],
)
def test_an_event_that_ends_in_the_week_is_kept_whatever_its_parameters(dtstart, dtend):
    data = _single(dtstart, dtend)
    full = spans(data, date(2026, 11, 30), fast=False)
    assert spans(data, date(2026, 11, 30), fast=True) == full
    if "Tokyo" not in dtstart and "(UTC+01:00) Amsterdam:" not in dtend:
        assert not isinstance(full, str) and len(full) == 1  # the full parse reads it


def test_a_series_that_ended_before_the_week_but_runs_into_it_is_kept():
    # found by the strategy above: five daily occurrences of 12 days each, from 15 Nov;
    # the last starts on 19 Nov and lasts until 1 Dec, in the week of 30 Nov
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:long-series\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261115T234500Z\r\n"
        b"DTEND:20261127T234500Z\r\nRRULE:FREQ=DAILY;COUNT=5\r\nSUMMARY:Offsite\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    full = spans(data, date(2026, 11, 30), fast=False)
    assert len(full) == 2  # the occurrences of 18 and 19 Nov reach into the week
    assert spans(data, date(2026, 11, 30), fast=True) == full
    until = data.replace(b"COUNT=5", b"UNTIL=20261119T235959Z")
    assert spans(until, date(2026, 11, 30), fast=True) == spans(
        until, date(2026, 11, 30), fast=False
    )


def test_prefilter_drops_only_far_single_events():
    def event(uid: str, day: str) -> bytes:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{day}T100000Z\r\n"
            f"DTEND:{day}T110000Z\r\nEND:VEVENT\r\n"
        ).encode()

    far, near = event("old", "20150101"), event("new", "20261201")
    rule = (
        b"BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20150101T100000Z\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
    )
    data = b"BEGIN:VCALENDAR\r\n" + far + near + rule + b"END:VCALENDAR\r\n"
    start = datetime(2026, 11, 30, tzinfo=ZONE)
    kept = prefilter(data, start, start + timedelta(days=7))
    assert b"UID:old" not in kept and b"UID:new" in kept and b"UID:r" in kept
    unterminated = data.replace(
        b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:new", b"BEGIN:VEVENT\r\nUID:new"
    )
    assert prefilter(unterminated, start, start + timedelta(days=7)) == unterminated


@pytest.mark.slow  # big data: the benchmark's calendar
def test_fast_equals_full_on_the_bench_calendar_s():
    import importlib.util

    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    data = generate.generate_calendar("S", seed=3)
    for monday in (date(2026, 11, 30), date(2025, 6, 2), date(2023, 1, 2)):
        full = spans(data, monday, fast=False)
        assert spans(data, monday, fast=True) == full


_PIECES = [
    "BEGIN:VEVENT\r\n",
    "BEGIN:VEVENT\n",
    "BEGIN:VEVENT \t\r\n",
    "begin:vevent\r\n",
    "Begin:VEvent\r\n",
    "END:VEVENT\r\n",
    "END:VEVENT",
    "END:VEVENT  \n",
    "end:vevent\r\n",
    "END:VEVENTX\r\n",
    "END:VEVENT\rX\r\n",
    "BEGIN:VEVENT\r",
    "DESCRIPTION:not BEGIN:VEVENT nor END:VEVENT\r\n",
    " END:VEVENT\r\n",
    "BEGIN:VALARM\r\nEND:VALARM\r\n",
    "SUMMARY:x\r\n",
    "BEGIN:VCALENDAR\r\n",
    "END:VCALENDAR\r\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_the_plain_search_for_events_finds_what_the_pattern_finds(pieces):
    """Where the quick search answers, it answers as the case-insensitive pattern does;
    where the pattern would refuse the file's shape, so does event_spans."""
    from focusblock.calendar import prefilter as module

    data = "".join(pieces).encode()
    events = list(module._EVENT.finditer(data))
    by_pattern = (
        [m.span() for m in events] if len(events) == len(module._BEGINS.findall(data)) else None
    )
    quick = module._capital_spans(data)
    if quick is not None:
        assert quick == by_pattern
    assert module.event_spans(data) == by_pattern


@st.composite
def counted_series(draw) -> bytes:
    """Series bounded by COUNT whose last occurrence may fall just before, in or after the
    week of 2026-11-30: the prefilter drops only those that certainly end before it."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gen//gen//EN"]
    for index in range(draw(st.integers(1, 6))):
        frequency = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
        by_day = draw(
            st.sampled_from(["", "MO", "1MO", "-1FR", "4TH", "-4SU", "5MO", "2TU,4TH", "SA,SU"])
        )
        count = draw(st.integers(1, 60))
        interval = draw(st.integers(1, 3))
        days_back = {"DAILY": 120, "WEEKLY": 800, "MONTHLY": 3000, "YEARLY": 40000}[frequency]
        start = datetime(2026, 11, 30, 9, 0) - timedelta(days=draw(st.integers(0, days_back)))
        if draw(st.integers(0, 9)) == 0:
            start = datetime(2016, 2, 29, 9, 0)
        rule = f"FREQ={frequency};COUNT={count}" + (f";INTERVAL={interval}" if interval > 1 else "")
        rule += f";BYDAY={by_day}" if by_day else ""
        lines += [
            "BEGIN:VEVENT",
            f"UID:series-{index}",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{_stamp(start)}Z",
            f"DTEND:{_stamp(start + timedelta(hours=1))}Z",
            f"RRULE:{rule}",
            f"SUMMARY:Series {index}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counted_series())
def test_a_counted_series_is_dropped_only_when_it_certainly_ended(data):
    assert spans(data, date(2026, 11, 30), fast=True) == spans(data, date(2026, 11, 30), fast=False)


@st.composite
def series_with_overrides(draw) -> bytes:
    """Series, some days long, each with moved occurrences: from before, in or after the
    week of 2026-11-30 to before, in or after it, with or without their own end, some of
    them for this and all later occurrences (RANGE=THISANDFUTURE), some without their
    series (an exporter that left the series out). The prefilter may drop a moved
    occurrence only when neither where it was nor where it went can touch the week."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gen//gen//EN"]
    week = datetime(2026, 11, 30, 9, 0)
    for index in range(draw(st.integers(1, 4))):
        all_day = draw(st.integers(0, 4)) == 0
        start = week - timedelta(days=7 * draw(st.integers(1, 30)))
        hours = draw(st.sampled_from([1, 20, 49, 24 * 5, 24 * 13]))
        frequency = draw(st.sampled_from(["DAILY", "WEEKLY"]))

        def at(moment: datetime, name: str, zone: str, all_day: bool = all_day) -> str:
            if all_day:
                return f"{name};VALUE=DATE:{moment:%Y%m%d}"
            return f"{name}{zone}:{_stamp(moment)}" + ("Z" if not zone else "")

        zone = draw(st.sampled_from(["", ";TZID=Pacific/Auckland", ";TZID=America/Los_Angeles"]))
        uid = f"series-{index}"
        if draw(st.integers(0, 5)) > 0:  # the series itself, or only its moved occurrences
            length = timedelta(days=max(1, hours // 24)) if all_day else timedelta(hours=hours)
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                "DTSTAMP:20260101T000000Z",
                at(start, "DTSTART", zone),
                at(start + length, "DTEND", zone),
                f"RRULE:FREQ={frequency}",
                f"SUMMARY:Series {index}",
                "END:VEVENT",
            ]
        step = timedelta(days=1 if frequency == "DAILY" else 7)
        for moved in range(draw(st.integers(1, 5))):
            if draw(st.booleans()):  # near the week, where a long series reaches into it
                original = week + step * draw(st.integers(-14 if frequency == "DAILY" else -3, 2))
            else:
                original = start + step * draw(st.integers(0, 40 if frequency == "WEEKLY" else 280))
            to = original + timedelta(
                days=draw(st.sampled_from([-60, -20, -9, -3, 0, 1, 3, 9, 20, 60])),
                hours=draw(st.integers(0, 5)),
            )
            recurrence = at(original, "RECURRENCE-ID", zone)
            if draw(st.integers(0, 6)) == 0:
                recurrence = recurrence.replace(
                    "RECURRENCE-ID", "RECURRENCE-ID;RANGE=THISANDFUTURE"
                )
            override = [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                "DTSTAMP:20260101T000000Z",
                recurrence,
                at(to, "DTSTART", zone),
            ]
            if draw(st.booleans()):
                hours_later = timedelta(hours=draw(st.sampled_from([1, 30])))
                override.append(at(to + hours_later, "DTEND", zone))
            override += [f"SUMMARY:Series {index} moved {moved}", "END:VEVENT"]
            lines += override
    lines.append("END:VCALENDAR")
    if draw(st.booleans()):
        lines = [_fold(line, 40) for line in lines]
    return ("\r\n".join(lines) + "\r\n").encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series_with_overrides())
def test_a_moved_occurrence_is_dropped_only_when_it_cannot_touch_the_week(data):
    assert spans(data, date(2026, 11, 30), fast=True) == spans(data, date(2026, 11, 30), fast=False)


def test_moved_occurrences_far_from_the_week_are_not_parsed():
    def moved(day: str, to: str) -> bytes:
        return (
            f"BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:{day}T100000Z\r\n"
            f"DTSTART:{to}T100000Z\r\nDTEND:{to}T110000Z\r\nEND:VEVENT\r\n"
        ).encode()

    series = (
        b"BEGIN:VEVENT\r\nUID:s\r\nDTSTART:20250106T100000Z\r\nDTEND:20250106T110000Z\r\n"
        b"RRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
    )
    far, into, out_of = (
        moved("20250113", "20250114"),
        moved("20250120", "20261201"),
        moved("20261201", "20250121"),
    )
    data = b"BEGIN:VCALENDAR\r\n" + series + far + into + out_of + b"END:VCALENDAR\r\n"
    start = datetime(2026, 11, 30, tzinfo=ZONE)
    kept = prefilter(data, start, start + timedelta(days=7))
    assert far not in kept and into in kept and out_of in kept and series in kept


_STARTS = [
    "DTSTART:20261201T100000Z\r\n",
    "dtstart:20150101T100000Z\r\n",
    "DTSTART;TZID=Europe/Berlin:20150101T100000\r\n",
    'DTSTART;TZID="a:b, c":20150101T100000\r\n',
    "DTSTART;TZID=Europe/Berlin:2015\r\n 0101T100000\r\n",
    "DTSTART;TZI\r\n D=Europe/Berlin:20150101T100000\r\n",
    "DTSTART;VALUE=DATE:20261203\r\n",
    "DTSTART:20151340T100000Z\r\n",
]
_ENDS = [
    "DTEND:20150101T110000Z\r\n",
    "DTEND:20270101T110000Z\r\n",
    "dtend;tzid=Asia/Tokyo:20261130T010000\r\n",
    'DTEND;X="unclosed:20150101T110000Z\r\n',
    "DTEND;TZID=Europe/Berlin:2015\r\n 0101T110000\r\n",
    "DURATION:PT1H\r\n",
    "DURATION:P800D\r\n",
    "duration:P1W\r\n",
    "DURATION:soon\r\n",
    "DURATION;X=\r\n :PT1H\r\n",
]
_OTHER_LINES = [
    *_PIECES,
    "RRULE:FREQ=WEEKLY\r\n",
    "rrule:FREQ=DAILY;COUNT=2\r\n",
    "RECURRENCE-ID:20150101T100000Z\r\n",
    "RDATE:20261201T100000Z\r\n",
    "DTSTAMP:20150101T000000Z\r\n",
    "UID:x\r\n",
]


@st.composite
def event_texts(draw) -> bytes:
    """Calendars of events made of the lines above in any order: a start and an end in
    any form (folded, unreadable, in small letters, more than one), markers in any case
    or out of place, signs of recurrence."""
    lines = ["BEGIN:VCALENDAR\r\n"]
    for _ in range(draw(st.integers(0, 5))):
        body = [
            *draw(st.lists(st.sampled_from(_STARTS), min_size=1, max_size=2)),
            *draw(st.lists(st.sampled_from(_ENDS), max_size=2)),
            *draw(st.lists(st.sampled_from(_OTHER_LINES), max_size=2)),
        ]
        lines += ["BEGIN:VEVENT\r\n", *draw(st.permutations(body))]
        lines.append(draw(st.sampled_from(["END:VEVENT\r\n", "END:VEVENT\n", "END:VEVENT"])))
    lines.append("END:VCALENDAR\r\n")
    return "".join(lines).encode()


_WINDOW = (datetime(2026, 11, 30, tzinfo=ZONE), datetime(2026, 12, 7, tzinfo=ZONE))


def _assert_scan_agrees(data: bytes) -> None:
    """scan_events finds the events event_spans finds, and reads a single event's days
    only where the pass over each event (_single_span, _may_touch) reads the same."""
    from focusblock.calendar import prefilter as module

    first, last = date(2026, 11, 28), date(2026, 12, 9)
    scanned = module.scan_events(data)
    if not isinstance(scanned, tuple):
        assert scanned is None or module.prefilter(data, *_WINDOW) == data
        return
    events, told = scanned
    assert events == module.event_spans(data)
    for (begin, end), days in zip(events, told, strict=True):
        if days is not None:
            block = data[begin:end]
            assert days == module._single_span(block), block
            assert module._may_touch(block, first, last) == module._meets(*days, first, last)


@settings(max_examples=500, deadline=None)
@given(event_texts())
def test_one_pass_over_the_file_decides_as_the_pass_over_each_event(data):
    _assert_scan_agrees(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(calendars(), single_events_with_odd_parameters(), series_with_overrides()))
def test_one_pass_decides_as_the_pass_over_each_event_on_generated_calendars(data):
    _assert_scan_agrees(data)
