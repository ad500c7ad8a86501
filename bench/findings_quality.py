"""Precision and recall of the findings per kind, on the labelled set and the two held-out sets.

    python bench/findings_quality.py

Prints the Markdown table that README shows (tests/test_findings_quality.py checks the
bounds on the labelled set and prints the same figures with `-s`).
"""

from __future__ import annotations

from pathlib import Path

from focusblock.worksheet.finding_quality import measure, read_set, table

SETS = Path(__file__).resolve().parent.parent / "tests" / "findings"

if __name__ == "__main__":
    print(
        table(
            {
                "labelled": measure(read_set(SETS / "labelled.jsonl")),
                "held-out": measure(read_set(SETS / "held_out.jsonl")),
                "held-out 2": measure(read_set(SETS / "held_out_2.jsonl")),
            }
        )
    )
