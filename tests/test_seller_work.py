"""Nothing the seller wrote is undone: typed answers, remark numbers, merged facts, and
what counts as one of our calendar events. Tests marked xfail(strict) are the cases
not yet mended: each fails today, and passing makes the run fail until the mark goes."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run
from tests.helpers import add_old_acme, start_focusblock, two_accounts_with_calls

CALENDAR = str(EXAMPLES / "calendar.ics")


def export(run: Run) -> dict:
    return json.loads(run("export").stdout)


def answer_first_question(path: Path, answer: str) -> str:
    """Type `answer` under the worksheet's first question, as a seller would; the question."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("**Q:**"))
    lines[at + 1 : at + 1] = answer.split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return lines[at].removeprefix("**Q:**").strip()


def stored_answers(run: Run) -> list[str]:
    return [r["answer"] for r in export(run)["reflections"]]


# --- 1. answers typed into a week's worksheet survive a re-plan ----------------------------


def test_a_replan_keeps_the_answers_typed_into_a_worksheet(example_store, tmp_path):
    out = tmp_path / "week" / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = out.parent / "2026-W49-kestrel-robotics.md"
    answer_first_question(sheet, "Priya means the field team.\nAsk about the depot too.")

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out))

    assert stored_answers(example_store) == [
        "Priya means the field team.\nAsk about the depot too."
    ]
    assert re.search(r"kept 1 answer from \S*2026-W49-kestrel-robotics\.md", result.stdout)
    rewritten = sheet.read_text(encoding="utf-8")
    assert "Priya means the field team." in rewritten
    assert "Ask about the depot too." in rewritten  # both lines, in the file as typed


def test_a_withdrawn_blocks_worksheet_keeps_its_answers(example_store, tmp_path):
    out = tmp_path / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = tmp_path / "2026-W49-brightwater-health.md"
    answer_first_question(sheet, "The nurses' manager is the one to win over.")
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")

    example_store("plan", "--busy", CALENDAR, "--out", str(out))

    assert stored_answers(example_store) == ["The nurses' manager is the one to win over."]


def test_a_replan_into_another_folder_still_keeps_the_answers_of_the_first(example_store, tmp_path):
    first = tmp_path / "monday" / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(first))
    answer_first_question(first.parent / "2026-W49-kestrel-robotics.md", "Depot 7 first.")

    example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "wednesday" / "f.ics"))

    assert stored_answers(example_store) == ["Depot 7 first."]


def test_answers_that_cannot_be_stored_keep_the_whole_file(example_store, tmp_path):
    out = tmp_path / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = tmp_path / "2026-W49-kestrel-robotics.md"
    answer_first_question(sheet, "About a remark that will be gone.")
    first_remark = int(re.search(r"### Remark (\d+) ·", sheet.read_text()).group(1))
    example_store("remark", "delete", str(first_remark))
    example_store("remark", "purge", str(first_remark), "--yes")

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out))

    kept = [
        p
        for p in tmp_path.glob("*.md*")
        if "About a remark that will be gone." in p.read_text(encoding="utf-8")
    ]
    assert kept, "the seller's writing is in no file"
    assert any(p.name in result.stdout for p in kept)


def answer_question(path: Path, nth: int, answer: str) -> None:
    """Type `answer` under the worksheet's `nth` question (0 is the first)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = [i for i, line in enumerate(lines) if line.startswith("**Q:**")][nth]
    lines[at + 1 : at + 1] = answer.split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")


def meeting_over(block: dict, write) -> Path:
    """A calendar holding one new meeting over `block`'s time, and the examples' events."""
    start = block["start"].replace("-", "").replace(":", "")[:15]
    end = block["end"].replace("-", "").replace(":", "")[:15]
    zone = "America/New_York"
    return write(
        "landed.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:landed@t\r\nDTSTAMP:20261120T000000Z\r\n"
        f"DTSTART;TZID={zone}:{start}\r\nDTEND;TZID={zone}:{end}\r\n"
        "SUMMARY:Quarterly review\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )


@pytest.mark.both_stores("the paths a plan records, and answers stored mid-plan, on both stores")
def test_a_week_of_replans_loses_no_answer(example_store, tmp_path, write):
    out = tmp_path / "week" / "focus.ics"
    plan = ["plan", "--busy", CALENDAR, "--out", str(out), "--json"]
    first = json.loads(example_store(*plan).stdout)
    kestrel = out.parent / "2026-W49-kestrel-robotics.md"
    brightwater = out.parent / "2026-W49-brightwater-health.md"
    typed = {
        kestrel: ["Priya means the field team.\nAsk about depot 7 too.", "Truck rolls, not parts."],
        brightwater: ["The nurses' manager decides."],
    }
    for path, answers in typed.items():
        for nth, answer in enumerate(answers):
            answer_question(path, nth * 2, answer)

    # Wednesday: a meeting lands on Kestrel's block; the plan moves it and rewrites the sheets
    block = next(b for b in first["blocks"] if b["account"] == "Kestrel Robotics")
    landed = meeting_over(block, write)
    second = example_store("plan", "--busy", CALENDAR, "--busy", str(landed), "--out", str(out))
    assert "kept 2 answers from" in second.stdout and "kept 1 answer from" in second.stdout
    for path, answers in typed.items():
        text = path.read_text(encoding="utf-8")
        for answer in answers:
            # an earlier answer's lines end in Markdown's hard break (two spaces) but its last
            assert "  \n".join(f"> {line}" for line in answer.split("\n"))[2:] in text

    # Thursday: one more answer, then Brightwater is lost and its block withdrawn
    answer_question(brightwater, 5, "Ask who else signs.")
    typed[brightwater].append("Ask who else signs.")
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    example_store("plan", "--busy", CALENDAR, "--busy", str(landed), "--out", str(out))
    example_store("plan", "--busy", CALENDAR, "--busy", str(landed), "--out", str(out))

    stored = stored_answers(example_store)
    for answers in typed.values():
        for answer in answers:
            assert stored.count(answer) == 1, answer
    assert len(stored) == 4
    assert not brightwater.exists()  # its block withdrawn: removed, its answers stored first


# --- 2. a remark's number is never given to another remark ---------------------------------


@pytest.mark.both_stores("ids: SQLite AUTOINCREMENT against PostgreSQL sequences")
def test_a_purged_remarks_number_is_never_reused(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "first words")
    last = json.loads(run("remark", "list", "Acme", "--json").stdout)
    purged = (
        max(r["id"] for r in last["remarks"])
        if isinstance(last, dict)
        else max(r["id"] for r in last)
    )
    run("remark", "delete", str(purged))
    run("remark", "purge", str(purged), "--yes")
    run("remark", "add", "Acme", "other words")
    ids = [r["id"] for r in export(run)["remarks"]]
    assert ids and min(ids) > purged


@pytest.mark.sqlite_only
def test_an_upgraded_store_keeps_its_links_and_never_reuses_a_number(run, db_path, monkeypatch):
    """A store made before remark numbers were kept (revision 0009), with an answer and an
    earlier version pointing at its remarks: the upgrade rebuilds the remark table and
    loses no link; the newest remark purged after it gives its number to no one."""
    from focusblock.store.opening import make_engine, upgrade

    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "me")  # the owner of the rows made below
    db_path.parent.mkdir(parents=True)
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine, "0009")
    with engine.begin() as conn:
        add_old_acme(conn)
        for remark_id, text in ((1, "We close in seven days."), (2, "Our CFO signs.")):
            conn.exec_driver_sql(
                "INSERT INTO remark (id, account_id, text, heard_on, via, created_at, "
                "text_hash, repeat) VALUES (?, 1, ?, '2026-11-02', 'call', "
                "'2026-08-01 00:00:00', ?, 0)",
                (remark_id, text, hashlib.sha256(text.encode()).hexdigest()),
            )
        conn.exec_driver_sql(
            "INSERT INTO remark_revision (remark_id, text, heard_on, via, replaced_at) "
            "VALUES (1, 'We close in six days.', '2026-11-02', 'call', '2026-11-03 00:00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO reflection (account_id, remark_id, question, answer, written_at) "
            "VALUES (1, 1, 'Which holds?', 'Seven, not six.', '2026-11-04 00:00:00')"
        )
    upgrade(engine)
    engine.dispose()
    data = export(run)
    assert data["schema"] != "0009"
    assert [(r["remark_id"], r["answer"]) for r in data["reflections"]] == [(1, "Seven, not six.")]
    assert [v["remark_id"] for v in data["remark_revisions"]] == [1]
    run("remark", "delete", "2")
    run("remark", "purge", "2", "--yes")
    run("remark", "add", "Acme", "Procurement wants three quotes.")
    assert [r["id"] for r in export(run)["remarks"]] == [1, 3]


def test_reflect_refuses_answers_about_a_purged_remark(example_store, tmp_path):
    sheet = tmp_path / "kestrel.md"
    sheet.write_text(example_store("worksheet", "Kestrel").stdout, encoding="utf-8")
    answer_first_question(sheet, "About words that are gone.")
    first_remark = re.search(r"### Remark (\d+) ·", sheet.read_text()).group(1)
    example_store("remark", "delete", first_remark)
    example_store("remark", "purge", first_remark, "--yes")
    example_store("remark", "add", "Kestrel", "Completely unrelated new words")

    result = example_store("reflect", "Kestrel", "--from", str(sheet), code=None)

    assert result.exit_code != 0
    assert f"#{first_remark}" in result.stderr
    assert stored_answers(example_store) == []


# --- 3. a merge keeps every fact of both accounts ------------------------------------------


@pytest.mark.both_stores("a new table's rows moved and carried by export and import-all")
def test_a_merge_keeps_both_accounts_facts(run, run_on, tmp_path):
    run("account", "add", "Kestrel Robotcs", "--need", "Fewer truck rolls",
        "--decision-date", "2027-03-01", "--consequence", "Same words")  # fmt: skip
    run("account", "add", "Kestrel Robotics", "--need", "Parts on site",
        "--decision-date", "2027-02-15", "--consequence", "Same words")  # fmt: skip
    result = run("account", "merge", "Kestrel Robotcs", "Kestrel Robotics")
    assert "need beside 'Kestrel Robotics''s own: Fewer truck rolls" in result.stdout
    assert "decision date beside 'Kestrel Robotics''s own: 2027-03-01" in result.stdout
    assert "consequence" not in result.stdout  # the same words: nothing to keep twice
    shown = json.loads(run("account", "show", "Kestrel Robotics", "--json").stdout)
    assert shown["account"]["need"] == "Parts on site"
    assert [(m["fact"], m["value"], m["from_account"]) for m in shown["merged_facts"]] == [
        ("need", "Fewer truck rolls", "Kestrel Robotcs"),
        ("decision_date", "2027-03-01", "Kestrel Robotcs"),
    ]
    assert "Fewer truck rolls" in run("account", "show", "Kestrel Robotics").stdout
    backup = tmp_path / "backup.json"
    backup.write_text(run("export").stdout, encoding="utf-8")
    restored = run_on(tmp_path / "restored.db")
    restored("import-all", str(backup))
    again = json.loads(restored("account", "show", "Kestrel Robotics", "--json").stdout)
    assert again["merged_facts"] == shown["merged_facts"]


# --- 4. "ours" is what this store wrote ----------------------------------------------------


def board_meeting(write, uid: str, mark: str = "") -> str:
    return str(
        write(
            "board.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ceo//cal//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20261120T000000Z\r\n"
            "DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261202\r\n"
            f"SUMMARY:Board meeting\r\n{mark}"
            "TRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        )
    )


@pytest.mark.parametrize(
    ("uid", "mark"),
    [
        ("board-2026@focusblock", ""),
        ("board-2026@ceo.example.com", "X-FOCUSBLOCK:0\r\n"),
        ("board-2026@ceo.example.com", "X-FOCUSBLOCK:no\r\n"),
    ],
)
def test_an_event_that_merely_looks_like_ours_is_busy(example_store, write, uid, mark):
    calendar = board_meeting(write, uid, mark)
    busy = json.loads(example_store("busy", "--busy", calendar, "--json").stdout)
    assert [e["summary"] for e in busy["busy"]] == ["Board meeting"]


# --- 5. concurrent edits on a shared store lose nothing ------------------------------------


@pytest.mark.slow
@pytest.mark.both_stores("concurrent updates of one row's array columns")
def test_parallel_alias_edits_are_all_kept(store_target, run):
    run("account", "add", "Acme")
    edits = [
        start_focusblock(
            store_target,
            "account",
            "edit",
            "Acme",
            "--alias",
            f"Alias{n}",
            "--domain",
            f"d{n}.example",
        )
        for n in range(8)
    ]
    results = [(e.wait(timeout=120), e.communicate()[1]) for e in edits]
    assert all(code == 0 for code, _ in results), results
    account = next(a for a in export(run)["accounts"] if a["name"] == "Acme")
    assert sorted(account["aliases"]) == sorted(f"Alias{n}" for n in range(8))
    assert len(account["domains"]) == 8


@pytest.mark.slow
@pytest.mark.both_stores("two transactions reading, then inserting the same answers")
def test_one_worksheet_reflected_four_times_at_once_stores_each_answer_once(
    store_target, run, tmp_path
):
    sheet = acme_sheet(run, tmp_path)
    answer_question(sheet, 0, "First answer.")
    answer_question(sheet, 2, "Second answer.")
    runs = [
        start_focusblock(store_target, "reflect", "Acme", "--from", str(sheet)) for _ in range(4)
    ]
    results = [(r.wait(timeout=120), r.communicate()[1]) for r in runs]

    assert all(code == 0 for code, _ in results), results
    assert sorted(stored_answers(run)) == ["First answer.", "Second answer."]


def test_reflecting_a_saved_worksheet_again_after_a_delete_is_no_refusal(example_store, tmp_path):
    """Answers stored before their remark was deleted are already kept: the same file read
    again says so, and is not refused for them."""
    sheet = tmp_path / "kestrel.md"
    sheet.write_text(example_store("worksheet", "Kestrel").stdout, encoding="utf-8")
    answer_first_question(sheet, "Saved before the delete.")
    example_store("reflect", "Kestrel", "--from", str(sheet))
    first_remark = re.search(r"### Remark (\d+) ·", sheet.read_text()).group(1)
    example_store("remark", "delete", first_remark)
    again = example_store("reflect", "Kestrel", "--from", str(sheet), "--json")
    assert json.loads(again.stdout)["already_saved"] == 1
    assert stored_answers(example_store) == ["Saved before the delete."]


def test_a_block_a_merge_stops_planning_stays_ours(run, tmp_path, write):
    """Both accounts had a block in one week; the merge keeps one. The other's event may
    still be in the calendar: read back, it is ours, neither busy time nor the call."""
    calendar = two_accounts_with_calls(run, write)
    out = tmp_path / "f.ics"
    planned = json.loads(run("plan", "--busy", str(calendar), "--out", str(out), "--json").stdout)
    assert len(planned["blocks"]) == 2
    run("account", "merge", "Northwind Traders", "Northwind")
    # the user's calendar, exported after importing both blocks
    busy = json.loads(run("busy", "--busy", str(calendar), "--busy", str(out), "--json").stdout)
    assert {e["summary"] for e in busy["busy"]} == {"Northwind call", "NWT call"}
    assert {e["reason"] for e in busy["not_busy"]} == {"ours: a focus block"}
    assert len(busy["not_busy"]) == 2


@pytest.mark.both_stores("a new column of retired_block, written by merge, read by plan")
def test_the_next_plan_after_a_merge_writes_its_dropped_block_cancelled(run, tmp_path, write):
    """No ghost in the .ics flow: the imported copy of the dropped block is cancelled by
    the next import of the week's file."""
    calendar = two_accounts_with_calls(run, write)
    first = tmp_path / "a.ics"
    planned = json.loads(run("plan", "--busy", str(calendar), "--out", str(first), "--json").stdout)
    before = {b["uid"]: b for b in planned["blocks"]}
    run("account", "merge", "Northwind Traders", "Northwind")
    kept = {b["uid"] for b in export(run)["focus_blocks"]}
    (dropped,) = set(before) - kept

    second = tmp_path / "b.ics"
    run("plan", "--busy", str(calendar), "--out", str(second))

    import icalendar

    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(second.read_bytes()).walk("VEVENT")
    }
    assert str(events[dropped]["STATUS"]) == "CANCELLED"
    assert int(events[dropped]["SEQUENCE"]) > before[dropped]["sequence"]
    live = [u for u, e in events.items() if str(e["STATUS"]) != "CANCELLED"]
    assert live == list(kept)


def test_a_worksheet_naming_a_remark_number_past_any_database_is_one_line(run, write):
    run("account", "add", "Acme")
    sheet = write(
        "w.md",
        "# Focus: Acme\n\n## What they said (1 remark, oldest first)\n\n"
        "### 1. 2026-11-02 · call · remark #99999999999999999999\n\n**Q:** Why?\nBecause.\n",
    )
    result = run("reflect", "Acme", "--from", str(sheet), code=4)
    assert "remark #99999999999999999999: no such remark" in result.stderr


# --- 2b. an answer stays about the words the worksheet showed --------------------------------


def acme_sheet(run: Run, tmp_path: Path, words: str = "We close the books in sxi days.") -> Path:
    """Acme with one remark, and its worksheet as printed now."""
    run("account", "add", "Acme")
    run("remark", "add", "Acme", words, "--on", "2026-11-02")
    sheet = tmp_path / "acme.md"
    sheet.write_text(run("worksheet", "Acme").stdout, encoding="utf-8")
    return sheet


def remark_number(sheet: Path) -> str:
    return re.search(r"### Remark (\d+) ·", sheet.read_text(encoding="utf-8")).group(1)


@pytest.mark.both_stores("the words an answer is about: revisions read back by remark number")
def test_a_typo_fixed_after_printing_keeps_the_answer_with_the_words_shown(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    answer_first_question(sheet, "Six days is two too many.")
    run("remark", "edit", remark_number(sheet), "--text", "We close the books in six days.")

    result = run("reflect", "Acme", "--from", str(sheet))

    assert "Saved 1 answer." in result.stdout
    assert "before an edit: kept with those words" in result.stdout
    assert stored_answers(run) == ["Six days is two too many."]
    again = run("worksheet", "Acme").stdout
    assert "> ✎ " in again and ", about earlier words: Six days is two too many." in again


def test_an_answer_under_words_the_remark_never_had_is_refused_naming_it(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    answer_first_question(sheet, "An answer.")
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(re.sub(r"words [0-9a-f]{16}", "words " + "0" * 16, text), encoding="utf-8")

    result = run("reflect", "Acme", "--from", str(sheet), code=4)

    assert f"remark #{remark_number(sheet)}: the worksheet shows words it never had" in (
        result.stdout + result.stderr
    )
    assert stored_answers(run) == []


def test_a_worksheet_older_than_its_machine_lines_is_read_as_before(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    answer_first_question(sheet, "Read the old way.")
    old = [line for line in sheet.read_text(encoding="utf-8").split("\n") if "<!--" not in line]
    sheet.write_text("\n".join(old), encoding="utf-8")

    assert "Saved 1 answer." in run("reflect", "Acme", "--from", str(sheet)).stdout
    assert stored_answers(run) == ["Read the old way."]


def test_a_question_line_the_seller_rewrote_keeps_its_answer_under_the_question(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    question = answer_first_question(sheet, "My own angle.")
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace(f"**Q:** {question}\n", "**Q:** my version\n", 1), "utf-8")

    run("reflect", "Acme", "--from", str(sheet))

    again = run("worksheet", "Acme").stdout
    under = again.split(f"**Q:** {question}\n", 1)[1].split("**Q:**")[0]
    assert "My own angle." in under


def test_answers_to_questions_no_longer_asked_stay_under_their_remark(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    answer_first_question(sheet, "Still mine.")
    run("reflect", "Acme", "--from", str(sheet))
    run("account", "edit", "Acme", "--stage", "not-sold")  # a lost account is asked nothing

    again = run("worksheet", "Acme").stdout

    assert "_Answered before, no longer asked:_" in again
    assert "> ✎ " in again and ": Still mine." in again
    sheet.write_text(again, encoding="utf-8")
    assert "Saved 0 answers" in run("reflect", "Acme", "--from", str(sheet)).stdout


# --- 5b. a plan that loses a race writes no file --------------------------------------------


@pytest.mark.both_stores("the week's lock and the check made under it")
def test_a_plan_that_loses_a_race_writes_no_file(example_store, tmp_path, monkeypatch):
    import focusblock.plan.write as plan_write

    real = plan_write.worksheet_materials
    raced = []

    def another_plan_meanwhile(*args, **kwargs):
        if not raced:  # while this plan renders, another one of the same week is saved
            raced.append(True)
            other = tmp_path / "other" / "focus.ics"
            example_store("plan", "--busy", CALENDAR, "--out", str(other))
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_write, "worksheet_materials", another_plan_meanwhile)
    mine = tmp_path / "mine"

    result = example_store("plan", "--busy", CALENDAR, "--out", str(mine / "focus.ics"), code=9)

    assert "another plan of week 2026-W49 was saved while this one ran" in result.stderr
    assert not mine.exists() or sorted(p.name for p in mine.iterdir()) == []


# --- found by a hostile try of the re-plan loop -----------------------------------------------


def test_an_untouched_worksheet_with_earlier_questions_stores_nothing(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    answer_first_question(sheet, "Kept from before.")
    run("reflect", "Acme", "--from", str(sheet))
    # an account section's question answered, then no longer asked: "Answered before"
    text = run("worksheet", "Acme").stdout
    at = text.index("## Questions to ask on the next call")
    section_q = text[at:].split("**Q:** ", 1)[1].split("\n", 1)[0]
    answered = text.replace(f"**Q:** {section_q}\n", f"**Q:** {section_q}\nOpen with it.\n", 1)
    sheet.write_text(answered, encoding="utf-8")
    run("reflect", "Acme", "--from", str(sheet))
    run("account", "edit", "Acme", "--stage", "not-sold")  # no account questions now
    untouched = run("worksheet", "Acme").stdout
    assert "## Answered before" in untouched
    sheet.write_text(untouched, encoding="utf-8")

    result = run("reflect", "Acme", "--from", str(sheet))

    assert "Saved 0 answers" in result.stdout
    assert "## Answered before" not in stored_answers(run)


def test_the_worksheet_of_a_block_deleted_in_the_calendar_is_still_read(example_store, tmp_path):
    out = tmp_path / "a.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    import icalendar

    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    mine = tmp_path / "mine.ics"
    mine.write_bytes(calendar.to_ical())
    example_store("plan", "--busy", CALENDAR, "--busy", str(mine), "--out", str(out))  # seen
    for event in list(calendar.walk("VEVENT")):
        if str(event["SUMMARY"]) == "Focus: Kestrel Robotics":
            calendar.subcomponents.remove(event)
    mine.write_bytes(calendar.to_ical())
    example_store("plan", "--busy", CALENDAR, "--busy", str(mine), "--out", str(out))  # removed
    answer_first_question(tmp_path / "2026-W49-kestrel-robotics.md", "Still thinking about it.")

    example_store("plan", "--busy", CALENDAR, "--busy", str(mine), "--out", str(out))

    assert "Still thinking about it." in stored_answers(example_store)


def test_answering_a_blocks_worksheet_does_not_take_the_block_away(run, tmp_path):
    """Acme's block is there for its new remarks only; an answer in its worksheet leaves
    nothing new to reflect on, and the next plan, on the same input, withdrew it."""
    run("account", "add", "Acme")
    for n in range(3):
        run("remark", "add", "Acme", f"Remark number {n} about their close.", "--on", "2026-11-20")
    out = tmp_path / "f.ics"
    plan = ["plan", "--busy", CALENDAR, "--week", "2026-W49", "--out", str(out), "--json"]
    first = json.loads(run(*plan).stdout)
    assert [b["account"] for b in first["blocks"]] == ["Acme"]
    answer_first_question(tmp_path / "2026-W49-acme.md", "Half done; Friday.")
    run(*plan)  # keeps the answer

    again = json.loads(run(*plan).stdout)

    assert [b["account"] for b in again["blocks"]] == ["Acme"]
    assert (tmp_path / "2026-W49-acme.md").exists()


def test_an_answer_saved_while_a_plan_runs_is_kept(example_store, tmp_path, monkeypatch):
    import focusblock.plan.write as plan_write

    out = tmp_path / "f.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = tmp_path / "2026-W49-kestrel-robotics.md"
    real = plan_write.worksheet_materials

    def saved_meanwhile(*args, **kwargs):  # the seller saves just after the plan read it
        answer_first_question(sheet, "Typed while the plan ran.")
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_write, "worksheet_materials", saved_meanwhile)

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out))

    holding = [p for p in tmp_path.glob("*.md") if "Typed while the plan ran." in p.read_text()]
    assert holding, "the answer typed meanwhile is in no file"
    assert holding[0].name in result.stdout


@pytest.mark.parametrize(
    ("where", "typed"),
    [
        ("under the remark's words", "ABOVEQ my note on this remark"),
        ("on the question's own line", "SAMELINE with the audit dates"),
        ("as a question of my own", "**Q:** Who signs off the audit budget?"),
    ],
)
def test_what_the_seller_typed_outside_the_answer_lines_is_never_written_over(
    example_store, tmp_path, where, typed
):
    out = tmp_path / "f.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = tmp_path / "2026-W49-kestrel-robotics.md"
    lines = sheet.read_text(encoding="utf-8").split("\n")
    first_q = next(i for i, line in enumerate(lines) if line.startswith("**Q:**"))
    if where == "under the remark's words":
        quote = next(i for i, line in enumerate(lines) if line.startswith("> "))
        lines.insert(quote + 1, typed)
    elif where == "on the question's own line":
        lines[first_q] += " " + typed
    else:
        lines[first_q:first_q] = [typed, ""]
    sheet.write_text("\n".join(lines), encoding="utf-8")

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out))

    holding = [p for p in tmp_path.glob("*.md") if typed in p.read_text(encoding="utf-8")]
    assert holding, f"what was typed {where} is in no file"
    assert holding[0].name in result.stdout


def test_an_untouched_worksheet_is_never_set_aside(example_store, tmp_path):
    out = tmp_path / "f.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    again = example_store("plan", "--busy", CALENDAR, "--out", str(out))
    assert "Worksheets:" not in again.stdout
    assert not list(tmp_path.glob("*.answers-*.md"))


def test_reflect_says_which_lines_of_yours_it_did_not_save(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    lines = sheet.read_text(encoding="utf-8").split("\n")
    quote = next(i for i, line in enumerate(lines) if line.startswith("> "))
    lines.insert(quote + 1, "My note beside the remark.")
    sheet.write_text("\n".join(lines), encoding="utf-8")

    result = run("reflect", "Acme", "--from", str(sheet))

    assert "a line of yours under no question (e.g. 'My note beside the remark.')" in result.stderr


def test_an_answer_line_that_reads_like_our_heading_stays_in_the_answer(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    answer_question(sheet, 0, "Thinking aloud\n## Cost of doing nothing\nabout 3 hours a week")
    answer_question(sheet, 1, "Second answer, same remark.")

    run("reflect", "Acme", "--from", str(sheet))

    stored = {r["answer"]: r["remark_id"] for r in export(run)["reflections"]}
    assert "Thinking aloud\n## Cost of doing nothing\nabout 3 hours a week" in stored
    assert stored["Second answer, same remark."] is not None  # still about its remark


def test_a_remark_line_pasted_into_an_answer_moves_no_answer(run, tmp_path):
    sheet = acme_sheet(run, tmp_path)
    run("remark", "add", "Acme", "Another remark, later.", "--on", "2026-11-03")
    other = re.findall(r"<!-- remark \d+ words [0-9a-f]{16} -->", run("worksheet", "Acme").stdout)
    pasted = next(line for line in other if f"remark {remark_number(sheet)} " not in line)
    answer_question(sheet, 0, f"See this:\n{pasted}\nand that.")

    run("reflect", "Acme", "--from", str(sheet))

    (stored,) = export(run)["reflections"]
    assert stored["remark_id"] == int(remark_number(sheet))
    assert pasted in stored["answer"]


def test_an_answer_saved_into_a_withdrawn_sheet_while_a_plan_runs_is_kept(
    example_store, tmp_path, monkeypatch
):
    import focusblock.plan.write as plan_write

    out = tmp_path / "f.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = tmp_path / "2026-W49-brightwater-health.md"
    example_store("account", "edit", "Brightwater Health", "--stage", "not-sold")
    real = plan_write.worksheet_materials

    def saved_meanwhile(*args, **kwargs):
        answer_first_question(sheet, "Typed into the withdrawn sheet meanwhile.")
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_write, "worksheet_materials", saved_meanwhile)

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out))

    holding = [
        p
        for p in tmp_path.glob("*.md")
        if "Typed into the withdrawn sheet meanwhile." in p.read_text(encoding="utf-8")
    ]
    assert holding, "the answer typed meanwhile is in no file"
    assert holding[0].name in result.stdout


def test_a_plan_that_loses_the_race_says_which_answers_it_kept(
    example_store, tmp_path, monkeypatch, write
):
    import focusblock.plan.write as plan_write

    mine = tmp_path / "mine"
    first = example_store("plan", "--busy", CALENDAR, "--out", str(mine / "focus.ics"), "--json")
    answer_first_question(mine / "2026-W49-kestrel-robotics.md", "Kept before the race.")
    blocks = json.loads(first.stdout)["blocks"]
    landed = meeting_over(next(b for b in blocks if b["account"] == "Kestrel Robotics"), write)
    real = plan_write.worksheet_materials
    raced = []

    def another_plan_meanwhile(*args, **kwargs):
        if not raced:
            raced.append(True)
            # another plan, after a meeting landed on Kestrel's block, saves other blocks
            other = str(tmp_path / "o" / "f.ics")
            example_store("plan", "--busy", CALENDAR, "--busy", str(landed), "--out", other)
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_write, "worksheet_materials", another_plan_meanwhile)

    result = example_store("plan", "--busy", CALENDAR, "--out", str(mine / "focus.ics"), code=9)

    assert "kept 1 answer from" in result.stderr and "kestrel-robotics.md" in result.stderr
    assert stored_answers(example_store) == ["Kept before the race."]


@pytest.mark.both_stores("PostgreSQL refuses index keys over ~2.7 kB: a long path is no key")
def test_a_plan_into_a_folder_with_a_very_long_path_is_recorded(example_store, tmp_path):
    # about 2,900 characters that do not compress (PostgreSQL compresses long index keys)
    deep = tmp_path.joinpath(*(secrets.token_urlsafe(150) for _ in range(15)))
    out = deep / "focus.ics"

    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    answer_first_question(deep / "2026-W49-kestrel-robotics.md", "Deep down.")
    example_store("plan", "--busy", CALENDAR, "--out", str(tmp_path / "near" / "f.ics"))

    assert stored_answers(example_store) == ["Deep down."]
