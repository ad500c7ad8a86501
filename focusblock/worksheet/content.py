"""What a worksheet says, as plain data: built from an account's facts, remarks and reflections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from focusblock.worksheet.lens_hints import suggest_lens
from focusblock.worksheet.question_bank import QuestionBank, questions_for

ACCOUNT_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "What they need",
        (
            "What is their need, in their own words?",
            "Did they state it, or is it only implied by what they said?",
        ),
    ),
    (
        "Cost of doing nothing",
        (
            "What does doing nothing cost them, in their own figures?",
            "If I do not know: which facts would let me work it out with them?",
        ),
    ),
    (
        "Value we could create",
        (
            "How would they make or save money with us?",
            "What can I give them before asking for anything?",
        ),
    ),
    (
        "Questions to ask on the next call",
        (
            "What must be true at the end of the call: "
            "the best next step, and the least I would accept?",
            "How will I open the call?",
            "My first three questions, and the remark each comes from:",
            "What will I not do (pitch early, talk too much, chase the quarter)?",
        ),
    ),
)

DISQUALIFY_SECTION = (
    "Should we keep this deal?",
    (
        "Has anyone stated a need in their own words?",
        "Is there a consequence and a date that are theirs, not ours?",
        "When did we last hear something new?",
        "Would a 'no' today cost anything we actually have?",
    ),
)


@dataclass(frozen=True)
class EarlierAnswer:
    written_on: date
    text: str


@dataclass(frozen=True)
class Question:
    text: str
    earlier: tuple[EarlierAnswer, ...] = ()


@dataclass(frozen=True)
class RemarkItem:
    number: int
    remark_id: int
    text: str
    who: str | None
    heard_on: date
    via: str
    lens: str | None
    questions: tuple[Question, ...]
    suggested_lens: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Worksheet:
    account: str
    stage: str
    next_call: datetime | None
    need: str | None
    consequence: str | None
    decision_date: date | None
    days_to_decision: int | None
    remarks: tuple[RemarkItem, ...]
    sections: tuple[Section, ...]
    lead_lenses: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemarkSource:
    remark_id: int
    text: str
    who: str | None
    heard_on: date
    via: str
    lens: str | None


@dataclass(frozen=True)
class ReflectionSource:
    remark_id: int | None
    question: str
    answer: str
    written_on: date


def build_worksheet(
    account: str,
    stage: str,
    need: str | None,
    consequence: str | None,
    decision_date: date | None,
    next_call: datetime | None,
    remarks: list[RemarkSource],
    reflections: list[ReflectionSource],
    bank: QuestionBank,
    today: date,
    lead_lenses: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    disqualify: bool = False,
) -> Worksheet:
    answers: dict[tuple[int | None, str], list[EarlierAnswer]] = {}
    for reflection in sorted(reflections, key=lambda item: item.written_on):
        key = (reflection.remark_id, reflection.question)
        answers.setdefault(key, []).append(EarlierAnswer(reflection.written_on, reflection.answer))

    def question(remark_id: int | None, text: str) -> Question:
        return Question(text, tuple(answers.get((remark_id, text), ())))

    items = []
    ordered = sorted(remarks, key=lambda r: (r.heard_on, r.remark_id))
    for number, r in enumerate(ordered, start=1):
        texts = questions_for(bank, r.lens)
        suggested = None if r.lens else suggest_lens(r.text)
        if suggested:  # the general questions, then the first ones of the suggested lens
            texts = [*texts, *(q for q in questions_for(bank, suggested)[:2] if q not in texts)]
        qs = tuple(question(r.remark_id, q) for q in texts)
        items.append(
            RemarkItem(number, r.remark_id, r.text, r.who, r.heard_on, r.via, r.lens, qs, suggested)
        )
    blocks = (DISQUALIFY_SECTION, *ACCOUNT_SECTIONS) if disqualify else ACCOUNT_SECTIONS
    sections = tuple(Section(title, tuple(question(None, q) for q in qs)) for title, qs in blocks)
    days = (decision_date - today).days if decision_date else None
    return Worksheet(
        account=account,
        stage=stage,
        next_call=next_call,
        need=need,
        consequence=consequence,
        decision_date=decision_date,
        days_to_decision=days,
        remarks=tuple(items),
        sections=sections,
        lead_lenses=lead_lenses,
        notes=notes,
    )
