"""The gaps in the deal, in plain words: which of the facts a deal is decided on the
customer has spoken to, in which remark, and the question to ask where none has.

Found by words, cautiously: a remark counts for a fact only when its own wording speaks
to it (a figure next to a cost word, "sign", "procurement", a product used instead, "I'll
push for it"). A fact missed is asked about on the next call, which costs little; a fact
wrongly taken as heard would hide a real gap, so the rules err towards "not heard yet".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from focusblock.model import Remark

GAPS_TITLE = "Gaps in the deal"
NOT_HEARD = "not heard yet"

# A figure, as the patterns before read it: a currency sign and a digit; or a run of digits,
# commas and points ending in a currency (after a scale: 10k, 3m, 2bn) or in "k"; or such a
# run, from a digit on a word's edge, ending in a unit (%, percent, hours, days, people...).
# Matched from the start of each run of digits, commas and points only, never again from
# inside it (possessive runs, an atomic first digit): a long run of digits is read once, not
# once per digit. No tail can begin with a digit, comma or point, so a figure that ends
# inside a run never did, and a run's every start reaches the same end.
_RUN = r"(?<![\d,.])"  # the start of a run of digits, commas and points
_CURRENCY = r"\s?(?:k|m|bn)?\s?(?:\$|€|£|dollars?|euros?|pounds?|USD|EUR|GBP|CHF)\b"
_UNIT = r"\s?(?:%|percent\b|hours?\b|days?\b|people\b|FTEs?\b|staff\b)"
_FIGURE = re.compile(
    r"[$€£¥]\s?\d"
    rf"|{_RUN}[,.]*+\d[\d,.]*+(?:{_CURRENCY}|\s?k\b)"
    # a digit on a word's edge: the run's first (after a space, say) or one after a comma or
    # point inside the run ("x1,5%": the 5)
    rf"|{_RUN}(?:\b\d|(?>[\d,.]*?[,.]\d))[\d,.]*+{_UNIT}",
    re.IGNORECASE,
)
_COST_WORDS = re.compile(
    r"\b(?:cost(?:s|ing)?|lose|loses|losing|lost|loss(?:es)?|spend(?:s|ing)?|spent|waste[sd]?|"
    r"wasting|penalt(?:y|ies)|fines?|overtime|churn|write[- ]offs?|downtime|burn(?:s|ing)?|"
    r"price\s+of\s+doing\s+nothing|doing\s+nothing)\b",
    re.IGNORECASE,
)
# a stretch of a remark up to a line break or a sentence's closing marks, and those marks
_STRETCH = re.compile(r"[^.!?\n]+([.!?]+)?")


def _figures_heard(sentence: str) -> bool:
    """Their own figure for the cost of doing nothing: a cost word and a figure in one
    sentence, in either order (each looked for once, by its own pattern, and not again
    from every place in the sentence as one pattern of two lookaheads did)."""
    return bool(_COST_WORDS.search(sentence) and _FIGURE.search(sentence))


# (key, label, what counts as heard, the question for the next call when nothing did)
_FACTS: tuple[tuple[str, str, Callable[[str], object], str], ...] = (
    (
        "figures",
        "Their own figures for the cost of doing nothing",
        _figures_heard,
        "What does it cost them each month to carry on as they are, in their own figures, "
        "and how did they work it out?",
    ),
    (
        "signer",
        "Who signs",
        re.compile(
            r"\b(?:sign(?:s|ed|ing)?(?![\s-]+(?:up|in|on|of|into|language)\b)|sign-off|"
            r"signs?\s+off|signature|approv(?:e|es|ed|al|ing)|budget\s+holder|"
            r"holds?\s+the\s+(?:budget|purse)|final\s+(?:say|call|word)|signing\s+authority|"
            r"unterschreib\w*|freigabe|freigeben)\b",
            re.IGNORECASE,
        ).search,
        "Who signs the order, and what do they need to see before they sign?",
    ),
    (
        "process",
        "How they decide (the decision process)",
        re.compile(
            r"\b(?:decid(?:e|es|ed|ing)|decision|evaluat(?:e|es|ed|ing|ion)|shortlist\w*|"
            r"steering\s+(?:committee|group)|committee|business\s+case|next\s+steps?|"
            r"(?:a|the)\s+vote|pilot\s+first|proof\s+of\s+concept|POC|entscheid\w*)\b",
            re.IGNORECASE,
        ).search,
        "How will they decide: who takes part, in which steps, and by when?",
    ),
    (
        "paper",
        "The paper process (procurement, legal, security review)",
        re.compile(
            r"\b(?:procurement|purchasing|legal|lawyers?|security\s+(?:review|questionnaire|"
            r"team|check)|infosec|RFP|RFQ|RFI|tenders?|DPA|data\s+processing\s+agreement|"
            r"vendor\s+(?:onboarding|approval|registration)|compliance|works\s+council|"
            r"purchase\s+order|PO\s+process|Einkauf|Ausschreibung|Betriebsrat)\b",
            re.IGNORECASE,
        ).search,
        "Once they say yes, what must the order pass (procurement, legal, a security "
        "review), and how long does each take?",
    ),
    (
        "competition",
        "The competition (other vendors, doing nothing, building it themselves)",
        re.compile(
            r"\b(?:(?i:in-house|in\s+house|build\s+it\s+(?:ourselves|themselves|ourself)|"
            r"(?:our|their)\s+own\s+tool|do(?:ing)?\s+nothing|status\s+quo|spreadsheets?|"
            r"competitors?|other\s+(?:vendors?|suppliers?|providers?|tools?|offers?)|"
            r"alternatives?|also\s+(?:looking\s+at|talking\s+to|evaluating)|"
            r"(?:compared|comparing)\s+(?:you|us|it)\s+(?:with|to)|trialled|trialed|"
            r"switch(?:ed)?\s+(?:from|to))|Excel|Salesforce|HubSpot|SAP|Oracle|Workday|Microsoft|"
            r"Dynamics|Zendesk|ServiceNow|Pipedrive|Monday\.com|Asana|Jira)\b",
        ).search,
        "What else are they weighing up: another vendor, building it themselves, or "
        "carrying on as they are?",
    ),
    (
        "champion",
        "Someone who wants it to happen (a champion)",
        re.compile(
            r"\b(?:I\s+(?:really\s+)?want\s+(?:this|it|that)\b|"
            r"I(?:'ll|\u2019ll|\s+will)\s+(?:push|fight|make\s+the\s+case|champion|sell\s+it|"
            r"back\s+(?:it|this|you))|I(?:'m|\u2019m|\s+am)\s+(?:championing|all\s+for|"
            r"pushing\s+for|behind\s+(?:this|it|you))|count\s+on\s+me|"
            r"I(?:'d|\u2019d|\s+would)\s+love\s+to\s+(?:get|have|see)\s+(?:this|it))",
            re.IGNORECASE,
        ).search,
        "Who on their side wants this to happen enough to push for it, and what do they "
        "gain when it does?",
    ),
)
GAP_KEYS = tuple(key for key, *_ in _FACTS)
# a remark the seller put under a lens speaks to the fact that lens is about
_LENS_FACTS = {"decision": "process"}

Q = TypeVar("Q")


@dataclass(frozen=True)
class Gap(Generic[Q]):
    """One fact the deal is decided on: the remarks (store ids) that speak to it, oldest
    first, and the question to ask on the next call while none does."""

    key: str
    label: str
    heard_in: tuple[int, ...]
    questions: tuple[Q, ...] = ()

    @property
    def status(self) -> str:
        """ "heard in remark #12" (or "remarks #12, #15"), or "not heard yet"."""
        if not self.heard_in:
            return NOT_HEARD
        return "heard in " + remark_ids(self.heard_in)


def remark_ids(ids: Sequence[int]) -> str:
    """Store ids as the page prints them: "remark #3" or "remarks #3, #7"."""
    marks = ", ".join(f"#{i}" for i in ids)
    return f"remark {marks}" if len(ids) == 1 else f"remarks {marks}"


def sentences(text: str) -> Iterator[str]:
    """The sentences of `text` the facts are looked for in, in one pass: each stretch up to
    its closing marks or to the end of its line. A line without a full stop (a note, a
    transcript's line, a bullet) is a sentence too: "Rob signs the order" names a signer
    whatever follows on the next line."""
    for stretch in _STRETCH.finditer(text):
        yield stretch.group()


def facts_spoken_to(text: str) -> frozenset[str]:
    """The facts (GAP_KEYS) one sentence of `text` or another speaks to."""
    heard: set[str] = set()
    for sentence in sentences(text):
        heard.update(key for key, _, speaks, _ in _FACTS if key not in heard and speaks(sentence))
        if len(heard) == len(_FACTS):
            break
    return frozenset(heard)


def speaks_to(key: str, text: str) -> bool:
    """Whether one sentence of `text` speaks to the fact `key` (one of GAP_KEYS)."""
    speaks = next(p for k, _, p, _ in _FACTS if k == key)
    return any(speaks(s) for s in sentences(text))


def deal_gaps(remarks: Sequence[Remark]) -> tuple[Gap[str], ...]:
    """Each fact of the deal, with the remarks that speak to it (oldest first) and, when
    none does, the question to ask on the next call."""
    ordered = sorted(remarks, key=lambda r: (r.heard_on, r.id))
    spoken = [facts_spoken_to(r.text) for r in ordered]  # each remark read once
    gaps = []
    for key, label, _, question in _FACTS:
        heard = tuple(
            r.id
            for r, facts in zip(ordered, spoken, strict=True)
            if key in facts or _LENS_FACTS.get(r.lens or "") == key
        )
        gaps.append(Gap(key, label, heard, () if heard else (question,)))
    return tuple(gaps)
