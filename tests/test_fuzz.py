"""Fuzzing the two readers of outside files: CSV remarks and .ics busy time.

Whatever the bytes, the answer is a result or a one-line BadInput, never a crash.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.errors import BadInput
from focusblock.remark_input import parse_remarks_csv
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow  # hundreds of generated inputs per test

TODAY = date(2026, 11, 25)
ZONE = ZoneInfo("America/New_York")
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
HEADERS = st.sampled_from(
    ["account", "text", "who", "on", "via", "lens", "Account Name", "Note", "Date", "junk", ""]
)


def _check_csv(raw: bytes) -> None:
    try:
        parsed = parse_remarks_csv(raw, "fuzz.csv", TODAY)
    except BadInput as exc:
        assert str(exc).startswith("fuzz.csv")
        assert "\n" not in str(exc).strip() or exc.details
        return
    for row in parsed.rows:
        assert row.text.strip() and row.account.strip()


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_csv_reader_survives_random_bytes(raw):
    _check_csv(raw)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(HEADERS, min_size=1, max_size=7),
    st.lists(st.lists(CELL, max_size=8), max_size=12),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_csv_reader_survives_random_tables(headers, rows, sep, bom):
    def cell(value: str) -> str:
        return (
            '"' + value.replace('"', '""') + '"'
            if any(c in value for c in f'"\n\r{sep}')
            else value
        )

    lines = [sep.join(cell(h) for h in headers)] + [sep.join(cell(c) for c in row) for row in rows]
    raw = ("\r\n".join(lines)).encode("utf-8")
    _check_csv((b"\xef\xbb\xbf" if bom else b"") + raw)


def test_formula_cells_stay_text():
    raw = b'account,text\nAcme,"=HYPERLINK(""http://x"",""y"")"\nAcme,+SUM(A1:A9)\n'
    parsed = parse_remarks_csv(raw, "f.csv", TODAY)
    assert [r.text for r in parsed.rows] == ['=HYPERLINK("http://x","y")', "+SUM(A1:A9)"]


def test_ten_megabyte_cell_is_a_row_error_not_a_crash():
    raw = b"account,text\nAcme," + b"x" * (10 * 1024 * 1024) + b"\nAcme,fine\n"
    try:
        parse_remarks_csv(raw, "big.csv", TODAY)
    except BadInput as exc:
        assert exc.details and "row 2: text" in exc.details[0]
    else:
        raise AssertionError("a 10 MB remark must be refused")


EXAMPLE = (EXAMPLES / "calendar.ics").read_bytes()


def _read(data: bytes) -> None:
    try:
        read_calendars(
            [CalendarSource("fuzz.ics", data)],
            datetime(2026, 11, 30, tzinfo=ZONE),
            datetime(2026, 12, 7, tzinfo=ZONE),
            ZONE,
            "alex.morgan@example.com",
        )
    except BadInput as exc:
        assert str(exc).startswith("fuzz.ics: ")
        assert "\n" not in str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(EXAMPLE)))
def test_busy_reader_survives_truncation(cut):
    _read(EXAMPLE[:cut])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(EXAMPLE)), st.binary(min_size=1, max_size=12)),
        min_size=1,
        max_size=6,
    )
)
def test_busy_reader_survives_random_damage(edits):
    data = bytearray(EXAMPLE)
    for position, junk in edits:
        data[position : position + len(junk)] = junk
    _read(bytes(data))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(EXAMPLE.split(b"\r\n")), max_size=80))
def test_busy_reader_survives_shuffled_lines(lines):
    _read(b"\r\n".join(lines))


def test_deeply_nested_and_year_9999_and_unknown_zone():
    nested = (
        b"BEGIN:VCALENDAR\r\n"
        + b"BEGIN:X-BOX\r\n" * 5000
        + b"END:X-BOX\r\n" * 5000
        + b"END:VCALENDAR\r\n"
    )
    _read(nested)
    odd = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:far\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:99991231T100000Z\r\n"
        b"DTEND:99991231T110000Z\r\nSUMMARY:Far future\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:zone\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;TZID=Mars/Olympus_Mons:20261201T100000\r\nDTEND;TZID=Mars/Olympus_Mons:20261201T110000\r\n"
        b"SUMMARY:Unknown zone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    reading = read_calendars(
        [CalendarSource("odd.ics", odd)],
        datetime(2026, 11, 30, tzinfo=ZONE),
        datetime(2026, 12, 7, tzinfo=ZONE),
        ZONE,
    )
    summaries = [e.summary for e in reading.events]
    assert "Unknown zone" in summaries and "Far future" not in summaries
    assert any("unknown time zone 'Mars/Olympus_Mons'" in w for w in reading.warnings)
