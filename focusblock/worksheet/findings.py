"""What a seller must probe in one remark, found by reading its words: figures, durations,
dates, people, comparisons, past attempts, hedges and refusals.

Pure and deterministic: regular expressions and small word lists, no model and no network.
Each finding keeps the exact words of the remark (a slice of it), so a question can quote them.
The patterns only ever take letters, digits, spaces and a few signs (currency, %, comma,
period, apostrophe, hyphen, slash), so a quoted phrase carries no markup of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from focusblock.worksheet.finding_gates import open_gates
from focusblock.worksheet.finding_words import MONTH_SHORT, MONTHS, NUMBER_WORDS, WEEKDAYS

# The kinds, in the order that wins when two findings cover the same words equally long.
KINDS: tuple[str, ...] = ("date", "duration", "frequency", "target", "limit", "figure")
KINDS += ("count", "person", "comparison", "past", "negation", "hedge")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    phrase: str  # exactly as it appears in the remark: text[start:end]
    start: int
    end: int


def _words(*items: str) -> str:
    return "(?:" + "|".join(items) + ")"


_NUM = r"(?:\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d+)?|" + _words(*NUMBER_WORDS) + r")"
_SCALE = r"(?:\s?(?:k|m|bn|mn)\b|\s(?:thousand|million|billion)\b)"
_LIMIT = r"(?:over|under|more than|less than|at least|up to|above|below)"
_APPROX = rf"(?:(?:about|around|roughly|approximately|almost|nearly|{_LIMIT})\s)?"
_CURRENCY = r"(?:USD|EUR|GBP|CHF|JPY|NOK|SEK|DKK|CAD|AUD|dollars?|euros?|pounds?|yen|kroner)"
_TIME_UNIT = (
    r"(?:(?:working |business |man[- ]|person[- ])?(?:minutes?|hours?|days?|weeks?|months?"
    r"|years?|quarters?|shifts?|nights?|weekends?))"
)
_RATE = (
    r"(?:\s(?:a|an|per|each|every)\s(?:minute|hour|day|week|month|year|quarter|shift|night|"
    r"person|site|user|ward|truck roll|order|invoice))"
)
_MONTH = _words(*MONTHS, *(m + r"\.?" for m in MONTH_SHORT))
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|tenth|twentieth)"
_DATE_CORE = _words(
    rf"(?:the\s)?{_ORDINAL}\s(?:of\s)?{_MONTH}(?:\s\d{{4}})?",
    rf"\d{{1,2}}\.?\s{_MONTH}(?:\s\d{{4}})?",
    rf"{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?",
    rf"{_MONTH}(?:\s\d{{4}})?",
    rf"the\s{_ORDINAL}(?!\s(?:working|business|time|party|day|week|month|year|quarter|floor|shift|"
    r"entity|person|one|call|meeting|round|phase|site|line|option)\b)",
    _words(*WEEKDAYS),
    rf"(?:the\s)?(?:end|start|beginning|middle|close)\sof\s(?:the\s|next\s|this\s)?"
    rf"(?:year|quarter|month|week|summer|spring|autumn|winter|{_MONTH}|Q[1-4])",
    r"(?:next|this|coming)\s(?:year|quarter|month|week|spring|summer|autumn|fall|winter|"
    + _words(*WEEKDAYS, *MONTHS)
    + ")",
    r"(?:spring|summer|autumn|winter)(?:\s\d{4})?",
    r"Q[1-4](?:\s\d{4})?",
    r"\d{4}-\d{2}-\d{2}",
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?",
    r"(?:19|20)\d{2}",
    r"go[- ]live|tomorrow|tonight",
)
_DEADLINE = (
    r"(?:(?:not\s|no\s)?(?:before|until|till|later\sthan|earlier\sthan)"
    r"|by|in|on|from|after|starting|due|around)"
)

# Each pattern: (kind, regex, compiled when first needed). Case-insensitive unless said otherwise.
_I = re.IGNORECASE


class _Lazy:
    """A regular expression compiled when first used: a remark opens the gates
    (finding_gates.py) of only a few patterns, and compiling all of them would cost more
    than a worksheet of a few hundred remarks spends matching."""

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled


PATTERNS: tuple[tuple[str, _Lazy], ...] = (
    # dates and deadlines: "by spring", "on the 2nd", "not before summer", "before the audit"
    ("date", _Lazy(rf"\b(?:{_DEADLINE}\s)?{_DATE_CORE}\b", _I)),
    (
        "date",
        _Lazy(
            r"\b(?:not\s)?(?:before|after|ahead of|until)\s(?:the|our|their|your)\s"
            r"(?!(?:same|other|first|next|last|rest|end|whole|way|time|people|person|one)\b)"
            r"[a-z][a-z-]+\b",
            _I,
        ),
    ),
    ("date", _Lazy(r"\bdeadlines?\b", _I)),
    # durations and frequencies: "two hours a day", "40 minutes per shift", "every week"
    ("duration", _Lazy(rf"\b{_APPROX}{_NUM}\s{_TIME_UNIT}{_RATE}?\b", _I)),
    ("duration", _Lazy(rf"\b(?:in|within|for)\s(?:{_NUM}|a|an)\s{_TIME_UNIT}\b", _I)),
    (
        "frequency",
        _Lazy(
            r"\b(?:every|each|once a|twice a|once per)\s(?:single\s)?"
            r"(?:minute|hour|day|night|week|month|quarter|year|shift|time|morning|evening)\b"
            r"|\b(?:daily|weekly|monthly|nightly|hourly|quarterly)\b"
            r"|\b(?:day|week|month|quarter|year)\sover\s(?:day|week|month|quarter|year)\b",
            _I,
        ),
    ),
    # figures and amounts: "1,800 USD", "$1,800", "30%", "50k", "140 of them"
    (
        "figure",
        _Lazy(
            rf"(?<![\w$€£¥]){_APPROX}[$€£¥]\s?\d[\d,.]*{_SCALE}?(?:\s{_CURRENCY})?{_RATE}?"
            rf"|\b{_APPROX}{_NUM}{_SCALE}?\s?{_CURRENCY}\b{_RATE}?",
            _I,
        ),
    ),
    (
        "target",
        _Lazy(r"\bfrom\s[$€£]?\d[\d,.]*\s?(?:%|k\b)?\sto\s[$€£]?\d[\d,.]*\s?(?:%|k\b)?", _I),
    ),
    ("figure", _Lazy(rf"\b{_APPROX}\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)", _I)),
    ("figure", _Lazy(rf"\b{_APPROX}\d+(?:[.,]\d+)?\s?(?:k|bn)\b", _I)),
    (
        "target",
        _Lazy(r"\b(?:by\s(?:half|a\sthird|a\squarter|two\sthirds)|halve[sd]?|double[sd]?)\b", _I),
    ),
    (
        "count",
        _Lazy(
            rf"\b{_APPROX}{_NUM}\s(?:of\s(?:them|us|our\s[a-z]+|their\s[a-z]+)|"
            r"(?!(?:of|and|or|to|in|on|at|the|a|for|is|are|was|were|times?)\b)[a-z][a-z-]*s)\b",
            _I,
        ),
    ),
    (
        "figure",
        _Lazy(rf"(?<![\w.,/-]){_APPROX}\d[\d,.]*\d(?![\w/-])|(?<![\w.,/-])\d(?![\w.,/-])"),
    ),
    # people and roles: "the board", "our CFO", "Priya", "Dr. Okafor", "Legal"
    (
        "person",
        _Lazy(
            r"\b(?:(?:[Tt]he|[Oo]ur|[Mm]y|[Tt]heir|[Yy]our|[Hh]is|[Hh]er|[Aa]|[Aa]n)\s(?:new\s|old\s|"
            r"regional\s|head\s|whole\s|local\s)?)"
            r"(?:board|management|CFO|CEO|COO|CTO|CIO|CISO|CMO|CHRO|VP(?:\s(?:of\s)?[A-Z][a-z]+)?|"
            r"boss|manager|director|owner|founder|auditors?|controllers?|lawyers?|"
            r"legal(?:\steam)?|procurement|purchasing|finance(?:\steam)?|IT(?:\steam)?|HR|"
            r"union|works council|committee|investors?|partners?|agency|team lead|"
            r"security team|buyer|sponsor|champion|nurses|technicians|engineers|users|staff|"
            r"doctors|drivers|head of [a-z]+)\b"
        ),
    ),
    (
        "person",
        _Lazy(
            r"\b(?:CFO|CEO|COO|CTO|CIO|CISO|CMO|IT|HR|Legal|Procurement|Purchasing|Finance|"
            r"[Pp]rocurement|[Ff]inance|[Aa]uditors|[Ii]nvestors|[Cc]ontrollers|[Tt]echnicians|"
            r"[Nn]urses|[Mm]anagement)\b"
        ),
    ),
    (
        "person",
        _Lazy(
            r"\b(?:Dr|Mr|Mrs|Ms|Prof|Herr|Frau|Mme|Mlle)\.?\s[A-ZÀ-Ý][\w'\u2019-]+(?:\s[A-ZÀ-Ý][\w'\u2019-]+)?"
        ),
    ),
    # a capitalised name followed by what people do: "Daniel will ask", "Priya's team"
    (
        "person",
        _Lazy(
            r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:\s[A-ZÀ-Ý][a-zà-ÿ]+)?(?='s\b|\u2019s\b|"
            r"\s(?:will|wants|wanted|said|says|asked|asks|thinks|signs|decides|decided|decide|needs|"
            r"told|likes|hates|agreed|approves|approved|owns|runs|leads|must|should|would)\b)"
        ),
    ),
    # a name after what one does with a person: "ask Daniel", "send it to Priya"
    (
        "person",
        _Lazy(
            r"\b(?i:ask|asked|tell|told|cc|call|email|met|meet|(?:talk|speak|spoke|talked)\s"
            r"(?:to|with)|(?:send|sent|forward|give|gave)\sit\sto)\s(?P<quote>[A-ZÀ-Ý][a-zà-ÿ]+)"
        ),
    ),
    # comparisons and competitors: "faster than", "like Acme", "a competitor"
    (
        "comparison",
        _Lazy(
            r"\b(?:[a-z]+er|more|less|other|rather)\sthan(?:\s(?!and\b|but\b)[\w'\u2019$€£%-]+){1,3}",
            _I,
        ),
    ),
    (
        "comparison",
        _Lazy(
            r"\b(?:compared\s(?:to|with)|same\sas|instead\sof|unlike|similar\sto)\s[\w'\u2019-]+"
            r"(?:\s[A-Z][\w'\u2019-]+)?"
            r"|\blike\s(?!us\b|that\b|this\b|it\b)[A-Z][\w&'\u2019-]+(?:\s[A-Z][\w&'\u2019-]+)?",
        ),
    ),
    (
        "comparison",
        _Lazy(
            r"\b(?:above|below|over|under|beyond|within)\s(?:what\s(?:we|they|I)\s[a-z]+|"
            r"(?:our|the|their|your)\s(?:budget|price|quote|offer))",
            _I,
        ),
    ),
    (
        "comparison",
        _Lazy(
            r"\b(?:(?:a|the|another|our|their)\s(?:current\s|other\s|existing\s)?)?"
            r"(?:competitors?|other\svendors?|current\s(?:supplier|vendor|provider|system|tool))\b",
            _I,
        ),
    ),
    # past attempts: "we tried", "last year", "two years ago", "got burned"
    (
        "past",
        _Lazy(
            r"\b(?:we|they|I|he|she)(?:'ve|\u2019ve|\shave|\shad)?\s(?:already\s|once\s)?"
            r"(?:tried|piloted|tested|evaluated|bought|switched|looked\sat|got\sburned|"
            r"used\sto|went\sback)\b"
            r"|\b(?:tried|got\sburned|burned)\b"
            r"|\blast\s(?:year|quarter|month|week|time|rollout|project|vendor|attempt|pilot|"
            r"supplier|system|tool|spring|summer|autumn|winter)\b"
            r"|\b(?:a|an|two|three|four|five|\d+|several|few)\s(?:years?|months?|weeks?)\sago\b"
            r"|\b(?:in\sthe\spast|previously)\b",
            _I,
        ),
    ),
    # refusals and negations: "we won't", "not before", "isn't right", "nobody trusts"
    (
        "negation",
        _Lazy(
            r"\b(?:(?:(?:we|they|I|you|he|she|it|the\s[a-z]+(?:\sjust)?)\s)?"
            r"(?:won't|won\u2019t|will\snot|can't|can\u2019t|cannot|can\snot|don't|don\u2019t|do\snot|"
            r"doesn't|doesn\u2019t|does\snot|didn't|didn\u2019t|did\snot|isn't|isn\u2019t|is\snot|"
            r"aren't|aren\u2019t|are\snot|wouldn't|wouldn\u2019t|would\snot|never)"
            r"|(?:nobody|no\sone)(?=\s(?!in\b|at\b|of\b|else\b)[a-z])|no\sbudget"
            r"|not\s(?:yet|now|interested|convinced|before|until|right|ready))"
            r"(?:\s(?!(?:and|but|or|because|so|if|when|who|which|before|after|by|until|in|on|"
            r"at|for|to|with|from|of|how|our|your|their|any|that|this|next|last)\b)[\w'\u2019-]+){0,3}",
            _I,
        ),
    ),
    # hedges: "maybe", "probably", "I think", and a few in French and German
    (
        "hedge",
        _Lazy(
            r"\b(?:maybe|perhaps|probably|possibly|hopefully|presumably|likely|ideally|"
            r"in\sprinciple|more\sor\sless|sort\sof|kind\sof|I\s(?:think|guess|believe|suppose|"
            r"hope|feel)|we\s(?:might|may|could)|might|could\sbe|not\ssure|"
            r"peut-être|je\spense|vielleicht|eventuell|ich\sglaube)\b",
            _I,
        ),
    ),
)

_RANK = {kind: index for index, kind in enumerate(KINDS)}
_TRAILING = re.compile(r"(?:[\s,.;:'\u2019-]|\s(?:the|a|an)\b)+$", re.IGNORECASE)
_LIMIT_START = re.compile(_LIMIT + r"\s", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_THIS_PERIOD = re.compile(r"this\s(?:year|quarter|month|week)")


def findings(text: str, year: int | None = None) -> list[Finding]:
    """What `text` says that a seller must probe, in reading order, without overlaps.

    Where two patterns cover the same words the longer phrase wins (then the kind listed
    first in KINDS), so "not before summer" is one date and not a refusal plus a season.
    `year`, the year the remark was heard: a date in an earlier year ("in 2024") is a past
    attempt to ask about, not a deadline.
    """
    # only the patterns whose gate the remark opens (finding_gates.py): the others cannot match
    bits = open_gates(text)
    patterns = [pattern for index, pattern in enumerate(PATTERNS) if bits >> index & 1]
    return _findings(text, year, patterns)


def _findings(text: str, year: int | None, patterns: Iterable[tuple[str, _Lazy]]) -> list[Finding]:
    found: list[Finding] = []
    for kind, lazy in patterns:
        pattern = lazy.compiled
        quoted = "quote" in pattern.groupindex
        for match in pattern.finditer(text):
            # a pattern may name the part to quote; the words around it only place it
            start, end = match.span("quote") if quoted else match.span()
            phrase = _TRAILING.sub("", text[start:end])
            end = start + len(phrase)
            if phrase and not _noise(kind, phrase):
                found.append(Finding(_refined(kind, phrase, year), phrase, start, end))
    chosen: list[Finding] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), _RANK[f.kind], f.start)):
        if all(item.end <= c.start or item.start >= c.end for c in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda f: f.start)


# Words that the patterns above can take for a finding although they are none.
_NOT_NAMES = {
    "I",
    "We",
    "They",
    "Our",
    "Your",
    "Their",
    "Nobody",
    "Everyone",
    "Someone",
    "Anyone",
    "This",
    "That",
    "It",
    "He",
    "She",
    "You",
    "What",
    "Who",
    "Which",
    "When",
    "If",
    "Then",
    "So",
    "And",
    "But",
    "Also",
    "There",
    "Here",
    "Everything",
    "Nothing",
    "Something",
    "Maybe",
    "Perhaps",
    "Thanks",
    "Honestly",
    *(m.capitalize() for m in MONTHS),
    *(d.capitalize() for d in WEEKDAYS),
}
# "may" alone is a verb far more often than a month, "fall" a verb more often than autumn
_NOT_DATES = {"may", "fall", "second", "the second"}


def _refined(kind: str, phrase: str, year: int | None) -> str:
    """A date in a year before the remark is a past attempt; "above 50k" is a limit."""
    if kind == "date" and year is not None and _before(phrase, year):
        return "past"
    if kind == "figure" and _LIMIT_START.match(phrase):
        return "limit"
    return kind


def _before(phrase: str, year: int) -> bool:
    years = [int(y) for y in _YEAR.findall(phrase)]
    return bool(years) and max(years) < year


def _noise(kind: str, phrase: str) -> bool:
    if kind == "person":
        return phrase in _NOT_NAMES
    if kind == "date":
        # "this year" on its own is the period something is counted over, not a date
        bare = phrase.lower()
        return bare in _NOT_DATES or _THIS_PERIOD.fullmatch(bare) is not None
    return False
