"""Gates for the findings' patterns: which of them can match a remark at all, found fast.

Trying a pattern at every position of a remark is what findings() spends its time on, and a
remark matches only a few of the patterns. Each pattern has a gate here, in the order of
findings.PATTERNS: words (or a digit) one of which every match of the pattern contains.
A remark that holds none of them skips the pattern, which could not have matched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from focusblock.worksheet.finding_words import (
    MONTH_SHORT,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    SEASONS,
    UNITS,
    WEEKDAYS,
)

# Gates: words without which a pattern cannot match, so a remark that has none of them skips
# the pattern (most remarks match only a few of the patterns, and trying a pattern at every
# position is what costs). A gate is a set of clues, any one of which lets the pattern run:
# a piece of the lower-cased remark (for a case-insensitive pattern), a piece of the remark
# as written (for a case-sensitive one), or DIGIT, any decimal digit (regex \d).
# Each clue is a piece of every match of one branch of the pattern, so skipping never loses
# a match; tests/test_finding_gates.py checks that against the patterns run on everything.
DIGIT = r"\d"
_LOWER, _EXACT = "lower", "exact"


class _Gate(NamedTuple):
    case: str  # _LOWER or _EXACT: the remark lower-cased, or as written
    digit: bool  # whether a digit lets the pattern run
    words: tuple[str, ...]  # clues of ASCII letters: looked for inside the remark's words
    signs: tuple[str, ...]  # the other clues: looked for in the whole remark


def _gate(case: str, *clues: str) -> _Gate:
    """A gate of clues given as space-separated words (`DIGIT` among them as \\d)."""
    items = [item for clue in clues for item in clue.split()]
    words = tuple(item for item in items if item.isascii() and item.isalpha())
    signs = tuple(item for item in items if item != DIGIT and item not in words)
    return _Gate(case, DIGIT in items, words, signs)


_NUMBER_CLUES = " ".join(max(key.split(), key=len) for key in NUMBER_WORDS)
_DATE_CLUES = " ".join((*MONTHS, *MONTH_SHORT, *WEEKDAYS, *ORDINAL_WORDS, *SEASONS))
_UNIT_CLUES = " ".join(UNITS)
_GATES: tuple[_Gate, ...] = (
    _gate(_LOWER, _DATE_CLUES, DIGIT, "of next this coming go tomorrow tonight"),
    _gate(_LOWER, "before after ahead until"),
    _gate(_LOWER, "deadline"),
    _gate(_LOWER, _UNIT_CLUES),
    _gate(_LOWER, _UNIT_CLUES),
    _gate(_LOWER, "every each once twice daily weekly monthly nightly hourly quarterly over"),
    _gate(
        _LOWER,
        "$ € £ ¥ usd eur gbp chf jpy nok sek dkk cad aud dollar euro pound yen kroner",
    ),
    _gate(_LOWER, "from"),
    _gate(_LOWER, DIGIT),
    _gate(_LOWER, DIGIT),
    _gate(_LOWER, "half third quarter halve double"),
    _gate(_LOWER, DIGIT, _NUMBER_CLUES),
    _gate(_EXACT, DIGIT),
    _gate(
        _EXACT,
        "board management CFO CEO COO CTO CIO CISO CMO VP boss manager director owner",
        "founder auditor controller lawyer legal procurement purchasing finance IT HR union",
        "council committee investor partner agency team buyer sponsor champion nurses",
        "technicians engineers users staff doctors drivers head",
    ),
    # case-sensitive pattern written [Pp]rocurement, [Ff]inance, [Aa]uditors, ...: the clue
    # is the part after the bracket, which both spellings share
    _gate(
        _EXACT,
        "CFO CEO COO CTO CIO CISO CMO IT HR Legal rocurement Purchasing inance uditors",
        "nvestors ontrollers echnicians urses anagement",
    ),
    _gate(_EXACT, "Dr Mr Ms Prof Herr Frau Mme Mlle"),
    _gate(
        _EXACT,
        "'s \u2019s will want said says ask think sign decide need told like hate agreed",
        "approve own run lead must should would",
    ),
    _gate(
        _LOWER, "ask tell told cc call email met meet talk speak spoke send sent forward give gave"
    ),
    _gate(_LOWER, "than"),
    _gate(_EXACT, "compared same instead similar like"),
    _gate(_LOWER, "above below over under beyond within"),
    _gate(_LOWER, "competitor vendor current"),
    _gate(
        _LOWER,
        "tried piloted tested evaluated bought switched looked burned used went last ago past",
        "previously",
    ),
    _gate(_LOWER, "n't n\u2019t no never"),
    _gate(
        _LOWER,
        "maybe perhaps probably possibly hope presumably likely ideally principle less sort",
        "kind think guess believe suppose feel might may could sure peut pense vielleicht",
        "eventuell glaube",
    ),
)
# Characters that a case-insensitive pattern takes for an ASCII letter although lower()
# does not make them one (dotted and dotless i, long s, Kelvin sign): a remark with any of
# them runs every pattern.
_CASE_ODD = frozenset("\u0130\u0131\u017f\u212a")
_ANY_DIGIT = re.compile(r"\d")


_WORD = re.compile(r"[A-Za-z]+")
_EVERY = (1 << len(_GATES)) - 1
_DIGIT_GATES = sum(1 << index for index, gate in enumerate(_GATES) if gate.digit)
_SIGNS = tuple(
    (sign, gate.case, 1 << index) for index, gate in enumerate(_GATES) for sign in gate.signs
)


@lru_cache(maxsize=1 << 14)
def _word_gates(word: str, case: str) -> int:
    """The gates (bits by pattern index) that one run of ASCII letters opens."""
    bits = 0
    for index, gate in enumerate(_GATES):
        if gate.case == case and any(clue in word for clue in gate.words):
            bits |= 1 << index
    return bits


def open_gates(text: str) -> int:
    """The patterns worth running on `text`, as bits by index into findings.PATTERNS.

    A clue of letters sits inside one run of ASCII letters of the remark (lower-cased, for a
    case-insensitive pattern: lower() keeps ASCII letters ASCII and makes no other character
    one, but for those in _CASE_ODD, with which every pattern runs), so it is looked for in
    each distinct run, with the answer for a run remembered: a remark costs one pass over
    its words, not one pass over its text per clue."""
    if not _CASE_ODD.isdisjoint(text):
        return _EVERY
    bits = 0
    for word in set(_WORD.findall(text)):
        bits |= _word_gates(word, _EXACT) | _word_gates(word.lower(), _LOWER)
    lower = text.lower()
    for sign, case, bit in _SIGNS:
        if sign in (lower if case == _LOWER else text):
            bits |= bit
    if _ANY_DIGIT.search(text):
        bits |= _DIGIT_GATES
    return bits
