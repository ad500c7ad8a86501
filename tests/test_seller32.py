"""A seller's week, tried by a careful and a careless seller (seller32's hunt).

Each test is what a seller would expect and what main does not do yet (each was seen
failing on main when written); the docstring says what the seller expects.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.conftest import EXAMPLES, Run
from tests.helpers import meeting_over, start_focusblock, two_accounts_with_calls

SELLER = "sam@myco.example"
CALENDAR = str(EXAMPLES / "calendar.ics")
KESTREL = "Focus: Kestrel Robotics"


def an_email(message_id: str, body: str, date: str = "Thu, 03 Dec 2026 11:15:00 +0100") -> str:
    """A plain-text message from Jonas Meyer of Kestrel Robotics to the seller."""
    return (
        "From: Jonas Meyer <jonas.meyer@kestrel-robotics.com>\n"
        f"To: Sam Seller <{SELLER}>\n"
        "Subject: Re: Offer\n"
        f"Date: {date}\n"
        f"Message-ID: <{message_id}@kestrel-robotics.com>\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + body
    )


@pytest.fixture
def kestrel(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """A store with Kestrel Robotics (domain kestrel-robotics.com); the seller is sam@ and
    today is after the mails' dates."""
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", SELLER)
    monkeypatch.setenv("FOCUSBLOCK_NOW", "2026-12-04T09:00:00-05:00")
    run("account", "add", "Kestrel Robotics", "--domain", "kestrel-robotics.com")
    return run


def texts(run: Run) -> list[str]:
    return [r["text"] for r in json.loads(run("remark", "list", "--json").stdout)]


# --- emails: the customer's words are never taken for a greeting or a quote ----------------


def test_a_one_line_email_that_opens_with_hi_keeps_the_customers_words(kestrel, write):
    """A customer who writes "Hi Sam, the budget of 50k is approved and we sign Friday."
    has said the most important thing of the deal in the greeting's line. A seller expects
    it stored; main drops the whole line as a greeting ("no words of their own") and the
    customer's commitment is lost. Severity: data lost (the customer's words are not kept)."""
    mail = write(
        "approved.eml",
        an_email("ok1", "Hi Sam, the budget of 50k is approved and we sign Friday.\n\nJonas\n"),
    )

    result = kestrel("remark", "import", str(mail))

    assert "no words of their own" not in result.stdout
    assert texts(kestrel) == ["the budget of 50k is approved and we sign Friday."] or texts(
        kestrel
    ) == ["Hi Sam, the budget of 50k is approved and we sign Friday."]


def test_answers_written_inline_between_the_sellers_quoted_questions_are_kept(kestrel, write):
    """Many customers answer "inline": they leave the seller's questions quoted with `>`
    and write each answer under its question. The quoted lines are the seller's own words
    and must be left out, but the answers between them are the customer's. A seller expects
    both answers stored; main cuts the message at "On ... wrote:" and stores nothing
    ("no words of their own"). Severity: data lost (the customer's answers are not kept)."""
    mail = write(
        "inline.eml",
        an_email(
            "inl1",
            "Hi Sam, answers inline.\n\n"
            "On Wed, 2 Dec 2026 at 09:00, Sam Seller <sam@myco.example> wrote:\n"
            "> Can you sign by the end of December?\n\n"
            "No, January at the earliest because of the budget freeze.\n\n"
            "> Is the price of 40,000 EUR acceptable?\n\n"
            "Only if you go 10% lower.\n\n"
            "Jonas\n",
        ),
    )

    kestrel("remark", "import", str(mail))

    stored = " ".join(texts(kestrel))
    assert "January at the earliest because of the budget freeze" in stored
    assert "Only if you go 10% lower." in stored
    assert "Can you sign" not in stored and "40,000 EUR acceptable" not in stored


def test_a_customer_relaying_their_bosss_words_is_not_cut_as_quoted_history(kestrel, write):
    """Customers relay what their boss said: "Our CFO just replied to me, this is what she
    wrote:" and then her condition. That line is the customer's own, not a mail program's
    "On ... Sam wrote:" header, and no one quoted the seller. A seller expects the CFO's
    condition stored, the most important words of the week. Main takes any line ending in
    "wrote:" for the start of quoted history and stores nothing of the message ("no words
    of their own"). Severity: data lost (the customer's words are not kept)."""
    mail = write(
        "relayed.eml",
        an_email(
            "cfo1",
            "Hi Sam,\n\nOur CFO just replied to me, this is what she wrote:\n\n"
            "We will only sign if the price stays under 40k.\n\nBest regards\nJonas\n",
        ),
    )

    kestrel("remark", "import", str(mail))

    assert "We will only sign if the price stays under 40k." in " ".join(texts(kestrel))


@pytest.mark.parametrize(
    "attribution",
    [
        "Le mer. 2 déc. 2026 à 09:00, Sam Seller <sam@myco.example> a\nécrit :",
        "2026-12-02 9:00 GMT+01:00 Sam Seller <sam@myco.example>:",
    ],
    ids=["french-gmail-wrapped", "gmail-date-and-name"],
)
def test_the_line_that_introduces_the_sellers_quoted_mail_is_not_the_customers(
    kestrel, write, attribution
):
    """Under the customer's reply, their mail program introduces the seller's quoted mail
    with a line of its own: French Gmail wraps "Le ... a" / "écrit :" over two lines; some
    Gmail locales write "2026-12-02 9:00 GMT+01:00 Sam Seller <sam@...>:". The quoted `>`
    lines are left out. A seller expects the remark to be the customer's sentence alone.
    Main keeps the introducing line in the remark: the seller's own name and address end
    up in "what the customer said", quoted on the worksheet. Severity: wrong result."""
    mail = write(
        "reply.eml",
        an_email(
            "fr1",
            f"We will sign on Friday.\n\n{attribution}\n\n> Can you sign this week?\n",
        ),
    )

    kestrel("remark", "import", str(mail))

    assert texts(kestrel) == ["We will sign on Friday."]


# --- transcripts: a customer who shares the seller's first name is still the customer -----


def test_a_customer_who_shares_the_sellers_short_name_is_not_the_seller(kestrel, write):
    """A seller whose Zoom name is just "Alex" sets `--me Alex` (the settings file's own
    example allows a short name). On the call, the customer Alex Chen speaks too. A seller
    expects Alex Chen's words stored as Kestrel's: "Alex Chen" is not "Alex". Main takes any
    speaker whose name merely contains "Alex" for the seller and drops the customer's words
    as "your own words", silently. Severity: data lost (a customer's turns not stored)."""
    call = write(
        "GMT20261202-150000_Recording.transcript.vtt",
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:05.000\nAlex: Thanks for joining, how many depots run today?\n\n"
        "00:00:06.000 --> 00:00:15.000\n"
        "Alex Chen: We run 14 depots and lose about 1,800 dollars on every wasted truck roll.\n",
    )

    kestrel("remark", "import", str(call), "--me", "Alex", "--account", "Kestrel Robotics")

    assert texts(kestrel) == [
        "We run 14 depots and lose about 1,800 dollars on every wasted truck roll."
    ]


@pytest.mark.xfail(strict=True, reason="known, open: data lost: 'Cost:' lines taken for speakers")
def test_a_plain_text_transcript_keeps_a_customers_list_of_labelled_points(kestrel, write):
    """A plain-text transcript (Otter's and Meet's "Name: words" lines) where Priya lists
    her points the way people dictate them: "Cost: the trucks drive for nothing." then
    "Time: ..." then "Next Steps: ...". A seller expects all three stored as Priya's, and
    no new person called "Cost". Main takes "Cost" for a speaker (a new person of Kestrel,
    the remark said by "Cost") and drops the "Time:" and "Next Steps:" lines silently:
    neither stored nor counted as left out. Severity: data lost (the customer's words)."""
    call = write(
        "call.txt",
        "Sam Seller: What are the main issues?\n"
        "Priya Raman: We have three issues.\n"
        "Cost: the trucks drive for nothing.\n"
        "Time: the technicians wait two hours.\n"
        "Next Steps: a pilot in Lyon.\n"
        "Sam Seller: Thanks.\n",
    )

    result = kestrel(
        "remark", "import", str(call), "--me", "Sam Seller", "--account", "Kestrel Robotics",
        "--on", "2026-12-02",
    )  # fmt: skip

    remarks = json.loads(kestrel("remark", "list", "--json").stdout)
    said = " ".join(r["text"] for r in remarks)
    assert "the technicians wait two hours" in said
    assert "a pilot in Lyon" in said
    assert "Cost (Kestrel Robotics)" not in result.stdout
    assert {r["who"] for r in remarks} == {"Priya Raman"}


# --- the calendar is the seller's: odd but ordinary things done to a block ---------------


def _calendar_with(plan_file: Path, to: Path, change) -> Path:
    """The seller's calendar export after importing `plan_file` and doing `change` to the
    Kestrel block (as Google or Apple Calendar export it: the same UID, our texts)."""
    calendar = icalendar.Calendar.from_ical(plan_file.read_bytes())
    for event in calendar.walk("VEVENT"):
        if str(event["SUMMARY"]) == KESTREL:
            change(event)
    to.write_bytes(calendar.to_ical())
    return to


def kestrel_sheet_with(run: Run, tmp_path: Path, answer: str) -> tuple[Path, Path, list[str]]:
    """Week 49 planned into tmp_path/week: its .ics, Kestrel's Markdown worksheet, and that
    worksheet's lines with `answer` typed under its first question (not written yet)."""
    out = tmp_path / "week" / "focus.ics"
    run("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = out.parent / "2026-W49-kestrel-robotics.md"
    lines = sheet.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("**Q:**"))
    lines.insert(at + 2, answer)
    return out, sheet, lines


def _plan(run: Run, out: Path, *busy: Path) -> dict:
    args = ["plan", "--busy", CALENDAR, *(x for b in busy for x in ("--busy", str(b)))]
    return json.loads(run(*args, "--out", str(out), "--json").stdout)


def _kestrel_block(result: dict) -> dict | None:
    return next((b for b in result["blocks"] if b["account"] == "Kestrel Robotics"), None)


def _events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_a_block_made_weekly_in_the_calendar_stays_in_its_week(example_store, tmp_path):
    """The seller liked the Tuesday 10:00 block and, in their calendar app, set it to
    "repeat weekly" (4 times): its first time is still Tue 01 Dec 10:00, untouched. A
    seller expects the re-plan of that week to keep the block there. Main reads the series'
    last time as where the seller moved it ("moved by you to Tue 08 Dec 10:00, another
    week: not planned again here") and leaves the block out of the week's file.
    Severity: seller's work undone (the block they kept is taken away from its week)."""
    first = _plan(example_store, tmp_path / "a.ics")
    planned_at = _kestrel_block(first)["start"]

    def repeat_weekly(event: icalendar.Event) -> None:
        event.add("RRULE", {"FREQ": "WEEKLY", "COUNT": 4})

    mine = _calendar_with(tmp_path / "a.ics", tmp_path / "mine.ics", repeat_weekly)

    again = _plan(example_store, tmp_path / "b.ics", mine)

    kestrel = _kestrel_block(again)
    assert kestrel is not None, "the block the seller kept (and made weekly) was withdrawn"
    assert kestrel["start"] == planned_at
    assert KESTREL in _events(tmp_path / "b.ics")


@pytest.mark.xfail(
    strict=True, reason="known, open: seller's work undone: an all-day block is written back timed"
)
def test_a_block_dragged_to_the_all_day_row_stays_an_all_day_event(example_store, tmp_path):
    """The seller dragged the block into Tuesday's all-day row (Google and Outlook allow
    it; the export then has DTSTART;VALUE=DATE). The plan keeps it where they put it, but
    a seller expects it written back as they made it: an all-day event on Tuesday. Main
    writes a timed event from midnight to midnight (DTSTART:20261201T050000Z, 24 hours),
    which re-imported blocks the seller's whole day and night as busy, and warns that "a
    meeting now overlaps the block you moved to Tue 01 Dec 00:00". Severity: seller's
    work altered (the event changes kind on the next import)."""
    _plan(example_store, tmp_path / "a.ics")

    def to_all_day(event: icalendar.Event) -> None:
        day = event["DTSTART"].dt.date()
        del event["DTSTART"]
        del event["DTEND"]
        event.add("DTSTART", day)
        event.add("DTEND", day + timedelta(days=1))

    mine = _calendar_with(tmp_path / "a.ics", tmp_path / "mine.ics", to_all_day)

    _plan(example_store, tmp_path / "b.ics", mine)

    written = _events(tmp_path / "b.ics")[KESTREL]["DTSTART"].dt
    assert type(written) is date, f"written back as a timed event at {written}"


# --- the same notes imported twice are never doubled ---------------------------------------


@pytest.mark.xfail(strict=True, reason="known, open: wrong result: a re-saved CSV adds copies")
@pytest.mark.parametrize(
    ("first", "again"),
    [
        (
            "Each wasted truck roll costs us about 1,800 USD",
            "Each wasted truck roll costs us about 1,800 USD ",
        ),
        ("Call me Monday.\nThe depot list follows.", "Call me Monday.\r\nThe depot list follows."),
        (
            "We tried SAP FSM last year, it didn't stick.",
            "We tried SAP FSM last year, it didn\u2019t stick.",
        ),
    ],
    ids=["a-trailing-space", "crlf-inside-a-cell", "a-curly-apostrophe"],
)
def test_the_crm_export_saved_again_by_a_spreadsheet_adds_no_copy(run, write, first, again):
    """The seller imports the week's CRM export, opens it in Excel or Sheets and saves it
    (or the CRM exports the same notes again a little differently): a trailing space, the
    line breaks inside a note written as CRLF, an apostrophe made curly. The notes are the
    same words to anyone reading them; a seller expects "skipped 1 already stored". Main
    stores each a second time, so every remark list, worksheet and count shows the note
    twice. Severity: wrong result (the store doubled by a re-import)."""

    def csv_of(text: str) -> str:
        return 'account,text,on\r\nKestrel Robotics,"' + text + '",2026-11-20\r\n'

    run("remark", "import", str(write("week.csv", csv_of(first))))

    result = run("remark", "import", str(write("week-resaved.csv", csv_of(again))))

    assert "Added 0 remarks; skipped 1 already stored." in result.stdout
    assert len(json.loads(run("remark", "list", "--json").stdout)) == 1


# --- the worksheet's quoted questions say what the customer said ---------------------------


@pytest.mark.parametrize(
    ("said", "wrong_question"),
    [
        (
            "We don't use Salesforce anymore, we moved to HubSpot in March.",
            "They use “Salesforce”: what do they like about it",
        ),
        ("We stopped using Salesforce last year.", "They use “Salesforce”: what do they like"),
        ("We never used Salesforce.", "They use “Salesforce”: what do they like about it"),
        ("We are not looking at SAP.", "They are looking at “SAP”: what do they like there"),
        ("We do not run on Oracle.", "They use “Oracle”: what do they like about it"),
    ],
    ids=["dont-use-anymore", "stopped-using", "never-used", "not-looking-at", "do-not-run-on"],
)
def test_a_vendor_question_does_not_turn_what_they_said_around(run, said, wrong_question):
    """The worksheet quotes the customer and asks about it; a seller reads the question
    aloud on the call. "We don't use Salesforce anymore" or "We stopped using Salesforce"
    must not become "They use “Salesforce”: what do they like about it?", nor a vendor
    they never used one they use, nor "We are not looking at SAP" "They are looking at
    “SAP”". Main reads "stopped / never / not / don't ... anymore" as using or comparing,
    so the question says the opposite of the remark it quotes. Severity: wrong result (a
    question that misquotes the customer)."""
    run("account", "add", "Kestrel Robotics", "--stage", "pending")
    run("remark", "add", "Kestrel Robotics", said, "--on", "2026-11-20")

    sheet = run("worksheet", "Kestrel Robotics").stdout

    assert wrong_question not in sheet


def test_the_seller_named_in_a_remark_is_not_one_of_the_customers_people(run, monkeypatch):
    """Customers name the seller: "Please talk to Sam Seller about the discount, our CFO
    Mark Lee agrees." With `me = ["Sam Seller"]` set (the seller's own names, for exactly
    this), a seller expects the worksheet's People to list Mark Lee, not themself, and no
    question asking what "Sam Seller" wants or how much say they have in the customer's
    decision. Main lists the seller as a person of the customer's side and asks about them.
    Severity: wrong result (the seller taken for the customer's stakeholder)."""
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "sam.seller@myco.example")
    monkeypatch.setenv("FOCUSBLOCK_ME", '["Sam Seller"]')
    run("account", "add", "Kestrel Robotics", "--stage", "pending")
    run(
        "remark", "add", "Kestrel Robotics",
        "Please talk to Sam Seller about the discount, our CFO Mark Lee agrees.",
        "--on", "2026-11-20",
    )  # fmt: skip

    sheet = run("worksheet", "Kestrel Robotics").stdout

    assert "#### Person: Mark Lee" in sheet
    assert "Person: Sam Seller" not in sheet
    assert "How much say does Sam Seller have" not in sheet


def test_a_block_the_seller_moved_is_never_written_with_a_lower_sequence(example_store, tmp_path):
    """The seller moved the block in their calendar; the calendar raised its SEQUENCE to 1
    (Google, Outlook and CalDAV servers do on a time change) and exports it so. The next
    plan keeps it where they put it, but a seller expects the event it writes to be no
    older than theirs: SEQUENCE 1 or more (README: a block "gets a higher SEQUENCE when it
    moves"). Main writes SEQUENCE:0 again, so Apple Calendar and Thunderbird, which update
    in place by SEQUENCE, take the plan's later updates (a cancel of a withdrawn block
    too, written as SEQUENCE 1) as no newer than what they hold. Severity: wrong result
    (an update or cancel a calendar may ignore)."""
    _plan(example_store, tmp_path / "a.ics")

    def moved_three_hours_later(event: icalendar.Event) -> None:
        for name in ("DTSTART", "DTEND"):
            when = event[name].dt + timedelta(hours=3)
            del event[name]
            event.add(name, when)
        event["SEQUENCE"] = 1

    mine = _calendar_with(tmp_path / "a.ics", tmp_path / "mine.ics", moved_three_hours_later)

    again = _plan(example_store, tmp_path / "b.ics", mine)

    assert _kestrel_block(again)["change"] == "kept where you moved it"
    assert int(_events(tmp_path / "b.ics")[KESTREL]["SEQUENCE"]) >= 1


def test_a_vdir_block_moved_on_the_server_is_not_rewritten_older(example_store, tmp_path):
    """The plan writes one <UID>.ics per block into a vdir that vdirsyncer syncs with a
    CalDAV server. The seller moves the block in their calendar app; vdirsyncer brings the
    server's copy down: times with TZID and a VTIMEZONE, SEQUENCE:1, a newer LAST-MODIFIED.
    The next plan keeps it where they put it; a seller expects its file left as it is
    (README: "an unchanged block's file is not rewritten, so a sync uploads only real
    changes"), or at least never made older. Main rewrites it with SEQUENCE:0 and the old
    LAST-MODIFIED, a change vdirsyncer then uploads over the server's newer copy.
    Severity: wrong result (the seller's calendar gets an older revision of their event)."""
    vdir = tmp_path / "focus"
    example_store("plan", "--busy", CALENDAR, "--out", f"{vdir}/")
    (block_file,) = [p for p in vdir.glob("*.ics") if KESTREL in p.read_text(encoding="utf-8")]
    calendar = icalendar.Calendar.from_ical(block_file.read_bytes())
    (event,) = calendar.walk("VEVENT")
    zone = ZoneInfo("America/New_York")
    for name in ("DTSTART", "DTEND"):
        when = (event[name].dt + timedelta(hours=3)).astimezone(zone)
        del event[name]
        event.add(name, when)  # written with TZID=America/New_York, as a server returns it
    event["SEQUENCE"] = 1
    del event["LAST-MODIFIED"]
    event.add("LAST-MODIFIED", datetime(2026, 11, 25, 15, 30, tzinfo=UTC))
    calendar.add_missing_timezones()
    block_file.write_bytes(calendar.to_ical())
    servers_copy = block_file.read_bytes()

    result = example_store("plan", "--busy", CALENDAR, "--out", f"{vdir}/")

    assert "[kept where you moved it]" in result.stdout
    (written,) = icalendar.Calendar.from_ical(block_file.read_bytes()).walk("VEVENT")
    assert block_file.read_bytes() == servers_copy or int(written["SEQUENCE"]) >= 1


# --- a careless seller's files ---------------------------------------------------------------


def test_reflecting_the_printed_html_worksheet_names_the_file_and_the_markdown(
    example_store, tmp_path
):
    """The seller opens the week's folder, sees `2026-W49-kestrel-robotics.html` (the
    printed one) beside the .md, and gives that to `reflect`. A seller expects the one line
    to name the file they gave and say which file to give instead (the .md beside it), as
    every other user error names its file. Main says "this file is not a focusblock
    worksheet, not of 'Kestrel Robotics'" (which file?) and hints "give the file to:
    focusblock reflect ACCOUNT --from FILE, with its account", though the account was
    right. Severity: wording."""
    out = tmp_path / "week" / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    printed = out.parent / "2026-W49-kestrel-robotics.html"

    refused = example_store("reflect", "Kestrel Robotics", "--from", str(printed), code=4)

    error = [line for line in refused.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1
    assert "2026-W49-kestrel-robotics.html" in error[0]
    assert "2026-W49-kestrel-robotics.md" in refused.stderr


# --- answers typed into last week's worksheet reach next week's ----------------------------


def test_answers_typed_into_last_weeks_worksheet_are_in_next_weeks(example_store):
    """The seller plans week 49, types an answer into Nordwind's worksheet during the week
    (README: "Write your answers into the week's Markdown worksheets whenever you like"),
    and on Friday runs the plan of next week, `plan` as the tour shows it. Nordwind has a
    block in week 50 too. A seller expects next week's Nordwind worksheet to show what they
    wrote last week, and the answer in the store. Main reads the worksheets of the week it
    plans only: week 49's answer is neither stored nor shown in week 50's worksheet (it
    stays only in last week's file until a `reflect` the seller does not know is needed).
    Severity: seller's work not carried (the answer missing from the next worksheet)."""
    week49 = json.loads(example_store("plan", "--busy", CALENDAR, "--json").stdout)
    sheet = Path(next(w for w in week49["worksheets"] if w.endswith("nordwind-logistik-gmbh.md")))
    lines = sheet.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("**Q:**"))
    lines.insert(at + 2, "They close the books in six days; the controller hates it.")
    sheet.write_text("\n".join(lines), encoding="utf-8")

    week50 = json.loads(
        example_store("plan", "--week", "2026-W50", "--busy", CALENDAR, "--json").stdout
    )

    assert "Nordwind Logistik GmbH" in [b["account"] for b in week50["blocks"]]
    next_sheet = Path(
        next(w for w in week50["worksheets"] if w.endswith("nordwind-logistik-gmbh.md"))
    )
    assert "They close the books in six days" in next_sheet.read_text(encoding="utf-8")


def test_a_speaker_who_said_the_accounts_remarks_is_that_customer_in_a_transcript(kestrel, write):
    """The seller's CRM export named Priya Raman as the contact of Kestrel's notes (the
    `who` column); the worksheet lists her under People as Kestrel's. Then the seller
    imports the Zoom transcript of a call with her, with `--me`. A seller expects Priya
    placed as Kestrel's, as the worksheet already knows her. Main refuses the file:
    "cannot tell whose side 'Priya Raman' is on (the customer's, or a colleague's?)",
    nothing stored. Severity: wrong result (a known customer not recognised; the file is
    refused until the seller types her in again with `account person`)."""
    notes = write(
        "crm.csv",
        "Account Name,Note,Date,Contact\r\n"
        'Kestrel Robotics,"Each wasted truck roll costs us about 1,800 USD",2026-11-20,'
        "Priya Raman\r\n",
    )
    kestrel("remark", "import", str(notes))
    assert "#### Person: Priya Raman" in kestrel("worksheet", "Kestrel Robotics").stdout
    call = write(
        "GMT20261202-150000_Recording.transcript.vtt",
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:05.000\nSam Seller: How many trucks do you run today?\n\n"
        "00:00:06.000 --> 00:00:15.000\n"
        "Priya Raman: We run about 140 trucks and a third of the trips are wasted.\n",
    )

    result = kestrel("remark", "import", str(call), "--me", "Sam Seller", code=None)

    assert result.exit_code == 0, result.stderr
    assert "We run about 140 trucks and a third of the trips are wasted." in texts(kestrel)


def test_a_teams_transcript_stores_the_words_not_their_webvtt_escapes(kestrel, write):
    """WebVTT writes `&`, `<` and `>` inside a cue as `&amp;`, `&lt;` and `&gt;` (the
    format's own escapes; Teams writes its cues in <v Name> tags, so it must escape them).
    Priya said "Our P&L owner wants <5% churn". A seller expects those words stored and
    quoted on the worksheet as she said them. Main stores "Our P&amp;L owner wants &lt;5%
    churn": the printed worksheet shows the escapes, and the same words typed or mailed
    are a different remark. Severity: wrong result (the customer's words altered)."""
    call = write(
        "weekly-sync.vtt",
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:04.000\n<v Sam Seller>What matters most this year?</v>\n\n"
        "00:00:05.000 --> 00:00:12.000\n"
        "<v Priya Raman>Our P&amp;L owner wants &lt;5% churn, and that&#39;s final.</v>\n",
    )

    kestrel(
        "remark", "import", str(call), "--me", "Sam Seller", "--account", "Kestrel Robotics",
        "--on", "2026-12-02",
    )  # fmt: skip

    assert texts(kestrel) == ["Our P&L owner wants <5% churn, and that's final."]


# --- a merge keeps what the seller did to a block ---------------------------------------------


def test_a_merge_keeps_the_block_the_seller_moved_and_wrote_in(run, tmp_path, write):
    """Northwind and Northwind Traders (the same customer, typed twice) each got a block in
    week 49. The seller moved the Traders block to Wednesday 14:00 and typed a note into it
    ("MY NOTE: bring the contract."); the plan kept it there. Then they merge Traders into
    Northwind. A seller expects the one block left to be the one they chose and wrote in,
    or at least their note and time carried over. Main keeps Northwind's untouched block
    and writes the seller's block CANCELLED, without their note, so the next import takes
    their time and their note out of the calendar. Severity: seller's work undone."""
    calendar = two_accounts_with_calls(run, write)
    first = tmp_path / "a.ics"
    run("plan", "--busy", str(calendar), "--out", str(first))
    mine = tmp_path / "mine.ics"
    exported = icalendar.Calendar.from_ical(first.read_bytes())
    for event in exported.walk("VEVENT"):
        if str(event["SUMMARY"]) == "Focus: Northwind Traders":
            for name in ("DTSTART", "DTEND"):
                when = event[name].dt + timedelta(hours=5)
                del event[name]
                event.add(name, when)
            event["DESCRIPTION"] = str(event["DESCRIPTION"]) + "\n\nMY NOTE: bring the contract."
            moved_to = event["DTSTART"].dt
    mine.write_bytes(exported.to_ical())
    kept = json.loads(
        run("plan", "--busy", str(calendar), "--busy", str(mine), "--out", str(tmp_path / "b.ics"),
            "--json").stdout
    )  # fmt: skip
    assert "kept where you moved it" in [b["change"] for b in kept["blocks"]]

    run("account", "merge", "Northwind Traders", "Northwind")
    run("plan", "--busy", str(calendar), "--busy", str(mine), "--out", str(tmp_path / "c.ics"))

    live = [
        e
        for e in icalendar.Calendar.from_ical((tmp_path / "c.ics").read_bytes()).walk("VEVENT")
        if str(e.get("STATUS")) != "CANCELLED"
    ]
    assert any("MY NOTE: bring the contract." in str(e.get("DESCRIPTION")) for e in live), (
        "the seller's note is only in a cancelled event"
    )
    assert [e["DTSTART"].dt for e in live] == [moved_to]


# --- a worksheet saved in Word-ish ways ----------------------------------------------------


def test_a_worksheet_saved_as_unicode_by_notepad_does_not_stop_the_weeks_plan(
    example_store, tmp_path
):
    """The seller typed an answer into the week's worksheet in Notepad or Word and saved it
    as "Unicode" (UTF-16 with a BOM, CRLF lines). A seller expects the re-plan to read their
    answer (the BOM says what the text is) or, as it does for a file saved in cp1252, keep
    the file aside and plan the week. Main refuses the whole plan (exit 4): "exists and is
    not a worksheet file focusblock wrote; not overwritten", though focusblock wrote it,
    and no block of the week is written. Severity: wrong result (the week not planned,
    with a message that blames the wrong thing)."""
    out, sheet, lines = kestrel_sheet_with(
        example_store, tmp_path, "The field team is Priya\u2019s 40 technicians."
    )
    sheet.write_bytes("\r\n".join(lines).encode("utf-16"))

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out), code=None)

    assert result.exit_code == 0, result.stderr
    stored = [r["answer"] for r in json.loads(example_store("export").stdout)["reflections"]]
    kept_aside = list(out.parent.glob("2026-W49-kestrel-robotics.answers-*.md"))
    assert stored == ["The field team is Priya\u2019s 40 technicians."] or kept_aside


def test_following_the_force_hint_never_destroys_the_answers_in_a_worksheet(
    example_store, tmp_path
):
    """Same Notepad-saved ("Unicode", UTF-16) worksheet with the seller's answer in it. The
    refused plan hints "choose another file name, or add --force to replace it"; the
    seller does as told. A seller expects their answer stored or the file kept aside, as
    every re-plan keeps answers. Main overwrites the file with a fresh worksheet: the
    answer is neither in the store nor on disk. Severity: data lost."""
    out, sheet, lines = kestrel_sheet_with(
        example_store, tmp_path, "ANSWER-IN-UTF16: the field team is 40 technicians."
    )
    sheet.write_bytes("\r\n".join(lines).encode("utf-16"))
    refused = example_store("plan", "--busy", CALENDAR, "--out", str(out), code=None)
    assert refused.exit_code == 0 or "--force" in refused.stderr

    example_store("plan", "--busy", CALENDAR, "--out", str(out), "--force", code=None)

    stored = [r["answer"] for r in json.loads(example_store("export").stdout)["reflections"]]
    on_disk = [
        p.name
        for p in out.parent.glob("2026-W49-kestrel-robotics*")
        if "ANSWER-IN-UTF16" in p.read_bytes().decode("utf-16", "replace")
        or "ANSWER-IN-UTF16" in p.read_bytes().decode("utf-8", "replace")
    ]
    assert stored or on_disk, "the seller's answer is gone: not stored, not on disk"


@pytest.mark.parametrize(
    "retitle",
    [
        pytest.param(
            lambda lines: ["# Focus: Kestrel Robotics (prep for Wed call)", *lines[1:]],
            marks=pytest.mark.xfail(
                strict=True,
                reason="known, open: a title naming no account is taken as another's "
                "worksheet: the file is set aside whole (answers kept on disk, not stored)",
            ),
        ),
        lambda lines: ["## Focus: Kestrel Robotics", *lines[1:]],
        lambda lines: ["Focus: Kestrel Robotics", "=======================", *lines[1:]],
        lambda lines: lines[1:],
    ],
    ids=["a-note-added-to-the-title", "title-made-h2", "title-as-setext", "title-deleted"],
)
def test_a_renamed_title_line_keeps_the_worksheets_answers(example_store, tmp_path, retitle):
    """The seller answered a question in the week's Kestrel worksheet and, as people do,
    touched its title: added "(prep for Wed call)", made it a smaller heading, let their
    editor rewrite it as a setext heading, or deleted it. The plan wrote this very file for
    Kestrel in this week; a seller expects the re-plan to store their answer as usual.
    Main takes the file for another account's ("the worksheet of 'Kestrel Robotics (prep
    for Wed call)', not of 'Kestrel Robotics'") and only sets it aside, or, without the
    "# Focus:" line, refuses the whole week's plan (exit 4, "not a worksheet file
    focusblock wrote") and hints --force, which overwrites the answer. Severity: seller's
    work not kept (answers left out of the store; the week not planned)."""
    out, sheet, lines = kestrel_sheet_with(
        example_store, tmp_path, "The field team is 40 technicians."
    )
    sheet.write_text("\n".join(retitle(lines)), encoding="utf-8")

    result = example_store("plan", "--busy", CALENDAR, "--out", str(out), code=None)

    assert result.exit_code == 0, result.stderr
    stored = [r["answer"] for r in json.loads(example_store("export").stdout)["reflections"]]
    assert stored == ["The field team is 40 technicians."]


def test_an_earlier_answer_corrected_in_the_worksheet_is_not_written_over(example_store, tmp_path):
    """The re-planned worksheet shows the seller's earlier answer under its question as
    "> ✎ 2026-11-25: The feild team.". The seller fixes it right there, where they see
    it: "The field team, 40 technicians in 3 depots." A seller expects the next plan to
    keep what they wrote: stored as their answer, or the file set aside as it is for any
    line of theirs it cannot store. Main skips the ✎ line as an answer already stored and
    rewrites the worksheet from the store: the correction is gone from the file and never
    reached the store, and nothing is said. Severity: data lost."""
    out, sheet, lines = kestrel_sheet_with(example_store, tmp_path, "The feild team.")
    sheet.write_text("\n".join(lines), encoding="utf-8")
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    shown = sheet.read_text(encoding="utf-8")
    assert "✎ 2026-11-25: The feild team." in shown
    sheet.write_text(
        shown.replace("The feild team.", "The field team, 40 technicians in 3 depots."),
        encoding="utf-8",
    )

    example_store("plan", "--busy", CALENDAR, "--out", str(out))

    stored = [r["answer"] for r in json.loads(example_store("export").stdout)["reflections"]]
    on_disk = [p for p in out.parent.glob("*kestrel*") if "40 technicians" in p.read_text()]
    assert any("40 technicians" in answer for answer in stored) or on_disk


def test_a_block_the_seller_made_private_stays_private_when_the_plan_moves_it(
    example_store, tmp_path, write
):
    """The plan keeps the week's blocks in a vdir (one <UID>.ics each) that vdirsyncer syncs
    to the seller's work calendar, which colleagues can see. The seller set the Kestrel
    block to Private in their calendar app (CLASS:PRIVATE, so colleagues see "busy", not the
    customer's name) and added a location. Then a meeting lands on it and the plan moves
    it. README: "an update writes only what the plan writes (times, title, text, status):
    a location, your own reminders or invitees you added stay". A seller expects the
    block still private. Main keeps the location but drops CLASS:PRIVATE (and resets "show
    as free" to busy): the customer's name is shown to colleagues again. Severity: seller's
    work undone (a privacy setting reverted)."""
    vdir = tmp_path / "focus"
    example_store("plan", "--busy", CALENDAR, "--out", f"{vdir}/")
    (block_file,) = [p for p in vdir.glob("*.ics") if KESTREL in p.read_text(encoding="utf-8")]
    calendar = icalendar.Calendar.from_ical(block_file.read_bytes())
    (event,) = calendar.walk("VEVENT")
    event["CLASS"] = "PRIVATE"
    event["LOCATION"] = "Small meeting room"
    block_file.write_bytes(calendar.to_ical())
    meeting = meeting_over(write, event)

    result = example_store("plan", "--busy", CALENDAR, "--busy", str(meeting), "--out", f"{vdir}/")

    assert "[moved]" in next(line for line in result.stdout.splitlines() if "Kestrel" in line)
    (moved,) = icalendar.Calendar.from_ical(block_file.read_bytes()).walk("VEVENT")
    assert str(moved.get("LOCATION")) == "Small meeting room"
    assert str(moved.get("CLASS")) == "PRIVATE"


def test_the_worksheet_shows_the_facts_a_merge_kept_beside(run):
    """The seller had typed the same customer twice, each with its facts: "Kestrel
    Robotcs" (need "Fewer truck rolls", decision date 2027-03-01) and "Kestrel Robotics"
    (need "Parts on site", 2027-02-15). The merge keeps the first's need and date beside
    the second's own (`account show`: "Kept from merged accounts"). The worksheet is where
    the seller prepares; a seller expects it to show both needs and the other decision
    date too (one of them may be the true one). Main's worksheet shows only the kept
    account's own need and date: what the seller typed for the other is nowhere on the
    page they prepare from. Severity: wrong result (facts typed by the seller hidden)."""
    run("account", "add", "Kestrel Robotcs", "--need", "Fewer truck rolls",
        "--decision-date", "2027-03-01")  # fmt: skip
    run("account", "add", "Kestrel Robotics", "--need", "Parts on site",
        "--decision-date", "2027-02-15")  # fmt: skip
    run("remark", "add", "Kestrel Robotcs", "We waste trips.", "--on", "2026-11-20")
    run("account", "merge", "Kestrel Robotcs", "Kestrel Robotics")

    sheet = run("worksheet", "Kestrel Robotics").stdout

    assert "Parts on site" in sheet
    assert "Fewer truck rolls" in sheet
    assert "2027-03-01" in sheet


def test_an_empty_mailbox_export_is_said_to_be_empty_not_a_bad_transcript(kestrel, write):
    """Google Takeout writes an empty .mbox for a label with no mail. The seller imports
    it with the rest. A seller expects to be told the mailbox holds no messages. Main
    says "empty.mbox: not a transcript this version reads (WebVTT, SubRip, or text with
    'Name: words' lines)", which sends them looking for a transcript problem.
    Severity: wording."""
    mailbox = write("Kestrel.mbox", b"")

    result = kestrel("remark", "import", str(mailbox), code=None)

    said = result.stdout + result.stderr
    assert "transcript" not in said
    assert "empty" in said or "no message" in said


# --- two plans at once ---------------------------------------------------------------------


@pytest.mark.xfail(
    strict=True, reason="known, open: wording: two plans at once leave false *.changed.md copies"
)
def test_two_plans_of_one_week_at_once_leave_no_false_copies_of_worksheets(
    example_store, store_target, db_path
):
    """The seller's morning job and their own `plan` (or a cron line written with `&`
    instead of `&&`) plan the same week at once, into the store's week folder. Nobody
    types in a worksheet meanwhile. A seller expects one set of worksheets, or a plan told
    another plan of the week was under way. Main's second plan takes the first's rewrite
    of a worksheet for the seller's typing: it keeps copies `...changed.md`,
    `...changed-2.md` (the same text as the worksheet) and says "saved into while this plan
    ran: its new answers are not read yet (focusblock reflect ACCOUNT --from that file)",
    a false alarm that sends the seller to reflect files holding no answer.
    Severity: wording (false warnings and clutter in the week folder)."""
    week = db_path.parent / "weeks" / "2026-W49"
    said = []
    for _ in range(4):
        planners = [
            start_focusblock(store_target, "plan", "--week", "2026-W49", "--busy", CALENDAR)
            for _ in range(2)
        ]
        for planner in planners:
            out, err = planner.communicate(timeout=120)
            assert planner.returncode in (0, 9), err
            said.append(out + err)

    copies = sorted(p.name for p in week.glob("*.changed*"))
    assert copies == [], copies
    assert not [s for s in said if "saved into while this plan ran" in s]


# --- reflect in the editor -----------------------------------------------------------------


TITLE_TOUCHED = "text = text.replace('Kestrel Robotics', 'Kestrel Robotics (Wed call)', 1)"
NOTE_ON_TOP = "text = 'My notes: call Priya before Daniel.\\n' + text"


@pytest.mark.parametrize(
    ("edit", "words"),
    [(TITLE_TOUCHED, "TYPED-IN-THE-EDITOR"), (NOTE_ON_TOP, "My notes: call Priya")],
    ids=["title-touched", "notes-above-the-questions"],
)
def test_what_the_seller_typed_in_reflects_editor_is_never_thrown_away(
    run, tmp_path, monkeypatch, edit, words
):
    """`focusblock reflect Kestrel` opens the worksheet in $EDITOR; the seller writes an
    answer, and also touches the title or jots a note above the questions, then saves.
    reflect refuses the file (the title) or says a line of theirs was "not saved: write
    them under a **Q:** line to keep them". A seller expects what they typed to still be
    somewhere they can fix it: the file kept and named, as reflect does for a file that
    is not UTF-8. Main deletes its temporary worksheet before reading it, so the answer
    (or the note) typed in the editor is gone. Severity: data lost."""
    run("account", "add", "Kestrel Robotics", "--stage", "pending")
    run("remark", "add", "Kestrel Robotics", "We need parts on site.", "--on", "2026-11-20")
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "at = text.index('<!-- question')\n"
        "end = text.index('\\n', at) + 1\n"
        "text = text[:end] + 'TYPED-IN-THE-EDITOR: the depot in Lyon first.\\n' + text[end:]\n"
        f"{edit}\n"
        "open(path, 'w', encoding='utf-8').write(text)\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")

    result = run("reflect", "Kestrel Robotics", code=None)

    stored = [r["answer"] for r in json.loads(run("export").stdout)["reflections"]]
    named = [w.strip("'\"(),:") for w in (result.stdout + result.stderr).split()]
    kept = [Path(w) for w in named if w.endswith(".md") and Path(w).is_file()]
    in_store = any(words in answer for answer in stored)
    on_disk = any(words in p.read_text(encoding="utf-8") for p in kept)
    assert in_store or on_disk, (result.stdout, result.stderr, stored)


def test_a_corrected_earlier_answer_is_stored_though_another_question_has_those_words(
    example_store, tmp_path
):
    """Review of the correction reading: the first question answered "No", the second
    "Yes"; the seller corrects the first's "> ✎ ...: No" to "Yes". It must be stored: the
    words were compared with every answer of the account, found under the second
    question, and the correction was lost ("Saved 0 answers")."""
    out = tmp_path / "week" / "focus.ics"
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    sheet = out.parent / "2026-W49-kestrel-robotics.md"
    lines = sheet.read_text(encoding="utf-8").split("\n")
    asked = [i for i, line in enumerate(lines) if line.startswith("**Q:**")]
    lines.insert(asked[1] + 2, "Yes")
    lines.insert(asked[0] + 2, "No")
    sheet.write_text("\n".join(lines), encoding="utf-8")
    example_store("plan", "--busy", CALENDAR, "--out", str(out))
    shown = sheet.read_text(encoding="utf-8")
    first_no = next(
        line for line in shown.split("\n") if line.startswith("> ✎") and line.endswith(": No")
    )
    sheet.write_text(shown.replace(first_no, first_no[: -len("No")] + "Yes", 1), encoding="utf-8")

    example_store("plan", "--busy", CALENDAR, "--out", str(out))

    stored = [r["answer"] for r in json.loads(example_store("export").stdout)["reflections"]]
    assert sorted(stored) == ["No", "Yes", "Yes"]


def test_a_retitled_worksheet_is_read_by_reflect_and_never_replaced_by_worksheet_out(
    example_store, tmp_path
):
    """Review of the retitled worksheet: reflect --from reads it as plan does, and
    `worksheet OTHER --out` (which keeps no answers first) still refuses to replace it."""
    _, sheet, lines = kestrel_sheet_with(
        example_store, tmp_path, "The field team is 40 technicians."
    )
    sheet.write_text("\n".join(["## Kestrel prep (my notes)", *lines[1:]]), encoding="utf-8")

    refused = example_store("worksheet", "Nordwind Logistik GmbH", "--out", str(sheet), code=4)
    assert "not overwritten" in refused.stderr
    example_store("reflect", "Kestrel Robotics", "--from", str(sheet))
    stored = [r["answer"] for r in json.loads(example_store("export").stdout)["reflections"]]
    assert stored == ["The field team is 40 technicians."]


def test_a_first_name_that_said_a_remark_places_no_speaker_of_another_call(kestrel, write):
    """Review of placing speakers by who said the remarks: a CSV note of Kestrel's said by
    "Chris" must not make any "Chris" on a call Kestrel's: only a full name places."""
    notes = write(
        "crm.csv",
        "Account Name,Note,Date,Contact\r\nKestrel Robotics,We waste trips,2026-11-20,Chris\r\n",
    )
    kestrel("remark", "import", str(notes))
    call = write(
        "GMT20261202-150000_Recording.transcript.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nSam Seller: How is it going?\n\n"
        "00:00:06.000 --> 00:00:15.000\nChris: Our budget is frozen until March.\n",
    )

    refused = kestrel("remark", "import", str(call), "--me", "Sam Seller", code=None)

    assert refused.exit_code != 0 and "Chris" in refused.stderr
    assert "Our budget is frozen until March." not in texts(kestrel)
