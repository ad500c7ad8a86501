"""Remarks that disagree: two figures of the same unit, or two dates, for the same thing.

"The same thing" is read deterministically: both sentences share a content word (compared
by its first five letters, so "live" and "go-live", "renewal" and "renewals" meet), and the
two findings are of one unit (money in one currency, percent, hours a day, a count of the
same noun) or both are calendar dates. Offsets ("two days after everyone else"), ranges
("from 71% to 85%") and events ("before the audit") are not values and are never compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from focusblock.model import Remark
from focusblock.names import name_key
from focusblock.worksheet.finding_words import MONTHS, NUMBER_WORDS, SEASONS, WEEKDAYS
from focusblock.worksheet.findings import Finding

QUESTION = (
    "Remark {a}{who_a} says “{phrase_a}”, remark {b}{who_b} says “{phrase_b}”: "
    "which holds, and who would know?"
)

_STOP = {
    "about",
    "after",
    "again",
    "also",
    "because",
    "been",
    "before",
    "being",
    "could",
    "does",
    "done",
    "each",
    "even",
    "every",
    "from",
    "have",
    "here",
    "into",
    "just",
    "know",
    "like",
    "make",
    "many",
    "more",
    "most",
    "much",
    "need",
    "only",
    "other",
    "ours",
    "said",
    "says",
    "should",
    "some",
    "such",
    "take",
    "takes",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "they",
    "think",
    "this",
    "very",
    "want",
    "wants",
    "were",
    "what",
    "when",
    "which",
    "will",
    "with",
    "would",
    "your",
    "cost",
    "costs",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "days",
    "hours",
    "time",
    "next",
    "last",
    "first",
    *MONTHS,
    *WEEKDAYS,
    *SEASONS,
    *NUMBER_WORDS,
}
_OFFSET_AFTER = re.compile(r"^\s*(?:after|before|later|earlier|ago|late|behind|ahead)\b", re.I)
_DATE_PREFIX = re.compile(
    r"^(?:(?:not\s|no\s)?(?:before|until|till|later\sthan|earlier\sthan)|by|in|on|from|after|"
    r"starting|due|around)\s",
    re.I,
)


# A remark with what was found in it; remarks come in page order, numbered by their store id.
Read = tuple[Remark, tuple[Finding, ...]]
_Value = tuple[int, Remark, Finding, str, object, set[str]]  # number, ..., unit, value, topic


@dataclass(frozen=True)
class Contradiction:
    first: int  # remark id, the earlier remark
    first_phrase: str
    second: int
    second_phrase: str
    question: str


def contradictions(remarks: Sequence[Read]) -> list[Contradiction]:
    """Each remark that gives a different value for what reads as the same thing as the
    latest earlier remark that spoke of it (same unit, a topic word in common). Remarks
    come in page order with their findings; a remark's number is its store id.

    Only the latest earlier value is compared: a figure reported every week changes at most
    once per remark, so an account of n remarks gives at most n - 1 questions, not one per
    pair of remarks (that was 4,950 for 100 remarks, and seconds of work at 2,000)."""
    values: list[_Value] = []
    for remark, found_in in remarks:
        number = remark.id  # never its place, which a later remark shifts
        for finding in found_in:
            measured = _measure(finding, remark.text)
            if measured is not None:
                unit, value = measured
                topic = _topic(remark.text, finding)
                values.append((number, remark, finding, unit, value, topic))
    found: list[Contradiction] = []
    seen: set[tuple[int, int, str]] = set()
    for index, (nb, rb, fb, unit, value_b, topic_b) in enumerate(values):
        earlier = (
            v for v in reversed(values[:index])
            if v[0] != nb and v[3] == unit and v[5] & topic_b
        )  # fmt: skip
        latest = next(earlier, None)
        if latest is None:
            continue
        na, ra, fa, _, value_a, _ = latest
        if value_a == value_b or (na, nb, unit) in seen:
            continue
        seen.add((na, nb, unit))
        question = _ask(na, ra, fa, nb, rb, fb)
        found.append(Contradiction(na, fa.phrase, nb, fb.phrase, question))
    return found


def _ask(na: int, ra: Remark, fa: Finding, nb: int, rb: Remark, fb: Finding) -> str:
    """The question for two remarks (numbered na and nb on the page) that disagree."""
    return (
        QUESTION.replace("{a}", str(na))
        .replace("{who_a}", _said(ra))
        .replace("{phrase_a}", fa.phrase)
        .replace("{b}", str(nb))
        .replace("{who_b}", _said(rb))
        .replace("{phrase_b}", fb.phrase)
    )


def _said(remark: Remark) -> str:
    """Who said it and when, so the two values can be weighed against each other."""
    heard = remark.heard_on.isoformat()
    return f" ({remark.who}, {heard})" if remark.who else f" ({heard})"


# Words around an amount of money that make it what they can spend: two such amounts are
# the same thing (the budget) even when the sentences share no other word.
_SPENDING = re.compile(
    r"\b(?:budget\w*|stretch|afford|spend|invest\w*|ceiling|sign\s(?:off\s)?up\sto|"
    r"approve[ds]?|pay\sup\sto)\b",
    re.IGNORECASE,
)


def _topic(text: str, finding: Finding) -> set[str]:
    """The content words of the sentence holding the finding, outside the finding itself."""
    starts = [m.end() for m in re.finditer(r"[.!?;\n]", text[: finding.start])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.!?;\n]", text[finding.end :])
    end = finding.end + end_match.start() if end_match else len(text)
    sentence = text[start : finding.start] + " " + text[finding.end : end]
    words = re.findall(r"[a-z]+", name_key(sentence))
    topic = {w[:5] for w in words if len(w) >= 4 and w not in _STOP}
    if finding.kind == "money" and _SPENDING.search(sentence):
        topic.add(" budget")  # not a word of any remark: only spending amounts meet here
    return topic


def _measure(finding: Finding, text: str) -> tuple[str, object] | None:
    """The unit and value a finding gives, as read by the extractor (its details)."""
    details = finding.details
    if finding.kind == "date":
        return _calendar(name_key(finding.phrase))
    if _OFFSET_AFTER.match(text[finding.end :]) or finding.phrase.lower().startswith("from "):
        return None  # a change or an offset, not a value
    amount = details.get("amount")
    if amount is None and finding.kind != "percent":
        return None
    if finding.kind == "money":
        return f"money:{details.get('currency') or '?'}", amount
    if finding.kind == "percent":
        return "percent", details.get("value")
    if finding.kind == "duration":
        return f"time:{details.get('unit')}", amount
    if finding.kind == "rate":
        return f"rate:{details.get('unit')}/{details.get('per')}", amount
    if finding.kind == "count":
        thing = str(details.get("thing") or "")
        return (f"count:{thing.split()[-1][:5]}", amount) if thing else None
    return None


def _calendar(phrase: str) -> tuple[str, object] | None:
    """A comparable value for a date: its month, season, quarter, ISO date or year."""
    if not _DATE_PREFIX.match(phrase) and not re.search(r"\d", phrase):
        return None  # "this year" on its own is a period, not a date anyone set
    iso = re.search(r"\d{4}-\d{2}-\d{2}", phrase)
    if iso:
        return "date", f"month:{int(iso.group(0)[5:7])}"
    for number, month in enumerate(MONTHS, start=1):
        if re.search(rf"\b{month[:3]}", phrase):
            return "date", f"month:{number}"
    for season in SEASONS:
        if re.search(rf"\b{season}\b", phrase):
            return "date", "season:" + ("autumn" if season == "fall" else season)
    quarter = re.search(r"\bq([1-4])\b", phrase)
    if quarter:
        return "date", f"quarter:{quarter.group(1)}"
    year = re.search(r"\b(?:19|20)\d{2}\b", phrase)
    if year:
        return "date", f"year:{year.group(0)}"
    return None
