"""`plan` end to end on the example customers and calendar: the table, JSON, the .ics,
re-plans, private plans, and the calendars and out files it refuses."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import icalendar
import pytest

from tests.conftest import EXAMPLES
from tests.helpers import meeting_over
from tests.ics_checks import check_ics

CALENDAR = str(EXAMPLES / "calendar.ics")


def plan_json(run, *args):
    return json.loads(run("plan", "--busy", CALENDAR, "--json", *args).stdout)


def events_of(path):
    return {
        str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }


def test_plan_table_names_blocks_and_reasons(example_store, tmp_path):
    out = tmp_path / "out" / "focus.ics"
    result = example_store("plan", "--busy", CALENDAR, "--out", str(out))
    text = result.stdout
    assert "Focus blocks, week 2026-W49" in text
    for name in ("Kestrel Robotics", "Nordwind Logistik GmbH", "Brightwater Health"):
        assert name in text
    assert "not sold: closed" in text
    assert "Wrote" in text and str(out) in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    sheets = sorted(p.name for p in out.parent.glob("*.md"))
    assert "2026-W49-kestrel-robotics.md" in sheets
    assert all(stat.S_IMODE((out.parent / s).stat().st_mode) == 0o600 for s in sheets)


def test_plan_json_keys_and_every_account_once(example_store, tmp_path):
    data = plan_json(example_store, "--out", str(tmp_path / "f.ics"))
    assert data["week"] == "2026-W49"
    assert {"account", "start", "end", "uid", "reason"} <= set(data["blocks"][0])
    assert {"account", "reason"} <= set(data["left_out"][0])
    names = [b["account"] for b in data["blocks"]] + [x["account"] for x in data["left_out"]]
    assert sorted(names) == sorted(
        [
            "Nordwind Logistik GmbH",
            "Brightwater Health",
            "Océane Cosmétiques",
            "Kestrel Robotics",
            "Sakura Foods",
            "Halvorsen & Dahl",
        ]
    )
    assert data["blocks"][0]["start"].endswith("-05:00")


def test_blocks_avoid_busy_time_and_end_before_calls(example_store, tmp_path):
    data = plan_json(example_store, "--out", str(tmp_path / "f.ics"))
    busy = json.loads(example_store("busy", "--busy", CALENDAR, "--json").stdout)["busy"]
    from datetime import datetime, timedelta

    for block in data["blocks"]:
        start, end = datetime.fromisoformat(block["start"]), datetime.fromisoformat(block["end"])
        for event in busy:
            s, e = datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])
            assert not (s - timedelta(minutes=10) < end and e + timedelta(minutes=10) > start)
    kestrel = next(b for b in data["blocks"] if b["account"] == "Kestrel Robotics")
    # Kestrel's call moved to Wed 2 Dec 08:00 New York time (a RECURRENCE-ID override)
    assert datetime.fromisoformat(kestrel["end"]) <= datetime.fromisoformat(
        "2026-12-02T06:00:00-05:00"
    )


def test_written_ics_passes_both_parsers(example_store, tmp_path):
    out = tmp_path / "f.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out), "--describe-remarks")
    events = check_ics(out)
    assert len(events) >= 3
    kestrel = events_of(out)["Focus: Kestrel Robotics"]
    description = str(kestrel["DESCRIPTION"])
    assert "Worksheet: 2026-W49-kestrel-robotics.html" in description
    assert "If you can cut the wasted trips by half" in description
    assert str(kestrel["TRANSP"]) == "OPAQUE"
    assert str(kestrel["X-MICROSOFT-CDO-BUSYSTATUS"]) == "BUSY"


def test_dry_run_writes_nothing(example_store, tmp_path):
    out = tmp_path / "f.ics"
    result = example_store("plan", "--busy", CALENDAR, "--out", str(out), "--dry-run")
    assert "Dry run" in result.stdout
    assert not out.exists() and not list(tmp_path.glob("*.md"))
    assert json.loads(example_store("export").stdout)["focus_blocks"] == []


def _strip_stamp(path):
    return [line for line in path.read_bytes().split(b"\r\n") if not line.startswith(b"DTSTAMP")]


@pytest.mark.both_stores("a re-plan reads the stored blocks' times with zones back exactly")
def test_replan_with_same_inputs_is_identical(example_store, tmp_path, monkeypatch):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(first))
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-11-25T09:05:00-05:00")
    example_store("plan", "--busy", CALENDAR, "--out", str(second))
    assert _strip_stamp(first) == _strip_stamp(second)
    assert first.read_bytes() != second.read_bytes()  # only DTSTAMP differs


@pytest.mark.both_stores("stored blocks updated: times with zones and sequence numbers read back")
def test_new_meeting_over_a_block_moves_it_with_same_uid_and_higher_sequence(
    example_store, tmp_path, write
):
    first = tmp_path / "a.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(first))
    before = events_of(first)["Focus: Kestrel Robotics"]
    start = before["DTSTART"].dt.strftime("%Y%m%dT%H%M%SZ")
    end = before["DTEND"].dt.strftime("%Y%m%dT%H%M%SZ")
    extra = write(
        "extra.ics",
        (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:urgent-1@example.com\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:{start}\r\n"
            f"DTEND:{end}\r\nSUMMARY:Urgent escalation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ),
    )
    second = tmp_path / "b.ics"
    result = example_store("plan", "--busy", CALENDAR, "--busy", str(extra), "--out", str(second))
    after = events_of(second)["Focus: Kestrel Robotics"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt != before["DTSTART"].dt
    assert "moved" in result.stdout
    assert "Outlook" in result.stdout  # how to replace the earlier import

    # the meeting is gone again: the block stays where it went, still free (calm re-plans)
    only = tmp_path / "c.ics"
    third = example_store("plan", "--busy", CALENDAR, "--out", str(only), "--only-changed")
    assert "Nothing changed since the last plan of 2026-W49" in third.stdout
    assert not only.exists()


def test_withdrawn_block_is_written_cancelled(example_store, tmp_path):
    first = tmp_path / "a.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(first))
    uid = str(events_of(first)["Focus: Brightwater Health"]["UID"])
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    second = tmp_path / "b.ics"
    result = example_store("plan", "--busy", CALENDAR, "--out", str(second))
    cancelled = events_of(second)["Focus: Brightwater Health"]
    assert str(cancelled["UID"]) == uid
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["TRANSP"]) == "TRANSPARENT"
    assert str(cancelled["X-MICROSOFT-CDO-BUSYSTATUS"]) == "FREE"
    assert int(cancelled["SEQUENCE"]) == 1
    assert "Withdrawn: Brightwater Health" in result.stdout
    check_ics(second)


def test_a_remark_cannot_inject_an_event(example_store, tmp_path):
    example_store(
        "remark",
        "add",
        "Kestrel Robotics",
        "We said:\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:Injected\nDESCRIPTION;X=1:",
    )
    out = tmp_path / "f.ics"
    data = plan_json(example_store, "--out", str(out), "--describe-remarks")
    events = check_ics(out)
    assert len(events) == len(data["blocks"])
    assert all(str(e["UID"]) != "evil" and "Injected" not in str(e["SUMMARY"]) for e in events)
    kestrel = events_of(out)["Focus: Kestrel Robotics"]
    assert "END:VEVENT" in str(kestrel["DESCRIPTION"])  # kept as text, escaped


def test_private_plan_has_no_customer_names(example_store, tmp_path):
    out = tmp_path / "private.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out), "--private")
    raw = out.read_bytes().decode("utf-8")
    for name in ("Kestrel", "Nordwind", "Brightwater", "Océane", "kestrel", "nordwind"):
        assert name not in raw
    events = check_ics(out)
    assert all(str(e["SUMMARY"]) == "Focus block" and str(e["CLASS"]) == "PRIVATE" for e in events)


def test_week_argument_forms(example_store):
    for week, label in [("2026-W50", "2026-W50"), ("2026-12-09", "2026-W50"), ("this", "2026-W48")]:
        data = plan_json(example_store, "--week", week, "--dry-run")
        assert data["week"] == label
    result = example_store("plan", "--week", "someday", code=4)
    assert "--week" in result.stderr and "YYYY-Www" in result.stderr


def test_unreadable_busy_file_is_one_line(example_store, tmp_path):
    result = example_store("plan", "--busy", str(tmp_path / "missing.ics"), code=4)
    missing = tmp_path / "missing.ics"
    assert result.stderr.strip().splitlines() == [
        f"Error: {missing}: cannot read the calendar file (No such file or directory)"
    ]


def test_worksheets_folder_gets_every_planned_account_and_the_packet(
    example_store, tmp_path, monkeypatch
):
    monkeypatch.setenv("FOCUSBLOCK_PLAN_PDF", "true")
    sheets = tmp_path / "sheets"
    data = plan_json(example_store, "--out", str(tmp_path / "f.ics"), "--worksheets", str(sheets))
    names = {p.name for p in sheets.iterdir()}
    for block in data["blocks"]:
        stem = block["worksheet"].removesuffix(".html")
        assert {stem + ".md", stem + ".html"} <= names
    assert {"2026-W49_packet.html", "2026-W49_packet.pdf"} <= names
    from tests.pdf_text import pdf_text

    text = " ".join(pdf_text((sheets / "2026-W49_packet.pdf").read_bytes()).split())
    order = [text.index(f"Focus: {b['account']}") for b in data["blocks"]]
    assert order == sorted(order), "the packet follows the plan's order"


def test_same_name_for_two_owners_gets_two_worksheets(run, tmp_path, monkeypatch):
    for owner in ("ann@example.com", "bob@example.com"):
        monkeypatch.setenv("FOCUSBLOCK_EMAIL", owner)
        run("account", "add", "Acme", "--need", "n", "--consequence", "c")
        run("remark", "add", "Acme", f"{owner} heard this", "--on", "2026-11-20")
    data = json.loads(
        run(
            "--all-owners", "plan", "--busy", CALENDAR, "--out", str(tmp_path / "f.ics"), "--json"
        ).stdout
    )
    sheets = sorted(b["worksheet"] for b in data["blocks"])
    assert sheets == ["2026-W49-acme-2.html", "2026-W49-acme.html"]
    texts = {(tmp_path / s.replace(".html", ".md")).read_text(encoding="utf-8") for s in sheets}
    assert len(texts) == 2  # each owner's own remarks, not one file written twice


@pytest.mark.sqlite_only
def test_plan_refuses_its_out_before_reading_any_calendar(run, db_path):
    """A refused --out costs nothing: it is said before the calendars are read (a feed, a
    CalDAV server, a years-long export) and before any worksheet is typeset."""
    run("account", "add", "Acme")
    result = run("plan", "--busy", "/no/such/calendar.ics", "--out", str(db_path), code=None)
    assert result.exit_code != 0
    assert "store" in result.stderr and "calendar.ics" not in result.stderr, result.stderr


def test_a_calendar_folder_with_nothing_readable_is_refused_by_plan(run, tmp_path):
    run("account", "add", "Acme", "--need", "n", "--consequence", "c")
    run("remark", "add", "Acme", "We need it", "--on", "2026-11-20")
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_text("not a calendar")
    (junk / "b.ics").write_bytes(b"\x00\x01\x02 binary")
    out = tmp_path / "f.ics"
    result = run("plan", "--busy", str(junk), "--out", str(out), code=4)
    assert "no readable event" in result.stderr and "--allow-empty" in result.stderr
    assert not out.exists()
    run("plan", "--busy", str(junk), "--out", str(out), "--allow-empty")
    assert out.exists()


def test_quiet_prints_only_what_changed_for_a_timer(example_store, tmp_path, write):
    out = tmp_path / "focus.ics"
    first = example_store("plan", "--busy", CALENDAR, "--out", str(out), "--quiet")
    assert first.stdout and all(line.startswith("2026-W49: ") for line in first.stdout.splitlines())
    assert all(": new (" in line for line in first.stdout.splitlines())

    again = example_store("plan", "--busy", CALENDAR, "--out", str(out), "--quiet")
    assert again.stdout == ""  # nothing changed: nothing to say, exit 0

    meeting = meeting_over(write, events_of(out)["Focus: Kestrel Robotics"])
    moved = example_store(
        "plan", "--busy", CALENDAR, "--busy", str(meeting), "--out", str(out), "--quiet"
    )
    assert moved.stdout.splitlines() == [
        line for line in moved.stdout.splitlines() if "Kestrel Robotics: moved" in line
    ]
    assert len(moved.stdout.splitlines()) == 1

    failed = example_store(
        "plan", "--busy", str(tmp_path / "gone.ics"), "--out", str(out), "--quiet", code=None
    )
    assert failed.exit_code != 0 and failed.stdout == ""
    assert len(failed.stderr.strip().splitlines()) == 1


# A call the calendar shows wins over a typed one (account edit --next-call); the typed one
# serves when the calendar shows none; the plan says which it used, per block (issue 20).
def test_the_plan_says_whether_a_call_came_from_the_calendar_or_was_typed(example_store):
    # Kestrel's call is in the calendar (Wed 2 Dec 08:00): a typed one does not replace it
    example_store("account", "edit", "Kestrel Robotics", "--next-call", "2026-12-03 16:00")
    # Zephyr is in no calendar: its typed call serves
    example_store(
        "account",
        "add",
        "Zephyr Mining",
        "--need",
        "Fewer stops",
        "--next-call",
        "2026-12-04 15:00",
    )
    example_store("remark", "add", "Zephyr Mining", "The crusher stops twice a week.")
    data = plan_json(example_store, "--dry-run")
    calls = {b["account"]: b["call"] for b in data["blocks"] if b["call"]}
    assert calls["Kestrel Robotics"]["start"] == "2026-12-02T08:00:00-05:00"
    assert calls["Kestrel Robotics"]["from"] == "calendar"
    assert calls["Zephyr Mining"]["start"] == "2026-12-04T15:00:00-05:00"
    assert calls["Zephyr Mining"]["from"] == "typed"
    text = example_store("plan", "--busy", CALENDAR, "--dry-run").stdout
    table = text[text.index("\nCalls\n") :].splitlines()
    kestrel = next(line for line in table if line.startswith("Kestrel Robotics"))
    sakura = next(line for line in table if line.startswith("Zephyr Mining"))
    assert "your calendar" in kestrel and "calendar.ics" in kestrel, kestrel
    assert "typed" in sakura and "account edit --next-call" in sakura, sakura
    assert "your calendar" not in sakura, sakura
    assert "taken from your calendar" not in table[1]  # the header claims no source for all


# --no-publish turns a configured publish off for one run; an empty --publish (an unset
# variable in a script) is an error that says so. Before, --publish "" quietly published
# to the configured calendar, and there was no way to skip it for one run (issue 20).
UNREACHABLE = "caldav:http://127.0.0.1:9/calendars/me/focus/"


def test_no_publish_turns_the_configured_publish_off_for_one_run(example_store, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_PUBLISH", UNREACHABLE)
    refused = example_store("plan", "--busy", CALENDAR, "--dry-run", code=None)
    assert refused.exit_code != 0  # the configured calendar is asked, and cannot be reached
    data = plan_json(example_store, "--dry-run", "--no-publish")
    assert data["published"] is None and data["blocks"]


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_publish_is_an_error_that_names_no_publish(example_store, monkeypatch, empty):
    monkeypatch.setenv("FOCUSBLOCK_CALENDARS_PUBLISH", UNREACHABLE)
    result = example_store("plan", "--busy", CALENDAR, "--publish", empty, "--dry-run", code=4)
    assert "--publish: is empty" in result.stderr and "--no-publish" in result.stderr
    assert "Traceback" not in result.stderr


def test_publish_and_no_publish_together_are_refused(example_store):
    result = example_store(
        "plan", "--busy", CALENDAR, "--publish", UNREACHABLE, "--no-publish", code=2
    )
    assert "--no-publish" in result.stderr


# plan without --out writes into a week folder of the store's own, not the current folder
# (issue 20: every week dropped 12-14 files and a packet wherever the command ran, and the
# demo's store wrote over the real week's files): beside a SQLite store, or under the
# user's data folder keyed by a PostgreSQL store's address.
@pytest.mark.both_stores("the week folder is beside a SQLite file, keyed by URL for PostgreSQL")
def test_plan_without_out_writes_into_the_stores_week_folder(
    example_store, store_target, backend, tmp_path, monkeypatch
):
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    result = example_store("plan", "--busy", CALENDAR)
    data = plan_json(example_store)  # the same week again: the same folder
    if backend == "sqlite":
        folder = Path(store_target).parent / "weeks" / "2026-W49"
    else:
        (folder,) = (tmp_path / "home" / "data" / "focusblock" / "weeks").glob("*/2026-W49")
    assert data["ics_file"] == str(folder / "focusblock-2026-W49.ics")
    assert (folder / "focusblock-2026-W49.ics").is_file()
    assert (folder / "2026-W49-kestrel-robotics.md").is_file()
    assert {Path(p).parent for p in data["worksheets"]} == {folder}
    assert str(folder / "focusblock-2026-W49.ics") in result.stdout  # the plan says where
    assert list(here.iterdir()) == []
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_each_postgresql_store_has_its_own_week_folder_whatever_the_password():
    from focusblock.store.opening import files_folder

    one = files_folder("postgresql://seller:first@db.example.com:5432/focus")
    same = files_folder("postgresql://seller:second@db.example.com:5432/focus")
    demo = files_folder("postgresql://seller:first@db.example.com:5432/demo")
    assert one == same != demo
    assert "first" not in str(one) and "seller" not in str(one)
    assert files_folder("sqlite:////srv/focus/store.db") == Path("/srv/focus/weeks")
