"""The deal's side of the worksheet: the people on the customer's side (heard or named),
the gaps in the deal, and the pending deal with nothing basic heard after many remarks."""

from __future__ import annotations

import json
from datetime import date

import pytest

from focusblock.model import Person, Remark
from focusblock.worksheet.gaps import deal_gaps
from focusblock.worksheet.people_section import (
    budget_authority_heard,
    buying_influences,
    names_in,
)
from tests.conftest import EXAMPLES
from tests.pdf_text import pdf_text

CALENDAR = str(EXAMPLES / "calendar.ics")


def said(number: int, text: str, who: str | None = None, lens: str | None = None) -> Remark:
    return Remark(number, "Acme", text, who, date(2026, 11, number), "call", lens, None, 0, None)


# --- names in the words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mei Tan, our CTO, wants it live first.", [("Mei Tan", "CTO")]),
        ("We should loop in our CFO Mark Lee soon.", [("Mark Lee", "CFO")]),
        ("You need to talk to Priya Raman about the rollout.", [("Priya Raman", None)]),
        (
            "Jonas Meyer (head of logistics) runs the depots.",
            [("Jonas Meyer", "head of logistics")],
        ),
        # months, places, companies and products are never people
        ("We met in New York last March and compared Microsoft Teams.", []),
        ("Talk to San Francisco first, then ask Acme Group.", []),
        ("Next Monday the team decides.", []),
        ("the board meets in May", []),
    ],
)
def test_names_in_the_words_are_found_cautiously(text, expected):
    assert names_in(text) == expected


def test_one_entry_per_person_from_who_the_people_table_and_the_words():
    remarks = [
        said(3, "Mei Tan, our CTO, wants the pilot done first.", who="Jonas Meyer"),
        said(5, "Downtime costs us about $4,000 a day."),
        said(7, "I'll push for this internally.", who="Mei"),
    ]
    people = [
        Person("Acme", "Jonas Meyer", "jonas@acme.example", "Head of Service"),
        Person("Acme", "Mark Lee", None, None),
    ]
    found = buying_influences(remarks, people)
    assert [(p.name, p.role, p.email, p.remarks) for p in found] == [
        ("Jonas Meyer", "Head of Service", "jonas@acme.example", (3,)),
        ("Mei Tan", "CTO", None, (3, 7)),  # "Mei" who said remark 7 is Mei Tan
        ("Mark Lee", None, None, ()),  # an account person not heard yet
    ]
    assert found[1].questions == (
        "What does Mei Tan personally win or lose if this goes ahead, or if it does not?",
        "How much say does Mei Tan have in the decision?",
        "Is Mei Tan for it, against it, or not yet known, and how do I know?",
    )


@pytest.mark.parametrize(
    ("text", "who", "role", "heard"),
    [
        ("Procurement will run the tender.", None, None, False),  # not budget authority
        ("Our CFO wants a payback under a year.", None, None, True),
        ("It goes to the board in March.", None, None, True),
        ("Looks good to me.", "Anna Berg", "Geschäftsführerin", True),
        ("Looks good to me.", "Anna Berg", "Head of Finance", True),
        ("Looks good to me.", "Anna Berg", "IT Manager", False),
    ],
)
def test_budget_authority_heard_or_named(text, who, role, heard):
    remarks = [said(1, text, who=who)]
    people = [Person("Acme", who, None, role)] if who else []
    assert budget_authority_heard(buying_influences(remarks, people), remarks) is heard


# --- gaps in the deal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Every late delivery costs us around €2,500 in penalties.", "figures"),
        ("We lose 12 hours a week to re-keying orders.", "figures"),
        ("Anything over 50k has to be approved by Dana.", "signer"),
        ("Ultimately Rob signs off on tooling.", "signer"),
        ("We'll shortlist two vendors and decide after a pilot.", "process"),
        ("Procurement needs three quotes and Legal reads every contract.", "paper"),
        ("They want a security review before any data leaves.", "paper"),
        ("We trialled HubSpot last year.", "competition"),
        ("Honestly we could just build it in-house.", "competition"),
        ("Today it all lives in Excel.", "competition"),
        ("I want this, and I'll push for it with the board.", "champion"),
        ("I'm championing this internally.", "champion"),
        # a line without a full stop is a sentence too (notes, transcripts, bullet lists)
        ("Rob signs the order\nTalk Monday.", "signer"),
        ("- Legal reads every contract\n- pilot in March", "paper"),
    ],
)
def test_a_gap_is_heard_in_the_remark_that_speaks_to_it(text, key):
    gaps = {g.key: g for g in deal_gaps([said(4, text)])}
    assert gaps[key].heard_in == (4,)
    assert gaps[key].status == "heard in remark #4" and not gaps[key].questions


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("It costs a lot, honestly.", "figures"),  # no figure of theirs
        ("We have 45 trucks on the road.", "figures"),  # a figure but no cost
        ("Please sign up for the newsletter.", "signer"),
        ("That is a sign of the times.", "signer"),
        ("We excel at service.", "competition"),
        ("They want this fixed.", "champion"),  # not first person
    ],
)
def test_a_gap_is_not_heard_from_words_that_only_look_like_it(text, key):
    gaps = {g.key: g for g in deal_gaps([said(4, text)])}
    assert gaps[key].heard_in == () and gaps[key].status == "not heard yet"
    assert gaps[key].questions  # the question to ask on the next call


def test_every_remark_that_speaks_to_a_gap_is_named_oldest_first():
    remarks = [said(9, "The CFO signs."), said(2, "Mark approves the budget.")]
    signer = next(g for g in deal_gaps(remarks) if g.key == "signer")
    assert signer.status == "heard in remarks #2, #9"


# --- on the worksheet ----------------------------------------------------------------------


@pytest.fixture
def deal(run):
    run("account", "add", "Acme")
    run("account", "person", "Acme", "Jonas Meyer", "--role", "IT Manager")
    for text, on in (
        ("Mei Tan, our CTO, wants the pilot done before Christmas.", "2026-11-02"),
        ("Downtime costs us about $4,000 a day.", "2026-11-09"),
        ("Procurement will want a security review.", "2026-11-16"),
    ):
        run("remark", "add", "Acme", text, "--on", on)
    return run


def test_the_worksheet_shows_people_and_gaps_in_every_format(deal, tmp_path):
    remarks = json.loads(deal("remark", "list", "Acme", "--json").stdout)
    ids = {r["text"][:8]: r["id"] for r in remarks}
    sheet = deal("worksheet", "Acme").stdout
    people = sheet[sheet.index("\n## People\n") : sheet.index("\n## Gaps in the deal\n")]
    assert f"#### Person: Mei Tan · CTO · in remark #{ids['Mei Tan,']}\n" in people
    assert "#### Person: Jonas Meyer · IT Manager · not heard yet\n" in people
    assert "**Q:** How much say does Mei Tan have in the decision?" in people
    # nobody who holds the money: an IT manager and a CTO are not, procurement is not
    assert "> **Red flag:** No one with budget authority" in people
    gaps = sheet[sheet.index("\n## Gaps in the deal\n") :]
    assert (
        f"#### Gap: Their own figures for the cost of doing nothing · heard in remark "
        f"#{ids['Downtime']}\n" in gaps
    )
    assert "#### Gap: Who signs · not heard yet\n\n**Q:** Who signs the order" in gaps
    assert f"(procurement, legal, security review) · heard in remark #{ids['Procurem']}" in gaps

    html = deal("worksheet", "Acme", "--format", "html").stdout
    assert "<h2>People</h2>" in html and "Red flag: No one with budget authority" in html
    assert "Who signs: not heard yet" in html

    out = tmp_path / "acme.pdf"
    deal("worksheet", "Acme", "--format", "pdf", "--out", str(out))
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert "People" in text and "Red flag: No one with budget authority" in text
    assert "Mei Tan · CTO · in remark #" in text
    assert "Who signs: not heard yet" in text
    assert "How much say does Mei Tan have in the decision?" in text


def test_the_budget_flag_goes_once_someone_who_holds_the_money_is_named(deal):
    deal("remark", "add", "Acme", "Our CFO Ana Ruiz wants payback in a year.", "--on", "2026-11-20")
    sheet = deal("worksheet", "Acme").stdout
    assert "Red flag" not in sheet
    assert "#### Person: Ana Ruiz · CFO · in remark #" in sheet


def _answer(markdown: str, question: str, answer: str) -> str:
    marker = f"**Q:** {question}\n"
    cut = markdown.index(marker) + len(marker)
    return markdown[:cut] + answer + "\n" + markdown[cut:]


def test_answers_under_people_and_gaps_are_read_back_and_shown_again(deal, tmp_path):
    sheet = deal("worksheet", "Acme").stdout
    filled = _answer(sheet, "How much say does Mei Tan have in the decision?", "A veto.")
    filled = _answer(
        filled,
        "Who signs the order, and what do they need to see before they sign?",
        "Their COO, after the pilot.",
    )
    path = tmp_path / "filled.md"
    path.write_text(filled, encoding="utf-8")
    result = deal("reflect", "Acme", "--from", str(path))
    assert "Saved 2 answers." in result.stdout
    again = deal("worksheet", "Acme").stdout
    say = again.index("**Q:** How much say does Mei Tan have in the decision?")
    assert again.index(": A veto.", say) < again.index("**Q:**", say + 5)
    signer = again.index("**Q:** Who signs the order")
    assert again.index(": Their COO, after the pilot.", signer) < again.index("**Q:**", signer + 5)
    assert "## Answered before" not in again  # taken by their own questions
    path.write_text(again, encoding="utf-8")
    assert "Saved 0 answers." in deal("reflect", "Acme", "--from", str(path)).stdout


def test_a_sold_account_has_its_people_and_no_gaps(run):
    run("account", "add", "Sold Co", "--stage", "sold")
    run("remark", "add", "Sold Co", "Mei Tan, our CTO, is happy.", "--on", "2026-11-02")
    sheet = run("worksheet", "Sold Co").stdout
    assert "#### Person: Mei Tan · CTO" in sheet
    assert "## Gaps in the deal" not in sheet and "Red flag" not in sheet


def test_a_lost_account_has_neither(run):
    run("account", "add", "Gone", "--stage", "not-sold")
    run("remark", "add", "Gone", "Mei Tan, our CTO, said no.", "--on", "2026-11-02")
    sheet = run("worksheet", "Gone").stdout
    assert "## People" not in sheet and "## Gaps in the deal" not in sheet


# --- disqualification: nothing basic heard after many remarks ------------------------------


def _chatty(run, name: str, count: int, extra: str | None = None) -> None:
    run("account", "add", name)
    for day in range(count):
        text = f"Nice chat about the weather, number {day}."
        run("remark", "add", name, text, "--on", f"2026-11-{day + 1:02d}")
    if extra:
        run("remark", "add", name, extra, "--on", "2026-11-20")


def test_a_deal_with_nothing_basic_heard_after_ten_remarks_is_listed_for_disqualification(
    run, tmp_path
):
    _chatty(run, "Chatty", 10)
    _chatty(run, "Signed", 9, "Dana signs anything over 50k.")
    _chatty(run, "Few", 9)
    data = json.loads(
        run("plan", "--json", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics")).stdout
    )
    left = {x["account"]: x for x in data["left_out"]}
    assert left["Chatty"]["kind"] == "disqualify"
    assert left["Chatty"]["reason"] == (
        "10 remarks and none of their need, their figures for the cost of doing nothing, "
        "who signs or a decision date heard yet; no call booked"
    )
    planned = {b["account"] for b in data["blocks"]}
    assert "Signed" not in left or left["Signed"]["kind"] != "disqualify"
    assert "Few" not in left or left["Few"]["kind"] != "disqualify"
    assert {"Signed", "Few"} <= planned | set(left)
    sheet = run("worksheet", "Chatty").stdout
    assert "> **Note:** Listed for disqualification: 10 remarks and none of their need" in sheet
    assert "Listed for disqualification" not in run("worksheet", "Signed").stdout


def test_the_number_of_remarks_is_a_setting(run, tmp_path, monkeypatch):
    _chatty(run, "Chatty", 4)
    monkeypatch.setenv("FOCUSBLOCK_PRIORITY_DISQUALIFY_AFTER_REMARKS", "4")
    data = json.loads(
        run("plan", "--json", "--busy", CALENDAR, "--out", str(tmp_path / "a.ics")).stdout
    )
    left = {x["account"]: x for x in data["left_out"]}
    assert left["Chatty"]["kind"] == "disqualify"
    assert "Listed for disqualification: 4 remarks" in run("worksheet", "Chatty").stdout
    monkeypatch.setenv("FOCUSBLOCK_PRIORITY_DISQUALIFY_AFTER_REMARKS", "many")
    bad = run("plan", "--busy", CALENDAR, "--out", str(tmp_path / "b.ics"), code=None)
    assert bad.exit_code != 0 and "PRIORITY_DISQUALIFY_AFTER_REMARKS" in bad.stderr
    assert not (tmp_path / "b.ics").exists()


def test_a_remark_the_seller_put_under_the_decision_lens_speaks_to_how_they_decide():
    remarks = [said(4, "The COO has to sign.", lens="decision"), said(5, "The COO has to sign.")]
    process = next(g for g in deal_gaps(remarks) if g.key == "process")
    assert process.heard_in == (4,)


def test_an_account_with_nothing_heard_and_no_people_has_neither(run):
    run("account", "add", "Blank")
    sheet = run("worksheet", "Blank").stdout
    assert "## People" not in sheet and "## Gaps in the deal" not in sheet
    assert "## What they need" in sheet


def test_a_note_in_brackets_after_who_is_a_role_or_left_out():
    remarks = [
        said(1, "Fine by me.", who="Mark Lee (CFO)"),
        said(2, "Fine by me too.", who="Priya Raman (Kestrel)"),
        said(3, "Agreed.", who="Priya Raman"),
    ]
    found = buying_influences(remarks, [])
    assert [(p.name, p.role, p.remarks) for p in found] == [
        ("Mark Lee", "CFO", (1,)),
        ("Priya Raman", None, (2, 3)),
    ]
    assert budget_authority_heard(found, remarks)
