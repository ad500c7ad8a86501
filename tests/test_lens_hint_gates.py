"""Lens suggestions try a cue only when a word of the remark starts with one of the cue's first
words; these check that this never changes a score: on the lens example remarks, on made-up
remarks built from the cues' own words, and on texts hypothesis makes from each cue."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusblock.names import name_key
from focusblock.worksheet import lens_hints
from focusblock.worksheet.lens_hints import CUES, first_words, guess_lens


def _example_texts() -> list[str]:
    texts = []
    for name in ("lens_examples.csv", "lens_heldout.csv"):
        with (Path(__file__).parent / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    return texts


def _literal_words(source: str) -> set[str]:
    """The runs of letters in a pattern's source, escapes (\\s, \\b, \\d) taken out."""
    return set(re.findall(r"[A-Za-z]+", re.sub(r"\\[A-Za-z]", " ", source)))


def _scores_of_every_cue(folded: str) -> tuple[dict[str, float], float]:
    """The scores as before the gates: every cue tried on every remark."""
    scores = {
        lens: float(sum(w for p, w in cues if re.search(p, folded))) for lens, cues in CUES.items()
    }
    against = float(sum(w for p, w in lens_hints.ARRANGING if re.search(p, folded)))
    return scores, against


def _folded(text: str) -> str:
    return name_key(text).replace("\u2019", "'")


def test_first_words_of_a_cue():
    assert first_words(r"\bwe need (?:a|an|to)\b") == ("we",)
    assert first_words(r"\btakes? (?:us )?days\b|\bby hand\b") == ("take", "by")
    assert first_words(r"\bget(?:s)? lost\b|\bkeep (?:arriving|losing)\b") == ("get", "keep")
    assert first_words(r"\bwe'?d know\b|\b(?:a|b)\b") is None  # a group first: always tried
    assert first_words(r"\?") is None
    assert first_words(r"\bx|[|(]\b") is None  # a bar inside a class splits nothing
    assert first_words(r"\bab{2}c") == ("a",)


def test_scores_are_the_same_on_the_example_remarks():
    texts = _example_texts()
    for text in texts:
        folded = _folded(text)
        assert lens_hints._scores(folded) == _scores_of_every_cue(folded), text
    assert sum(1 for text in texts if guess_lens(text).lens) > 50  # the cues do fire


def test_scores_are_the_same_on_made_up_remarks():
    words = sorted({w for _, cue, _ in lens_hints._CUES for w in _literal_words(cue.source)})
    rng = random.Random(5)
    fired = 0
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 10)))
        scores, against = lens_hints._scores(text)
        assert (scores, against) == _scores_of_every_cue(text), text
        fired += sum(scores.values()) > 0
    assert fired > 1000


@pytest.mark.parametrize("index", range(len(lens_hints._CUES)))
@pytest.mark.slow  # 30 generated texts for each cue
def test_every_text_a_cue_matches_opens_it(index):
    _, cue, _ = lens_hints._CUES[index]
    pattern = re.compile(cue.source)

    @settings(
        max_examples=30,  # per cue, about 90 cues
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        scores, against = lens_hints._scores(text)
        assert (scores, against) == _scores_of_every_cue(text), (cue.source, text)

    check()
