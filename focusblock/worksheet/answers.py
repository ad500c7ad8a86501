"""Reading answers back from a filled-in Markdown worksheet.

The rule: the lines written directly below a `**Q:**` line, up to the next question or
heading, are that question's answer. Quoted lines (`>`: the remark itself and earlier
answers) are never answers, so editing a remark's text changes nothing.
"""

from __future__ import annotations

import re

from focusblock.store.views import Answer

QUESTION = re.compile(r"^\*\*Q:\*\*\s*(?P<text>.+?)\s*$")
REMARK_HEADING = re.compile(r"^###\s.*·\s*remark #(?P<id>\d+)\s*$")
SECTION_HEADING = re.compile(r"^##\s+(?P<title>.+?)\s*$")
SUGGESTION = re.compile(r"^_Suggested lens: .*_$")


def parse_answers(markdown: str) -> list[Answer]:
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
        if line.startswith("#"):
            close()
            question, lines = None, []
            remark = REMARK_HEADING.match(line)
            section = SECTION_HEADING.match(line)
            if remark:
                remark_id, in_remarks = int(remark.group("id")), True
            elif section and not line.startswith("###"):
                in_remarks = section.group("title").startswith("What they said")
                remark_id = None
            continue
        asked = QUESTION.match(line)
        if asked:
            close()
            question, lines = asked.group("text"), []
            continue
        if question is None or line.lstrip().startswith(">") or SUGGESTION.match(line.strip()):
            continue
        if in_remarks and remark_id is None:
            continue  # a question under no remark heading: nothing to attach it to
        lines.append(line)
    close()
    return answers
