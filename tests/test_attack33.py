"""Hostile tests of the three speed shortcuts of 14b6f24..5d74ce9 (report only, no fixes):

1. week_only_series + reading._expand/_parted: a series that can be no call is expanded
   over the week alone;
2. series_window.without_missing_series: a MONTHLY nth-weekday series certainly missing
   the window is left out before recurring-ical-events expands it;
3. prefilter._monthly_misses: the same judgement on raw text, dropping the series before
   parsing when it can be no call.

Each case that fails on the current code is a strict xfail whose docstring says what
differs; the unmarked tests are cheap guards that found nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from focusblock.calendar.calls import AccountSignature, CallText, next_calls
from focusblock.calendar.prefilter import CallHorizon
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.calendar.series_cache import SeriesCache
from focusblock.calendar.series_window import misses
from focusblock.plan.busy import CALL_HORIZON_DAYS
from tests.test_call_horizon import read_calls, read_week_and_horizon
from tests.test_fast_path import spans
from tests.test_prefilter_attack import _calendar
from tests.test_week_only_series import _series

ZONE = ZoneInfo("America/New_York")
ME = "me@example.com"
WEEK = date(2026, 11, 30)  # Monday; the week is [2026-11-30, 2026-12-07) in New York
ZETA = [AccountSignature(1, ("Zeta",), ("zeta.example",))]


def _plain_week(data: bytes, monday: date = WEEK) -> set[tuple[datetime, str]]:
    """(start in UTC, uid) of every occurrence plain recurring-ical-events gives the week."""
    start = datetime.combine(monday, time(0), ZONE)
    found = set()
    for calendar in icalendar.Calendar.from_ical(data, multiple=True):
        between = recurring_ical_events.of(calendar, skip_bad_series=True).between(
            start, start + timedelta(days=7)
        )
        for occurrence in between:
            moment = occurrence["DTSTART"].dt
            if not isinstance(moment, datetime):
                moment = datetime.combine(moment, time(0), ZONE)
            elif moment.tzinfo is None:
                moment = moment.replace(tzinfo=ZONE)
            found.add((moment.astimezone(UTC), str(occurrence.get("UID"))))
    return found


def _week_of(result: tuple) -> set[tuple[datetime, str]]:
    return {(start.astimezone(UTC), uid) for start, _, uid, _ in result[2]}


def _same_everywhere(data: bytes, signatures=(), monday: date = WEEK) -> None:
    """fast (with the call horizon) == full parse, and the full parse's week == plain
    recurring-ical-events'."""
    signatures = list(signatures)
    full = read_calls(data, monday, signatures, fast=False)
    assert _week_of(full) == _plain_week(data, monday)
    assert read_calls(data, monday, signatures, fast=True) == full


def _week_list(data: bytes, fast: bool, signatures=()) -> list[tuple]:
    """The week's events as a sorted list (a duplicate shows), over week + call horizon."""
    reading = read_week_and_horizon(data, WEEK, list(signatures), fast)
    start = datetime.combine(WEEK, time(0), ZONE)
    end = start + timedelta(days=7)
    return sorted(
        (e.start.astimezone(UTC), e.end.astimezone(UTC), e.uid, e.free_reason)
        for e in reading.events
        if e.start < end and e.end > start
    )


# ---------------------------------------------------------------------------------------
# Shortcut 3: prefilter._monthly_misses (raw text, before parsing)

_TWO_RULES = """
UID:two-rules
DTSTAMP:20260101T000000Z
DTSTART:20260908T150000Z
DTEND:20260908T160000Z
RRULE:FREQ=MONTHLY;BYDAY=3WE
SECOND_RULE
SUMMARY:standup
"""


@pytest.mark.parametrize(
    "second",
    [
        pytest.param("RRULE;X-A=1:FREQ=WEEKLY", id="second-rule-with-a-parameter"),
        pytest.param("RRULE:FREQ=WEEK\n LY", id="second-rule-folded-in-its-value"),
    ],
)
def test_a_monthly_series_with_a_second_rule_the_text_pass_cannot_read_is_kept(second):
    """MONTHLY;BYDAY=3WE (18 Nov, 16 Dec: no day in the week widened to 28 Nov..9 Dec)
    plus a second RRULE FREQ=WEEKLY that _RRULE does not match (it needs 'RRULE:' and an
    unfolded line), so len(rules) == 1 and the series is judged by the monthly rule alone.
    The parser reads both rules (a list: series_window leaves it alone). Full and plain:
    'two-rules' Tue 2026-12-01 15:00Z; fast: nothing."""
    _same_everywhere(_calendar(_TWO_RULES.replace("SECOND_RULE", second)))


@pytest.mark.parametrize(
    "second",
    [
        pytest.param("RRULE;X-A=1:FREQ=WEEKLY", id="second-rule-with-a-parameter"),
        pytest.param("RRULE:FREQ=WEEK\n LY", id="second-rule-folded-in-its-value"),
    ],
)
def test_a_series_whose_one_readable_rule_ended_is_kept_for_its_second_rule(second):
    """The same blind spot in the ended-series test (_series_ends_before, through the one
    rule reading they share): UNTIL in 2020 on the rule it reads, a weekly second rule it
    does not see. Full and plain: 'two-rules' on Tue 2026-12-01; fast dropped it."""
    ended = _TWO_RULES.replace("RRULE:FREQ=MONTHLY;BYDAY=3WE", "RRULE:FREQ=DAILY;UNTIL=20200101")
    _same_everywhere(_calendar(ended.replace("SECOND_RULE", second)))


def test_x_wr_timezone_moving_a_utc_start_into_the_next_month_shifts_the_interval():
    """DTSTART:20260131T160000Z with X-WR-TIMEZONE:Asia/Tokyo is read as Sun 1 Feb 01:00
    JST (x_wr_timezone converts UTC times), so INTERVAL=2 runs Feb, Apr, ..., Dec, and
    BYDAY=1TU falls on Tue 1 Dec 01:00 JST = 30 Nov 16:00Z. The text pass counts from
    January (Jan, Mar, ..., Nov, Jan: 3 Nov, 5 Jan) and drops the series as missing the week.
    Full and plain: 'xwr' 2026-11-30 16:00Z; fast: nothing."""
    event = """
UID:xwr
DTSTAMP:20260101T000000Z
DTSTART:20260131T160000Z
DTEND:20260131T170000Z
RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU
SUMMARY:bi-monthly
"""
    data = _calendar(event).replace(
        b"PRODID:-//attack//attack//EN\r\n",
        b"PRODID:-//attack//attack//EN\r\nX-WR-TIMEZONE:Asia/Tokyo\r\n",
    )
    _same_everywhere(data)


_WEEKLY_DUP = _series("dup", "20260908", "FREQ=WEEKLY", "weekly")
_MONTHLY_DUP = """
UID:dup
DTSTAMP:20260101T000000Z
SEQUENCE:2
DTSTART:20260916T150000Z
DTEND:20260916T160000Z
RRULE:FREQ=MONTHLY;BYDAY=3WE
SUMMARY:monthly
"""
_SINGLE_DUP = """
UID:dup
DTSTAMP:20260101T000000Z
DTSTART:20261201T150000Z
DTEND:20261201T160000Z
SUMMARY:single in the week
"""


@pytest.mark.parametrize(
    "events",
    [
        pytest.param((_WEEKLY_DUP, _MONTHLY_DUP), id="weekly-then-monthly-with-higher-sequence"),
        pytest.param(
            (_MONTHLY_DUP.replace("SEQUENCE:2\n", ""), _WEEKLY_DUP),
            id="monthly-first-equal-sequence",
        ),
        pytest.param(
            (_SINGLE_DUP, _MONTHLY_DUP),
            id="single-in-week-then-monthly-master",
        ),
    ],
)
def test_a_monthly_master_the_parser_takes_as_core_is_not_dropped_before_parsing(events):
    """Two masters share UID 'dup'; recurring-ical-events keeps one (highest SEQUENCE, the
    first on a tie): the monthly 3WE one, which has no day in the week. The monthly one is
    not over (unlike the known ended-series case): it runs on, and _monthly_misses drops it
    as missing the week, so the weekly master (or the single event) takes its place.
    Full and plain: nothing; fast: 'dup' 2026-12-01 15:00Z."""
    _same_everywhere(_calendar(*events))


def test_a_call_of_a_master_the_parser_ignores_is_not_found():
    """UID 'u1': master A 'Lunch' (SEQUENCE:3, MONTHLY 1TH INTERVAL=2 from 30 Oct: 3 Dec,
    4 Feb) and master B 'Zeta review' (monthly 3SU from 17 Jan 2027). The parser takes A
    (higher SEQUENCE): no call. Reading the week of 7 Dec, the text pass drops A (no day
    in 5..16 Dec, no account named), so B is the core and its 17 Jan occurrence is a call.
    Full: calls {}; fast: {1: 2027-01-17 16:30 Pago_Pago 'Zeta review'}."""
    a = """
UID:u1
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20261030
RRULE:FREQ=MONTHLY;BYDAY=1TH;INTERVAL=2;COUNT=5
SEQUENCE:3
SUMMARY:Lunch
"""
    b = """
UID:u1
DTSTAMP:20260101T000000Z
DTSTART;TZID=Pacific/Pago_Pago:20270117T163000
DURATION:PT0S
RRULE:FREQ=MONTHLY;BYDAY=3SU
SUMMARY:Zeta review
"""
    _same_everywhere(_calendar(a, b), ZETA, monday=date(2026, 12, 7))


# ---------------------------------------------------------------------------------------
# Shortcut 2: series_window.without_missing_series (after parsing, before expanding)

_MONTHLY_CORE = """
UID:nest
DTSTAMP:20260101T000000Z
SEQUENCE:1
DTSTART:20260916T150000Z
DTEND:20260916T160000Z
RRULE:FREQ=MONTHLY;BYDAY=3WE
SUMMARY:monthly
"""
_NESTED_SINGLE = (
    "BEGIN:VEVENT\r\nUID:nest\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T150000Z\r\n"
    "DTEND:20261201T160000Z\r\nSUMMARY:nested single\r\nEND:VEVENT\r\n"
)


def _with_nested(container: str) -> bytes:
    data = _calendar(
        _MONTHLY_CORE,
        "UID:other\nDTSTAMP:20260101T000000Z\n"
        "DTSTART:20260101T150000Z\nDTEND:20260101T160000Z\nSUMMARY:old",
    )
    if container == "VTODO":
        block = (
            "BEGIN:VTODO\r\nUID:todo\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:todo\r\n"
            + _NESTED_SINGLE
            + "END:VTODO\r\n"
        )
        return data.replace(b"END:VCALENDAR", block.encode() + b"END:VCALENDAR")
    # inside another top-level VEVENT, after its own lines
    return data.replace(b"SUMMARY:old\r\n", b"SUMMARY:old\r\n" + _NESTED_SINGLE.encode())


@pytest.mark.parametrize("container", ["VTODO", "VEVENT"])
def test_a_master_left_out_as_missing_does_not_promote_a_nested_event_of_its_uid(container):
    """A top-level MONTHLY 3WE master 'nest' (SEQUENCE:1; no day in the week) and a VEVENT
    with UID 'nest' nested in a VTODO (or in another VEVENT), a single event in the week,
    SEQUENCE 0. recurring-ical-events walks both into one series and keeps the master as
    core: nothing in the week. series_window sees one top-level 'nest', leaves the master
    out, and the nested event is then a series of its own. Read over 7 days (no horizon),
    fast=True and fast=False both: 'nest' 2026-12-01 15:00Z; plain recurring-ical-events:
    nothing."""
    data = _with_nested(container)
    plain = _plain_week(data)
    assert plain == set()
    for fast in (True, False):
        read = spans(data, WEEK, fast)
        assert {(s.astimezone(UTC), uid) for s, _, uid, *_ in read} == plain


# ---------------------------------------------------------------------------------------
# Shortcut 1: week_only_series + _parted (a series read over the week alone)

_TEAM = _series("team", "20261005", "FREQ=WEEKLY", "Team sync")


def _with_vtodo_event(uid: str, summary: str, extra: str = "") -> bytes:
    data = _calendar(_TEAM.replace("SUMMARY:", extra + "SUMMARY:") if extra else _TEAM)
    block = (
        "BEGIN:VTODO\r\nUID:todo\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:todo\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART:20261202T180000Z\r\nDTEND:20261202T190000Z\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VTODO\r\n"
    )
    return data.replace(b"END:VCALENDAR", block.encode() + b"END:VCALENDAR")


def test_an_event_inside_a_vtodo_is_read_once():
    """A week-only series 'team' makes _expand part the calendar; the VTODO holding VEVENT
    'inner' (2 Dec 18:00Z) goes into both halves and recurring-ical-events walks into it
    in each. Full and plain: 'inner' once; fast: the same event twice in reading.events."""
    data = _with_vtodo_event("inner", "inner")
    assert _week_list(data, fast=True) == _week_list(data, fast=False)


def test_a_nested_event_of_a_week_only_series_stays_in_its_series():
    """Top-level weekly 'team' (SEQUENCE:3, no account named: week-only) and, inside a
    VTODO, a single VEVENT with UID 'team' on 2 Dec 18:00Z (SEQUENCE 0). recurring-ical-
    events groups them and keeps the master as core, so the single one never shows. In the
    'rest' half the nested one is alone and shows. Full and plain: 'team' 30 Nov 15:00Z
    only; fast: also 'team' 2026-12-02 18:00Z."""
    _same_everywhere(_with_vtodo_event("team", "old copy", extra="SEQUENCE:3\n"))


def _ticker(uid: str) -> str:
    minutes = ",".join(str(m) for m in range(0, 60, 5))  # 12 a hour: not a runaway rule
    return f"""
UID:{uid}
DTSTAMP:20260101T000000Z
DTSTART:20261001T000000Z
DURATION:PT1M
RRULE:FREQ=HOURLY;BYMINUTE={minutes}
SUMMARY:ticker {uid}
"""


@pytest.mark.slow  # 20,000 occurrences expanded
def test_a_week_only_series_counts_toward_the_occurrence_bound_for_the_week_alone():
    """Three series every 5 minutes (288 a day), none a call. Read over the week alone
    (week_only_series), they make 6,048 occurrences, under the bound of 20,000: every one
    is there, as plain recurring-ical-events gives the week. The full parse expands them
    over the call horizon too, meets the bound inside 'b' and says so ('c' is not read):
    the bound counts what is expanded, and the fast reading expands less."""
    data = _calendar(_ticker("a"), _ticker("b"), _ticker("c"))
    fast = _week_list(data, fast=True)
    assert len(fast) == len(_plain_week(data)) == 3 * 7 * 288
    full = read_week_and_horizon(data, WEEK, [], fast=False)
    assert any("more than" in warning for warning in full.warnings)


# ---------------------------------------------------------------------------------------
# Guards that held (cheap)


@pytest.mark.parametrize(
    ("rid", "moved_to", "range_"),
    [
        ("20261221T150000Z", "20261202T170000Z", ";RANGE=THISANDFUTURE"),
        ("20261221T150000Z", "20261202T170000Z", ""),
        ("20270201T150000Z", "20261203T170000Z", ""),
        ("20261130T150000Z", "20261215T170000Z", ""),
        ("20261116T150000Z", "20261201T090000Z", ";RANGE=THISANDFUTURE"),
    ],
)
def test_a_week_only_series_override_moving_across_the_week_end(rid, moved_to, range_):
    override = f"""
UID:team
DTSTAMP:20260101T000000Z
RECURRENCE-ID{range_}:{rid}
DTSTART:{moved_to}
DURATION:PT1H
SUMMARY:Team sync moved
"""
    _same_everywhere(_calendar(_TEAM, override), ZETA)


def test_a_repeated_byday_part_is_read_as_the_parser_reads_it():
    """'BYDAY=1TU;BYDAY=3WE': icalendar and the text pass both keep the last (3WE)."""
    event = _TWO_RULES.replace("SECOND_RULE\n", "").replace("BYDAY=3WE", "BYDAY=1TU;BYDAY=3WE")
    _same_everywhere(_calendar(event))
    event = _TWO_RULES.replace("SECOND_RULE\n", "").replace("BYDAY=3WE", "BYDAY=3WE;BYDAY=1TU")
    _same_everywhere(_calendar(event))


def _read_with(data: bytes, signatures, cache):
    start = datetime.combine(WEEK, time(0), ZONE)
    end = start + timedelta(days=7)
    reading = read_calendars(
        [CalendarSource("x.ics", data)],
        start,
        end + timedelta(days=CALL_HORIZON_DAYS),
        ZONE,
        ME,
        horizon=CallHorizon(end, CallText(signatures).may_be_call),
        series_cache=cache,
    )
    calls = next_calls(reading.events, signatures, start, ME).calls
    return sorted((e.start, e.uid) for e in reading.events), {
        i: (c.start, c.summary) for i, c in calls.items()
    }


def test_a_warm_cache_follows_accounts_that_name_a_series_by_attendee_or_override(tmp_path):
    third_wednesday = _TEAM.replace("RRULE:FREQ=WEEKLY", "RRULE:FREQ=MONTHLY;BYDAY=3WE")
    by_attendee = third_wednesday.replace("SUMMARY:", "ATTENDEE:mailto:bob@zeta.example\nSUMMARY:")
    override = """
UID:team
DTSTAMP:20260101T000000Z
RECURRENCE-ID:20261216T150000Z
DTSTART:20261217T150000Z
DURATION:PT1H
SUMMARY:Zeta
"""
    renamed = [AccountSignature(1, ("Team sync",), ())]
    for data in (_calendar(_TEAM), _calendar(by_attendee), _calendar(third_wednesday, override)):
        cache = SeriesCache(tmp_path / f"series{len(data)}")
        for signatures in ([], ZETA, renamed, [], ZETA):
            assert _read_with(data, signatures, cache) == _read_with(data, signatures, None)


@pytest.mark.parametrize(
    ("offset", "end_line"),
    [
        ("+2359", "DTEND;TZID=Far West:20250915T000000"),
        ("-2359", "DTEND;TZID=Far East:20250916T230000"),
        ("+1345", "DURATION:PT49H"),
    ],
)
def test_series_window_with_custom_zones_far_apart(offset, end_line):
    """Custom VTIMEZONEs at +23:59 / -23:59 and an end in the other one: judged by instants,
    so no series judged missing has an occurrence (checked for a year of weeks)."""
    zones = (
        "BEGIN:VTIMEZONE\r\nTZID:Far East\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Far West\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZOFFSETFROM:-2359\r\nTZOFFSETTO:-2359\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    event = (
        "BEGIN:VEVENT\r\nUID:s\r\nDTSTAMP:20250101T000000Z\r\n"
        "DTSTART;TZID=Far East:20250915T000000\r\n"
        f"{end_line}\r\nRRULE:FREQ=MONTHLY;BYDAY=3MO,-1SU\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
    )
    text = (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{zones}{event}END:VCALENDAR\r\n"
    )
    calendar = icalendar.Calendar.from_ical(text)
    (parsed,) = calendar.walk("VEVENT")
    for zone in (ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Etc/GMT+12")):
        for week in range(0, 52, 3):
            start = datetime.combine(date(2025, 10, 6) + timedelta(weeks=week), time(0), zone)
            end = start + timedelta(days=7)
            if misses(parsed, start, end):
                assert list(recurring_ical_events.of(calendar).between(start, end)) == []
