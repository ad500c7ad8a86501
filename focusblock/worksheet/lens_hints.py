"""Suggesting a lens for a remark that has none, from its wording: only when confident.

Each lens has weighted cues (regular expressions over the case- and accent-folded text).
A remark's score for a lens is the sum of the weights of its cues that match; the
confidence of the best lens is its score over the sum of all scores plus one (the "plus one"
keeps a single weak cue from ever being confident). A few cues mark remarks that are about
arranging things with us (slides, visits, holidays): they count against every lens.
A lens is suggested only when its score is at least MIN_SCORE and its confidence at least
MIN_CONFIDENCE; otherwise none. tests/test_questions.py measures the precision per lens on
tests/lens_examples.csv and prints it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from focusblock.names import name_key

MIN_SCORE = 2.0
MIN_CONFIDENCE = 0.7

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)

# (pattern, weight): 3 = says the lens almost by itself, 2 = a clear sign, 1 = a hint.
CUES: dict[str, tuple[tuple[str, float], ...]] = {
    "need": (
        (r"\bwe need (?:a|an|to|it|one)\b", 2),
        (r"\bwhat we (?:lack|need)\b|\bwe lack\b", 3),
        (r"\bproblem is\b|\bour problem\b", 3),
        (r"\bstruggle\b|\bstruggling\b", 3),
        (r"\bcan'?t (?:see|find|tell)\b|\bnobody (?:knows|can)\b", 2),
        (r"\bby hand\b|\bmanual(?:ly)?\b|\bcopy-and-paste\b|\btyped twice\b", 2),
        (r"\bspreadsheets?\b", 1),
        (r"\bdoesn'?t work\b|\bdoes not work\b|\bnot working\b|\bnever match\b", 2),
        (r"\btakes? (?:us )?(?:\w+ )?(?:days|weeks|hours)\b", 2),
        (r"\bget(?:s)? lost\b|\bkeep (?:arriving|losing|missing)\b|\bstill (?:rebuild|do|type)", 2),
        (r"\blooking for\b|\basking where\b|\bstuck\b", 1),
        (r"\bpaperwork\b", 1),
    ),
    "success": (
        (r"\bsuccess\b|\bsuccessful\b", 3),
        (r"\bkpi\b|\bmetric\b|\bscorecard\b|\bnet promoter\b|\bscores?\b", 2),
        (r"\bmeasure\b|\bwe track\b|\bwe'?d know\b|\bwe'?ll know\b", 2),
        (r"\bthat'?s a win\b|\bwinning here\b|\bit worked\b|\bgood looks like\b", 3),
        (r"\bthe (?:whole )?(?:goal|point) is\b|\bthe whole point\b", 1),
        (r"\bgoes? from \S+ to\b|\bdrops? below\b|\bhas to go up\b|\bunder two\b", 2),
        (r"\bwent better than\b|\bhero\b", 2),
        (r"\bon-time\b|\bwithin (?:four|\d+) hours\b|\bzero missed\b", 1),
    ),
    "risk": (
        (r"\bafraid\b|\bfear\b|\bkeeps? me up\b", 3),
        (r"\brisks?\b|\bexposure\b|\bexposed\b", 3),
        (r"\bcould (?:lose|end)\b|\bwe lose the\b|\bbreach\b|\bfront page\b|\bnear miss\b", 3),
        (r"\bpenalt\w*\b|\bone more incident\b|\bgoes down\b|\bstops for\b|\bset\b.*\bback\b", 2),
        (r"\binspection\b|\brecall\b|\bstrike\b|\bflag us\b|\bknowledge is in\b", 2),
        (r"\bfailed\b|\bfails\b|\bcorrupts?\b", 1),
        (r"\bif the\b.*\bhate\b|\bgo back to\b", 2),
    ),
    "worry": (
        (r"\bnot (?:sure|clear)\b|\bunclear\b|\bconfused\b|\bi wonder\b", 3),
        (r"\bdon'?t (?:really )?(?:understand|know what)\b|\bcan'?t answer\b", 3),
        (r"\bhow (?:does|would|long does)\b|\bwhat happens (?:if|to)\b", 2),
        (r"\bis it true\b|\bdoes this mean\b|\bwould we have to\b|\bdo you keep\b", 2),
        (r"\bwhat would the \w+ say\b|\bwill ask what\b|\bkeeps asking\b", 2),
        (r"\?", 0.5),
    ),
    "change": (
        (r"\bwant(?:s)? to (?:change|replace|move|stop|switch|bring|retire)\b", 3),
        (r"\breplace\b|\bmigrat\w*\b|\bcentralis\w*\b|\bcentraliz\w*\b|\bmerg\w*\b", 2),
        (r"\bmov(?:e|ing) (?:all|from|to|onto)\b|\bswitch to\b|\bretire\b|\bin-house\b", 2),
        (
            r"\broll(?: |-)?out\b(?! in)|\bone system\b|\bsame (?:process|dashboards|crm|system)\b",
            2,
        ),
        (r"\bthe (?:plan|idea) is\b|\bour idea\b|\binstead of\b|\bevery site on\b", 2),
        (r"\bwe tried\b|\bdied in the pilot\b", 2),
    ),
    "personal": (
        (r"\bmy (?:desk|job|bonus|review|boss|project|idea|chance|team thinks)\b", 3),
        (r"\bfor me personally\b|\bpromotion\b|\bburned\b|\bbefore i retire\b", 3),
        (r"\bi'?m the one\b|\bi can'?t be the person\b|\blet (?:her|him) down\b", 3),
        (r"\bget home\b|\bon call\b|\bi'?m new here\b|\bvisible win\b|\bwell for me\b", 3),
        (r"\bi'?ve been here\b|\bless stressful\b|\bi'?d like to be the one\b", 3),
        (r"\bi'?m presenting\b|\bmy\b", 1),
        (r"\bfor me\b", 1),
    ),
    "drive": (
        (r"\bstrategy\b|\bgrowth\b|\bgrow\b|\binvestors?\b|\bipo\b|\bfunding\b", 3),
        (r"\bmargins?\b|\brevenue\b|\bprofitable\b|\bretention\b", 2),
        (r"\bregulation forces\b|\bcarbon\b|\bthe market\b|\bcompetition from\b", 3),
        (r"\btenders?\b|\bparent company wants\b|\bthis year is about\b|\bnew stores\b", 2),
        (r"\benergy prices\b|\bdouble exports\b|\bboard wants\b|\bceo repeats\b", 2),
    ),
    "timing": (
        (r"\bdeadline\b|\bfiscal year\b|\btakes effect\b|\bhiring freeze\b|\bshutdown\b", 3),
        (
            rf"\b(?:in|by|on|from|until|before) (?:the \d+(?:st|nd|rd|th) of )?(?:\d+ )?{_MONTH}\b",
            2,
        ),
        (r"\b(?:starts|ends|opens|meets|is decided) (?:in|on)\b|\brenewal\b", 2),
        (r"\bnot before\b|\buntil (?:the|then)\b|\bnext time is\b|\bagenda\b", 2),
        (r"\bbefore the (?:peak|spring|summer|audit|season)\b|\bpeak season\b|\bin \w+ weeks\b", 2),
        (r"\bend of the (?:quarter|year|school year)\b|\bthe audit is\b|\bonly switch\b", 2),
        (r"\bbe ready before\b|\blive before\b|\bneeds to be on\b", 2),
    ),
    "cost": (
        (r"\bcosts? us\b|\bwe (?:lose|lost|waste|pay|had to hire)\b|\bpaying for\b", 3),
        (r"\bovertime\b|\bwrite-offs?\b|\bfines?\b|\bfees\b|\blate fees\b|\ba fortune\b", 2),
        (r"(?:[$€£]\s?\d|\d\s?(?:k|euros?|dollars?|usd|eur)\b)", 1),
        (r"\bcredit note\b|\badd up\b|\blost booking\b|\bcharged\b|\bcost\b", 2),
        (r"\bevery day\b|\bper (?:hour|day|month|week)\b|\ban hour\b|\ba year\b", 1),
        (r"\bwasted?\b|\bweekend\b", 1),
    ),
    "value": (
        (r"\bpays? for (?:itself|it)\b|\bsav(?:e|es|ing)\b|\bworth a lot\b", 3),
        (r"\bwould (?:already )?help\b|\bhelp me\b|\bfree up\b|\bwin us\b", 3),
        (r"\bmore margin\b|\bnew revenue\b|\bwould let us\b|\bwhere the money is\b", 3),
        (r"\bbenchmark\b|\bcould you share\b|\bintroduction to\b|\bcould show us\b", 3),
        (r"\bif (?:it|you can|we could|the system) (?:cuts?|halves|spots|reuse|keep)\b", 2),
        (r"\bcarry less\b|\bsooner\b|\bwill love it\b|\bfaster quotes\b|\bnoticeable\b", 2),
    ),
    "objection": (
        (r"\bprice\b|\btoo (?:expensive|rigid)\b|\bexpensive\b|\bbudgeted\b", 3),
        (r"\bcompetitor\b|\bnot convinced\b|\balready (?:have|run)\b|\blukewarm\b", 3),
        (r"\bagency handles\b|\blocked into\b|\bdoesn'?t allow\b|\bnever heard of you\b", 3),
        (r"\bpromised\b|\bdon'?t have the people\b|\bgroup deal\b|\bdon'?t see why\b", 3),
        (r"\bisn'?t right for us\b|\bfor free\b|\bis a problem for\b|\banyway\b", 2),
        (r"\bwho else uses\b|\bonly in english\b", 2),
    ),
    "decision": (
        (r"\bsign(?:s|atures?)?\b|\bapproves?\b|\bveto\b|\bvote\b", 3),
        (r"\bprocurement\b|\bpurchasing\b|\btender\b|\bcommittee\b|\bquotes\b", 2),
        (r"\bfinal (?:say|word)\b|\bdecides\b|\bdecided to\b|\bthe decision is\b", 3),
        (r"\bcriteria\b|\bpick the winner\b|\bbetween you and\b|\breview any contract\b", 3),
        (r"\bthe owner\b|\bmanaging director\b|\bprocess takes\b|\bsecurity review\b", 2),
    ),
}

# Remarks about arranging things with us, not about their business: they weigh against
# every lens, so "Can you come to the plant on the 2nd?" gets no suggestion.
ARRANGING: tuple[tuple[str, float], ...] = (
    (r"\bcan you come\b|\bwhere should i park\b|\bwhen i visit\b", 4),
    (r"\bsend me\b|\bslides\b|\bbrochure\b|\benvoyez\b|\bunterlagen\b", 4),
    (r"\bthanks for the call\b|\bgot your email\b|\bwill read it\b|\bsay hello\b", 4),
    (r"\bholidays?\b|\bmove our meeting\b|\bjoin the next call\b|\btalk again\b", 4),
    (r"\bweather\b|\bchristmas party\b|\binvoice address\b|\btrade fair all week\b", 4),
    (r"\boffice moves\b|\bemail me\b", 3),
)


class _Cue:
    """A cue's pattern, compiled when a remark first holds one of its first words."""

    __slots__ = ("_compiled", "source", "weight")

    def __init__(self, source: str, weight: float) -> None:
        self.source = source
        self.weight = weight
        self._compiled: re.Pattern[str] | None = None

    def search(self, folded: str) -> bool:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled.search(folded) is not None


def _alternatives(source: str) -> list[str]:
    """`source` split at its top-level `|` (not inside a group, a class or an escape)."""
    parts, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 1  # the escaped character is no bracket and no bar
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            parts.append(source[start:index])
            start = index + 1
        index += 1
    return [*parts, source[start:]]


def first_words(source: str) -> tuple[str, ...] | None:
    """The letters every match of `source` starts with, one word per top-level alternative:
    each must start at a word boundary with lower-case letters (`\\bwe need`), the last one
    left out where it is optional (`\\btakes?`). None when an alternative does not (it could
    start anywhere), so the cue is always tried."""
    words = []
    for alternative in _alternatives(source):
        start = re.match(r"\\b([a-z]+)(.?)", alternative)
        if start is None:
            return None
        word, after = start.groups()
        word = word[:-1] if after in ("?", "*", "{") else word
        if not word:
            return None
        words.append(word)
    return tuple(words)


_CUES = tuple(
    (lens, _Cue(pattern, weight), first_words(pattern))
    for lens, cues in (*CUES.items(), (None, ARRANGING))
    for pattern, weight in cues
)
_ALWAYS = sum(1 << index for index, (_, _, words) in enumerate(_CUES) if words is None)
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1 << 14)
def _word_cues(word: str) -> int:
    """The cues (bits by index into _CUES) a match of which can start with `word`."""
    return sum(
        1 << index
        for index, (_, _, starts) in enumerate(_CUES)
        if starts is not None and word.startswith(starts)
    )


def _scores(folded: str) -> tuple[dict[str, float], float]:
    """Each lens's score and the arranging cues' score. A cue is tried only when a word of
    the remark starts with one of its first words: a match starts at a word boundary, where
    a run of the letters a-z starts too, so a cue without such a word cannot match."""
    bits = _ALWAYS
    for word in set(_WORD.findall(folded)):
        bits |= _word_cues(word)
    scores = dict.fromkeys(CUES, 0.0)
    against = 0.0
    for index, (lens, cue, _) in enumerate(_CUES):
        if bits >> index & 1 and cue.search(folded):
            if lens is None:
                against += cue.weight
            else:
                scores[lens] += cue.weight
    return scores, against


@dataclass(frozen=True)
class LensGuess:
    lens: str | None  # None: no lens is likely enough to suggest
    best: str | None  # the best-scoring lens, suggested or not
    confidence: float  # the best lens's score over all scores plus one, 0 to 1


def guess_lens(text: str) -> LensGuess:
    """The best lens for `text` with its confidence; `lens` is set only above the threshold."""
    folded = name_key(text).replace("\u2019", "'")
    scores, against = _scores(folded)
    best = max(scores, key=lambda lens: scores[lens])  # ties: the lens listed first
    top = scores[best]
    if top == 0:
        return LensGuess(None, None, 0.0)
    confidence = top / (sum(scores.values()) + against + 1)
    sure = top >= MIN_SCORE and confidence >= MIN_CONFIDENCE
    return LensGuess(best if sure else None, best, round(confidence, 3))


def suggest_lens(text: str) -> str | None:
    """A lens for a remark that has none, or None when the wording does not say clearly."""
    return guess_lens(text).lens
