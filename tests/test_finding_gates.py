"""The gates that let findings() skip patterns never change what it finds.

findings() runs a pattern only when the remark holds one of the words (or a digit) that every
match of that pattern contains. These tests run every pattern on every text, as findings()
did before the gates, and compare: on the lens example remarks and on many made-up remarks
built from the patterns' own words, in every casing, with figures, dates and names.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.worksheet import finding_gates as gates
from focusblock.worksheet import findings as module
from focusblock.worksheet.findings import PATTERNS, findings

HERE = Path(__file__).parent


def _ungated(text: str, year: int | None = None) -> list[module.Finding]:
    return module._findings(text, year, module.PATTERNS)


def _example_texts() -> list[str]:
    texts = []
    for name in ("lens_examples.csv", "lens_heldout.csv"):
        with (HERE / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return texts


def _literal_words(source: str) -> set[str]:
    """The runs of letters in a pattern's source, escapes (\\s, \\b, \\d) taken out."""
    return set(re.findall(r"[A-Za-z]+", re.sub(r"\\[A-Za-z]", " ", source)))


def _pattern_words() -> list[str]:
    """Every run of letters in the patterns' source: the words they look for (and some
    fragments of regex syntax, which do no harm)."""
    words = set()
    for _, pattern in PATTERNS:
        words.update(_literal_words(pattern.source))
    return sorted(words)


PIECES = (
    "3",
    "12",
    "1,800",
    "2.5",
    "50k",
    "$1,800",
    "€40",
    "30%",
    "2024",
    "2031",
    "2nd",
    "the 21st",
    "Q3",
    "10/12",
    "2026-03-01",
    "Priya",
    "Daniel Okafor",
    "Dr. Okafor",
    "Zürich",
    "naïve",
    "東京",
    "🙂",
    "won't",
    "can\u2019t",
    "Priya's",
    "Daniel\u2019s",
)
SEPARATORS = (" ", " ", " ", ", ", ". ", "-", " - ", "\n", "; ", " (", ") ", "'s ", "/")


def _made_up(rng: random.Random, words: list[str]) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(1, 14)):
        piece = rng.choice(PIECES) if rng.random() < 0.2 else rng.choice(words)
        casing = rng.random()
        if casing < 0.2:
            piece = piece.capitalize()
        elif casing < 0.3:
            piece = piece.upper()
        parts.append(piece)
        parts.append(rng.choice(SEPARATORS))
    return "".join(parts[:-1])


def test_every_pattern_has_a_gate():
    assert len(gates._GATES) == len(PATTERNS)
    for gate in gates._GATES:
        assert gate.case in (gates._LOWER, gates._EXACT)
        assert gate.words or gate.signs or gate.digit
        if gate.case == gates._LOWER:
            assert all(clue == clue.lower() for clue in gate.words + gate.signs), gate


def test_gates_find_the_same_in_the_example_remarks():
    texts = _example_texts()
    assert len(texts) > 100
    for text in texts:
        for year in (None, 2026):
            assert findings(text, year) == _ungated(text, year), text


def test_gates_find_the_same_in_made_up_remarks():
    rng = random.Random(12)
    words = _pattern_words()
    found = 0
    for _ in range(6000):
        text = _made_up(rng, words)
        gated = findings(text, 2026)
        assert gated == _ungated(text, 2026), text
        found += len(gated)
    assert found > 6000  # the made-up remarks do hold findings, of every kind
    kinds = {f.kind for _ in range(1) for f in findings("We tried it last year, $40 a day.")}
    assert {"past", "figure"} <= kinds


@pytest.mark.parametrize("index", range(len(PATTERNS)))
@pytest.mark.slow  # 150 generated texts for each of 25 patterns
def test_every_text_a_pattern_matches_opens_its_gate(index):
    """Texts made from the pattern itself (hypothesis's from_regex, with text around the
    match): wherever the pattern finds something, its gate lets it run."""
    kind, lazy = PATTERNS[index]
    pattern = lazy.compiled

    @settings(
        max_examples=150,  # per pattern, 25 patterns: 300 each took half a minute
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        if pattern.search(text) is None or not gates._CASE_ODD.isdisjoint(text):
            return
        assert gates.open_gates(text) >> index & 1, (kind, text)

    check()


# Around each word of a pattern, the short contexts its branches take: a gate that lacked
# the word would stay shut on one of these although the pattern matches.
CONTEXTS = (
    "{w}",
    "the {w}",
    "by the {w}",
    "not before the {w}",
    "3 {w}",
    "two {w}",
    "about 40 {w}",
    "{w} 2027",
    "the {w} of March",
    "{w} of the year",
    "the {w} year",
    "je {w}",
    "ich {w}",
    "{w} of them",
    "every {w}",
    "last {w}",
    "{w} a day",
    "{w} over {w}",
    "we {w} it",
    "we {w} before",
    "I {w}",
    "it {w} work",
    "{w} than ours",
    "{W} will",
    "{W} Okafor said",
    "ask {W}",
    "{w} to Priya",
    "{w} it to Priya",
    "our {w}",
    "Our {w}",
    "our {w} team",
    "The {W}",
    "{W}",
    "{w} Acme",
    "{w} our budget",
    "{w}. Okafor",
    "{W}. Okafor",
    "$40 {w}",
    "40 {w}",
    "{w} ago",
    "a {w}",
    "a {w} ago",
)


def test_every_word_of_a_pattern_in_its_contexts_opens_its_gate():
    checked = 0
    for index, (kind, lazy) in enumerate(PATTERNS):
        pattern = lazy.compiled
        for word in _literal_words(lazy.source):
            for context in CONTEXTS:
                for w in {word, word.lower(), word.capitalize(), word.upper()}:
                    text = context.format(w=w, W=w.capitalize())
                    if pattern.search(text):
                        checked += 1
                        assert gates.open_gates(text) >> index & 1, (kind, text)
    assert checked > 2000


def test_gates_are_open_for_letters_lower_does_not_fold_to_ascii():
    """A case-insensitive pattern matches a few non-ASCII letters as ASCII ones (the Kelvin
    sign as k, the long s as s), and lower() makes a few ASCII letters of them: the gates
    look for clues in runs of ASCII letters, so a remark with any of these runs every
    pattern, or a gate would hide a match."""
    ascii_like = re.compile("[a-z]", re.IGNORECASE)
    for code in range(0x80, sys.maxunicode + 1):
        char = chr(code)
        if ascii_like.fullmatch(char) or re.search("[a-z]", char.lower()):
            assert char in gates._CASE_ODD, hex(code)
    for char in gates._CASE_ODD:  # and with one of them, every pattern runs
        text = f"We tried it la{char}t year" if char != "\u212a" else "50\u212a USD"
        assert findings(text, 2026) == _ungated(text, 2026)
