"""Reading answers back from a filled-in Markdown worksheet.

The rule: the lines written directly below a `**Q:**` line, up to the next question or
one of our headings, are that question's answer. The remark itself and earlier answers
(quoted, `>`) are never answers, so editing a remark's text changes nothing.
"""

from __future__ import annotations

import re

from focusblock.store.views import Answer
from focusblock.worksheet.content import CONTRADICTIONS_TITLE, STAGE_SECTIONS

QUESTION = re.compile(r"^\*\*Q:\*\*\s*(?P<text>.+?)\s*$")
REMARK_HEADING = re.compile(r"^###\s.*·\s*remark #(?P<id>\d+)\s*$")
REMARKS_HEADING = "## What they said ("
TITLE = re.compile(r"^# Focus: (?P<account>.+?)\s*$")
EARLIER = re.compile(r"^> ✎ \d{4}-\d{2}-\d{2}: ")  # an earlier answer, as we print it
SECTIONS = {title for sections in STAGE_SECTIONS.values() for title, _ in sections}
SECTIONS.add(CONTRADICTIONS_TITLE)


def worksheet_account(markdown: str) -> str | None:
    """The account a Markdown worksheet names in its title line, if it has one."""
    for line in markdown.lstrip("\ufeff").splitlines()[:5]:
        title = TITLE.match(line)
        if title:
            return title.group("account")
    return None


def parse_answers(markdown: str) -> list[Answer]:
    """Every answer written under a question, each line as the user typed it.

    Only the lines we generate are skipped, recognised exactly: our headings, earlier
    answers (`> ✎ date: ...`), and what stands above a remark's first question (its
    quote, the suggested lens). A line of the user's that starts with `#` or `>` is text.
    """
    answers: list[Answer] = []
    remark_id: int | None = None
    in_remarks = False
    question: str | None = None
    lines: list[str] = []

    def close() -> None:
        text = "\n".join(lines).strip()
        if question is not None and text:
            answers.append(Answer(remark_id if in_remarks else None, question, text))

    for raw in markdown.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        heading = _heading(line)
        if heading is not None:
            close()
            question, lines = None, []
            kind, remark = heading
            if kind == "remark":
                remark_id, in_remarks = remark, True
            elif kind != "title":
                in_remarks, remark_id = kind == "remarks", None
            continue
        asked = QUESTION.match(line)
        if asked:
            close()
            question, lines = asked.group("text"), []
            continue
        if question is None or EARLIER.match(line):
            continue
        if in_remarks and remark_id is None:
            continue  # a question under no remark heading: nothing to attach it to
        lines.append(line)
    close()
    return answers


def _heading(line: str) -> tuple[str, int | None] | None:
    """("title" | "remarks" | "remark" | "section", remark id) for our own headings only."""
    if not line.startswith("#"):
        return None
    remark = REMARK_HEADING.match(line)
    if remark:
        return "remark", int(remark.group("id"))
    if line.startswith(REMARKS_HEADING):
        return "remarks", None
    if line.startswith("## ") and line[3:].strip() in SECTIONS:
        return "section", None
    if TITLE.match(line):
        return "title", None
    return None
