"""What a focus block's calendar event says: why now, the first questions, the worksheet.

Remark text goes into the event only when the user opts in (`plan.describe_remarks`):
a work calendar is seen by colleagues, assistants and mail servers, and a seller's notes
are private.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from focusblock.calendar.writing import block_description
from focusblock.store.views import AccountFacts
from focusblock.worksheet.question_bank import QuestionBank, questions_for

DESCRIPTION_QUESTIONS = 3


def describe(
    account: AccountFacts,
    reason: str,
    lead_lenses: Sequence[str],
    worksheet: str | None,
    bank: QuestionBank,
    remarks_newest_first: Sequence[tuple[date, str]] = (),
) -> str:
    """The event's description: the reason, three questions to start with, the worksheet's
    file name, and (only when given) the latest remarks."""
    # what is missing first, then the lenses of the latest remarks; general questions last
    recent = list(account.lenses)
    questions: list[str] = []
    for lens in [*lead_lenses, *recent, None]:
        for q in questions_for(bank, lens, account.stage):
            if q not in questions and len(questions) < DESCRIPTION_QUESTIONS:
                questions.append(q)
        if len(questions) >= DESCRIPTION_QUESTIONS:
            break
    remarks = [(heard.isoformat(), text) for heard, text in remarks_newest_first]
    return block_description(account.name, reason, remarks, questions, worksheet)
