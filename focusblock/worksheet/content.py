"""What a worksheet says, as plain data: built from an account's facts, remarks and reflections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from focusblock.fingerprints import question_id, words_of
from focusblock.model import Person, Remark
from focusblock.names import CONSEQUENCE_LENS, NEED_LENS, name_key
from focusblock.store.views import ReflectionView
from focusblock.worksheet.contradictions import Contradiction, contradictions
from focusblock.worksheet.deal import DealParts, deal_parts, disqualify_note
from focusblock.worksheet.finding_questions import quoted_key
from focusblock.worksheet.findings import Finding, findings
from focusblock.worksheet.lens_hints import suggest_lens
from focusblock.worksheet.question_bank import (
    PHRASE,
    QUESTION_STAGES,
    QuestionBank,
    questions_for,
    quoted_for,
)

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

SOLD_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "What changed for them",
        (
            "What is measurably different for them since they started, in their own figures?",
            "Who noticed, and have they said so in their own words?",
        ),
    ),
    (
        "Adoption",
        (
            "Who uses it every week, and who went back to the old way?",
            "What stands in the way of the next team or site?",
        ),
    ),
    (
        "What we do next together",
        (
            "What would make the next twelve months a clear success for them, and my part in it?",
            "What can I give them before asking for anything (renewal, more users, a reference)?",
        ),
    ),
    (
        "Questions to ask on the next call",
        (
            "What must be true at the end of the call: "
            "the best next step, and the least I would accept?",
            "How will I open the call?",
            "My first three questions, and the remark each comes from:",
            "What will I not do (pitch more too early, talk too much, chase the quarter)?",
        ),
    ),
)
STAGE_SECTIONS = {"pending": ACCOUNT_SECTIONS, "sold": SOLD_SECTIONS}
CONTRADICTIONS_TITLE = "Which holds?"
# account questions answered before and no longer asked: the answers stay on the page
EARLIER_QUESTIONS_TITLE = "Answered before"
LOST_NOTE = (
    "Lost account (not-sold): no questions to work through. "
    "Set the stage back to pending if they come back."
)

# A page a seller still reads: under one remark at most MAX_QUOTED questions that quote it,
# then at most MAX_GENERIC lens (or general) questions, none once the quoted ones are MAX_QUOTED:
# the quoted ones are the page's value, the generic ones only help a remark that has few.
MAX_QUOTED = 3
MAX_GENERIC = 2
MAX_QUESTIONS = MAX_QUOTED - 1 + MAX_GENERIC  # the most under one remark: two quoted, two generic
LAST_RESORT = "Remark {number}: what do I make of it, in one sentence of my own?"
AGAIN = "They said “{phrase}” again (as in remark {first}): does it mean the same now?"


@dataclass(frozen=True)
class EarlierAnswer:
    written_on: date
    text: str
    about_earlier_words: bool = False  # written about words the remark no longer has


@dataclass(frozen=True)
class Question:
    text: str
    earlier: tuple[EarlierAnswer, ...] = ()
    quote: str | None = None  # the customer's own words this question quotes, if any
    asked: bool = True  # False: no longer asked, on the page for its earlier answers

    @property
    def id(self) -> str:
        """The id the Markdown worksheet prints beside the question."""
        return question_id(self.text)

    @property
    def parts(self) -> tuple[str, str, str]:
        """The text before the quoted words, the quoted words in quotation marks, the rest:
        so a renderer can set the customer's words apart. ("", "", text) without a quote."""
        marked = f"“{self.quote}”"
        if self.quote is None or marked not in self.text:
            return self.text, "", ""
        before, _, after = self.text.partition(marked)
        return before, marked, after


@dataclass(frozen=True)
class RemarkItem:
    """A remark as the worksheet shows it: the stored remark and its questions."""

    remark: Remark
    questions: tuple[Question, ...]
    suggested_lens: str | None = None  # when it has no lens: the one its wording suggests
    found: tuple[Finding, ...] = ()  # what was found in its words, in reading order

    @property
    def number(self) -> int:
        """The remark's number on the page, the questions' and the contradictions' too: its
        store id, which `remark show` takes and which no later remark shifts."""
        return self.remark.id

    @property
    def words(self) -> str:
        """The fingerprint of the words printed, for `reflect` to check against the store."""
        return words_of(self.remark.text)


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
    contradictions: tuple[Contradiction, ...] = ()  # also asked in the "Which holds?" section
    deal: DealParts[Question] = field(default_factory=DealParts)  # people and gaps


def build_worksheet(
    account: str,
    stage: str,
    need: str | None,
    consequence: str | None,
    decision_date: date | None,
    next_call: datetime | None,
    remarks: Sequence[Remark],
    reflections: Sequence[ReflectionView],
    bank: QuestionBank,
    today: date,
    lead_lenses: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    people: Sequence[Person] = (),
    disqualify_after: int | None = None,
    seller: Sequence[str] = (),
) -> Worksheet:
    """The worksheet for one account: every remark, oldest first, with questions that quote
    what the customer said, then the lens (or general) questions of the account's stage, no
    question twice on the page; then remarks that disagree, then the account sections.
    A lost account gets its remarks and no questions."""
    earlier = _EarlierAnswers(reflections, {r.id: words_of(r.text) for r in remarks})

    def question(remark_id: int | None, text: str, quote: str | None = None) -> Question:
        return Question(text, earlier.take(remark_id, text), quote)

    asks = stage in QUESTION_STAGES
    blocks = STAGE_SECTIONS.get(stage, ())
    account_asks = {q for _, qs in blocks for q in qs}  # asked once, in the account's sections
    roles = frozenset(name_key(p.role) for p in people if p.role)
    items, read = _remark_items(
        remarks, bank, stage if asks else None, question, account_asks, roles
    )
    disagree = tuple(contradictions(read)) if asks else ()
    sections = tuple(Section(title, tuple(question(None, q) for q in qs)) for title, qs in blocks)
    if disagree:
        which = Section(CONTRADICTIONS_TITLE, tuple(question(None, c.question) for c in disagree))
        sections = (which, *sections)
    # answers to questions no longer asked stay in view, under their remark or at the end
    items = [
        replace(item, questions=(*item.questions, *earlier.left(item.remark.id))) for item in items
    ]
    deal = (
        deal_parts(stage, remarks, people, lambda text: question(None, text), seller)
        if asks
        else None
    )
    basics = (need, consequence, decision_date, next_call)
    notes = (*notes, *disqualify_note(stage, remarks, basics, disqualify_after))
    account_left = earlier.left(None)
    if account_left:
        sections = (*sections, Section(EARLIER_QUESTIONS_TITLE, account_left))
    if not asks:
        notes = (*notes, LOST_NOTE)
    days = (decision_date - today).days if decision_date else None
    return Worksheet(
        account=account,
        stage=stage,
        next_call=next_call,
        need=need or _from_remark(items, NEED_LENS),
        consequence=consequence or _from_remark(items, CONSEQUENCE_LENS),
        decision_date=decision_date,
        days_to_decision=days,
        remarks=tuple(items),
        sections=sections,
        lead_lenses=lead_lenses,
        notes=notes,
        contradictions=disagree,
        deal=deal or DealParts(),
    )


class _EarlierAnswers:
    """The stored answers, handed out to the questions on the page; what no question on
    the page took is left over (its question is no longer asked)."""

    def __init__(self, reflections: Sequence[ReflectionView], words: dict[int, str]) -> None:
        self._by_question: dict[tuple[int | None, str], list[tuple[EarlierAnswer, str]]] = {}
        self._taken: set[tuple[int | None, str]] = set()
        # each remark's own keys (in the order first stored) and taken keys, so that `left`
        # for one remark does not walk every remark's: a page of 2,000 remarks took 0.5 s
        self._keys_of: dict[int | None, list[tuple[int | None, str]]] = {}
        self._taken_of: dict[int | None, set[tuple[int | None, str]]] = {}
        for reflection in sorted(reflections, key=lambda item: item.written_on):
            shown = words.get(reflection.remark_id) if reflection.remark_id else None
            about_earlier = (
                reflection.remark_words is not None
                and shown is not None
                and reflection.remark_words != shown
            )
            answer = EarlierAnswer(reflection.written_on, reflection.answer, about_earlier)
            # found by the question's id (the question as it was asked) and by the text on
            # its line: a seller who rewrote a question's line keeps the answer under it
            asked_as = reflection.question
            ids = {question_id(asked_as), reflection.question_id or question_id(asked_as)}
            for key in sorted(ids):
                entry = (answer, asked_as)
                found_by = (reflection.remark_id, key)
                if found_by not in self._by_question:
                    self._keys_of.setdefault(reflection.remark_id, []).append(found_by)
                self._by_question.setdefault(found_by, []).append(entry)

    def take(self, remark_id: int | None, text: str) -> tuple[EarlierAnswer, ...]:
        key = (remark_id, question_id(text))
        self._taken.add(key)
        self._taken_of.setdefault(remark_id, set()).add(key)
        return tuple(answer for answer, _ in self._by_question.get(key, ()))

    def left(self, remark_id: int | None) -> tuple[Question, ...]:
        """The questions of `remark_id` answered before that no question on the page took."""
        taken = {
            id(answer)
            for key in self._taken_of.get(remark_id, ())
            for answer, _ in self._by_question.get(key, ())
        }
        questions: dict[str, list[EarlierAnswer]] = {}
        for key in self._keys_of.get(remark_id, ()):
            if key in self._taken:
                continue
            for answer, asked_as in self._by_question[key]:
                if id(answer) not in taken:
                    taken.add(id(answer))
                    questions.setdefault(asked_as, []).append(answer)
        return tuple(
            Question(text, tuple(answers), asked=False) for text, answers in questions.items()
        )


def _from_remark(items: Sequence[RemarkItem], lens: str) -> str | None:
    """The first remark with `lens`, quoted and pointed to: the fact is stated there."""
    for item in items:
        if item.remark.lens == lens:
            text = " ".join(item.remark.text.split())
            short = text if len(text) <= 160 else text[:157].rstrip() + "..."
            return f"“{short}” (from remark {item.number}, {item.remark.heard_on.isoformat()})"
    return None


def _remark_items(
    remarks: Sequence[Remark],
    bank: QuestionBank,
    stage: str | None,
    question: Callable[..., Question],
    asked_elsewhere: set[str],
    known_roles: frozenset[str] = frozenset(),
) -> tuple[list[RemarkItem], list[tuple[Remark, tuple[Finding, ...]]]]:
    """Each remark, oldest first, with its questions (none when `stage` is None: a lost
    account; none that is `asked_elsewhere` on the page), and, in the same order, each
    remark with what was found in it."""
    asked = set(asked_elsewhere)
    first_quoted: dict[tuple[str, str], int] = {}
    items, read = [], []
    ordered = sorted(remarks, key=lambda r: (r.heard_on, r.id))
    for r in ordered:
        found = tuple(findings(r.text, r.heard_on, own_names=(r.account,)))
        read.append((r, found))
        suggested = None if r.lens else suggest_lens(r.text)
        qs: tuple[Question, ...] = ()
        if stage is not None:
            quoted = _quoted_questions(bank, stage, found, r.id, asked, first_quoted, known_roles)
            texts = _lens_questions(bank, stage, r.lens, suggested, asked, len(quoted), r.id)
            qs = tuple(
                [question(r.id, text, quote) for text, quote in quoted]
                + [question(r.id, text) for text in texts]
            )
        items.append(RemarkItem(r, qs, suggested, found))
    return items, read


def _quoted_questions(
    bank: QuestionBank,
    stage: str,
    found: tuple[Finding, ...],
    remark_id: int,
    asked: set[str],
    first_quoted: dict[tuple[str, str], int],
    known_roles: frozenset[str] = frozenset(),
) -> list[tuple[str, str]]:
    """(question, quoted words) for the remark's findings: one per kind, in reading order,
    each the first template of its kind not yet asked on the page."""
    chosen: list[tuple[str, str]] = []
    kinds: set[str] = set()
    for finding in found:
        if len(chosen) >= MAX_QUOTED or finding.kind in kinds:
            continue
        asked_as = quoted_key(finding, found, known_roles)
        templates = quoted_for(bank, asked_as, stage) if asked_as else []
        if not templates:
            continue
        texts = [t.replace(PHRASE, finding.phrase) for t in templates]
        key = (finding.kind, finding.phrase.casefold())
        if key in first_quoted and first_quoted[key] != remark_id:
            texts.append(
                AGAIN.replace("{phrase}", finding.phrase).replace("{first}", str(first_quoted[key]))
            )
        text = next((t for t in texts if t not in asked), None)
        if text is None:
            continue
        first_quoted.setdefault(key, remark_id)
        asked.add(text)
        kinds.add(finding.kind)
        chosen.append((text, finding.phrase))
    return chosen


def _lens_questions(
    bank: QuestionBank,
    stage: str,
    lens: str | None,
    suggested: str | None,
    asked: set[str],
    quoted: int,
    remark_id: int,
) -> list[str]:
    """The generic questions under a remark that has `quoted` questions quoting it: none when
    those are MAX_QUOTED, else up to MAX_GENERIC not yet asked on the page: the lens's first
    (or, without a lens, the suggested lens's), then general ones. When the page has used
    every one and nothing quotes the remark, a question about this remark alone (it names
    its id) keeps it from standing there with none."""
    if quoted >= MAX_QUOTED:
        return []
    general = questions_for(bank, None, stage)
    pools = [questions_for(bank, lens or suggested, stage)] if lens or suggested else []
    chosen: list[str] = []
    for text in (text for pool in (*pools, general) for text in pool):
        if len(chosen) >= MAX_GENERIC:
            break
        if text not in asked:
            asked.add(text)
            chosen.append(text)
    if not chosen and not quoted and general:
        chosen.append(LAST_RESORT.replace("{number}", str(remark_id)))
    return chosen
