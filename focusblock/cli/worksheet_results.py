"""What `worksheet --format json` and `reflect` return: the worksheet as JSON, and the
answers saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from focusblock.cli.output import Result, iso, plural, say
from focusblock.names import name_key
from focusblock.worksheet.answers import stray_summary

if TYPE_CHECKING:
    from pathlib import Path

    from focusblock.model import Person
    from focusblock.store.reflections import ReflectReport
    from focusblock.worksheet.content import EarlierAnswer, Question, RemarkItem, Worksheet
    from focusblock.worksheet.findings import Finding


@dataclass(frozen=True)
class Reflected(Result):
    """`reflect`: the answers saved (report None: the editor was closed unsaved)."""

    account: str
    report: ReflectReport | None
    # the seller's lines under no question: not saved, said so (the file keeps them)
    stray: tuple[str, ...] = ()
    kept_at: Path | None = None  # the worksheet edited in $EDITOR, kept for those lines

    def warnings(self) -> Sequence[str]:
        summary = stray_summary(self.stray)
        if summary is None:
            return ()
        where = "" if self.kept_at is None else f" ({kept_in(self.kept_at, self.account)})"
        return (f"{summary} not saved: write them under a **Q:** line to keep them{where}",)

    def json(self, zone: tzinfo) -> Any:
        r = self.report
        return {
            "account": self.account,
            "saved": r.saved if r else 0,
            "ids": list(r.saved_ids) if r else [],
            "already_saved": r.already_saved if r else 0,
            "about_earlier_words": r.about_earlier_words if r else 0,
        }

    def text(self, zone: tzinfo) -> None:
        r = self.report
        if r is None:
            say("Editor closed without saving; nothing recorded.")
            return
        were = "was" if r.already_saved == 1 else "were"
        again = f"; {r.already_saved} {were} saved before" if r.already_saved else ""
        say(f"Saved {plural(r.saved, 'answer')}{again}.")
        if r.about_earlier_words:
            n = r.about_earlier_words
            say(
                f"{'One' if n == 1 else f'{n:,}'} of them {'is' if n == 1 else 'are'} about a "
                "remark's words as the worksheet showed them, before an edit: kept with "
                "those words."
            )


def kept_in(path: Path, account: str) -> str:
    """Where the worksheet edited in $EDITOR is kept, and how to read it back."""
    return (
        f"your worksheet is kept in {path}: mend it, then: "
        f"focusblock reflect '{account}' --from {path}"
    )


def worksheet_json(sheet: Worksheet, people: Sequence[Person], zone: tzinfo) -> dict[str, Any]:
    """`worksheet --format json`: what the page shows, remarks and people named by id."""
    return {
        "account": {
            "name": sheet.account,
            "stage": sheet.stage,
            "need": sheet.need,
            "consequence": sheet.consequence,
            "decision_date": iso(sheet.decision_date, zone),
            "days_to_decision": sheet.days_to_decision,
            "next_call": iso(sheet.next_call, zone),
            "notes": list(sheet.notes),
        },
        "lead_lenses": list(sheet.lead_lenses),
        "remarks": [_worksheet_remark(item, zone) for item in sheet.remarks],
        "people": _worksheet_people(sheet, people),
        "budget_flag": sheet.deal.budget_flag,
        "gaps": [
            {
                "key": gap.key,
                "label": gap.label,
                "status": gap.status,
                "heard_in": list(gap.heard_in),
                "questions": [_worksheet_question(q) for q in gap.questions],
            }
            for gap in sheet.deal.gaps
        ],
        "contradictions": [
            {
                "question": c.question,
                "remarks": [c.first, c.second],
                "phrases": [c.first_phrase, c.second_phrase],
            }
            for c in sheet.contradictions
        ],
        "sections": [
            {"title": s.title, "questions": [_worksheet_question(q) for q in s.questions]}
            for s in sheet.sections
        ],
    }


def _worksheet_remark(item: RemarkItem, zone: tzinfo) -> dict[str, Any]:
    r = item.remark
    no_longer_asked = [q for q in item.questions if not q.asked]
    return {
        "id": r.id,
        "text": r.text,
        "who": r.who,
        "heard_on": iso(r.heard_on, zone),
        "via": r.via,
        "imported_from": r.source,  # as `remark show` names it
        "lens": r.lens,
        "suggested_lens": item.suggested_lens,
        "findings": [finding_json(f) for f in item.found],
        "questions": [_worksheet_question(q) for q in item.questions if q.asked],
        # answers to questions the page no longer asks
        "answers": [
            {"question": q.text, **_earlier_json(a)} for q in no_longer_asked for a in q.earlier
        ],
    }


def _worksheet_question(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "text": q.text,
        "quote": q.quote,
        "asked": q.asked,
        "answers": [_earlier_json(a) for a in q.earlier],
    }


def _earlier_json(answer: EarlierAnswer) -> dict[str, Any]:
    return {
        "written_on": answer.written_on.isoformat(),
        "text": answer.text,
        "about_earlier_words": answer.about_earlier_words,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """phrase, kind, start and end (code points into the text, end exclusive), then
    whatever further detail a finding of its kind carries, each as a key of its own."""
    fields = asdict(finding)
    details = fields.pop("details", None) or {}
    found = {key: fields.pop(key) for key in ("phrase", "kind", "start", "end")}
    return _plain({**found, **fields, **details})


def _plain(value: Any) -> Any:
    """`value` as JSON holds it: dates in ISO 8601, tuples and sets as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    return value


def _worksheet_people(sheet: Worksheet, people: Sequence[Person]) -> list[dict[str, Any]]:
    """Everyone the People section shows (who spoke, the account's people, names in the
    words), with the ids of the remarks they said or were named in and their questions;
    for a page without that section (a lost account), the account's people and whoever
    said a remark."""
    if sheet.deal.people:
        return [
            {
                "name": p.name,
                "role": p.role,
                "email": p.email,
                "remarks": list(p.remarks),
                "questions": [_worksheet_question(q) for q in p.questions],
            }
            for p in sheet.deal.people
        ]
    said: dict[str, list[int]] = {}
    heard_as: dict[str, str] = {}
    for item in sheet.remarks:
        if item.remark.who:
            key = name_key(item.remark.who)
            said.setdefault(key, []).append(item.remark.id)
            heard_as.setdefault(key, item.remark.who)
    shown = [
        {
            "name": p.name,
            "role": p.role,
            "email": p.email,
            "remarks": said.get(name_key(p.name), []),
        }
        for p in people
    ]
    known = {name_key(p.name) for p in people}
    shown += [
        {"name": name, "role": None, "email": None, "remarks": said[key]}
        for key, name in heard_as.items()
        if key not in known
    ]
    return shown
