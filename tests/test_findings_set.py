"""The labelled findings sets are well formed, so a measurement against them means something.

Only the sets' integrity is checked here: each line parses, ids are unique, every span
quotes its text exactly and whole words, kinds and their details are as tests/findings/
GUIDE.md defines them, and the sets are big enough. How well the extractor does against
them is measured elsewhere.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

FINDINGS = Path(__file__).parent / "findings"

REQUIRED_DETAILS: dict[str, tuple[str, ...]] = {
    "money": ("amount", "currency"),
    "percent": ("value",),
    "duration": ("amount", "unit"),
    "count": ("amount", "thing"),
    "rate": ("amount", "per", "unit"),
    "identifier": (),
    "date": ("tense", "limit"),
    "person": ("name",),
    "role": ("role",),
    "vendor": ("name", "relation"),
    "hedge": (),
    "condition": (),
    "refusal": (),
    "frequency": (),
    "past_attempt": (),
    "comparison": (),
}
DURATION_UNITS = {"minute", "hour", "day", "week", "month", "year"}
TENSES = {"past", "future"}
RELATIONS = {"uses", "tried", "compares", "left"}
SETS = {
    "labelled.jsonl": ("L", 300),
    "held_out.jsonl": ("H", 100),
    "held_out_2.jsonl": ("H2-", 150),
}


def finding_problems(text: str, finding: dict[str, Any]) -> list[str]:
    """What is wrong with one labelled finding of `text` (nothing when it is well formed)."""
    kind = finding.get("kind")
    if kind not in REQUIRED_DETAILS:
        return [f"unknown kind {kind!r}"]
    start, end, phrase = finding.get("start"), finding.get("end"), finding.get("phrase")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(phrase, str)):
        return ["start and end must be integers and phrase a string"]
    if not 0 <= start < end <= len(text) or text[start:end] != phrase:
        return [f"text[{start}:{end}] is {text[start:end]!r}, not {phrase!r}"]
    problems = []
    # a span that starts or ends inside a word or a number quotes half of it
    if start > 0 and text[start - 1].isalnum():
        problems.append(f"{phrase!r} starts inside a word")
    if end < len(text) and text[end].isalnum():
        problems.append(f"{phrase!r} ends inside a word")
    missing = [key for key in REQUIRED_DETAILS[kind] if key not in finding]
    if missing:
        problems.append(f"{kind} {phrase!r} lacks {', '.join(missing)}")
        return problems
    for key in ("amount", "value"):
        if key in REQUIRED_DETAILS[kind] and not isinstance(finding[key], int | float):
            problems.append(f"{kind} {phrase!r}: {key} must be a number")
    if kind == "duration" and finding["unit"] not in DURATION_UNITS:
        problems.append(f"duration {phrase!r}: unit {finding['unit']!r}")
    if kind == "date" and (finding["tense"] not in TENSES or type(finding["limit"]) is not bool):
        problems.append(f"date {phrase!r}: tense past/future and limit true/false")
    if kind == "vendor" and finding["relation"] not in RELATIONS:
        problems.append(f"vendor {phrase!r}: relation {finding['relation']!r}")
    if kind == "money" and finding["currency"] is not None and len(finding["currency"]) != 3:
        problems.append(f"money {phrase!r}: currency must be an ISO code or null")
    return problems


def remark_problems(line: str) -> list[str]:
    """What is wrong with one line of a findings set (nothing when it is well formed)."""
    try:
        remark = json.loads(line)
    except json.JSONDecodeError as error:
        return [f"not JSON: {error}"]
    if not isinstance(remark, dict) or not {"id", "heard_on", "text", "findings"} <= set(remark):
        return ["needs id, heard_on, text and findings"]
    try:
        datetime.date.fromisoformat(remark["heard_on"])
    except (TypeError, ValueError):
        return [f"heard_on {remark['heard_on']!r} is not a YYYY-MM-DD date"]
    problems = []
    seen: set[tuple[Any, Any, Any]] = set()
    for finding in remark["findings"]:
        problems += finding_problems(remark["text"], finding)
        where = (finding.get("kind"), finding.get("start"), finding.get("end"))
        if where in seen:
            problems.append(f"{finding.get('phrase')!r} labelled twice as {where[0]}")
        seen.add(where)
    starts = [finding.get("start") for finding in remark["findings"]]
    if all(isinstance(start, int) for start in starts) and starts != sorted(starts):
        problems.append("findings are not listed by start")
    return problems


def read_set(name: str) -> list[str]:
    return (FINDINGS / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_remark_and_finding_is_well_formed(name: str) -> None:
    problems = [
        f"{name}:{number}: {problem}"
        for number, line in enumerate(read_set(name), 1)
        for problem in remark_problems(line)
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(SETS))
def test_sets_are_big_enough_with_unique_ids(name: str) -> None:
    prefix, least = SETS[name]
    ids = [json.loads(line)["id"] for line in read_set(name)]
    assert len(ids) >= least
    assert len(set(ids)) == len(ids), "ids repeat"
    assert all(id_.startswith(prefix) for id_ in ids), f"ids of {name} start with {prefix}"


def test_the_sets_share_no_remark() -> None:
    texts = [json.loads(line)["text"] for name in SETS for line in read_set(name)]
    assert len(set(texts)) == len(texts)


def test_a_broken_label_is_named() -> None:
    text = "A fleet of 45 trucks, before Christmas."
    good = {"phrase": "45 trucks", "kind": "count", "start": 11, "end": 20}
    good |= {"amount": 45, "thing": "trucks"}
    assert finding_problems(text, good) == []
    cut = good | {"phrase": "5 trucks", "start": 12}
    assert finding_problems(text, cut) == ["'5 trucks' starts inside a word"]
    shifted = good | {"start": 10, "end": 19}
    assert "not '45 trucks'" in finding_problems(text, shifted)[0]
    bare = {"phrase": "before Christmas", "kind": "date", "start": 22, "end": 38}
    assert finding_problems(text, bare) == ["date 'before Christmas' lacks tense, limit"]
    unknown = good | {"kind": "amount"}
    assert finding_problems(text, unknown) == ["unknown kind 'amount'"]
    line = json.dumps({"id": "X1", "heard_on": "2026-13-01", "text": text, "findings": []})
    assert "not a YYYY-MM-DD date" in remark_problems(line)[0]
    date = bare | {"tense": "future", "limit": True}
    backwards = json.dumps(
        {"id": "X2", "heard_on": "2026-11-01", "text": text, "findings": [date, good]}
    )
    assert remark_problems(backwards) == ["findings are not listed by start"]
