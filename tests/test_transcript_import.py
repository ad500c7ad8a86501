"""Call transcripts imported: only the customer's turns become remarks, each speaker placed
by the call's calendar event, the accounts' people, the seller's names or --account; a
speaker that cannot be placed stops that file. The transcripts in tests/transcripts/ were
written for these tests."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from focusblock.capture import Placing, Side, place_speakers
from focusblock.model import Person

SAMPLES = Path(__file__).parent / "transcripts"
AFTER_THE_CALLS = "2026-12-04T09:00:00-05:00"  # the sample calls were on Dec 1 and 2

TEAMS_CALL = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//transcripts//EN
BEGIN:VEVENT
UID:weekly-sync-1@test
DTSTAMP:20261120T120000Z
DTSTART:20261201T150000Z
DTEND:20261201T153000Z
SUMMARY:Nordwind weekly sync
ORGANIZER;CN=Alex Morgan:mailto:alex.morgan@example.com
ATTENDEE;CN="Meyer, Jonas":mailto:jonas.meyer@nordwind-logistik.de
ATTENDEE;CN=Sam Okafor:mailto:sam.okafor@example.com
ATTENDEE;CN=Alex Morgan:mailto:alex.morgan@example.com
END:VEVENT
BEGIN:VEVENT
UID:other-call@test
DTSTAMP:20261120T120000Z
DTSTART:20261130T150000Z
DTEND:20261130T153000Z
SUMMARY:Someone else
ATTENDEE;CN=Jonas Meyer:mailto:jonas.meyer@nordwind-logistik.de
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def seller(monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", AFTER_THE_CALLS)
    monkeypatch.setenv("FOCUSBLOCK_EMAIL", "alex.morgan@example.com")


def remarks(run):
    return json.loads(run("remark", "list", "--json").stdout)


def test_a_teams_call_with_a_colleague_stores_only_the_customers_words(run, write, seller):
    run("account", "add", "Nordwind Logistik", "--domain", "nordwind-logistik.de")
    calendar = write("work.ics", TEAMS_CALL)
    transcript = str(SAMPLES / "teams-weekly-sync.vtt")

    dry = json.loads(
        run("remark", "import", transcript, "--busy", str(calendar), "--dry-run", "--json").stdout
    )

    assert dry["call"] == {
        "day": "2026-12-01",
        "event": f"'Nordwind weekly sync' 2026-12-01 10:00 ({calendar})",
    }
    sides = {s["name"]: (s["side"], s["account"], s["left_out"]) for s in dry["speakers"]}
    assert sides == {
        "Jonas Meyer": ("customer", "Nordwind Logistik", 0),
        "Alex Morgan": ("you", None, 1),
        "Sam Okafor": ("colleague", None, 1),
    }
    assert remarks(run) == []  # a dry run stores nothing

    run("remark", "import", transcript, "--busy", str(calendar))

    stored = remarks(run)
    assert [r["text"] for r in stored] == [
        "We lose two days at every month-end close. Mostly on the intercompany reconciliations.",
        "Germany and the two Dutch ones.",
    ]
    assert {(r["who"], r["via"], r["heard_on"]) for r in stored} == {
        ("Jonas Meyer", "call", "2026-12-01")
    }
    shown = json.loads(run("remark", "show", str(stored[1]["id"]), "--json").stdout)
    assert shown["imported_from"] == "teams-weekly-sync.vtt 01:02"
    again = run("remark", "import", transcript, "--busy", str(calendar))
    assert "Added 0 remarks; skipped 2 already stored." in again.stdout


def test_a_zoom_file_is_dated_by_its_name_and_placed_by_me_and_account(run, seller):
    run("account", "add", "Kestrel Robotics")
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")

    result = run("remark", "import", zoom, "--me", "Alex Morgan", "--account", "kestrel robotics")

    assert "Added 2 remarks" in result.stdout
    assert "Alex Morgan (you, by your name or address)" in result.stdout
    stored = remarks(run)
    assert {(r["account"], r["who"], r["heard_on"]) for r in stored} == {
        ("Kestrel Robotics", "Priya Raman", "2026-12-01")
    }
    assert stored[1]["text"] == "The point is: about forty times a quarter."


def test_a_speaker_that_cannot_be_placed_stops_the_file_and_says_how(run, seller):
    run("account", "add", "Kestrel Robotics")
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")

    alone = run("remark", "import", zoom, code=4)
    assert "'Priya Raman', 'Alex Morgan' are on" in alone.stderr
    assert "--me NAME" in alone.stderr and "--account NAME" in alone.stderr

    # --account alone: who is the seller? Without their name nobody is taken as the customer
    named = run("remark", "import", zoom, "--account", "Kestrel Robotics", code=4)
    assert "--me NAME" in named.stderr
    assert remarks(run) == []


def test_the_setting_me_places_the_seller(run, seller, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_ME", "Alex Morgan, Alex M.")
    run("account", "add", "Kestrel Robotics")
    meet = str(SAMPLES / "meet-export.txt")

    run("remark", "import", meet, "--account", "Kestrel Robotics")

    stored = remarks(run)
    assert {(r["who"], r["heard_on"]) for r in stored} == {
        ("Priya Raman", "2026-12-02"),
        ("Tom Becker", "2026-12-02"),  # everyone but the seller, once the seller is known
    }
    assert stored[0]["text"] == "We need the pilot signed before the board meets."


def test_a_file_that_does_not_say_when_needs_on(run, seller):
    run("account", "add", "Nordwind Logistik")
    teams = str(SAMPLES / "teams-weekly-sync.vtt")
    args = ("--me", "Alex Morgan", "--me", "Sam Okafor", "--account", "Nordwind Logistik")

    refused = run("remark", "import", teams, *args, code=4)
    assert "does not say when the call was; give --on DATE" in refused.stderr

    run("remark", "import", teams, *args, "--on", "2026-12-01")
    assert {r["heard_on"] for r in remarks(run)} == {"2026-12-01"}


def test_several_files_each_all_or_nothing_and_each_named(run, tmp_path, seller):
    run("account", "add", "Kestrel Robotics")
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "GMT20261201-160000_unplaced.vtt").write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\nZed Who: Hello there all.\n", encoding="utf-8"
    )
    shutil.copy(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt", folder)
    files = sorted(str(p) for p in folder.iterdir())

    result = run(
        "remark", "import", *files, "--me", "Alex Morgan", "--account", "Kestrel Robotics",
        "--json", code=4,
    )  # fmt: skip

    report = json.loads(result.stdout)
    by_file = {Path(f["file"]).name: f for f in report["files"]}
    assert by_file["GMT20261201-150000_Recording.transcript.vtt"]["added"] == 2
    assert by_file["GMT20261201-160000_unplaced.vtt"]["imported"] is False
    assert "cannot tell whose side 'Zed Who'" in by_file["GMT20261201-160000_unplaced.vtt"]["error"]
    assert {Path(a["file"]).name for a in report["added"]} == {
        "GMT20261201-150000_Recording.transcript.vtt"
    }
    assert len(remarks(run)) == 2


def test_placing_by_the_calendar_the_accounts_people_and_the_sellers_names():
    placing = Placing(
        account_of_domain={"nordwind-logistik.de": "Nordwind"},
        own={"example.com"},
        seller="alex.morgan@example.com",
        attendees=(
            ("jonas.meyer@nordwind-logistik.de", "Meyer, Jonas"),
            ("sam.okafor@example.com", ""),  # no name: the address says it
            ("alex.morgan@example.com", "Alex Morgan"),
        ),
        people=(Person("Kestrel", "Priya Raman", "priya@kestrel.example"),),
        me=("Alex",),
    )

    placed, unplaced = place_speakers(
        ["Jonas Meyer (Nordwind)", "Sam Okafor", "Alex Morgan", "Priya Raman", "Alex", "Zed"],
        placing,
    )

    assert {name: (p.side, p.account) for name, p in placed.items()} == {
        "Jonas Meyer (Nordwind)": (Side.CUSTOMER, "Nordwind"),
        "Sam Okafor": (Side.COLLEAGUE, None),
        "Alex Morgan": (Side.SELLER, None),
        "Priya Raman": (Side.CUSTOMER, "Kestrel"),
        "Alex": (Side.SELLER, None),
    }
    assert unplaced == ["Zed"]
    with_account = Placing({}, (), account="Kestrel", me=("Alex",))
    placed, unplaced = place_speakers(["Alex", "Zed"], with_account)
    assert placed["Zed"].side is Side.CUSTOMER and unplaced == []
    placed, unplaced = place_speakers(["Zed"], Placing({}, (), account="Kestrel"))
    assert unplaced == ["Zed"]  # nobody is known to be the seller: Zed could be


def test_a_day_after_today_is_refused(run, write):
    run("account", "add", "Kestrel Robotics")  # the clock: 2026-11-25, before the call
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")
    refused = run(
        "remark", "import", zoom, "--me", "Alex Morgan", "--account", "Kestrel Robotics", code=4
    )
    assert f"the call's day {date(2026, 12, 1)} is after today" in refused.stderr


def test_the_worksheet_says_where_in_the_call_it_was_said(run, seller):
    run("account", "add", "Kestrel Robotics")
    zoom = SAMPLES / "GMT20261201-150000_Recording.transcript.vtt"
    run("remark", "import", str(zoom), "--me", "Alex Morgan", "--account", "Kestrel Robotics")

    sheet = run("worksheet", "Kestrel Robotics").stdout

    assert f"· Priya Raman · call · {zoom.name} 00:08\n" in sheet


def test_an_invitee_of_the_accounts_call_is_that_customer_though_its_domain_is_unknown(
    run, write, seller
):
    run("account", "add", "Kestrel Robotics")  # no domain known yet
    calendar = write(
        "work.ics",
        TEAMS_CALL.replace("Nordwind weekly sync", "Kestrel Robotics: pilot")
        .replace("Meyer, Jonas", "Priya Raman")
        .replace("jonas.meyer@nordwind-logistik.de", "priya@kestrel-robotics.io", 1),
    )
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")

    run("remark", "import", zoom, "--busy", str(calendar))

    assert {(r["account"], r["who"]) for r in remarks(run)} == {("Kestrel Robotics", "Priya Raman")}


def test_a_hostile_file_name_and_speaker_stay_one_line_and_inert(run, tmp_path, seller):
    evil = tmp_path / "evil\nname.vtt"
    evil.write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v \x1b[31mEvil\x1b[0m>Hello there friend.</v>\n",
        encoding="utf-8",
    )

    refused = run("remark", "import", str(evil), "--on", "2026-12-01", code=4)

    assert refused.stderr.count("\n") == 1 and "evil\\nname.vtt" in refused.stderr
    assert "\x1b" not in refused.stderr and "\\x1b[31mEvil" in refused.stderr


def test_the_accounts_people_place_speakers_and_speakers_become_its_people(run, seller):
    run("account", "add", "Kestrel Robotics")
    run("account", "person", "Kestrel Robotics", "Raman, Priya", "--role", "Head of Service")
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")

    placed = run("remark", "import", zoom, "--me", "Alex Morgan")  # no --account needed

    assert "Priya Raman (Kestrel Robotics, by a person of Kestrel Robotics)" in placed.stdout
    assert {r["account"] for r in remarks(run)} == {"Kestrel Robotics"}

    run("account", "add", "Nordwind Logistik")
    teams = str(SAMPLES / "teams-weekly-sync.vtt")
    args = ("--me", "Alex Morgan", "--me", "Sam Okafor", "--account", "Nordwind Logistik")
    found = run("remark", "import", teams, *args, "--on", "2026-12-01")
    assert "New people: Jonas Meyer (Nordwind Logistik)" in found.stdout
    people = json.loads(run("account", "show", "Nordwind Logistik", "--json").stdout)["people"]
    assert [p["name"] for p in people] == ["Jonas Meyer"]


def test_a_speaker_who_says_their_title_gets_it_as_their_role(run, tmp_path, seller):
    run("account", "add", "Kestrel Robotics")
    call = tmp_path / "GMT20261201-150000_intro.vtt"
    call.write_text(
        "WEBVTT\n\n00:01.000 --> 00:04.000\nPriya Raman: I'm the head of service here, "
        "and I am happy with the pilot so far.\n\n00:05.000 --> 00:06.000\n"
        "Alex Morgan: Good to hear.\n",
        encoding="utf-8",
    )

    run("remark", "import", str(call), "--me", "Alex Morgan", "--account", "Kestrel Robotics")

    people = json.loads(run("account", "show", "Kestrel Robotics", "--json").stdout)["people"]
    assert [(p["name"], p["role"]) for p in people] == [("Priya Raman", "head of service")]


@pytest.mark.parametrize(
    ("words", "role"),
    [
        ("As CFO, I sign off on anything above 50k.", "CFO"),
        ("My role is procurement lead for EMEA.", "procurement lead"),
        ("I'm a senior buyer at Kestrel.", "senior buyer"),
        ("I am happy with the manager.", None),
        ("As I said, the manager wants it.", None),
        ("I'm not sure that works for us.", None),
    ],
)
def test_a_role_in_their_own_words(words, role):
    from focusblock.said import role_in_words

    assert role_in_words(words) == role


def test_a_call_without_the_seller_says_so_and_how_to_go_on(run, tmp_path, seller):
    run("account", "add", "Kestrel Robotics")
    call = tmp_path / "GMT20261201-150000_voicemail.vtt"
    call.write_text(
        "WEBVTT\n\n00:01.000 --> 00:04.000\nPriya Raman: Call me back about the pilot.\n",
        encoding="utf-8",
    )
    args = (str(call), "--account", "Kestrel Robotics", "--me", "Alex Morgan")

    refused = run("remark", "import", *args, code=4)

    assert "none of the speakers is you: 'Alex Morgan'" in refused.stderr
    run("account", "person", "Kestrel Robotics", "Priya Raman")
    run("remark", "import", *args)
    assert [r["who"] for r in remarks(run)] == ["Priya Raman"]


def test_a_corrected_turn_is_not_brought_back_by_the_same_transcript(run, seller):
    run("account", "add", "Kestrel Robotics")
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")
    args = (zoom, "--me", "Alex Morgan", "--account", "Kestrel Robotics")
    run("remark", "import", *args)
    first = remarks(run)[0]
    run("remark", "edit", str(first["id"]), "--text", "Technicians arrive and the part is missing.")

    again = json.loads(run("remark", "import", *args, "--json").stdout)

    assert again["added"] == []
    assert {s["why"] for s in again["skipped"]} >= {f"corrected since (remark #{first['id']})"}
    assert len(remarks(run)) == 2


def test_the_sellers_name_outranks_the_calendar_and_the_accounts_people(run, write, monkeypatch):
    monkeypatch.setenv("FOCUSBLOCK_NOW", AFTER_THE_CALLS)  # no email setting: the address
    run("account", "add", "Kestrel Robotics", "--domain", "kestrel-robotics.com")  # is unknown
    calendar = write(
        "cal.ics",
        TEAMS_CALL.replace("Nordwind weekly sync", "Kestrel weekly")
        .replace("Meyer, Jonas", "Priya Raman")
        .replace("jonas.meyer@nordwind-logistik.de", "priya.raman@kestrel-robotics.com", 1),
    )
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")
    run("account", "person", "Kestrel Robotics", "Alex Morgan")  # wrongly added by hand

    run("remark", "import", zoom, "--busy", str(calendar), "--me", "Alex Morgan")

    assert {r["who"] for r in remarks(run)} == {"Priya Raman"}


@pytest.mark.parametrize(
    "spelling",
    ["Dr. Alex Morgan", "Alex Morgan | Seller Inc", "A. Morgan", "Alex M.", "alex morgan"],
)
def test_the_seller_under_another_spelling_is_the_seller(spelling):
    placed, unplaced = place_speakers([spelling], Placing({}, (), me=("Alex Morgan",)))
    assert placed[spelling].side is Side.SELLER and unplaced == []


def test_the_sellers_address_as_a_speaker_is_the_seller():
    placing = Placing({}, (), seller="alex.morgan@example.com")
    placed, _ = place_speakers(["alex.morgan@example.com"], placing)
    assert placed["alex.morgan@example.com"].side is Side.SELLER


def test_a_name_two_accounts_people_share_is_placed_by_account_or_not_at_all():
    people = (Person("Alpha Freight", "John Smith"), Person("Beta Foods", "John Smith"))
    _, unplaced = place_speakers(["John Smith"], Placing({}, (), people=people))
    assert unplaced == ["John Smith"]
    chosen = Placing({}, (), people=people, account="Alpha Freight", me=("Alex",))
    placed, _ = place_speakers(["John Smith", "Alex"], chosen)
    assert placed["John Smith"].account == "Alpha Freight"


def test_the_account_named_for_the_file_is_every_customers():
    placing = Placing(
        {}, (), people=(Person("Kestrel", "Priya Raman"),), account="Brand New", me=("Alex",)
    )
    placed, _ = place_speakers(["Priya Raman", "Tom Becker", "Alex"], placing)
    assert {placed[s].account for s in ("Priya Raman", "Tom Becker")} == {"Brand New"}


def test_a_turn_without_punctuation_is_cut_into_remarks_a_worksheet_can_quote():
    from focusblock.said import MAX_WORDS, remarks_of

    pieces = remarks_of("we lose parts at the depot " * 400)  # 2,400 words, no full stop
    assert len(pieces) == 40 and all(len(p.split()) <= MAX_WORDS for p in pieces)
    assert " ".join(pieces) == ("we lose parts at the depot " * 400).strip()
    sentence = "This sentence has exactly ten words in it, no more. "
    assert len(remarks_of(sentence * 3)) == 1  # sentences kept together as before


def test_a_dry_run_of_several_files_places_speakers_as_the_real_run_will(run, seller):
    run("account", "add", "Kestrel Robotics", "--domain", "kestrel-robotics.com")
    mail = str(SAMPLES.parent / "emails" / "gmail-html-only.eml")
    otter = str(SAMPLES / "otter-export.srt")
    args = ("remark", "import", mail, otter, "--on", "2026-12-02", "--me", "Alex Morgan")

    dry = run(*args, "--dry-run")  # the email's sender, Priya, places her in the call

    assert "Not imported" not in dry.stdout
    real = run(*args)
    assert "Not imported" not in real.stdout


def test_mail_goes_first_so_its_senders_place_the_speakers_of_a_call(run, seller):
    run("account", "add", "Kestrel Robotics", "--domain", "kestrel-robotics.com")
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")
    mail = str(SAMPLES.parent / "emails" / "gmail-html-only.eml")

    result = run("remark", "import", zoom, mail, "--me", "Alex Morgan")  # the call first

    assert "Not imported" not in result.stdout
    assert {r["who"] for r in remarks(run)} == {"Priya Raman"}


def test_with_your_name_given_the_hint_asks_only_for_the_account(run, seller):
    run("account", "add", "Kestrel Robotics")
    zoom = str(SAMPLES / "GMT20261201-150000_Recording.transcript.vtt")
    refused = run("remark", "import", zoom, "--me", "Alex Morgan", code=4)
    assert "--account NAME" in refused.stderr and "--me NAME" not in refused.stderr
