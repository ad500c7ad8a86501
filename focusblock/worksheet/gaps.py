"""The gaps in the deal, in plain words: which of the facts a deal is decided on the
customer has spoken to, in which remark, and the question to ask where none has.

Found by words, cautiously: a remark counts for a fact only when its own wording speaks
to it (a figure next to a cost word, "sign", "procurement", a product used instead, "I'll
push for it"). A fact missed is asked about on the next call, which costs little; a fact
wrongly taken as heard would hide a real gap, so the rules err towards "not heard yet".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from focusblock.model import Remark

GAPS_TITLE = "Gaps in the deal"
NOT_HEARD = "not heard yet"

_MONEY = (
    r"(?:[$€£¥]\s?\d|\d[\d,.]*\s?(?:k|m|bn|K|M)?\s?"
    r"(?:\$|€|£|dollars?|euros?|pounds?|USD|EUR|GBP|CHF)\b|\d[\d,.]*\s?(?:k|K)\b)"
)
_FIGURE = rf"(?:{_MONEY}|\b\d[\d,.]*\s?(?:%|percent\b|hours?\b|days?\b|people\b|FTEs?\b|staff\b))"
_COST_WORDS = (
    r"\b(?:cost(?:s|ing)?|lose|loses|losing|lost|loss(?:es)?|spend(?:s|ing)?|spent|waste[sd]?|"
    r"wasting|penalt(?:y|ies)|fines?|overtime|churn|write[- ]offs?|downtime|burn(?:s|ing)?|"
    r"price\s+of\s+doing\s+nothing|doing\s+nothing)\b"
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")

# (key, label, what counts as heard, the question for the next call when nothing did)
_FACTS: tuple[tuple[str, str, re.Pattern[str], str], ...] = (
    (
        "figures",
        "Their own figures for the cost of doing nothing",
        re.compile(rf"(?=.*{_COST_WORDS})(?=.*{_FIGURE})", re.IGNORECASE),
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
        ),
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
        ),
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
        ),
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
        ),
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
        ),
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


def speaks_to(key: str, text: str) -> bool:
    """Whether one sentence of `text` speaks to the fact `key` (one of GAP_KEYS)."""
    pattern = next(p for k, _, p, _ in _FACTS if k == key)
    return any(pattern.search(s.group()) for s in _SENTENCE.finditer(text))


def deal_gaps(remarks: Sequence[Remark]) -> tuple[Gap[str], ...]:
    """Each fact of the deal, with the remarks that speak to it (oldest first) and, when
    none does, the question to ask on the next call."""
    ordered = sorted(remarks, key=lambda r: (r.heard_on, r.id))
    gaps = []
    for key, label, _, question in _FACTS:
        heard = tuple(
            r.id for r in ordered if speaks_to(key, r.text) or _LENS_FACTS.get(r.lens or "") == key
        )
        gaps.append(Gap(key, label, heard, () if heard else (question,)))
    return tuple(gaps)
