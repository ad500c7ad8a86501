"""The Markdown worksheet's machine-read lines, and reading answers back from it.

The rule: the lines written directly below a `**Q:**` line, up to the next question or
one of our headings, are that question's answer. The remark itself and earlier answers
(quoted, `>`) are never answers, so editing a remark's text changes nothing.

The machine-read lines, fixed in format 2 (a worksheet without them, format 1, is read
as before: by its headings alone):
- `<!-- focusblock worksheet 2 ... -->` under the title;
- `<!-- remark 42 words 0123456789abcdef -->` under each remark's heading: its store id and
  the fingerprint of the words printed (fingerprints.words_of);
- `**Q:** the question`, and below it `<!-- question 0123456789ab -->`: its id
  (fingerprints.question_id), wherever it ends up among the answer's lines;
- `> ✎ 2026-12-01: an earlier answer`, its further lines `> ...`: never read as answers;
- the line NO_LONGER_ASKED above questions answered before and no longer asked;
- `#### Person: ...` and `#### Gap: ...` headings in the People and Gaps sections, each
  above its own questions, and the `> **Red flag:** ...` line under the People heading.
Later sections add headings and questions in these same shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from focusblock.fingerprints import WORKSHEET_MARK, question_id
from focusblock.store.views import Answer
from focusblock.worksheet.content import (
    CONTRADICTIONS_TITLE,
    EARLIER_QUESTIONS_TITLE,
    STAGE_SECTIONS,
)
from focusblock.worksheet.gaps import GAPS_TITLE
from focusblock.worksheet.people_section import PEOPLE_TITLE

FORMAT_MARK = (
    f"{WORKSHEET_MARK}2: `focusblock reflect` reads the lines like this one; "
    "leave them as they are -->"
)
NO_LONGER_ASKED = "_Answered before, no longer asked:_"
QUESTION = re.compile(r"^\*\*Q:\*\*\s*(?P<text>.+?)\s*$")
QUESTION_MARK = re.compile(r"^<!-- question (?P<id>[0-9a-f]{12}) -->$")
REMARK_MARK = re.compile(r"^<!-- remark (?P<id>\d+) words (?P<words>[0-9a-f]{16}) -->$")
# a remark's heading names its store id: first (`### Remark 42 · 2026-12-01 · ...`), or, in
# worksheets written before, last (`### 3. 2026-12-01 · ... · remark #42`)
REMARK_HEADING = re.compile(
    r"^###\s+Remark (?P<id>\d+)(?:\s+·.*)?$|^###\s.*·\s*remark #(?P<old_id>\d+)\s*$"
)
REMARKS_HEADING = "## What they said ("
TITLE = re.compile(r"^# Focus: (?P<account>.+?)\s*$")
# an earlier answer as we print it (its further lines are `>` lines right below it)
EARLIER = re.compile(r"^> ✎ \d{4}-\d{2}-\d{2}(?:, [^:]*)?: ")
SECTIONS = {title for sections in STAGE_SECTIONS.values() for title, _ in sections}
SECTIONS.update((CONTRADICTIONS_TITLE, EARLIER_QUESTIONS_TITLE, PEOPLE_TITLE, GAPS_TITLE))
# the headings inside the People and Gaps sections, one above each person's or gap's
# questions, and the line that may stand right under the People heading
PERSON_HEADING = "#### Person: "
GAP_HEADING = "#### Gap: "
RED_FLAG = "> **Red flag:** "


def worksheet_account(markdown: str) -> str | None:
    """The account a Markdown worksheet names in its title line, if it has one."""
    for line in markdown.lstrip("\ufeff").splitlines()[:5]:
        title = TITLE.match(line)
        if title:
            return title.group("account")
    return None


def worksheet_owner(markdown: str, account: str) -> str | None:
    """The account a worksheet is of: the one its title names, else `account` when it is
    one focusblock wrote (our machine-read line under the title) whose title line the
    seller changed or deleted; None for a file that is no worksheet of ours."""
    named = worksheet_account(markdown)
    if named is None and WORKSHEET_MARK in markdown[:1000]:
        return account
    return named


@dataclass(frozen=True)
class WorksheetRead:
    answers: list[Answer]
    # the seller's lines that are under no question (a note beside a remark, an answer
    # typed on the question's own line, a question of their own left unanswered): no
    # answer holds them, so a file that has any must never be written over
    stray: list[str]
    # the earlier answers the worksheet shows (`> ✎ date: ...`), as they read now: one the
    # seller corrected there is theirs to keep (save_answers tells which)
    earlier: list[Answer] = field(default_factory=list)


# the lines our Markdown worksheet prints above the remarks, besides headings and tables
_INTRO = frozenset(
    {
        "One customer, full attention. Read every remark, answer the questions under it in",
        "your own words (write on the lines below each **Q:**), then prepare the next call.",
    }
)


def parse_answers(markdown: str) -> list[Answer]:
    """Every answer written under a question (read_worksheet)."""
    return read_worksheet(markdown).answers


def read_worksheet(markdown: str) -> WorksheetRead:
    """Every answer written under a question, its lines as the user typed them, and the
    seller's lines that are under none.

    Only the lines we generate are skipped, recognised exactly: our headings and
    machine-read lines, earlier answers (`> ✎ date: ...` and the `>` lines right below),
    and what stands above a remark's first question (its quote, the suggested lens). A
    line of the user's that starts with `#` or `>` is text.
    """
    answers: list[Answer] = []
    stray: list[str] = []
    earlier: list[Answer] = []
    earlier_lines: list[list[str]] = []  # the lines of each, joined at the end
    remark_id: int | None = None
    words: str | None = None
    in_remarks = False
    question: str | None = None
    asked_id: str | None = None
    lines: list[str] = []
    in_earlier = False
    format_2 = FORMAT_MARK in markdown
    every = markdown.replace("\r\n", "\n").split("\n")
    # our account sections come after every remark, and "What they said" once before them:
    # such a heading anywhere else is a line the seller typed into an answer
    last_remark = max(
        (i for i, line in enumerate(every) if (_heading(line.rstrip()) or ("",))[0] == "remark"),
        default=-1,
    )
    first_remarks = next(
        (i for i, line in enumerate(every) if line.startswith(REMARKS_HEADING)), -1
    )

    def close() -> None:
        text = "\n".join(lines).strip()
        if question is not None and text:
            on_remark = remark_id if in_remarks else None
            answers.append(
                Answer(on_remark, question, text, words if on_remark else None, asked_id)
            )
        elif question is not None and format_2 and asked_id != question_id(question):
            # a question line the seller wrote or changed, nothing under it: only the file
            # holds what they typed there
            stray.append(f"**Q:** {question}")

    for number, raw in enumerate(every):
        line = raw.rstrip()
        if in_earlier and line.startswith(">"):
            earlier_lines[-1].append(line[2:] if line.startswith("> ") else line[1:])
            continue
        in_earlier = False
        heading = _heading(line)
        if heading is not None and question is not None:
            kind = heading[0]
            following = next((x.strip() for x in every[number + 1 :] if x.strip()), "")
            ours_next = bool(QUESTION.match(following)) or following.startswith(
                (PERSON_HEADING, GAP_HEADING, RED_FLAG)
            )
            typed_in = (
                (kind == "section" and (number < last_remark or not ours_next))
                or (kind == "part" and number < last_remark)
                or (kind == "remarks" and number != first_remarks)
                # ours is followed by its machine-read line (format 2)
                or (kind == "remark" and format_2 and not REMARK_MARK.match(following))
            )
            if typed_in:
                heading = None
        if heading is not None:
            close()
            question, asked_id, lines = None, None, []
            kind, remark = heading
            if kind == "remark":
                remark_id, words, in_remarks = remark, None, True
            elif kind != "title":
                in_remarks, remark_id, words = kind == "remarks", None, None
            continue
        mark = REMARK_MARK.match(line)
        # ours stands right under its remark's heading, before any question: pasted into
        # an answer, it is the answer's text, never a move to another remark
        if mark and in_remarks and question is None:
            # the machine-read line is the remark's number even if its heading was edited
            remark_id, words = int(mark.group("id")), mark.group("words")
            continue
        if line in (FORMAT_MARK, NO_LONGER_ASKED):
            continue
        asked = QUESTION.match(line)
        if asked:
            close()
            question, asked_id, lines = asked.group("text"), None, []
            continue
        question_mark = QUESTION_MARK.match(line)
        if question_mark and question is not None:
            asked_id = question_mark.group("id")
            continue
        if question is None:
            if not _printed_by_us(line):
                stray.append(line)
            continue
        before = EARLIER.match(line)
        if before:
            in_earlier = True
            on_remark = remark_id if in_remarks else None
            earlier.append(Answer(on_remark, question, "", words if on_remark else None, asked_id))
            earlier_lines.append([line[before.end() :]])
            continue
        if in_remarks and remark_id is None:
            continue  # a question under no remark heading: nothing to attach it to
        lines.append(line)
    close()
    shown = [
        replace(a, text="\n".join(more)) for a, more in zip(earlier, earlier_lines, strict=True)
    ]
    return WorksheetRead(answers, stray, shown)


def stray_summary(stray: list[str] | tuple[str, ...]) -> str | None:
    """How many of the seller's lines are under no question, with the first as an example."""
    if not stray:
        return None
    first = " ".join(stray[0].split())
    shown = first if len(first) <= 60 else first[:57] + "..."
    lines = "a line" if len(stray) == 1 else f"{len(stray)} lines"
    return f"{lines} of yours under no question (e.g. '{shown}')"


def _printed_by_us(line: str) -> bool:
    """A line above a worksheet's questions that the worksheet itself prints."""
    text = line.strip()
    return (
        not text
        or text in _INTRO
        or (text.startswith("|") and text.endswith("|"))
        or text.startswith(">")  # the remark's words, notes: quoted by us
        or (text.startswith("_Suggested lens: ") and text.endswith("_"))
    )


def _heading(line: str) -> tuple[str, int | None] | None:
    """("title" | "remarks" | "remark" | "section" | "part", remark id) for our own
    headings only."""
    if not line.startswith("#"):
        return None
    if line.startswith((PERSON_HEADING, GAP_HEADING)):
        return "part", None
    remark = REMARK_HEADING.match(line)
    if remark:
        return "remark", int(remark.group("id") or remark.group("old_id"))
    if line.startswith(REMARKS_HEADING):
        return "remarks", None
    if line.startswith("## ") and line[3:].strip() in SECTIONS:
        return "section", None
    if TITLE.match(line):
        return "title", None
    return None
