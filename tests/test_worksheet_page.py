"""The printed page: fewer, better questions; remarks named by their store id wherever the
page points to one; room to write by hand."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from focusblock.cli.worksheet_results import finding_json
from focusblock.model import Remark
from focusblock.store.views import ReflectionView
from focusblock.worksheet.answers import parse_answers
from focusblock.worksheet.content import AGAIN, LAST_RESORT, build_worksheet
from focusblock.worksheet.findings import findings
from focusblock.worksheet.pdf import render_pdf
from focusblock.worksheet.question_bank import load_bank, packaged_bank
from focusblock.worksheet.rendering import render_html, render_markdown
from tests.pdf_text import pdf_text
from tests.test_questions import sheet

ZONE = ZoneInfo("Europe/Berlin")


def remark(remark_id: int, text: str, day: int, lens: str | None = None, who: str = "Jonas"):
    return Remark(remark_id, "Acme", text, who, date(2026, 9, day), "call", lens, None, 0, None)


def generic(item) -> list[str]:
    return [q.text for q in item.questions if q.quote is None and q.asked]


def specific(item) -> list[str]:
    return [q.text for q in item.questions if q.quote is not None]


# ---- fewer, better ----

RICH = "Each truck roll costs us $1,800, we had 140 of them last quarter, maybe more."
ONE = "The CFO signs anything above 50k."
PLAIN = "Thanks for the coffee."


def test_three_specific_questions_leave_no_room_for_generic_ones():
    assert len({f.kind for f in findings(RICH, date(2026, 11, 2))}) >= 3
    ws = sheet([remark(7, RICH, 1, lens="cost")])
    (item,) = ws.remarks
    assert len(specific(item)) == 3
    assert generic(item) == []


def test_at_most_two_generic_questions_follow_the_specific_ones():
    ws = sheet([remark(5, ONE, 1, lens="decision"), remark(6, "Who else decides?", 2, "decision")])
    for item in ws.remarks:
        texts = [q.text for q in item.questions]
        assert len(generic(item)) <= 2, texts
        quoted = [i for i, q in enumerate(item.questions) if q.quote is not None]
        assert quoted == list(range(len(quoted))), "specific questions come first"
    assert len(specific(ws.remarks[0])) >= 1


def test_a_remark_with_nothing_found_still_gets_up_to_two_generic_questions():
    assert not findings(PLAIN, date(2026, 11, 2))
    ws = sheet([remark(3, PLAIN, 1), remark(4, PLAIN + " Again.", 2, lens="need")])
    for item in ws.remarks:
        assert 1 <= len(generic(item)) <= 2, [q.text for q in item.questions]


def test_nothing_is_repeated_and_no_padding_on_a_long_page():
    remarks = [remark(100 + n, PLAIN + f" Visit {n}.", n) for n in range(1, 25)]
    ws = sheet(remarks)
    texts = [q.text for r in ws.remarks for q in r.questions]
    texts += [q.text for s in ws.sections for q in s.questions]
    assert not [t for t, n in Counter(texts).items() if n > 1]
    assert all(len(r.questions) <= 2 for r in ws.remarks)


# ---- store ids, never positions ----


def test_the_page_points_to_remarks_by_their_store_id(tmp_path):
    ws = sheet(
        [
            remark(24, "We need to go live by March.", 1, lens="need", who="Jonas Becker"),
            remark(31, "Go-live is not before summer, the team is busy.", 2, who="Sabine"),
            remark(40, "We need it by March.", 3),
            remark(45, "Still by March, she said.", 4),
            remark(52, "It is by March, as always.", 5),
        ]
    )
    assert [r.number for r in ws.remarks] == [24, 31, 40, 45, 52]
    which = [c.question for c in ws.contradictions]
    opening = "Remark 24 (Jonas Becker, 2026-09-01) says “by March”, remark 31"
    assert any(q.startswith(opening) for q in which)
    assert ws.need is not None and "(from remark 24, 2026-09-01)" in ws.need
    again = AGAIN.replace("{phrase}", "by March").replace("{first}", "24")
    assert again in [q.text for q in ws.remarks[3].questions]  # remark 45, as in remark 24


def test_the_last_resort_question_names_the_remark_by_its_id(tmp_path):
    bank_file = tmp_path / "q.toml"
    bank_file.write_text(
        '[pending.general]\nquestions = ["What did they mean?"]\nreplace = true\n', "utf-8"
    )
    remarks = [remark(12, PLAIN, 1), remark(57, PLAIN + " Still.", 2)]
    ws = sheet(remarks, bank=load_bank(str(bank_file)))
    assert [q.text for q in ws.remarks[0].questions] == ["What did they mean?"]
    assert [q.text for q in ws.remarks[1].questions] == [LAST_RESORT.replace("{number}", "57")]


def test_markdown_heading_leads_with_the_remark_id_and_reads_back():
    ws = sheet([remark(24, ONE, 1, lens="decision"), remark(31, PLAIN, 2)])
    markdown = render_markdown(ws, ZONE)
    assert "### Remark 24 · 2026-09-01 · Jonas · call · lens: decision\n" in markdown
    assert "### Remark 31 · 2026-09-02 · Jonas · call\n" in markdown
    question = ws.remarks[1].questions[0].text
    filled = markdown.replace(f"**Q:** {question}\n", f"**Q:** {question}\nMy answer.\n")
    (answer,) = parse_answers(filled)
    assert (answer.remark_id, answer.text) == (31, "My answer.")


def test_worksheets_written_before_still_read_back():
    """Format 2 as written before: a position, then `· remark #ID` at the end."""
    old = (
        "# Focus: Acme\n"
        "<!-- focusblock worksheet 2: `focusblock reflect` reads the lines like this one; "
        "leave them as they are -->\n\n"
        "## What they said (2 remarks, oldest first)\n\n"
        "### 1. 2026-09-01 · Jonas · call · remark #24\n"
        "<!-- remark 24 words 0123456789abcdef -->\n\n> The CFO signs.\n\n"
        "**Q:** Who else?\n<!-- question 0123456789ab -->\nThe board.\n\n"
        "### 2. 2026-09-02 · Jonas · call · remark #31\n"
        "<!-- remark 31 words 0123456789abcdef -->\n\n> Thanks.\n\n"
        "**Q:** Why?\nBecause.\n"
    )
    assert [(a.remark_id, a.text) for a in parse_answers(old)] == [
        (24, "The board."),
        (31, "Because."),
    ]
    format_1 = old.replace(re.search(r"<!-- focusblock[^\n]*\n", old).group(0), "")
    format_1 = re.sub(r"<!-- remark \d+ words [0-9a-f]+ -->\n", "", format_1)
    assert [a.remark_id for a in parse_answers(format_1)] == [24, 31]


# ---- the printed page ----


def test_html_gives_three_ruled_lines_per_question_and_shows_the_id():
    ws = sheet([remark(24, ONE, 1, lens="decision")])
    page = render_html([ws], ZONE)
    questions = page.count('<p class="question">')
    assert questions > 0
    assert page.count('<div class="line"></div>') >= 3 * questions
    assert '<div class="meta"><strong>Remark 24</strong> · 2026-09-01' in page


def test_pdf_shows_the_remark_id_on_every_remark_box():
    ws = sheet([remark(24, ONE, 1, lens="decision"), remark(31, PLAIN, 2)])
    text = pdf_text(render_pdf([ws], ZONE, system_fonts=False))
    assert "Remark 24 · 2026-09-01" in text
    assert "Remark 31 · 2026-09-02" in text


def test_a_lens_question_that_is_also_an_account_question_is_asked_once(tmp_path):
    bank_file = tmp_path / "q.toml"
    bank_file.write_text('need = ["What is their need, in their own words?"]\n', "utf-8")
    ws = sheet([remark(3, PLAIN, 1, lens="need")], bank=load_bank(str(bank_file)))
    texts = [q.text for r in ws.remarks for q in r.questions]
    texts += [q.text for s in ws.sections for q in s.questions]
    assert texts.count("What is their need, in their own words?") == 1


# ---- worksheet --format json ----

FACTS = {
    "name",
    "stage",
    "need",
    "consequence",
    "decision_date",
    "days_to_decision",
    "next_call",
    "notes",
}
REMARK_KEYS = {
    "id",
    "text",
    "who",
    "heard_on",
    "via",
    "imported_from",
    "lens",
    "suggested_lens",
    "findings",
    "questions",
    "answers",
}


def kestrel_json(example_store, *more: str) -> dict:
    return json.loads(example_store("worksheet", "Kestrel", "--format", "json", *more).stdout)


def test_json_worksheet_has_the_documented_shape(example_store):
    example_store("account", "person", "Kestrel", "Priya Raman", "--role", "Head of Service")
    example_store(
        "account", "person", "Kestrel", "Mei Tan", "--role", "CTO", "--email", "mei@k.com"
    )
    sheet = kestrel_json(example_store)
    markdown = example_store("worksheet", "Kestrel").stdout

    assert set(sheet) == {
        "account",
        "remarks",
        "sections",
        "people",
        "gaps",
        "budget_flag",
        "contradictions",
        "lead_lenses",
    }
    assert set(sheet["account"]) == FACTS
    assert sheet["account"]["name"] == "Kestrel Robotics"
    assert sheet["account"]["decision_date"] == "2027-02-15"
    assert isinstance(sheet["account"]["days_to_decision"], int)
    gaps = {g["key"]: g for g in sheet["gaps"]}
    assert len(gaps) == 6 and all(g["status"] in markdown for g in gaps.values())
    for gap in gaps.values():
        assert gap["heard_in"] or gap["questions"]  # heard in a remark, or what to ask

    remarks = sheet["remarks"]
    shown = [int(n) for n in re.findall(r"^### Remark (\d+) ·", markdown, flags=re.MULTILINE)]
    assert [r["id"] for r in remarks] == shown
    first = remarks[0]
    assert set(first) == REMARK_KEYS
    assert first["imported_from"] == "remarks.csv row 25" and first["via"] == "call"
    for item in remarks:
        for found in item["findings"]:
            assert {"phrase", "kind", "start", "end"} <= set(found)
            assert item["text"][found["start"] : found["end"]] == found["phrase"]
        for question in item["questions"]:
            assert set(question) >= {"id", "text", "quote", "answers"}
            assert f"**Q:** {question['text']}\n<!-- question {question['id']} -->" in markdown
    quoted = [q for r in remarks for q in r["questions"] if q["quote"]]
    assert quoted and all(f"“{q['quote']}”" in q["text"] for q in quoted)

    people = {p["name"]: p for p in sheet["people"]}
    priya = people["Priya Raman"]
    assert priya["role"] == "Head of Service" and priya["email"] is None
    said = [r["id"] for r in remarks if r["who"] == "Priya Raman"]
    assert said and priya["remarks"] == said
    mei = people["Mei Tan"]
    assert (mei["role"], mei["email"], mei["remarks"]) == ("CTO", "mei@k.com", [])
    assert mei["questions"][0]["text"] in markdown
    daniel = people["Daniel Cho"]  # heard, not among the account's people
    assert daniel["role"] is None and daniel["remarks"]

    titles = [s["title"] for s in sheet["sections"]]
    assert "Questions to ask on the next call" in titles


def test_json_contradictions_name_remarks_by_id(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "Unrelated first remark.", "--on", "2026-09-01")
    run("remark", "add", "Acme", "We go live by March.", "--who", "Jonas", "--on", "2026-10-02")
    run("remark", "add", "Acme", "Go-live not before summer.", "--who", "Ana", "--on", "2026-10-03")
    sheet = json.loads(run("worksheet", "Acme", "--format", "json").stdout)
    (which,) = sheet["contradictions"]
    assert which["remarks"] == [2, 3]
    assert which["question"].startswith(
        "Remark 2 (Jonas, 2026-10-02) says “by March”, remark 3 (Ana, 2026-10-03)"
    )


def test_json_worksheet_carries_earlier_answers_and_those_no_longer_asked(run, tmp_path):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "Thanks for the coffee.", "--on", "2026-10-01")
    markdown = run("worksheet", "Acme").stdout
    question = re.search(r"^\*\*Q:\*\* (.+)$", markdown, flags=re.MULTILINE).group(1)
    path = tmp_path / "a.md"
    path.write_text(markdown.replace(f"**Q:** {question}\n", f"**Q:** {question}\nNot much.\n", 1))
    run("reflect", "Acme", "--from", str(path))
    # an answer stored under a question the page no longer asks
    old_id = re.search(r"<!-- question ([0-9a-f]{12}) -->", markdown).group(1)
    earlier = markdown.replace(f"**Q:** {question}\n", "**Q:** Asked once?\nOld thought.\n", 1)
    path.write_text(earlier.replace(f"<!-- question {old_id} -->", "", 1))
    run("reflect", "Acme", "--from", str(path))

    sheet = json.loads(run("worksheet", "Acme", "--format", "json").stdout)
    (item,) = sheet["remarks"]
    asked = {q["text"]: q["answers"] for q in item["questions"]}
    assert asked[question] == [
        {"written_on": "2026-11-25", "text": "Not much.", "about_earlier_words": False}
    ]
    assert item["answers"] == [
        {
            "question": "Asked once?",
            "written_on": "2026-11-25",
            "text": "Old thought.",
            "about_earlier_words": False,
        }
    ]


def test_json_worksheet_all_and_out(example_store, tmp_path):
    out = tmp_path / "kestrel.json"
    result = example_store("worksheet", "Kestrel", "--format", "json", "--all", "--out", str(out))
    assert "Wrote Kestrel Robotics's worksheet to" in result.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == kestrel_json(example_store, "--all")
    refused = example_store(
        "worksheet", "Kestrel", "--format", "json", "--out", str(out), code=None
    )
    assert refused.exit_code != 0 and "Traceback" not in refused.stderr
    assert "json" in example_store("worksheet", "--help").stdout


def test_a_findings_further_details_become_keys_of_its_json():
    """The kinds' details (tense, limit, the thing counted) come as further keys, whether
    a finding holds them as fields or in a `details` mapping."""

    @dataclass(frozen=True)
    class Detailed:
        kind: str
        phrase: str
        start: int
        end: int
        tense: str
        details: dict

    found = Detailed(
        "date", "by 3 February", 4, 17, "future", {"limit": True, "on": date(2027, 2, 3)}
    )
    assert finding_json(found) == {
        "phrase": "by 3 February",
        "kind": "date",
        "start": 4,
        "end": 17,
        "tense": "future",
        "limit": True,
        "on": "2027-02-03",
    }


def test_answers_to_questions_no_longer_asked_stay_under_their_remark_on_paper():
    gone = ReflectionView(31, "A question we no longer ask?", "Old thought.", date(2026, 11, 20))
    ws = build_worksheet(
        account="Acme",
        stage="pending",
        need=None,
        consequence=None,
        decision_date=None,
        next_call=None,
        remarks=[remark(31, PLAIN, 1), remark(40, ONE, 2)],
        reflections=[gone],
        bank=packaged_bank(),
        today=date(2026, 11, 25),
    )
    page = render_html([ws], ZONE)
    box = page[page.index('id="remark-31"') : page.index('id="remark-40"')]
    shown = box.split("A question we no longer ask? (answered before, no longer asked)</p>")[1]
    earlier, lines = shown.split('<div class="answer">')[:2]
    assert "✎ 2026-11-20: Old thought." in earlier
    assert lines.count('<div class="line"></div>') == 1  # one line: it is there to be read
    text = pdf_text(render_pdf([ws], ZONE, system_fonts=False))
    box = " ".join(text[text.index("Remark 31") : text.index("Remark 40")].split())
    assert "A question we no longer ask? (answered before, no longer asked) ✎ 2026-11-20" in box


def test_control_characters_in_what_they_said_are_made_visible_in_the_files(run):
    run("account", "add", "Acme")
    run("remark", "add", "Acme", "Price \x1b[2J is \u202etoo high.", "--who", "\x1b[31mMallory")
    for fmt in ("md", "html"):
        page = run("worksheet", "Acme", "--format", fmt, "--out", "-").stdout
        assert "\x1b" not in page and "\u202e" not in page, fmt
        assert "\\x1b[2J" in page and "\\u202e" in page, fmt
