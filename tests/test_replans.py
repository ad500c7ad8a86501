"""`plan` again over a week already planned: past blocks and blocks under way kept, moved
blocks with a higher sequence, withdrawn blocks named and their worksheets removed (deleted
accounts too), switching to private, our own blocks in an exported calendar, the call taken
from the calendar, and two plans of one week at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from tests.conftest import EXAMPLES
from tests.ics_checks import check_ics

CALENDAR = str(EXAMPLES / "calendar.ics")


MONDAY_8AM = "2026-11-30T08:00:00-05:00"


THURSDAY_9AM = "2026-12-03T09:00:00-05:00"


def plan_json(run, *args):
    return json.loads(run("plan", "--json", *args).stdout)


def events_of(path):
    return {
        str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }


def meeting(write, name, start, end, summary="Urgent escalation", uid="urgent-1@example.com"):
    stamp = "%Y%m%dT%H%M%SZ"
    return write(
        name,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261120T000000Z\r\n"
        f"DTSTART:{start.astimezone(UTC).strftime(stamp)}\r\n"
        f"DTEND:{end.astimezone(UTC).strftime(stamp)}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )


# --- forgetting the calendar ---------------------------------------------------------------


def test_plan_without_a_calendar_is_an_error_and_cancels_nothing(example_store, tmp_path):
    out = tmp_path / "f.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    result = example_store("plan", "--out", str(tmp_path / "g.ics"), code=4)
    assert "no calendar" in result.stderr.lower() and "--busy" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert not (tmp_path / "g.ics").exists()
    blocks = json.loads(example_store("export").stdout)["focus_blocks"]
    assert blocks and all(b["status"] == "planned" for b in blocks)


def test_a_withdrawn_block_is_named_with_its_reason(example_store, tmp_path):
    example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics"))
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    result = example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "b.ics"))
    line = next(x for x in result.stdout.splitlines() if x.startswith("Withdrawn: Brightwater"))
    assert "not sold: closed" in line
    data = plan_json(example_store, "--busy", CALENDAR, "--out", str(tmp_path / "c.ics"))
    assert [b["reason"] for b in data["cancelled"]] == ["not sold: closed"]


# --- our own blocks read back --------------------------------------------------------------


def test_our_blocks_in_an_exported_calendar_are_not_busy_nor_calls(example_store, tmp_path):
    out = tmp_path / "a.ics"
    first = plan_json(example_store, "--busy", CALENDAR, "--out", str(out))
    # the user imported the blocks and exported the calendar again: it holds them now
    second = plan_json(
        example_store, "--busy", CALENDAR, "--busy", str(out), "--out", str(tmp_path / "b.ics")
    )
    assert [(b["account"], b["start"]) for b in second["blocks"]] == [
        (b["account"], b["start"]) for b in first["blocks"]
    ]
    assert {b["change"] for b in second["blocks"]} == {"unchanged"}
    busy = json.loads(example_store("busy", "--busy", str(out), "--json").stdout)
    assert busy["busy"] == []
    assert {e["reason"] for e in busy["not_busy"]} == {"ours: a focus block"}


def test_private_blocks_carry_the_mark_too(example_store, tmp_path):
    out = tmp_path / "p.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out), "--private")
    events = check_ics(out)
    assert events and all(e.get("X-FOCUSBLOCK") is not None for e in events)


# --- re-planning mid-week keeps the past --------------------------------------------------


def test_replanning_mid_week_keeps_past_blocks(example_store, tmp_path, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", MONDAY_8AM)
    monday = plan_json(
        example_store, "--week", "this", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics")
    )
    monkeypatch.setenv("FOCUSBLOCK_NOW", THURSDAY_9AM)
    thursday = plan_json(
        example_store, "--week", "this", "--busy", CALENDAR, "--out", str(tmp_path / "b.ics")
    )
    now = datetime.fromisoformat(THURSDAY_9AM)
    before = {b["account"]: b for b in monday["blocks"]}
    after = {b["account"]: b for b in thursday["blocks"]}
    past = [b for b in monday["blocks"] if datetime.fromisoformat(b["start"]) < now]
    assert past, "the example week has blocks before Thursday"
    for block in past:
        kept = after[block["account"]]
        assert (kept["uid"], kept["start"], kept["end"], kept["sequence"]) == (
            block["uid"],
            block["start"],
            block["end"],
            block["sequence"],
        )
        assert kept["change"] == "unchanged"
    assert not thursday["cancelled"]
    assert set(after) == set(before)


def test_a_block_in_progress_is_not_moved(example_store, tmp_path, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", MONDAY_8AM)
    first = plan_json(
        example_store, "--week", "this", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics")
    )
    block = first["blocks"][0]
    during = datetime.fromisoformat(block["start"]) + timedelta(minutes=10)
    monkeypatch.setenv("FOCUSBLOCK_NOW", during.isoformat())
    again = plan_json(
        example_store, "--week", "this", "--busy", CALENDAR, "--out", str(tmp_path / "b.ics")
    )
    same = next(b for b in again["blocks"] if b["account"] == block["account"])
    assert (same["start"], same["end"], same["sequence"]) == (
        block["start"],
        block["end"],
        block["sequence"],
    )


# --- a change of title or description is a change -----------------------------------------


def test_switching_to_private_raises_sequence_and_is_written_by_only_changed(
    example_store, tmp_path
):
    first = tmp_path / "a.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(first))
    before = {str(e["UID"]): e for e in check_ics(first)}
    second = tmp_path / "b.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(second), "--private", "--only-changed")
    after = {str(e["UID"]): e for e in check_ics(second)}
    assert set(after) == set(before)
    for uid, event in after.items():
        assert int(event["SEQUENCE"]) == int(before[uid]["SEQUENCE"]) + 1
        assert str(event["SUMMARY"]) == "Focus block"


# --- the customer's call is shown, and can be refused -------------------------------------


def test_the_call_taken_is_shown_and_a_title_can_be_refused(run, tmp_path, write, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me@example.com")
    run("account", "add", "O'Brien & Sons Ltd", "--alias", "O'Brien", "--need", "n")
    run("remark", "add", "O'Brien", "We need it", "--on", "2026-11-20")
    drinks = meeting(
        write,
        "drinks.ics",
        datetime(2026, 12, 2, 17, 0, tzinfo=UTC),
        datetime(2026, 12, 2, 19, 0, tzinfo=UTC),
        summary="Farewell drinks for Pat O'Brien",
    )
    data = plan_json(run, "--busy", str(drinks), "--out", str(tmp_path / "a.ics"))
    call = data["blocks"][0]["call"]
    assert call["summary"] == "Farewell drinks for Pat O'Brien"
    assert call["matched_by"] == "name 'O'Brien'"
    assert call["source"] == str(drinks)
    table = run("plan", "--busy", str(drinks), "--dry-run").stdout
    assert "Farewell drinks for Pat O'Brien" in table
    run("account", "edit", "O'Brien", "--not-call", "farewell drinks")
    again = plan_json(run, "--busy", str(drinks), "--out", str(tmp_path / "b.ics"))
    assert all(b.get("call") is None for b in again["blocks"])


def test_a_title_naming_two_accounts_is_ambiguous_not_a_call(run, tmp_path, write):
    run("account", "add", "Acme", "--need", "n")
    run("account", "add", "Globex", "--need", "n")
    both = meeting(
        write,
        "both.ics",
        datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
        datetime(2026, 12, 2, 16, 0, tzinfo=UTC),
        summary="Acme / Globex partner sync",
    )
    result = run("plan", "--busy", str(both), "--json", "--out", str(tmp_path / "a.ics"))
    data = json.loads(result.stdout)
    assert all(b.get("call") is None for b in data["blocks"])
    assert any("ambiguous" in w and "Acme / Globex partner sync" in w for w in data["warnings"])


def test_account_show_and_worksheet_show_the_call_from_the_calendar(example_store, tmp_path):
    example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics"))
    shown = example_store("account", "show", "Kestrel").stdout
    assert "Kestrel / Field service parts tracking" in shown
    sheet = example_store("worksheet", "Kestrel").stdout
    assert "none booked" not in sheet and "Wed 02 Dec 2026, 08:00" in sheet


# --- a new account is not hopeful ----------------------------------------------------------


def test_a_brand_new_account_is_not_flagged_for_disqualification(run, tmp_path):
    run("account", "add", "Fresh Prospect")
    data = plan_json(run, "--busy", CALENDAR, "--out", str(tmp_path / "a.ics"))
    fresh = next(x for x in data["left_out"] if x["account"] == "Fresh Prospect")
    assert fresh["kind"] != "disqualify"


# --- an account named Packet ---------------------------------------------------------------


def test_an_account_named_packet_keeps_its_worksheet(run, tmp_path):
    for name in ("Packet", "Acme"):
        run("account", "add", name, "--need", "n", "--consequence", "c")
        run("remark", "add", name, f"{name} said this", "--on", "2026-11-20")
    out = tmp_path / "w" / "f.ics"
    result = run("plan", "--busy", CALENDAR, "--out", str(out))
    files = sorted(p.name for p in out.parent.iterdir() if p.name != "f.ics")
    assert f"and {len(files)} worksheet files" in result.stdout
    pages = [p.read_text() for p in out.parent.glob("*.html")]
    own = [h for h in pages if "Packet said this" in h and "Acme said this" not in h]
    assert len(own) == 1  # Packet's own worksheet, not overwritten by the week's packet
    assert sum("Acme said this" in h and "Packet said this" in h for h in pages) == 1


# --- the held-out scenario -----------------------------------------------------------------


@pytest.mark.both_stores("times with zones: stored blocks compared with now, past ones kept")
def test_a_week_planned_monday_changed_wednesday_replanned_thursday(
    example_store, tmp_path, write, monkeypatch
):
    monkeypatch.setenv("FOCUSBLOCK_NOW", MONDAY_8AM)
    week = ("--week", "this")
    first_ics = tmp_path / "mon.ics"
    monday = plan_json(example_store, *week, "--busy", CALENDAR, "--out", str(first_ics))
    nordwind = next(b for b in monday["blocks"] if b["account"] == "Nordwind Logistik GmbH")
    start = datetime.fromisoformat(nordwind["start"])
    urgent = meeting(write, "urgent.ics", start - timedelta(minutes=30), start + timedelta(hours=1))
    monkeypatch.setenv("FOCUSBLOCK_NOW", THURSDAY_9AM)
    thursday = plan_json(
        example_store,
        *week,
        "--busy",
        CALENDAR,
        "--busy",
        str(urgent),
        "--busy",
        str(first_ics),  # exported after the import: it holds our blocks
        "--out",
        str(tmp_path / "thu.ics"),
    )
    now = datetime.fromisoformat(THURSDAY_9AM)
    after = {b["account"]: b for b in thursday["blocks"]}
    for block in monday["blocks"]:
        if datetime.fromisoformat(block["start"]) < now:
            assert after[block["account"]]["start"] == block["start"]
            assert after[block["account"]]["sequence"] == block["sequence"]
    moved = after["Nordwind Logistik GmbH"]
    assert moved["uid"] == nordwind["uid"] and moved["sequence"] == nordwind["sequence"] + 1
    busy = json.loads(
        example_store(*("busy", *week), "--busy", CALENDAR, "--busy", str(urgent), "--json").stdout
    )["busy"]
    for block in thursday["blocks"]:
        s, e = datetime.fromisoformat(block["start"]), datetime.fromisoformat(block["end"])
        for event in busy:
            es, ee = datetime.fromisoformat(event["start"]), datetime.fromisoformat(event["end"])
            assert not (es < e and ee > s), (block["account"], event["summary"])


# --- two plans of one week at once ----------------------------------------------------------

PLANNER = """
import os, sys, time
import traceback
from pathlib import Path
from click.testing import CliRunner
from focusblock.cli import cli

target, calendar, folder, n, *weeks = sys.argv[1:]
here = Path(folder)
for week in weeks:
    (here / f"{week}-{n}.ready").touch()  # the test starts both at once when both are
    while not (here / f"{week}.go").exists():
        time.sleep(0.002)
    out = here / f"{week}-{n}.ics"
    args = ["--db", target, "plan", "--busy", calendar, "--week", week, "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    said = result.output[-400:]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        said += "".join(traceback.format_exception(result.exception))
    (here / f"{week}-{n}.said").write_text(said)
    (here / "code.partial").write_text(str(result.exit_code))
    os.replace(here / "code.partial", here / f"{week}-{n}.code")  # whole, once there
"""


@pytest.mark.both_stores("locking: two plans of one week at once, each database's write lock")
@pytest.mark.slow  # two plans in subprocesses
def test_two_plans_of_one_week_at_once(example_store, store_target, tmp_path):
    """Two processes plan the same week at the same moment, four times (each a fresh
    week): one plans it and the other is told another plan of that week is under way, or
    they run one after the other; never a crash, never two blocks for one account. The
    two processes live through the four weeks (a process per plan spent most of the time
    loading Python), and start each week's plan only when the test says go."""
    import subprocess
    import sys
    import time

    weeks = ("2026-W49", "2026-W50", "2026-W51", "2026-W52")
    planners = [tmp_path / str(n) for n in range(2)]
    for folder in planners:
        folder.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PLANNER, store_target, CALENDAR, str(folder), str(n), *weeks],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, folder in enumerate(planners)
    ]

    def wait_for(suffix: str, week: str) -> None:
        deadline = time.monotonic() + 120
        while not all((f / f"{week}-{n}.{suffix}").exists() for n, f in enumerate(planners)):
            if any(p.poll() is not None for p in procs):
                for p in procs:
                    p.kill()
                errors = [p.communicate(timeout=60)[1] for p in procs]
                raise AssertionError(f"a planner ended before week {week} was done: {errors}")
            assert time.monotonic() < deadline, f"the planners took over 120 s ({suffix})"
            time.sleep(0.002)

    try:
        for week in weeks:
            wait_for("ready", week)
            for folder in planners:
                (folder / f"{week}.go").touch()  # both processes start together
            wait_for("code", week)
            for n, folder in enumerate(planners):
                said = (folder / f"{week}-{n}.said").read_text()
                assert "Traceback" not in said and "IntegrityError" not in said, said
                code = int((folder / f"{week}-{n}.code").read_text())
                assert code in (0, 9), said
                if code == 9:
                    assert f"another plan of week {week}" in said
            blocks = json.loads(example_store("export").stdout)["focus_blocks"]
            per_account = [b["account_id"] for b in blocks if b["week"] == week]
            assert per_account and len(per_account) == len(set(per_account))
        errors = [p.communicate(timeout=60)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errors
    finally:
        for p in procs:
            if p.poll() is None:  # a failed assertion above: no planner is left running
                p.kill()
                p.communicate(timeout=60)


def test_the_next_plan_withdraws_the_blocks_of_a_deleted_account(example_store, tmp_path):
    """Delete a customer after planning: the re-plan of that week writes its block as
    CANCELLED (same UID, SEQUENCE up), so the calendar loses it without a hand edit."""
    import icalendar

    run = example_store
    out = tmp_path / "week.ics"
    first = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    gone = first["blocks"][0]
    deleted = run("account", "delete", gone["account"], "--with-remarks").stdout
    assert "until the next plan of" in deleted and "withdraws it" in deleted
    again = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    assert gone["account"] not in [b["account"] for b in again["blocks"]]
    withdrawn = [b for b in again["cancelled"] if b["uid"] == gone["uid"]]
    assert [(b["account"], b["reason"]) for b in withdrawn] == [
        (gone["account"], "the account was deleted")
    ]
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    assert str(events[gone["uid"]]["STATUS"]) == "CANCELLED"
    assert int(events[gone["uid"]]["SEQUENCE"]) == gone["sequence"] + 1
    run("account", "restore", gone["account"])
    back = json.loads(
        run("plan", "--busy", str(EXAMPLES / "calendar.ics"), "--out", str(out), "--json").stdout
    )
    assert gone["uid"] in [b["uid"] for b in back["blocks"]]


def test_a_deleted_accounts_block_under_way_is_kept_without_a_worksheet(
    example_store, tmp_path, monkeypatch
):
    run = example_store
    out = tmp_path / "week.ics"
    busy = str(EXAMPLES / "calendar.ics")
    first = json.loads(run("plan", "--busy", busy, "--out", str(out), "--json").stdout)
    gone = first["blocks"][0]
    run("account", "delete", gone["account"], "--with-remarks")
    for sheet in tmp_path.glob("*.md"):
        sheet.unlink()
    started = datetime.fromisoformat(gone["start"]) + timedelta(minutes=10)
    monkeypatch.setenv("FOCUSBLOCK_NOW", started.isoformat())
    week = ("--week", first["week"])
    again = json.loads(run("plan", "--busy", busy, *week, "--out", str(out), "--json").stdout)
    kept = [b for b in again["blocks"] if b["uid"] == gone["uid"]]
    assert [(b["sequence"], b["start"], b["reason"]) for b in kept] == [
        (gone["sequence"], gone["start"], "the account was deleted")
    ]
    assert not [p for p in tmp_path.glob("*.md") if slug_of(gone["account"]) in p.name]
    # its time stays taken: no other block is placed over it
    start, end = (datetime.fromisoformat(kept[0][k]) for k in ("start", "end"))
    for other in again["blocks"]:
        if other["uid"] != gone["uid"]:
            o_start, o_end = (datetime.fromisoformat(other[k]) for k in ("start", "end"))
            assert o_end <= start or o_start >= end, (other, kept[0])
    import icalendar

    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    }
    assert str(events[gone["uid"]].get("DESCRIPTION", "")).strip()  # not rewritten empty


def slug_of(name: str) -> str:
    return name.lower().split()[0]


# --- plan --only-changed and withdrawn blocks ----------------------------------------------


def test_only_changed_with_nothing_changed_says_so_and_writes_no_file(example_store, tmp_path):
    example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics"))
    again = tmp_path / "b.ics"
    result = example_store("plan", "--busy", CALENDAR, "--out", str(again), "--only-changed")
    assert not again.exists()
    assert "Nothing changed since the last plan of 2026-W49; no .ics written" in result.stdout
    assert "Wrote 0 events" not in result.stdout and "Import the .ics" not in result.stdout


def test_worksheets_of_a_withdrawn_block_are_removed_and_only_ours(example_store, tmp_path):
    out = tmp_path / "out" / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    folder = out.parent
    md, html = (
        folder / "2026-W49-brightwater-health.md",
        folder / "2026-W49-brightwater-health.html",
    )
    assert md.exists() and html.exists()
    nordwind = folder / "2026-W49-nordwind-logistik-gmbh.html"
    nordwind.write_text("<p>my own notes, not focusblock's</p>")  # a file that is not ours
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    example_store("account", "edit", "Nordwind", "--stage", "not-sold")
    result = example_store("plan", "--busy", CALENDAR, "--out", str(out), "--force")
    assert "Withdrawn: Brightwater Health" in result.stdout
    assert not md.exists() and not html.exists()
    assert nordwind.read_text() == "<p>my own notes, not focusblock's</p>"
    assert not (folder / "2026-W49-nordwind-logistik-gmbh.md").exists()  # this one was ours
    assert (folder / "2026-W49-kestrel-robotics.md").exists()
    assert "Removed 3 worksheet files of withdrawn blocks" in result.stdout, result.stdout
