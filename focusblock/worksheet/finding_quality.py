"""How well findings() reads a labelled set of remarks: a finding is right when a labelled
finding of the same kind overlaps its span; precision and recall per kind and over all."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from focusblock.worksheet.findings import KINDS, findings


@dataclass(frozen=True)
class Score:
    found: int  # findings of the kind the extractor gave
    right: int  # of those, how many overlap a labelled one of the kind
    labelled: int  # labelled findings of the kind
    recalled: int  # of those, how many an extracted one of the kind overlaps

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.labelled if self.labelled else 1.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def measure(lines: Iterable[dict]) -> dict[str, Score]:
    """Scores per kind, and over all kinds under "all" (micro-averaged)."""
    counts = {kind: [0, 0, 0, 0] for kind in KINDS}
    for line in lines:
        heard_on = date.fromisoformat(line["heard_on"])
        got = [(f.kind, (f.start, f.end)) for f in findings(line["text"], heard_on)]
        want = [(f["kind"], (f["start"], f["end"])) for f in line["findings"]]
        for kind, span in got:
            counts[kind][0] += 1
            counts[kind][1] += any(k == kind and _overlap(span, s) for k, s in want)
        for kind, span in want:
            counts[kind][2] += 1
            counts[kind][3] += any(k == kind and _overlap(span, s) for k, s in got)
    scores = {kind: Score(*c) for kind, c in counts.items()}
    total = [sum(c[i] for c in counts.values()) for i in range(4)]
    scores["all"] = Score(*total)
    return scores


def read_set(path: Path) -> list[dict]:
    """The labelled remarks of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def table(named: dict[str, dict[str, Score]]) -> str:
    """A Markdown table: precision and recall per kind for each named set."""
    names = list(named)
    head = "| kind | " + " | ".join(f"{n} P | {n} R | {n} n" for n in names) + " |"
    rule = "| --- |" + " ---: | ---: | ---: |" * len(names)
    rows = [head, rule]
    for kind in (*KINDS, "all"):
        cells = []
        for name in names:
            s = named[name][kind]
            cells += [f"{s.precision:.2f}", f"{s.recall:.2f}", str(s.labelled)]
        label = "**micro-average**" if kind == "all" else kind
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
