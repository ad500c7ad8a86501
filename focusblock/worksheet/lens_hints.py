"""Suggesting a lens for a remark that has none, from its wording. Only ever a suggestion."""

from __future__ import annotations

import re

from focusblock.names import name_key

# Word stems that tend to mark each lens in what customers say. Checked in this order;
# the lens with most hits wins, ties go to the earlier lens.
HINTS: dict[str, tuple[str, ...]] = {
    "cost": (
        "cost",
        "costs",
        "lose",
        "losing",
        "lost",
        "waste",
        "wasted",
        "overtime",
        "$",
        "€",
        "per month",
        "per week",
        "expensive",
        "fees",
    ),
    "timing": (
        "deadline",
        "by january",
        "by march",
        "next year",
        "this year",
        "before the",
        "quarter",
        "starts in",
        "in march",
        "in april",
        "date",
        "board meets",
    ),
    "need": (
        "we need",
        "problem",
        "doesn't work",
        "does not work",
        "not working",
        "struggle",
        "takes us",
        "manual",
        "spreadsheet",
        "can't",
        "cannot",
    ),
    "risk": ("afraid", "audit", "inspection", "fail", "risk", "keeps me up", "exposure"),
    "worry": ("not sure", "unclear", "wonder", "how does", "how would", "confus", "?"),
    "objection": (
        "price",
        "too expensive",
        "budget",
        "competitor",
        "not convinced",
        "lukewarm",
        "already have",
        "agency handles",
    ),
    "decision": ("sign", "signs", "approve", "procurement", "committee", "decides", "final say"),
    "success": ("success", "measure", "kpi", "metric", "rate", "score", "hero"),
    "change": (
        "want to change",
        "move to",
        "replace",
        "one system",
        "roll out",
        "rollout",
        "migrate",
        "same dashboards",
    ),
    "personal": (
        "my desk",
        "for me",
        "my project",
        "my team",
        "burned",
        "my job",
        "i'm presenting",
    ),
    "drive": ("growth", "strategy", "investors", "board wants", "funding", "margin", "revenue"),
    "value": ("pays for itself", "save", "saving", "help me", "would help"),
}


def suggest_lens(text: str) -> str | None:
    folded = " " + name_key(text) + " "
    best, best_hits = None, 0
    for lens, stems in HINTS.items():
        hits = 0
        for stem in stems:
            if stem.isalpha():
                hits += len(re.findall(rf"(?<![a-z]){re.escape(stem)}", folded))
            else:
                hits += folded.count(stem)
        if hits > best_hits:
            best, best_hits = lens, hits
    return best
