"""The Gaps detectors read a remark in time linear in its length, and read it exactly as
the patterns they replaced did.

A remark holds up to 20,000 characters (MAX_REMARK_CHARS) and may be one sentence; the
worksheet and the plan read every remark of an account, so a pattern that backtracks over
a long sentence stalls both. Each hostile case runs in a subprocess with a timeout.
"""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
import textwrap

import pytest

from focusblock.remark_input import MAX_REMARK_CHARS
from focusblock.worksheet import gaps
from focusblock.worksheet.gaps import GAP_KEYS, speaks_to
from tests.conftest import EXAMPLES, REPO

BOUND = 20  # seconds; each case takes milliseconds when matching is linear

_FILLER = ("we talked about the rollout and the roadmap for next year " * 400)[:19_900]

HOSTILE = [
    # (text, the facts it speaks to)
    ("we lose " + "1," * 9_990 + "1 hours", {"figures"}),  # a cost word, then a long figure
    ("we lose " + "1," * 9_995 + " x", set()),  # a long figure with no unit: no figure
    ("1" * 19_990 + "% lost", {"figures"}),
    ("9" * 19_990 + "x costs", set()),
    (_FILLER + " costs", set()),  # one long sentence, a cost word at its end, no figure
    (_FILLER + "\nRob signs.", {"signer"}),  # a long line with no full stop, then a sentence
    (_FILLER.replace(" ", "\n") + " sign", {"signer"}),  # many short lines
    ("sign " + " " * 19_900 + "off", {"signer"}),
]


@pytest.mark.parametrize(("text", "heard"), HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_a_long_hostile_remark_is_read_in_bounded_time(text, heard):
    assert len(text) <= MAX_REMARK_CHARS
    script = textwrap.dedent(
        """
        import json, sys
        from datetime import date
        from focusblock.model import Remark
        from focusblock.worksheet.gaps import deal_gaps
        text = sys.stdin.read()
        remark = Remark(1, "Acme", text, None, date(2026, 11, 1), "call", None, None, 0, None)
        print(json.dumps([g.key for g in deal_gaps([remark]) if g.heard_in]))
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            input=text,
            capture_output=True,
            text=True,
            timeout=BOUND,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the gaps of a {len(text):,}-character remark took over {BOUND} s")
    assert set(json.loads(done.stdout)) == heard


# --- the same reading as before -------------------------------------------------------------
# The patterns as they were before matching was made linear (commit b13ab18), kept here as the
# oracle: on ordinary texts they are quick, and every text below must be read alike.

_OLD_MONEY = (
    r"(?:[$€£¥]\s?\d|\d[\d,.]*\s?(?:k|m|bn|K|M)?\s?"
    r"(?:\$|€|£|dollars?|euros?|pounds?|USD|EUR|GBP|CHF)\b|\d[\d,.]*\s?(?:k|K)\b)"
)
_OLD_FIGURE = (
    rf"(?:{_OLD_MONEY}|\b\d[\d,.]*\s?(?:%|percent\b|hours?\b|days?\b|people\b|FTEs?\b|staff\b))"
)
_OLD_COST_WORDS = (
    r"\b(?:cost(?:s|ing)?|lose|loses|losing|lost|loss(?:es)?|spend(?:s|ing)?|spent|waste[sd]?|"
    r"wasting|penalt(?:y|ies)|fines?|overtime|churn|write[- ]offs?|downtime|burn(?:s|ing)?|"
    r"price\s+of\s+doing\s+nothing|doing\s+nothing)\b"
)
_OLD_FIGURES = re.compile(rf"(?=.*{_OLD_COST_WORDS})(?=.*{_OLD_FIGURE})", re.IGNORECASE)
# the old sentences, but ending at every line's end too ('$' in MULTILINE): a line without
# a full stop was not read at all before, a bug fixed after this oracle was written
_OLD_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.M)
_HEARD = {key: speaks for key, _, speaks, _ in gaps._FACTS}


def _old_speaks_to(key: str, text: str) -> bool:
    # the other five facts' patterns are as they were: only how sentences are cut and the
    # figures are read changed
    speaks = _OLD_FIGURES.search if key == "figures" else _HEARD[key]
    return any(speaks(s.group()) for s in _OLD_SENTENCE.finditer(text))


# pieces that sit on the edges of the patterns: figures with and without units, commas,
# points and signs, words glued to digits, sentence ends, line breaks, cost words
_PIECE_LINES = (
    "0 1 7 12 1,800 2.5 3. .5 ,5 1,2,3 45,000 10k 10 k 10K 3m 2bn 4 M",
    "$ $5 € €2,500 £ £ 40 ¥9 USD EUR 30 USD 12 euros 1 dollar 9 pounds CHF",
    "% 5% 5 % percent 20percent 3 hours 1 hour 2 days 1day 9 people 4 FTEs FTE staff",
    "x5% a1,5% _5% 5_% \u0663 \u0663% \uff15 hours",  # Arabic-Indic and full-width digits
    "cost costs costing lose lost losses spend spent wasted fines overtime",
    "churn write-off write offs downtime burning doing nothing price of",
    "sign signs signed sign-off signs off sign up approve budget holder",
    "decide committee POC procurement legal RFP Excel SAP in-house HubSpot",
    "I want this I'll push I'm all for count on me I'd love to see it",
    "the we and a of it them",
)
_PIECES = [
    *(piece for line in _PIECE_LINES for piece in line.split(" ")),
    *(".", "!", "?", "...", "?!", "\n", "\n\n", ",", "  ", "\t"),
]


def _corpus() -> list[str]:
    texts: list[str] = []
    for name in ("labelled.jsonl", "held_out.jsonl", "held_out_2.jsonl"):
        for line in (REPO / "tests" / "findings" / name).read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    with open(EXAMPLES / "remarks.csv", encoding="utf-8", newline="") as rows:
        texts.extend(row["text"] for row in csv.DictReader(rows))
    rng = random.Random(25)
    for _ in range(4_000):
        words = [rng.choice(_PIECES) for _ in range(rng.randint(1, 14))]
        glue = rng.choice([" ", "", " ", " "])
        texts.append(glue.join(words))
    return texts


def test_every_fact_is_heard_in_the_same_texts_as_before():
    differing = [
        (key, text)
        for text in _corpus()
        for key in GAP_KEYS
        if speaks_to(key, text) != _old_speaks_to(key, text)
    ]
    assert not differing, differing[:5]
