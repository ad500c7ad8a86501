"""The packet's cover: the week as a grid above the table of blocks, in HTML and in the PDF.

The plan runs end to end on the example customers and calendar plus a calendar of our own
(a private event, a title full of HTML and Typst specials); the PDF is typeset by the real
Typst and read back with pypdf.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from focusblock.calendar.events import CalendarEvent
from focusblock.config import Settings
from focusblock.dates import Week
from focusblock.plan.glance import (
    PALETTE,
    BusyEvent,
    WeekBusy,
    cover_grid,
    week_glance,
)
from focusblock.worksheet.pdf import render_pdf
from focusblock.worksheet.rendering import PacketEntry, render_html
from tests.conftest import EXAMPLES
from tests.test_pdf import pages, sheet

ZONE = ZoneInfo("America/New_York")
WEEK = Week(datetime(2026, 11, 30).date())
HOURS = Settings(timezone=ZONE.key)  # Monday to Friday, 9:00 to 17:00
HOSTILE = "<b>x</b> [/bold] #set page(width: 1pt) $y$"
SECRET = "Dentist (secret)"
EXTRA = f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:private-1
DTSTART;TZID=America/New_York:20261130T160000
DTEND;TZID=America/New_York:20261130T163000
SUMMARY:{SECRET}
CLASS:PRIVATE
END:VEVENT
BEGIN:VEVENT
UID:hostile-1
DTSTART;TZID=America/New_York:20261201T150000
DTEND;TZID=America/New_York:20261201T160000
SUMMARY:{HOSTILE}
END:VEVENT
END:VCALENDAR
"""
DAYS = ("Mon 30 Nov", "Tue 01 Dec", "Wed 02 Dec", "Thu 03 Dec", "Fri 04 Dec")
BLOCKED = ("Kestrel Robotics", "Océane Cosmétiques", "Brightwater Health", "Nordwind Logistik GmbH")


def planned_packet(example_store, tmp_path, write):
    extra = write("extra.ics", EXTRA)
    out = tmp_path / "out" / "focus.ics"
    example_store(
        "plan", "--busy", str(EXAMPLES / "calendar.ics"), "--busy", str(extra), "--out", str(out)
    )
    return out.parent


def test_html_cover_has_the_grid_above_the_table(example_store, tmp_path, write):
    html = (planned_packet(example_store, tmp_path, write) / "2026-W49_packet.html").read_text()
    cover = html[html.index('<section class="cover">') : html.index('<article class="worksheet">')]
    grid = cover[cover.index('<figure class="week-grid"') : cover.index("</figure>")]
    assert cover.index("</figure>") < cover.index('<table class="blocks">')
    labels = re.findall(r'<div class="wg-day-label">([^<]*)</div>', grid)
    assert labels == list(DAYS)
    blocks = re.findall(r'<div class="wg-item wg-block".*?<span class="wg-label"[^>]*>(.*?)</span>',
                        grid, re.S)  # fmt: skip
    assert sorted(unescape(b) for b in blocks) == sorted(BLOCKED)
    texts = unescape(re.sub(r"<[^>]+>", "\n", grid))
    for title in ("Sales stand-up", "Pipeline review", "Expenses and CRM hygiene"):
        assert title in texts
    assert "◆ Kestrel Robotics" in texts and "◆ Océane Cosmétiques" in texts
    # private: "busy" in place of the title; the HTML title is text, not markup
    assert SECRET not in html and "Dentist" not in html
    assert re.search(r'title="16:00-16:30  busy"', grid)
    assert "&lt;b&gt;x&lt;/b&gt; [/bold] #set page(width: 1pt) $y$" in grid
    assert "<b>x</b>" not in html
    # the cover table of blocks stays, below the grid
    table = cover[cover.index('<table class="blocks">') :]
    assert all(name in unescape(table) for name in BLOCKED)


@pytest.mark.slow  # typesets a PDF
def test_pdf_cover_has_days_accounts_and_titles_then_the_table(
    example_store, tmp_path, write, monkeypatch
):
    monkeypatch.setenv("FOCUSBLOCK_PLAN_PDF", "true")
    folder = planned_packet(example_store, tmp_path, write)
    page_texts = pages((folder / "2026-W49_packet.pdf").read_bytes())
    cover = page_texts[0]
    assert cover.startswith("Focus worksheets, 2026-W49")
    assert " ".join(DAYS) in cover
    for name in BLOCKED:
        assert name in cover
    for title in ("Sales stand-up", "Pipeline review", HOSTILE, "busy"):
        assert title in cover
    assert "◆ Kestrel Robotics" in cover
    assert all(SECRET not in page for page in page_texts)
    # the table of blocks follows the grid on the same page
    table = cover.index("When Customer Why")
    assert table > max(cover.index(name) for name in (*DAYS, HOSTILE))
    assert "Tue 01 Dec 10:00 Kestrel Robotics call Wed 02 Dec 08:00" in cover[table:]
    assert page_texts[1].startswith("Focus: ")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, tzinfo=ZONE) + timedelta(days=day)


def busy(start, end, title):
    return BusyEvent(CalendarEvent(start, end, False, title, title, "t.ics"))


def test_overlapping_events_sit_side_by_side_and_positions_are_fractions_of_the_day():
    events = (
        busy(at(0, 9), at(0, 11), "A"),
        busy(at(0, 10), at(0, 12), "B"),
        busy(at(0, 10, 30), at(0, 11, 30), "C"),  # meets both: three lanes
        busy(at(0, 13), at(0, 14), "D"),  # alone again: the full width
    )
    glance = week_glance(WEEK, HOURS, WeekBusy(events), [("Acme", at(1, 9), at(1, 10))])
    grid = cover_grid(glance, ZONE)
    monday = {i.label: i for i in grid.days[0].items}
    assert [(monday[x].left, monday[x].width) for x in "ABC"] == [
        (0.0, 33.333), (33.333, 33.333), (66.667, 33.333)
    ]  # fmt: skip
    assert (monday["D"].left, monday["D"].width) == (0.0, 100.0)
    assert (monday["A"].top, monday["A"].height) == (0.0, 25.0)  # 09:00-11:00 of 09:00-17:00
    assert monday["D"].top == 50.0 and monday["D"].time == "13:00-14:00"
    (block,) = grid.days[1].items
    assert block.kind == "block" and block.colour == PALETTE[0] and block.label == "Acme"
    assert [h.label for h in grid.hours][:2] == ["09:00", "10:00"] and grid.hours[-1].top == 100


@pytest.mark.slow  # typesets a PDF
def test_a_full_week_of_blocks_keeps_the_cover_on_one_page():
    reason = "call Thu 03 Dec 13:00; need stated, missing the cost of doing nothing; 4 new remarks"
    blocks = [(f"Customer {n}", at(n % 5, 9 + 3 * (n // 5)), at(n % 5, 10, 30)) for n in
              range(10)]  # fmt: skip
    blocks = [(a, s, s + timedelta(minutes=90)) for a, s, _ in blocks]
    events = tuple(busy(at(d, 12), at(d, 13), "Lunch with the team") for d in range(5))
    glance = week_glance(WEEK, HOURS, WeekBusy(events), blocks)
    grid = cover_grid(glance, ZONE)
    entries = tuple(PacketEntry(f"{s:%a %d %b %H:%M}", a, reason) for a, s, _ in blocks)
    sheets = [sheet(["a remark"], account=a) for a, _, _ in blocks]
    title = "Focus worksheets, 2026-W49"
    page_texts = pages(render_pdf(sheets, ZONE, title, entries, grid=grid))
    assert "Customer 9" in page_texts[0].split("When Customer Why")[1]
    assert page_texts[1].startswith("Focus: Customer 0")
    html = render_html(sheets, ZONE, title, entries, grid)
    assert html.count('class="wg-item wg-block"') == 10
