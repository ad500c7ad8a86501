"""How long the findings extractor takes over the labelled set (the held-out set is not
read here: timing it would not spend it, but there is no need to open it).

    python bench/findings_speed.py [ROUNDS]

Prints the best of ROUNDS (default 7) passes over every labelled remark, in milliseconds
of this process's CPU time (wall time on a shared 2-core machine swung by 2x with the load),
after a first pass that compiles the patterns.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from focusblock.worksheet.finding_quality import read_set
from focusblock.worksheet.findings import findings

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "findings" / "labelled.jsonl"


def one_pass(lines: list[dict]) -> float:
    started = time.process_time()
    for line in lines:
        findings(line["text"], date.fromisoformat(line["heard_on"]))
    return time.process_time() - started


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    lines = read_set(LABELLED)
    one_pass(lines)  # compiles every pattern once
    best = min(one_pass(lines) for _ in range(rounds))
    chars = sum(len(line["text"]) for line in lines)
    print(f"{len(lines)} remarks, {chars} characters: best of {rounds} passes", end=" ")
    print(f"{best * 1000:.1f} ms CPU")
