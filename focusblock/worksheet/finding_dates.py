"""The details of a date found in a remark: past or future from the day the remark was heard,
and whether it is a limit (a deadline, a cut-off) or only a point in time."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from focusblock.worksheet.finding_words import MONTHS

_I = re.IGNORECASE
_LIMIT_OPEN = re.compile(
    r"(?:by|before|until|till|no\slater\sthan|not\slater\sthan|ahead\sof|bis|avant)\b", _I
)
_LIMIT_NEAR = re.compile(
    r"\b(?:deadline|at\sthe\slatest|cut-?off|or\selse|or\swe|or\sthe|otherwise|latest|"
    r"has\sto|have\sto|must|needs?\sto|spätestens|sinon|runs\sout|expires?|closes)\b",
    _I,
)
_PAST_WORDS = re.compile(
    r"\b(?:ago|back|last|since|previous|was|were|had|did|went|came|got|lost|found|"
    r"rejected|approved|tried|trialled|piloted|bought|dropped|killed|failed|happened|"
    r"started|signed|broke|crashed|said|told|used|ran|took|cost|spent|hit|missed|"
    r"[a-z]+ed)\b|il\sy\sa",
    _I,
)
_FUTURE_WORDS = re.compile(
    r"\b(?:will|'ll|going\sto|next|coming|plan|planned|planning|want|wants|need|needs|must|"
    r"has\sto|have\sto|should|due|expect|expects|hope|until|by|before|goes|starts|is|are|"
    r"meets|renewal|renews|runs\sout|expires)\b",
    _I,
)


def date_details(phrase: str, text: str, start: int, heard_on: date) -> dict[str, Any]:
    """`tense` ("past" or "future") and `limit` (bool) of the date `phrase` found at `start`
    of `text`, a remark heard on `heard_on`."""
    sentence = _sentence(text, start, start + len(phrase))
    return {"tense": _tense(phrase, sentence, heard_on), "limit": _limit(phrase, sentence)}


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(mark, 0, start) for mark in ".;!?") + 1
    rights = [i for i in (text.find(mark, end) for mark in ".;!?") if i >= 0]
    return text[left : min(rights) if rights else len(text)]


def _limit(phrase: str, sentence: str) -> bool:
    if _LIMIT_OPEN.match(phrase) or re.search(r"at\sthe\slatest", phrase, _I):
        return True
    return bool(_LIMIT_NEAR.search(sentence))


def _tense(phrase: str, sentence: str, heard_on: date) -> str:
    lower = phrase.lower()
    if re.search(r"\b(?:ago|back|last|since|previous|yesterday)\b|il\sy\sa", lower):
        return "past"
    ahead = re.search(r"\b(?:next|coming|tomorrow)\b|^(?:in|within)\s(?:\w+\s)?\w+s?$", lower)
    if ahead and not re.search(r"\b(?:19|20)\d\d\b", lower) and not _month_of(lower):
        return "future"
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", lower)]
    if years:
        return "past" if max(years) < heard_on.year else "future"
    rest = sentence.replace(phrase, " ")
    past = _PAST_WORDS.search(rest) is not None
    future = (
        re.search(
            r"\b(?:will|'ll|going\sto|must|has\sto|have\sto|needs?\sto|wants?|"
            r"should|plan\w*|is|are|starts|begins|opens|renews|closes|ends|due)\b",
            rest,
            _I,
        )
        is not None
    )
    if past and not future:
        return "past"
    if future and not past:
        return "future"
    if future and _LIMIT_OPEN.match(phrase):
        # "we need to go live by March", said in September: the next March, a deadline
        # ahead ("need" reads like a past "-ed" word to the rule above)
        return "future"
    month = _month_of(lower)
    if month is not None:
        return "past" if month < heard_on.month else "future"
    if _LIMIT_OPEN.match(phrase):
        return "future"
    return "past" if past else "future"


def _month_of(lower: str) -> int | None:
    for number, month in enumerate(MONTHS, start=1):
        if re.search(rf"\b{month}\b", lower):
            return number
    return None
