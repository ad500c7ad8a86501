"""The calendar is the seller's: what they do to our blocks in their calendar app wins over
the next plan. Here through the .ics flow: the plan's file imported, then the calendar
exported and read back with --busy (CalDAV: tests/test_live_calendars.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import icalendar

from tests.conftest import EXAMPLES

CALENDAR = str(EXAMPLES / "calendar.ics")
KESTREL = "Focus: Kestrel Robotics"


def events_of(path: Path) -> dict[str, icalendar.Event]:
    return {
        str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }


def exported(plan_file: Path, to: Path, change=None, drop: str | None = None) -> Path:
    """The seller's calendar after importing `plan_file` and doing `change` to an event
    (a function of the event) or deleting the one titled `drop`: as an export holds it."""
    calendar = icalendar.Calendar.from_ical(plan_file.read_bytes())
    for event in list(calendar.walk("VEVENT")):
        if drop is not None and str(event["SUMMARY"]) == drop:
            calendar.subcomponents.remove(event)
        elif change is not None and str(event["SUMMARY"]) == KESTREL:
            change(event)
    to.write_bytes(calendar.to_ical())
    return to


def moved_a_day_later(event: icalendar.Event) -> None:
    for name in ("DTSTART", "DTEND"):
        when = event[name].dt + timedelta(days=1)
        del event[name]
        event.add(name, when)


def plan(run, out: Path, *busy: Path) -> dict:
    args = ["plan", "--busy", CALENDAR, *(x for b in busy for x in ("--busy", str(b)))]
    return json.loads(run(*args, "--out", str(out), "--json").stdout)


def block_of(result: dict, account: str = "Kestrel Robotics") -> dict | None:
    return next((b for b in result["blocks"] if b["account"] == account), None)


def test_a_block_moved_by_hand_stays_where_the_seller_put_it(example_store, tmp_path):
    first = plan(example_store, tmp_path / "a.ics")
    mine = exported(tmp_path / "a.ics", tmp_path / "mine.ics", moved_a_day_later)
    moved_to = events_of(mine)[KESTREL]["DTSTART"].dt

    again = plan(example_store, tmp_path / "b.ics", mine)

    kestrel = block_of(again)
    assert kestrel["change"] == "kept where you moved it"
    assert events_of(tmp_path / "b.ics")[KESTREL]["DTSTART"].dt == moved_to
    assert block_of(first)["uid"] == kestrel["uid"]
    # and later plans leave it there, even with the export no longer given
    third = plan(example_store, tmp_path / "c.ics")
    assert events_of(tmp_path / "c.ics")[KESTREL]["DTSTART"].dt == moved_to
    assert block_of(third)["change"] == "unchanged"


def test_an_older_import_of_our_own_is_no_hand_edit(example_store, tmp_path):
    plan(example_store, tmp_path / "a.ics")
    old = exported(tmp_path / "a.ics", tmp_path / "old.ics")  # imported, never re-imported
    plan(example_store, tmp_path / "b.ics", old)

    again = plan(example_store, tmp_path / "c.ics", old)

    assert block_of(again)["change"] == "unchanged"


def test_a_note_typed_into_a_block_is_kept(example_store, tmp_path):
    plan(example_store, tmp_path / "a.ics")

    def noted(event: icalendar.Event) -> None:
        event["DESCRIPTION"] = str(event["DESCRIPTION"]) + "\n\nMY NOTE: bring the depot map."

    mine = exported(tmp_path / "a.ics", tmp_path / "mine.ics", noted)

    plan(example_store, tmp_path / "b.ics", mine)

    assert "MY NOTE: bring the depot map." in str(
        events_of(tmp_path / "b.ics")[KESTREL]["DESCRIPTION"]
    )
    plan(example_store, tmp_path / "c.ics")  # later plans keep it too
    assert "MY NOTE: bring the depot map." in str(
        events_of(tmp_path / "c.ics")[KESTREL]["DESCRIPTION"]
    )


def test_a_block_the_seller_deleted_is_not_created_again(example_store, tmp_path):
    plan(example_store, tmp_path / "a.ics")
    seen = exported(tmp_path / "a.ics", tmp_path / "mine.ics")
    plan(example_store, tmp_path / "b.ics", seen)  # the plan sees it in the seller's calendar
    exported(tmp_path / "a.ics", seen, drop=KESTREL)  # then they delete it there

    result = example_store(
        "plan", "--busy", CALENDAR, "--busy", str(seen), "--out", str(tmp_path / "c.ics")
    )

    assert KESTREL not in events_of(tmp_path / "c.ics")
    assert "Kestrel Robotics" in result.stdout and "removed it from your calendar" in result.stdout
    again = plan(example_store, tmp_path / "d.ics", seen)
    assert block_of(again) is None


def test_a_block_never_seen_in_a_calendar_is_not_taken_as_deleted(example_store, tmp_path):
    plan(example_store, tmp_path / "a.ics")
    elsewhere = exported(tmp_path / "a.ics", tmp_path / "other.ics", drop=KESTREL)

    again = plan(example_store, tmp_path / "b.ics", elsewhere)

    assert block_of(again) is not None


def test_a_copy_of_a_block_under_another_uid_is_never_the_customers_call(example_store, tmp_path):
    """Google's duplicate or an Outlook re-import gives a block a new UID: still a focus block
    by its title, never a call with the customer."""
    plan(example_store, tmp_path / "a.ics")
    copy = events_of(tmp_path / "a.ics")[KESTREL]
    copy["UID"] = "abcdef123@google.com"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//t//t//EN")
    calendar.add("version", "2.0")
    calendar.add_component(copy)
    duplicate = tmp_path / "copy.ics"
    duplicate.write_bytes(calendar.to_ical())

    again = plan(example_store, tmp_path / "b.ics", duplicate)

    call = block_of(again)["call"]
    assert call is None or not call["summary"].startswith("Focus: ")


def test_a_block_dragged_back_to_a_time_once_planned_stays_there(example_store, tmp_path, write):
    from tests.helpers import meeting_over

    plan(example_store, tmp_path / "a.ics")
    first = events_of(tmp_path / "a.ics")[KESTREL]
    meeting = meeting_over(write, first)
    plan(example_store, tmp_path / "b.ics", meeting)  # the plan moves it away
    moved = events_of(tmp_path / "b.ics")[KESTREL]
    assert moved["DTSTART"].dt != first["DTSTART"].dt

    def back(event: icalendar.Event) -> None:  # the seller drags it back: a newer SEQUENCE
        for name in ("DTSTART", "DTEND"):
            del event[name]
            event.add(name, first[name].dt)
        event["SEQUENCE"] = int(moved["SEQUENCE"]) + 1

    mine = exported(tmp_path / "b.ics", tmp_path / "mine.ics", back)

    again = plan(example_store, tmp_path / "c.ics", mine)

    assert block_of(again)["change"] == "kept where you moved it"
    assert events_of(tmp_path / "c.ics")[KESTREL]["DTSTART"].dt == first["DTSTART"].dt


def test_a_block_dragged_into_another_week_is_said_so_and_takes_its_time_there(
    example_store, tmp_path
):
    plan(example_store, tmp_path / "a.ics")

    def next_week(event: icalendar.Event) -> None:
        for name in ("DTSTART", "DTEND"):
            when = event[name].dt + timedelta(days=7)
            del event[name]
            event.add(name, when)

    mine = exported(tmp_path / "a.ics", tmp_path / "mine.ics", next_week)
    moved_to = events_of(mine)[KESTREL]

    result = example_store(
        "plan", "--busy", CALENDAR, "--busy", str(mine), "--out", str(tmp_path / "b.ics")
    )
    assert "moved by you to" in result.stdout and "another week" in result.stdout

    following = json.loads(
        example_store(
            "plan", "--busy", CALENDAR, "--busy", str(mine), "--week", "2026-W50",
            "--out", str(tmp_path / "w50.ics"), "--json",
        ).stdout
    )  # fmt: skip
    start, end = moved_to["DTSTART"].dt, moved_to["DTEND"].dt
    for block in following["blocks"]:
        assert not (
            datetime.fromisoformat(block["start"]) < end
            and datetime.fromisoformat(block["end"]) > start
        ), f"{block['account']} placed over the block moved into the week"
    assert "Kestrel Robotics" not in [b["account"] for b in following["blocks"]]
    (counted,) = [x for x in following["left_out"] if x["account"] == "Kestrel Robotics"]
    assert counted["kind"] == "has-block"


def test_a_calendar_that_hides_details_is_no_retitling():
    """An availability-only feed shows our block as "Busy" without a description."""
    from focusblock.calendar.events import CalendarEvent
    from focusblock.calendar.reading import OURS
    from focusblock.calendar.writing import event_text
    from focusblock.model import BlockStatus, FocusBlock
    from focusblock.plan.hand_edits import hand_edits

    start = datetime.fromisoformat("2026-12-02T15:00:00+00:00")
    end = start + timedelta(hours=1)
    block = FocusBlock(
        1, "2026-W49", "u@focusblock", start, end, "UTC", 0, BlockStatus.PLANNED, start
    )
    seen = CalendarEvent(start, end, False, "Busy", "u@focusblock", "feed", free_reason=OURS)
    versions = {
        "u@focusblock": (frozenset({(start, end)}), frozenset({event_text("Focus: A", "x")}))
    }

    edits = hand_edits(
        [block],
        [seen],
        versions,
        ["feed"],
        (start - timedelta(days=2), end + timedelta(days=5)),
        start - timedelta(days=1),
    )

    assert edits.blocks[0].user_text is None and not edits.retitled


def test_an_old_copy_in_another_calendar_never_undoes_the_sellers_move(example_store, tmp_path):
    plan(example_store, tmp_path / "a.ics")
    old = exported(tmp_path / "a.ics", tmp_path / "old.ics")  # an import never updated
    mine = exported(tmp_path / "a.ics", tmp_path / "mine.ics", moved_a_day_later)
    moved_to = events_of(mine)[KESTREL]["DTSTART"].dt

    again = plan(example_store, tmp_path / "b.ics", old, mine)  # the old copy read first

    assert block_of(again)["change"] == "kept where you moved it"
    assert events_of(tmp_path / "b.ics")[KESTREL]["DTSTART"].dt == moved_to


def test_a_block_deleted_where_it_was_seen_stays_deleted_despite_an_old_copy(
    example_store, tmp_path
):
    plan(example_store, tmp_path / "a.ics")
    old = exported(tmp_path / "a.ics", tmp_path / "old.ics")
    mine = exported(tmp_path / "a.ics", tmp_path / "mine.ics")
    plan(example_store, tmp_path / "b.ics", mine)  # seen in mine.ics
    exported(tmp_path / "a.ics", mine, drop=KESTREL)  # deleted there

    again = plan(example_store, tmp_path / "c.ics", old, mine)

    assert block_of(again) is None


def test_a_vdir_synced_with_the_calendar_keeps_what_the_seller_did(example_store, tmp_path):
    """--out DIR/ for vdirsyncer: a block moved (and given a location) in the calendar app
    comes back into the folder; the next plan keeps both."""
    folder = tmp_path / "focus"
    example_store("plan", "--busy", CALENDAR, "--out", f"{folder}/")
    (path,) = [p for p in folder.glob("*.ics") if KESTREL in p.read_text(encoding="utf-8")]
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    event = calendar.walk("VEVENT")[0]
    moved_a_day_later(event)
    event.add("LOCATION", "Room 4")
    path.write_bytes(calendar.to_ical())
    moved_to = event["DTSTART"].dt

    result = example_store("plan", "--busy", CALENDAR, "--out", f"{folder}/")

    assert "kept where you moved it" in result.stdout
    after = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert after["DTSTART"].dt == moved_to and str(after["LOCATION"]) == "Room 4"


def _deleted_from(seen_in: str, read_now: list[str]) -> bool:
    """Whether a block seen in `seen_in`, gone from every calendar read now, is taken as
    deleted by the seller."""
    from focusblock.model import BlockStatus, FocusBlock
    from focusblock.plan.hand_edits import hand_edits

    start = datetime.fromisoformat("2026-12-02T15:00:00+00:00")
    end = start + timedelta(hours=1)
    block = FocusBlock(
        1, "2026-W49", "u@focusblock", start, end, "UTC", 0, BlockStatus.PLANNED, start
    )
    block = replace(block, seen_in=seen_in)
    edits = hand_edits(
        [block],
        [],
        {},
        read_now,
        (start - timedelta(days=2), end + timedelta(days=5)),
        start - timedelta(days=1),
    )
    return edits.blocks[0].status is BlockStatus.REMOVED


def test_a_feed_stored_with_its_old_tag_is_still_the_calendar_the_block_was_seen_in():
    """Stores upgraded by migration 0017 keep a feed's masked address with a tag made from
    what was stored, not from the address: the one feed of that shown form read now is it."""
    old = "https://calendar.google.com/…/basic.ics (#db86)"
    now = "https://calendar.google.com/…/basic.ics (#8ef8)"
    assert _deleted_from(old, [now])
    assert _deleted_from(now, [now])
    # two feeds of that form: which one it was cannot be told, so neither is taken
    assert not _deleted_from(old, [now, "https://calendar.google.com/…/basic.ics (#1234)"])
    assert not _deleted_from(old, ["https://other.example/…/basic.ics (#8ef8)"])
