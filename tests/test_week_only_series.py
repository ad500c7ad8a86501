"""After the planned week only calls matter: a recurring series that can be no account's
call (nor one of our blocks) is expanded over the week alone, and reads the same week and
the same calls as a full parse; the series cache never hands such a series' week-only
occurrences to a reading in which it may be a call."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from focusblock.calendar.calls import AccountSignature, CallText, next_calls
from focusblock.calendar.prefilter import CallHorizon, week_only_series
from focusblock.calendar.series_cache import SeriesCache
from focusblock.calendar.writing import UID_SUFFIX
from tests.test_call_horizon import read_calls, read_week_and_horizon
from tests.test_prefilter_attack import _calendar

ZONE = ZoneInfo("America/New_York")
ME = "me@example.com"
MONDAY = date(2026, 11, 30)
START = datetime.combine(MONDAY, time(0), ZONE)
WEEK_END = START + timedelta(days=7)
ZETA = [AccountSignature(1, ("Zeta",), ("zeta.example",))]


def _series(uid: str, first: str, rule: str, title: str) -> str:
    return f"""
UID:{uid}
DTSTAMP:20260101T000000Z
DTSTART:{first}T150000Z
DTEND:{first}T160000Z
RRULE:{rule}
SUMMARY:{title}
"""


# weekly, from before the week to long after it
TEAM = _series("team@example.com", "20261005", "FREQ=WEEKLY", "Team sync")
# monthly on the 15th: its next occurrence after the week is 15 December
REVIEW = _series("review@example.com", "20260915", "FREQ=MONTHLY", "Zeta review")


def _read(data: bytes, signatures: list[AccountSignature], cache: SeriesCache | None = None):
    return read_week_and_horizon(data, MONDAY, signatures, cache=cache)


def _summaries_after_the_week(reading) -> set[str]:
    return {e.summary for e in reading.events if e.start >= WEEK_END}


def test_a_series_no_account_names_is_read_for_the_week_alone():
    data = _calendar(TEAM, REVIEW)
    reading = _read(data, ZETA)
    assert _summaries_after_the_week(reading) == {"Zeta review"}
    assert {e.summary for e in reading.events if e.start < WEEK_END} == {"Team sync"}
    assert read_calls(data, MONDAY, ZETA, fast=True) == read_calls(data, MONDAY, ZETA, fast=False)


def test_an_override_naming_an_account_keeps_its_series_beyond_the_week():
    """One moved occurrence is titled with the account: the whole series may be a call."""
    override = """
UID:team@example.com
DTSTAMP:20260101T000000Z
RECURRENCE-ID:20261214T150000Z
DTSTART:20261215T150000Z
DTEND:20261215T160000Z
SUMMARY:Team sync with Zeta
"""
    data = _calendar(TEAM, override)
    assert week_only_series(data, CallHorizon(WEEK_END, CallText(ZETA).may_be_call)) == set()
    reading = _read(data, ZETA)
    assert "Team sync with Zeta" in _summaries_after_the_week(reading)
    assert read_calls(data, MONDAY, ZETA, fast=True) == read_calls(data, MONDAY, ZETA, fast=False)


def test_one_of_our_blocks_made_weekly_is_read_beyond_the_week():
    ours = TEAM.replace("team@example.com", f"w49-1{UID_SUFFIX}").replace("Team sync", "Focus")
    reading = _read(_calendar(ours), [])
    assert _summaries_after_the_week(reading) == {"Focus"}


@pytest.mark.parametrize(
    "uid_line",
    [
        pytest.param("UID:a\\,b", id="escaped"),
        pytest.param("UID;X-P=1:team", id="with-a-parameter"),
        pytest.param("UID:te\r\n am", id="folded"),
        pytest.param("UID:two words", id="with-a-space"),
        pytest.param("UID:café", id="not-ascii"),
    ],
)
def test_a_uid_read_otherwise_by_the_parser_turns_it_off_for_the_file(uid_line):
    """Which events make one series is the parser's to say when a UID is not plain: then
    every series is read over the whole horizon, as before."""
    other = TEAM.replace("UID:team@example.com", uid_line)
    data = _calendar(TEAM, other)
    assert week_only_series(data, CallHorizon(WEEK_END, CallText(ZETA).may_be_call)) == set()
    assert read_calls(data, MONDAY, ZETA, fast=True) == read_calls(data, MONDAY, ZETA, fast=False)


def test_a_cached_series_is_read_again_once_an_account_makes_it_a_call(tmp_path):
    """Read first with no account, the review is cached with its week's occurrences (none);
    once the account Zeta exists, the same cache must not hide its call on 15 December."""
    data = _calendar(TEAM, REVIEW)
    cache = SeriesCache(tmp_path / "series")
    assert _summaries_after_the_week(_read(data, [], cache)) == set()
    reading = _read(data, ZETA, cache)
    calls = next_calls(reading.events, ZETA, START, ME).calls
    assert calls[1].start == datetime(2026, 12, 15, 15, 0, tzinfo=ZoneInfo("UTC"))
    # and the other way round: a series cached with its calls is read again for the week
    assert _summaries_after_the_week(_read(data, [], cache)) == set()


def test_a_monthly_call_after_the_week_is_found_though_it_misses_the_week():
    """The third Tuesday misses the week (series_window) but not the horizon: a call."""
    third_tuesday = REVIEW.replace("RRULE:FREQ=MONTHLY", "RRULE:FREQ=MONTHLY;BYDAY=3TU")
    data = _calendar(TEAM, third_tuesday)
    calls = next_calls(_read(data, ZETA).events, ZETA, START, ME).calls
    assert calls[1].start.date() == date(2026, 12, 15)
    assert _summaries_after_the_week(_read(data, [])) == set()
    assert read_calls(data, MONDAY, ZETA, fast=True) == read_calls(data, MONDAY, ZETA, fast=False)
