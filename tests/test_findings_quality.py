"""How well the findings are read, measured on the labelled sets (tests/findings/GUIDE.md):
a finding is right when a labelled finding of the same kind overlaps its span.

The rules were written against labelled.jsonl; held_out.jsonl and held_out_2.jsonl (written
later, blind, by someone who never read the rules) were never looked at while writing them
and are only measured. Run with `-s` to see the table per kind (README shows it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from focusblock.worksheet.finding_quality import Score, measure, read_set, table
from focusblock.worksheet.findings import KINDS

SETS = Path(__file__).parent / "findings"
PRECISION, RECALL, PER_KIND = 0.9, 0.85, 0.8


def _scores(name: str) -> dict[str, Score]:
    return measure(read_set(SETS / f"{name}.jsonl"))


def _shortfalls(scores: dict[str, Score]) -> list[str]:
    low = []
    overall = scores["all"]
    if overall.precision < PRECISION or overall.recall < RECALL:
        low.append(f"micro P {overall.precision:.2f} R {overall.recall:.2f}")
    for kind in KINDS:
        s = scores[kind]
        if s.labelled and (s.precision < PER_KIND or s.recall < PER_KIND):
            low.append(f"{kind} P {s.precision:.2f} R {s.recall:.2f}")
    return low


def test_the_labelled_set_is_read_well_enough():
    scores = _scores("labelled")
    print("\n" + table({"labelled": scores}))
    assert not _shortfalls(scores), _shortfalls(scores)


@pytest.mark.parametrize("name", ["held_out", "held_out_2"])
def test_the_held_out_sets_are_measured_and_printed(name):
    scores = _scores(name)
    print("\n" + table({name: scores}))
    low = _shortfalls(scores)
    if low:
        pytest.xfail(f"{name} below the bounds (measured, not tuned on): " + "; ".join(low))


def test_a_score_counts_overlap_of_the_same_kind_only():
    line = {
        "heard_on": "2026-01-14",
        "text": "We run a fleet of 45 trucks out of depot 7.",
        "findings": [
            {"kind": "count", "start": 18, "end": 27, "phrase": "45 trucks"},
            {"kind": "count", "start": 35, "end": 42, "phrase": "depot 7"},
        ],
    }
    scores = measure([line])
    assert (scores["count"].found, scores["count"].right) == (1, 1)
    assert (scores["count"].labelled, scores["count"].recalled) == (2, 1)
    assert (scores["identifier"].found, scores["identifier"].right) == (1, 0)


def test_a_limit_said_with_a_need_is_ahead_even_for_an_earlier_month():
    from datetime import date

    from focusblock.worksheet.findings import findings

    (found,) = findings("We need to go live by March.", date(2026, 9, 1))
    assert (found.kind, found.details["tense"], found.details["limit"]) == ("date", "future", True)
