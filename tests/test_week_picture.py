"""The week at a glance: the model read from a real .ics, and the terminal's week strip.

The model tests parse real iCalendar text with the real reader; the strip tests build the
week from known events and check where each marker lands, the width, and that no colour
escape and no markup gets through when it must not.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from rich.cells import cell_len
from rich.console import Console

from focusblock.calendar.events import CalendarEvent
from focusblock.calendar.reading import CalendarSource, read_calendars
from focusblock.cli.week_strip import LABEL_WIDTH, account_letters, print_week_strip, strip_lines
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.plan.glance import (
    BusyEvent,
    SpanKind,
    WeekBusy,
    cover_grid,
    week_busy,
    week_glance,
)
from focusblock.store.views import AccountFacts
from tests.conftest import EXAMPLES

ZONE = ZoneInfo("America/New_York")
WEEK = Week(datetime(2026, 11, 30).date())  # Monday 30 Nov 2026
HOURS = Settings(timezone=ZONE.key)  # Monday to Friday, 9:00 to 17:00
HOSTILE = "[/bold]Evil \x1b[31mRed\x1b[0m"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, tzinfo=ZONE) + timedelta(days=day)


def event(start, end, summary, private=False, free=None):
    return CalendarEvent(start, end, False, summary, summary, "test.ics", (), free, private)


def account(account_id, name, aliases=(), next_call=None):
    return AccountFacts(
        account_id, name, "pending", None, None, None, stored_next_call=next_call,
        aliases=aliases,
    )  # fmt: skip


def known_week():
    """Mon: busy 10:00-11:00. Tue: Acme's block 09:00-10:30. Wed: call with Acme 14:00-14:30
    and Bolt's block 15:00-16:00. Thu: a private meeting 09:00-09:30."""
    busy = WeekBusy(
        (
            BusyEvent(event(at(0, 10), at(0, 11), "Team meeting")),
            BusyEvent(event(at(2, 14), at(2, 14, 30), "Acme review"), ("Acme",)),
            BusyEvent(event(at(3, 9), at(3, 9, 30), PRIVATE_TITLE_SOURCE, private=True)),
        )
    )
    blocks = [("Acme", at(1, 9), at(1, 10, 30)), ("Bolt", at(2, 15), at(2, 16))]
    return week_glance(WEEK, HOURS, busy, blocks)


PRIVATE_TITLE_SOURCE = "Doctor: the secret one"


def bar(line) -> str:
    return line.plain[LABEL_WIDTH : LABEL_WIDTH + 32]


def test_markers_are_where_the_events_are():
    lines = strip_lines(known_week(), 80, colour=False)
    days = {line.plain[:10]: line for line in lines if line.plain[:3] in ("Mon", "Tue", "Wed")}
    monday, tuesday, wednesday = days["Mon 30 Nov"], days["Tue 01 Dec"], days["Wed 02 Dec"]
    # one character per 15 minutes from 09:00: 10:00-11:00 is characters 4-7
    assert bar(monday) == "····" + "####" + "·" * 24
    assert bar(tuesday) == "AAAAAA" + "·" * 26
    assert bar(wednesday)[20:22] == "!!" and bar(wednesday)[24:28] == "BBBB"
    assert set(bar(wednesday)[:20]) == {"·"}
    assert "! 14:00 Acme" in wednesday.plain
    thursday = next(line for line in lines if line.plain.startswith("Thu"))
    assert bar(thursday).startswith("##··"), "a private meeting is busy time like any other"
    ruler = lines[0].plain
    assert ruler[LABEL_WIDTH] == "9" and ruler[LABEL_WIDTH + 4 : LABEL_WIDTH + 6] == "10"
    key = "\n".join(line.plain for line in lines if line.plain.startswith(("Key:", "    ")))
    assert "# busy" in key and "! call" in key and "A Acme" in key and "B Bolt" in key


def test_a_private_event_shows_as_busy_and_never_as_a_call():
    thursday = known_week().days[3]
    (span,) = thursday.spans
    assert span.kind is SpanKind.BUSY and span.title == "busy" and span.accounts == ()
    assert PRIVATE_TITLE_SOURCE not in repr(known_week())


def test_every_line_fits_80_columns_with_long_days_and_many_accounts():
    names = [f"Account with a very long name number {n} GmbH & Co. KG" for n in range(12)]
    blocks = [(name, at(n % 5, 7) + timedelta(hours=n // 5), at(n % 5, 8)) for n, name in
              enumerate(names)]  # fmt: skip
    long_day = Settings(
        timezone=ZONE.key, work_start=time(5), work_end=time(23)
    )  # 72 quarter hours: too wide
    calls = tuple(
        BusyEvent(event(at(0, 9 + n), at(0, 9 + n, 30), "call"), (names[n],)) for n in range(6)
    )
    glance = week_glance(WEEK, long_day, WeekBusy(calls), blocks)
    for colour in (False, True):
        lines = strip_lines(glance, 80, colour=colour)
        assert all(line.cell_len <= 80 for line in lines), [line.plain for line in lines]
    monday = lines[1].plain
    # 30 minutes a character once 15 would not fit: 36 characters, then the calls' note
    assert set(monday[LABEL_WIDTH : LABEL_WIDTH + 36]) <= {"·", "◆", "A", "F", "K"}
    assert monday[LABEL_WIDTH + 36 : LABEL_WIDTH + 39] == "  ◆"
    assert monday.endswith("…"), "the notes of many calls are cut, never wrapped"


def test_letters_are_the_initial_when_free_and_distinct_always():
    letters = account_letters(["Kestrel", "Kelp", "Kite", "Öland", "123"])
    assert letters["Kelp"] == "K" and letters["Kestrel"] == "E"  # by name, not block order
    assert letters["Kite"] == "I"  # K and E taken
    assert len(set(letters.values())) == 5


def test_an_account_keeps_its_letter_when_its_blocks_move():
    monday_first = account_letters(["Kestrel", "Kelp", "Kite"])
    blocks_moved = account_letters(["Kite", "Kelp", "Kestrel"])
    assert monday_first == blocks_moved
    assert list(blocks_moved) == ["Kite", "Kelp", "Kestrel"]  # the key keeps the week's order


def test_hostile_names_are_shown_as_text(monkeypatch):
    busy = WeekBusy((BusyEvent(event(at(0, 10), at(0, 11), HOSTILE), (HOSTILE,)),))
    glance = week_glance(WEEK, HOURS, busy, [(HOSTILE, at(1, 9), at(1, 10))])
    plain = "\n".join(line.plain for line in strip_lines(glance, 80, colour=False))
    assert "\x1b" not in plain
    assert "[/bold]Evil \\x1b[31mRed\\x1b[0m" in plain
    # in colour, rich draws its own escapes, yet the name stays text: no markup, no raw ESC
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=80)
    for line in strip_lines(glance, 80, colour=True):
        console.print(line, soft_wrap=True)
    assert "[/bold]Evil \\x1b[31mRed\\x1b[0m" in out.getvalue()
    assert "\x1b[31mRed" not in out.getvalue()


@pytest.mark.parametrize(("environ", "escapes"), [({}, True), ({"NO_COLOR": "1"}, False)])
def test_colour_only_on_a_colour_terminal_without_no_color(monkeypatch, capsys, environ, escapes):
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich takes this stdout for a terminal
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    print_week_strip(known_week())
    out = capsys.readouterr().out
    assert ("\x1b[" in out) is escapes
    assert ("▒" in out) is escapes and ("#" in out) is not escapes  # the plain characters
    assert all(cell_len(line) <= 80 for line in out.splitlines() if "\x1b" not in line)


def test_not_a_terminal_gets_plain_characters_at_80_columns(capsys, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal setting, yet output goes to a file
    print_week_strip(known_week())
    out = capsys.readouterr().out
    assert "\x1b" not in out and "AAAAAA" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:private
DTSTART;TZID=America/New_York:20261130T100000
DTEND;TZID=America/New_York:20261130T110000
SUMMARY:Acme: secret merger talk
CLASS:PRIVATE
END:VEVENT
BEGIN:VEVENT
UID:confidential
DTSTART;TZID=America/New_York:20261130T130000
DTEND;TZID=America/New_York:20261130T133000
SUMMARY:Salary review
CLASS:CONFIDENTIAL
END:VEVENT
BEGIN:VEVENT
UID:call
DTSTART;TZID=America/New_York:20261201T080000
DTEND;TZID=America/New_York:20261201T090000
SUMMARY:Quarterly review with Acme
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTART;TZID=America/New_York:20261201T140000
DTEND;TZID=America/New_York:20261201T150000
SUMMARY:Cancelled thing
STATUS:CANCELLED
END:VEVENT
BEGIN:VEVENT
UID:free
DTSTART;TZID=America/New_York:20261201T150000
DTEND;TZID=America/New_York:20261201T160000
SUMMARY:Free thing
TRANSP:TRANSPARENT
END:VEVENT
BEGIN:VEVENT
UID:ours
DTSTART;TZID=America/New_York:20261202T100000
DTEND;TZID=America/New_York:20261202T110000
SUMMARY:Focus: Acme
X-FOCUSBLOCK:1
END:VEVENT
END:VCALENDAR
"""


def test_model_from_a_real_calendar_hides_private_titles_and_free_events():
    zone = ZONE
    reading = read_calendars(  # the event with UID "ours" is a block the store wrote
        [CalendarSource("cal.ics", ICS.encode())],
        WEEK.start(zone),
        WEEK.end(zone),
        zone,
        ours={"ours"},
    )
    acme = account(1, "Acme", next_call=at(3, 16))
    busy = week_busy(reading.events, WEEK.start(zone), WEEK.end(zone), [acme])
    glance = week_glance(WEEK, HOURS, busy)
    spans = [(d.day.isoformat(), s.kind.value, s.title, s.accounts) for d in glance.days
             for s in d.spans]  # fmt: skip
    assert spans == [
        ("2026-11-30", "busy", "busy", ()),
        ("2026-11-30", "busy", "busy", ()),
        ("2026-12-01", "call", "Quarterly review with Acme", ("Acme",)),
        ("2026-12-03", "call", "call with Acme", ("Acme",)),  # the account's own --next-call
    ]
    # the 08:00 call widens the shown hours of every day, the working hours stay
    assert all(d.start.time() == time(8) and d.work_start.time() == time(9) for d in glance.days)
    assert "secret" not in repr(glance) and "Salary" not in repr(glance)


def test_busy_grid_prints_the_strip_of_the_example_week(example_store):
    out = example_store("busy", "--busy", str(EXAMPLES / "calendar.ics"), "--grid").stdout
    assert "\x1b" not in out
    lines = out.splitlines()
    wednesday = next(line for line in lines if line.startswith("Wed 02 Dec"))
    # the Kestrel call at 08:00-09:30 opens the day: the shown hours start at 08:00
    assert wednesday[LABEL_WIDTH : LABEL_WIDTH + 6] == "!!!!!!"
    assert "! 08:00 Kestrel Robotics" in wednesday
    assert [line[:10] for line in lines[1:6]] == [
        "Mon 30 Nov", "Tue 01 Dec", "Wed 02 Dec", "Thu 03 Dec", "Fri 04 Dec"
    ]  # fmt: skip
    assert all(cell_len(line) <= 80 for line in lines)
    assert "Sales stand-up" not in out  # the strip has no titles; the table has them


def test_busy_grid_and_json_together_are_a_usage_error(example_store):
    result = example_store("busy", "--grid", "--json", code=2)
    assert "--grid and --json" in result.stderr


def test_plan_prints_the_strip_under_its_table_in_plain_characters(example_store, tmp_path):
    out = example_store(
        "plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(tmp_path / "f.ics")
    ).stdout
    assert "\x1b" not in out
    table_end = out.index("Nordwind Logistik GmbH  2026-12-04")  # the table's last row
    assert "└" not in out  # piped: an aligned table, no box lines
    strip = out.index("Mon 30 Nov     ")
    assert table_end < strip < out.index("Left out")
    tuesday = next(line for line in out.splitlines() if line.startswith("Tue 01 Dec"))
    assert "KKKKKK" in tuesday and "OOOO" in tuesday
    assert "K Kestrel Robotics" in out


def test_the_glance_takes_calls_as_the_plan_does():
    """A title ruled out with --not-call, and a title naming two accounts with no attendee
    of either, are no call in the plan; the strip and the cover must not draw them as one."""
    from dataclasses import replace

    from focusblock.plan.busy import find_calls

    kestrel = replace(account(1, "Kestrel"), not_call=("pub quiz",))
    acme = account(2, "Acme")
    events = [
        event(at(0, 18), at(0, 19), "Kestrel pub quiz"),
        event(at(1, 10), at(1, 11), "Kestrel and Acme sync"),
        event(at(2, 10), at(2, 11), "Acme review"),
    ]
    plan = find_calls([kestrel, acme], events, WEEK.start(ZONE), None)
    assert {i: c.summary for i, c in plan.calls.items()} == {2: "Acme review"}
    busy = week_busy(events, WEEK.start(ZONE), WEEK.end(ZONE), [kestrel, acme])
    assert [(b.event.summary, b.accounts) for b in busy.events] == [
        ("Kestrel pub quiz", ()),
        ("Kestrel and Acme sync", ()),
        ("Acme review", ("Acme",)),
    ]


CALENDAR = str(EXAMPLES / "calendar.ics")


def test_the_strip_gives_a_call_in_another_zone_in_your_zone(example_store):
    strip = example_store("busy", "--busy", CALENDAR, "--week", "2026-W50", "--grid").stdout
    nordwind = next(line for line in strip.splitlines() if "Nordwind" in line and "!" in line)
    # the Jour fixe is 16:00 in Berlin: 10:00 in New York, where the bar draws it
    assert "10:00 Nordwind" in nordwind and "16:00" not in nordwind


def test_a_switch_day_draws_blocks_and_meetings_on_the_wall_clock():
    """Berlin, Sunday 25 Oct 2026 (03:00 summer time is 02:00 winter time), working from
    midnight: a meeting read in the zone at 05:00-06:00 and a block the planner gives in
    UTC at 06:00-07:00 sit one under the other, under the hour marks of their times."""
    berlin = ZoneInfo("Europe/Berlin")
    hours = Settings(timezone=berlin.key, work_days=(6,), work_start=time(0), work_end=time(12))
    meeting = event(
        datetime(2026, 10, 25, 5, tzinfo=berlin), datetime(2026, 10, 25, 6, tzinfo=berlin), "Early"
    )
    block = ("Acme", datetime(2026, 10, 25, 5, tzinfo=UTC), datetime(2026, 10, 25, 6, tzinfo=UTC))
    glance = week_glance(Week(date(2026, 10, 19)), hours, WeekBusy((BusyEvent(meeting),)), [block])
    (day,) = glance.days
    assert all(s.start.tzinfo is berlin and s.end.tzinfo is berlin for s in day.spans)
    grid = cover_grid(glance, berlin)
    tops = {item.kind: (item.top, item.top + item.height) for item in grid.days[0].items}
    marks = {mark.label: mark.top for mark in grid.hours}
    assert tops["busy"] == pytest.approx((marks["05:00"], marks["06:00"]), abs=0.01)
    assert tops["block"] == pytest.approx((marks["06:00"], marks["07:00"]), abs=0.01)
    (line,) = [x for x in strip_lines(glance, 80) if x.plain.startswith("Sun")]
    assert "##AA" in line.plain, "the meeting, then the block right after it"
