"""What each command's result looks like: its JSON shape and its text, side by side.

Every result is a `output.Result`; the output layer chooses the form once (`--json` or
text) and prints it. The JSON shapes are pinned by tests and listed in README; times
are ISO 8601 with their UTC offset in the user's zone. All text goes through the
printer and `say()` in output.py, which make user text safe for the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from focusblock.cli.output import (
    EMPTY,
    Fit,
    JsonList,
    Result,
    Table,
    date_text,
    iso,
    moment_text,
    one_line,
    plural,
    print_long_table,
    print_table,
    say,
    span_text,
    text_or_empty,
    warn,
)
from focusblock.cli.week_strip import print_week_strip
from focusblock.config import Settings
from focusblock.model import LeftOutKind
from focusblock.names import name_key
from focusblock.plan.blocks import Change
from focusblock.plan.kept_answers import KeptAnswers
from focusblock.plan.week import glance_of_plan
from focusblock.worksheet.answers import stray_summary

if TYPE_CHECKING:
    from focusblock.calendar.events import CalendarEvent
    from focusblock.calendar.publish import PublishReport, VdirReport
    from focusblock.capture import SpeakerTally
    from focusblock.model import Call, LeftOut, Person, Remark, RemarkVersion
    from focusblock.plan.blocks import PlanBlock
    from focusblock.plan.busy import BusyWeek
    from focusblock.plan.glance import WeekGlance
    from focusblock.plan.week import PlanDecision, PlanResult
    from focusblock.remark_input import ActivityType
    from focusblock.store.account_corrections import DeleteReport, LeftInCalendar, MergeReport
    from focusblock.store.importing import ImportReport
    from focusblock.store.reflections import ReflectReport
    from focusblock.store.views import AccountDetail, AccountView, PurgeSummary, ReflectionView
    from focusblock.worksheet.content import EarlierAnswer, Question, RemarkItem, Worksheet
    from focusblock.worksheet.findings import Finding

# remark list --all, account show --all: a stream of (how many in all, the remarks)
RemarkStream = Callable[[], AbstractContextManager[tuple[int, Iterator["Remark"]]]]


# --- accounts ---------------------------------------------------------------------------


def account_json(view: AccountView, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "owner": view.owner,
        "stage": view.stage,
        "aliases": list(view.aliases),
        "domains": list(view.domains),
        "need": view.need,
        "consequence": view.consequence,
        "decision_date": iso(view.decision_date, zone),
        "next_call": iso(view.next_call, zone),
        "remark_count": view.remark_count,
        "last_heard": iso(view.last_heard, zone),
        "call": _listed_call(view.call, zone),
    }


ACCOUNT_HEADERS = ("account", "stage", "need", "decision", "next call", "remarks", "last heard")
# In a terminal the list fits the window: the name, stage, next call, remark count and
# last heard are always whole; the need is what gets cut, and when even that leaves too
# little room, the decision date goes and a line says where to find it.
ACCOUNT_FIT = Fit(
    wraps="account",
    cut="need",
    drops="decision",
    nouns={"decision": "decision dates", "need": "needs"},
    see="account show NAME",
    right=("remarks",),
)


@dataclass(frozen=True)
class AccountList(Result):
    views: Sequence[AccountView]

    def json(self, zone: tzinfo) -> Any:
        return [account_json(v, zone) for v in self.views]

    def text(self, zone: tzinfo) -> None:
        if not self.views:
            say('No accounts yet. Add one: focusblock account add "Customer name"')
            return
        rows = [
            (
                v.name,
                v.stage,
                text_or_empty(v.need),
                date_text(v.decision_date),
                _next_call_text(v, zone),
                str(v.remark_count),
                date_text(v.last_heard),
            )
            for v in self.views
        ]
        title = plural(len(self.views), "account")
        print_table(Table(title, ACCOUNT_HEADERS, rows, fit=ACCOUNT_FIT))


def _listed_call(call: Call | None, zone: tzinfo) -> dict[str, Any] | None:
    if call is None:
        return None
    return {"start": iso(call.start, zone), "summary": call.summary, "from": call_origin(call)}


def _next_call_text(view: AccountView, zone: tzinfo) -> str:
    """The next call: one the last plan found in a calendar says so, 2026-12-10 14:00
    (calendar); one typed with --next-call shows as it always did, as typed."""
    if view.call is not None and not view.call.typed:
        return f"{moment_text(view.call.start, zone)} (calendar)"
    return moment_text(view.next_call, zone)


@dataclass(frozen=True)
class AccountChanged(Result):
    """`account add | edit | rename | restore`: JSON is the account as `account list`
    shows it."""

    view: AccountView
    action: Literal["added", "updated", "renamed", "restored"]

    def json(self, zone: tzinfo) -> Any:
        return account_json(self.view, zone)

    def text(self, zone: tzinfo) -> None:
        view = self.view
        if self.action == "added":
            say(f"Added account '{view.name}' ({view.stage}).")
        elif self.action == "updated":
            say(f"Updated account '{view.name}'.")
        elif self.action == "renamed":
            aliases = ", ".join(view.aliases) or EMPTY
            say(f"Renamed account to '{view.name}' (aliases: {aliases}).")
        else:
            say(f"Restored account '{view.name}' with {plural(view.remark_count, 'remark')}.")


def call_json(call: Call | None, zone: tzinfo) -> dict[str, Any] | None:
    if call is None:
        return None
    return {
        "summary": call.summary,
        "start": iso(call.start, zone),
        "source": call.source,
        "matched_by": call.matched_by,
        "from": call_origin(call),
    }


def call_origin(call: Call) -> Literal["calendar", "typed"]:
    """Where a call was taken from: a calendar, or typed by hand (account edit --next-call)."""
    return "typed" if call.typed else "calendar"


@dataclass(frozen=True)
class AccountShown(Result):
    """`account show`: the facts, then the remarks given (`total`: how many in all)."""

    detail: AccountDetail
    total: int
    limit: int
    stream: RemarkStream | None = None  # --all as text: printed as read

    def json(self, zone: tzinfo) -> Any:
        call = self.detail.call
        return {
            "account": account_json(self.detail.account, zone),
            "remarks": [remark_json(r, zone) for r in self.detail.remarks],
            "call": None
            if call is None
            else {"summary": call.summary, "start": iso(call.start, zone), "source": call.source},
            "merged_facts": [
                {
                    "fact": m.fact,
                    "value": m.value,
                    "from_account": m.from_account,
                    "merged_at": iso(m.merged_at, zone),
                }
                for m in self.detail.merged_facts
            ],
            "people": [person_json(p) for p in self.detail.people],
            "answers": [answer_json(a) for a in self.detail.answers],
            "answer_count": self.detail.answer_count,
        }

    def text(self, zone: tzinfo) -> None:
        self._print_facts(zone)
        self._print_answers()
        if self.stream is not None:
            with self.stream() as (total, views):
                print_remark_stream(views, total, with_account=False)
            return
        remarks = self.detail.remarks
        if not remarks:
            if not self.total:
                name = self.detail.account.name
                say(f'No remarks yet. Add one: focusblock remark add "{name}" "what they said"')
            return
        rows = [remark_row(r, False) for r in remarks]
        print_table(Table(remarks_title(len(rows), self.total), remark_headers(False), rows))

    def note(self) -> str | None:
        if self.stream is not None:
            return None
        return left_out_note(self.total - len(self.detail.remarks), self.total, self.limit)

    def _print_facts(self, zone: tzinfo) -> None:
        a, call = self.detail.account, self.detail.call
        facts = [
            ("stage", a.stage),
            ("need", text_or_empty(a.need)),
            ("consequence of doing nothing", text_or_empty(a.consequence)),
            ("decision date", date_text(a.decision_date)),
            ("next call", moment_text(a.next_call, zone)),
            *(
                [("next call in your calendar", f"{call.summary}, {moment_text(call.start, zone)}")]
                if call
                else []
            ),
            ("domains", ", ".join(a.domains) or EMPTY),
            ("aliases", ", ".join(a.aliases) or EMPTY),
        ]
        print_table(Table(a.name, ("fact", "value"), facts))
        if self.detail.merged_facts:
            rows = [
                (m.fact.replace("_", " "), m.value, m.from_account, date_text(m.merged_at.date()))
                for m in self.detail.merged_facts
            ]
            headers = ("fact", "value", "from", "merged")
            print_table(Table("Kept from merged accounts", headers, rows))
        print_people(self.detail.people)

    def _print_answers(self) -> None:
        answers, total = self.detail.answers, self.detail.answer_count
        if not answers:
            name = self.detail.account.name
            say(f'No answers yet: write them in a worksheet, then focusblock reflect "{name}".')
            return
        shown = len(answers)
        title = plural(total, "answer") if total == shown else f"Latest {shown} of {total} answers"
        print_table(Table(title, ANSWER_HEADERS, [answer_row(a) for a in answers]))
        if total > shown:
            more = plural(total - shown, "more answer")
            say(f"{more}: the worksheet shows every one (or export).")


ANSWER_HEADERS = ("written", "about", "question, then the answer")


def answer_row(answer: ReflectionView) -> tuple[str, str, str]:
    """An answer as a table row: about a remark (#12) or the account, then the question
    and the answer in one cell, the last, which alone wraps on a terminal (two long
    columns would squeeze one to nothing); every line of the answer kept."""
    about = "account" if answer.remark_id is None else f"#{answer.remark_id}"
    return (date_text(answer.written_on), about, f"Q: {answer.question}\n{answer.answer}")


def answer_json(answer: ReflectionView) -> dict[str, Any]:
    return {
        "remark_id": answer.remark_id,
        "question": answer.question,
        "answer": answer.answer,
        "written_on": answer.written_on.isoformat(),
    }


def person_json(person: Person) -> dict[str, Any]:
    return {"name": person.name, "email": person.email, "role": person.role}


def person_text(person: Person) -> str:
    """Jonas Meyer (Head of Logistics, jonas@acme.example): what is known of them."""
    known = ", ".join(x for x in (person.role, person.email) if x)
    return f"{person.name} ({known})" if known else person.name


def print_people(people: Sequence[Person]) -> None:
    """One person a line, the first after "People:" and the others under it."""
    for index, person in enumerate(people):
        say(f"{'People:' if index == 0 else '':<8}{person_text(person)}")


@dataclass(frozen=True)
class PersonSet(Result):
    """`account person`: JSON is the person as `account show` lists them, with the account."""

    person: Person
    removed: bool = False  # `--remove`: the person as they were, now off the account

    def json(self, zone: tzinfo) -> Any:
        return {"account": self.person.account, **person_json(self.person), "removed": self.removed}

    def text(self, zone: tzinfo) -> None:
        gone = " (removed)" if self.removed else ""
        say(f"{self.person.account}: {person_text(self.person)}{gone}")


@dataclass(frozen=True)
class AccountsMerged(Result):
    report: MergeReport

    def json(self, zone: tzinfo) -> Any:
        r = self.report
        return {
            "merged": r.source,
            "into": None if r.target is None else account_json(r.target, zone),
            "moved": {"remarks": r.remarks, "answers": r.reflections, "blocks": r.blocks},
            "left_in_calendar": [left_in_calendar_json(b, zone) for b in r.dropped_blocks],
            "kept_facts": [{"fact": fact, "value": value} for fact, value in r.kept_facts],
        }

    def text(self, zone: tzinfo) -> None:
        r = self.report
        target = r.target.name if r.target else "?"
        say(
            f"Merged '{r.source}' into '{target}': {plural(r.remarks, 'remark')}, "
            f"{plural(r.reflections, 'answer')}, {plural(r.blocks, 'focus block')} "
            f"moved; '{r.source}' is now an alias of '{target}'."
        )
        for fact, value in r.kept_facts:
            say(
                f"Kept '{r.source}''s {fact.replace('_', ' ')} beside '{target}''s own: {value} "
                f"(focusblock account show '{target}')"
            )
        print_left_in_calendar(r.dropped_blocks, zone)


@dataclass(frozen=True)
class AccountDeleted(Result):
    report: DeleteReport

    def json(self, zone: tzinfo) -> Any:
        r = self.report
        return {
            "id": r.account_id,
            "deleted": r.account,
            "remarks": r.remarks,
            "left_in_calendar": [left_in_calendar_json(b, zone) for b in r.left_in_calendar],
        }

    def text(self, zone: tzinfo) -> None:
        r = self.report
        with_remarks = f" with its {plural(r.remarks, 'remark')}" if r.remarks else ""
        say(
            f"Deleted account '{r.account}'{with_remarks}; it is hidden until: "
            f"focusblock account restore '{r.account}'"
        )
        print_left_in_calendar(r.left_in_calendar, zone, replan_withdraws=True)


def left_in_calendar_json(block: LeftInCalendar, zone: tzinfo) -> dict[str, Any]:
    return {"account": block.account, "week": block.week, "start": iso(block.start, zone)}


def print_left_in_calendar(
    blocks: Sequence[LeftInCalendar], zone: tzinfo, replan_withdraws: bool = False
) -> None:
    for block in blocks:
        when = f"'{block.account}' on {moment_text(block.start, zone)} ({block.week})"
        if replan_withdraws:  # the store still has the block, so the plan cancels it
            say(
                f"Note: the focus block for {when} stays in your calendar until the next plan "
                f"of {block.week} withdraws it (or delete it there)."
            )
        else:
            say(
                f"Note: the focus block for {when} is no longer planned; the next plan of "
                f"{block.week} with --publish removes it from that calendar (from an imported "
                ".ics, delete it by hand)."
            )


# --- remarks ----------------------------------------------------------------------------


def remark_json(view: Remark, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": view.id,
        "account": view.account,
        "text": view.text,
        "who": view.who,
        "heard_on": iso(view.heard_on, zone),
        "via": view.via,
        "lens": view.lens,
    }


def remark_headers(with_account: bool) -> tuple[str, ...]:
    """The number first: remark show / edit / delete take it."""
    account = ("account",) if with_account else ()
    return ("id", *account, "heard", "who", "via", "lens", "what they said")


def remark_row(r: Remark, with_account: bool) -> tuple[str, ...]:
    account = (r.account,) if with_account else ()
    return (
        f"#{r.id}",
        *account,
        date_text(r.heard_on),
        text_or_empty(r.who),
        r.via,
        text_or_empty(r.lens),
        r.text,
    )


def remarks_title(shown_count: int, total: int | None) -> str:
    if total is None or total == shown_count:
        return plural(shown_count, "remark")
    return f"The newest {shown_count:,} of {total:,} remarks"


def left_out_note(left_out: int, total: int, limit: int) -> str | None:
    """The line that says what a list left out, and how to see it all."""
    if left_out <= 0:
        return None
    return (
        f"Showing the newest {limit:,} of {total:,} remarks; --all shows every one "
        f"(or --limit N, --since DATE)."
    )


def print_remark_stream(
    views: Iterator[Remark], total: int, with_account: bool = True, empty: str = "No remarks yet."
) -> None:
    """Every remark, one line each, printed as it is read (`--all`)."""
    if not total:
        say(empty)
        return
    widths = (7, *((24,) if with_account else ()), 10, 20, 8, 10)
    rows = (remark_row(view, with_account) for view in views)
    print_long_table(plural(total, "remark"), remark_headers(with_account), widths, rows)


@dataclass(frozen=True)
class RemarkList(Result):
    """`remark list`: a page of the newest remarks, or (`stream`) every one as read."""

    remarks: Sequence[Remark] = ()
    total: int = 0
    limit: int = 0
    stream: RemarkStream | None = None

    def json(self, zone: tzinfo) -> Any:
        if self.stream is None:
            return [remark_json(v, zone) for v in self.remarks]
        opened = self.stream

        def items() -> Iterator[dict[str, Any]]:
            with opened() as (_, views):
                for view in views:
                    yield remark_json(view, zone)

        return JsonList(items())

    def text(self, zone: tzinfo) -> None:
        if self.stream is not None:
            with self.stream() as (total, views):
                print_remark_stream(views, total)
            return
        if not self.remarks:
            say("No remarks yet." if not self.total else "No remarks.")
            return
        rows = [remark_row(r, True) for r in self.remarks]
        print_table(Table(remarks_title(len(rows), self.total), remark_headers(True), rows))

    def note(self) -> str | None:
        if self.stream is not None:
            return None
        return left_out_note(self.total - len(self.remarks), self.total, self.limit)


@dataclass(frozen=True)
class RemarksFound(RemarkList):
    """`remark search`: a page of the newest remarks holding the words (newest first), or
    (`stream`) every one; JSON as `remark list`."""

    searched: str = ""
    within: str = ""  # the filters given: " of Kestrel since 2026-12-01"

    def text(self, zone: tzinfo) -> None:
        empty = f"No remark{self.within} says {self.searched!r}."
        if self.stream is not None:
            with self.stream() as (total, views):
                print_remark_stream(views, total, empty=empty)
            return
        if not self.remarks:
            say(empty)
            return
        rows = [remark_row(r, True) for r in self.remarks]
        print_table(Table(remarks_title(len(rows), self.total), remark_headers(True), rows))


@dataclass(frozen=True)
class RemarkAdded(Result):
    view: Remark

    def json(self, zone: tzinfo) -> Any:
        return remark_json(self.view, zone)

    def text(self, zone: tzinfo) -> None:
        view = self.view
        say(f"Added remark #{view.id} to '{view.account}' ({date_text(view.heard_on)}).")

    def kept_if_interrupted(self) -> str | None:
        return f"remark #{self.view.id} was stored"


@dataclass(frozen=True)
class RemarkShown(Result):
    """`remark show`: the remark now, then every earlier version, oldest first."""

    remark: Remark
    history: Sequence[RemarkVersion]
    answers: Sequence[ReflectionView] = ()  # written about it in worksheets, oldest first

    def json(self, zone: tzinfo) -> Any:
        remark = self.remark
        return {
            "remark": remark_json(remark, zone),
            "deleted_at": iso(remark.deleted_at, zone),
            "imported_from": remark.source,
            "repeat": remark.repeat,
            "history": [
                {
                    "text": v.text,
                    "who": v.who,
                    "heard_on": iso(v.heard_on, zone),
                    "via": v.via,
                    "lens": v.lens,
                    "replaced_at": iso(v.replaced_at, zone),
                }
                for v in self.history
            ],
            "answers": [answer_json(a) for a in self.answers],
            "answer_count": len(self.answers),
        }

    def text(self, zone: tzinfo) -> None:
        r = self.remark
        facts = [
            ("account", r.account),
            ("heard", date_text(r.heard_on)),
            ("who", text_or_empty(r.who)),
            ("via", r.via),
            ("lens", text_or_empty(r.lens)),
            *([("imported from", r.source)] if r.source else []),
            *([("repeat", f"stored again on purpose (#{r.repeat})")] if r.repeat else []),
            *(
                [("deleted", f"{moment_text(r.deleted_at, zone)}; remark restore {r.id}")]
                if r.deleted_at
                else []
            ),
            ("what they said", r.text),
        ]
        print_table(Table(f"Remark #{r.id}", ("field", "value"), facts))
        if self.answers:
            answers = [answer_row(a) for a in self.answers]
            title = f"{plural(len(answers), 'answer')} about it"
            print_table(Table(title, ANSWER_HEADERS, answers))
        else:
            say("No answers about it yet.")
        if not self.history:
            say("No earlier versions: never edited.")
            return
        rows = [
            (
                moment_text(v.replaced_at, zone),
                date_text(v.heard_on),
                text_or_empty(v.who),
                v.via,
                text_or_empty(v.lens),
                v.text,
            )
            for v in self.history
        ]
        headers = ("replaced", "heard", "who", "via", "lens", "what they said")
        print_table(Table(f"{plural(len(rows), 'earlier version')}, oldest first", headers, rows))


@dataclass(frozen=True)
class RemarkEdited(Result):
    remark: Remark
    history: Sequence[RemarkVersion]
    changed: bool

    def json(self, zone: tzinfo) -> Any:
        return {
            "remark": remark_json(self.remark, zone),
            "changed": self.changed,
            "earlier_versions": len(self.history),
        }

    def text(self, zone: tzinfo) -> None:
        remark = self.remark
        if not self.changed:
            say(f"Remark #{remark.id} already says that; nothing changed.")
            return
        versions = len(self.history)
        say(
            f"Updated remark #{remark.id} of '{remark.account}'; "
            f"{plural(versions, 'earlier version')} kept "
            f"(focusblock remark show {remark.id})."
        )


@dataclass(frozen=True)
class RemarksDeleted(Result):
    views: Sequence[Remark]

    def json(self, zone: tzinfo) -> Any:
        return {"deleted": [remark_json(v, zone) for v in self.views]}

    def text(self, zone: tzinfo) -> None:
        for view in self.views:
            say(
                f"Deleted remark #{view.id} of '{view.account}' "
                f"(focusblock remark restore {view.id})."
            )


@dataclass(frozen=True)
class RemarkRestored(Result):
    view: Remark

    def json(self, zone: tzinfo) -> Any:
        return remark_json(self.view, zone)

    def text(self, zone: tzinfo) -> None:
        say(f"Restored remark #{self.view.id} of '{self.view.account}'.")


@dataclass(frozen=True)
class RemarksPurged(Result):
    summary: PurgeSummary
    description: str  # 'remarks #3, #5 with 1 earlier version and 2 answers'

    def json(self, zone: tzinfo) -> Any:
        s = self.summary
        return {
            "purged": list(s.remark_ids),
            "earlier_versions": s.versions,
            "answers": s.answers,
        }

    def text(self, zone: tzinfo) -> None:
        say(f"Purged {self.description}.")


@dataclass(frozen=True)
class Reflected(Result):
    """`reflect`: the answers saved (report None: the editor was closed unsaved)."""

    account: str
    report: ReflectReport | None
    # the seller's lines under no question: not saved, said so (the file keeps them)
    stray: tuple[str, ...] = ()

    def warnings(self) -> Sequence[str]:
        summary = stray_summary(self.stray)
        if summary is None:
            return ()
        return (f"{summary} not saved: write them under a **Q:** line to keep them",)

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


# --- busy time and the plan -------------------------------------------------------------

CALL_HEADERS = ("account", "next call", "when", "taken from")
TYPED_CALL_FROM = "typed (account edit --next-call); no call in the calendars read"


def _where(source: str) -> str:
    """A calendar source as a table shows it: a file by its name, an address whole."""
    return source if "://" in source else Path(source).name


def call_row(account: str, call: Call, zone: tzinfo) -> tuple[str, str, str, str]:
    """(account, the event's title, when, where it was taken from): a call the calendar
    shows wins over a typed one, so a typed one says the calendar shows none."""
    when = moment_text(call.start, zone)
    if call.typed:
        return (account, call.summary, when, TYPED_CALL_FROM)
    return (
        account,
        call.summary,
        when,
        f"your calendar ({_where(call.source)}): {call.matched_by}",
    )


def event_json(event: CalendarEvent, zone: tzinfo, internal: bool = False) -> dict[str, Any]:
    return {
        "start": iso(event.start, zone),
        "end": iso(event.end, zone),
        "all_day": event.all_day,
        "summary": event.summary,
        "uid": event.uid,
        "source": event.source,
        "reason": event.free_reason or "busy",
        "internal": internal,
    }


def _counts_as(event: CalendarEvent, internal: bool) -> str:
    """What an event counts as in `busy`'s table; a meeting among colleagues says so."""
    counts = "busy" if event.busy else f"free: {event.free_reason}"
    return f"{counts}; internal, no call" if internal else counts


@dataclass(frozen=True)
class BusyShown(Result):
    """`busy`: every event of the week with what it counts as, and the calls found."""

    seen: BusyWeek
    timezone: str

    def json(self, zone: tzinfo) -> Any:
        seen = self.seen
        return {
            "week": seen.week.label,
            "timezone": self.timezone,
            "busy": [event_json(e, zone, e in seen.internal) for e in seen.events if e.busy],
            "not_busy": [
                event_json(e, zone, e in seen.internal) for e in seen.events if not e.busy
            ],
            "warnings": list(seen.warnings),
            "calls": [{"account": a, **(call_json(c, zone) or {})} for a, c in seen.calls],
        }

    def text(self, zone: tzinfo) -> None:
        rows = [
            (
                span_text(e.start, e.end, zone, e.all_day),
                e.summary,
                _counts_as(e, e in self.seen.internal),
                _where(e.source),
            )
            for e in self.seen.events
        ]
        title = f"Week {self.seen.week.label} ({self.timezone})"
        print_table(Table(title, ("when", "event", "counts as", "file"), rows))
        if self.seen.calls:
            calls = [call_row(account, call, zone) for account, call in self.seen.calls]
            print_table(Table("Calls", CALL_HEADERS, calls))

    def warnings(self) -> Sequence[str]:
        return self.seen.warnings


@dataclass(frozen=True)
class WeekStrip(Result):
    """`busy --grid`: the week at a glance (text only)."""

    glance: WeekGlance
    read_warnings: Sequence[str] = ()

    def json(self, zone: tzinfo) -> Any:
        raise AssertionError("busy refuses --grid with --json before it reads a calendar")

    def text(self, zone: tzinfo) -> None:
        print_week_strip(self.glance)

    def warnings(self) -> Sequence[str]:
        return self.read_warnings


DISQUALIFY_TITLE = "Candidates for disqualification (no block: decide whether to keep them)"
REPLACE_ADVICE = (
    "Replacing blocks imported before: Google Calendar keeps the old copy of a moved block, so "
    "delete last import's 'Focus:' events first, then import; Outlook duplicates on re-import, "
    "so delete the old 'Focus:' events (search 'Focus:') before importing. Apple Calendar and "
    "Thunderbird update them in place."
)
IMPORT_ADVICE = (
    "Import the .ics into Google Calendar (Settings > Import & export > Import) or Outlook "
    "(File > Open & Export > Import)."
)


def block_json(block: PlanBlock, zone: tzinfo) -> dict[str, Any]:
    return {
        "account": block.account,
        "start": iso(block.start, zone),
        "end": iso(block.end, zone),
        "uid": block.block.uid,
        "reason": block.reason,
        "sequence": block.block.sequence,
        "change": block.change.value,
        "why_here": block.why_here,
        "worksheet": block.worksheet,
        "flags": list(block.flags),
        "call": call_json(block.call, zone),
    }


def left_out_json(line: LeftOut) -> dict[str, Any]:
    return {"account": line.account, "reason": line.reason, "kind": line.kind.value}


def _published_json(report: PublishReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "target": report.target,
        "created": list(report.created),
        "updated": list(report.updated),
        "deleted": list(report.deleted),
        "unchanged": list(report.unchanged),
        "left_alone": report.left_alone,
        "dry_run": report.dry_run,
    }


def _vdir_json(report: VdirReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "folder": report.folder,
        "written": list(report.written),
        "unchanged": list(report.unchanged),
        "removed": list(report.removed),
    }


@dataclass(frozen=True)
class PlanShown(Result):
    """`plan`: blocks, the week strip under them, calls, withdrawn blocks, left out; then
    what was written. In JSON the blocks carry their UIDs, the ids of the events."""

    result: PlanResult
    settings: Settings  # the working hours of the week strip
    quiet: bool = False  # --quiet: only what changed (warnings and errors as always)
    ics_on_stdout: bool = False  # --out -: stdout holds the calendar, this report stderr

    def beside_data(self) -> bool:
        return self.ics_on_stdout

    def json(self, zone: tzinfo) -> Any:
        result, decision = self.result, self.result.decision
        return {
            "week": decision.week.label,
            "timezone": decision.timezone,
            "blocks": [block_json(b, zone) for b in decision.blocks],
            "cancelled": [block_json(b, zone) for b in decision.cancelled],
            "removed_by_you": [block_json(b, zone) for b in decision.removed],
            "merged_away": [block_json(b, zone) for b in decision.ghosts],
            "left_out": [left_out_json(x) for x in decision.left_out],
            "warnings": list(decision.warnings),
            "ics_file": result.ics_file,
            "worksheets": list(result.worksheets),
            "events_written": result.events_written,
            "dry_run": result.dry_run,
            "published": _published_json(result.published),
            "vdir": _vdir_json(result.vdir),
            "removed_worksheets": list(result.removed),
            "kept_answers": [
                {
                    "path": k.path,
                    "saved": k.saved,
                    "kept_as": k.kept_as,
                    "not_stored": list(k.not_stored),
                }
                for k in result.kept
            ],
        }

    def warnings(self) -> Sequence[str]:
        return self.result.decision.warnings

    def text(self, zone: tzinfo) -> None:
        result = self.result
        if self.quiet:
            _print_changes(result, zone)
            return
        glance = glance_of_plan(result.decision, self.settings)
        _print_decision(result.decision, zone, glance, result.published)
        if result.published is not None:
            print_published(result.published)
        if result.dry_run:
            say("Dry run: nothing written, the store unchanged.")
            return
        print_kept_answers(result.kept)
        _print_written(result)
        if result.removed:
            names = ", ".join(Path(p).name for p in result.removed)
            files = plural(len(result.removed), "worksheet file")
            say(f"Removed {files} of withdrawn blocks: {names}.")


def _print_changes(result: PlanResult, zone: tzinfo) -> None:
    """For a plan run by a scheduler (--quiet): one line per block that changed, and what
    publishing or the worksheets changed; nothing at all when nothing did."""
    decision = result.decision
    week = decision.week.label
    for b in (*decision.blocks, *decision.cancelled, *decision.removed):
        if b.change in (Change.UNCHANGED, Change.STILL_CANCELLED):
            continue
        would = "would be " if result.dry_run else ""
        say(f"{week}: {b.account}: {would}{b.change} ({moment_text(b.start, zone)}): {b.reason}")
    published = result.published
    if published is not None:
        for label, titles in (
            ("created", published.created),
            ("updated", published.updated),
            ("deleted", published.deleted),
            ("cancelled, your notes kept", published.cancelled),
        ):
            if titles:
                say(f"{published.target}: {label}: {', '.join(titles)}")
        warn(published.failed)
    print_kept_answers(result.kept)


def print_kept_answers(kept: Sequence[KeptAnswers]) -> None:
    """What the plan read from the worksheets before writing over or removing them."""
    for k in kept:
        if k.saved:
            say(f"Worksheets: kept {plural(k.saved, 'answer')} from {k.path} (now in the store).")
        if k.not_stored:
            where = f"the file is kept as {k.kept_as}" if k.kept_as else "the file is left as it is"
            say(
                f"Worksheets: some answers in {k.path} could not be stored; {where}: "
                + "; ".join(k.not_stored)
            )


def _print_decision(
    decision: PlanDecision,
    zone: tzinfo,
    glance: WeekGlance | None,
    published: PublishReport | None = None,
) -> None:
    _print_blocks(decision, zone)
    if glance is not None:
        print_week_strip(glance)
    calls = [call_row(b.account, b.call, zone) for b in decision.blocks if b.call]
    if calls:
        print_table(Table("Calls", CALL_HEADERS, calls))
    removed = set(published.deleted) if published is not None else set()
    for b in decision.cancelled:
        if b.change == Change.CANCELLED:
            say(
                f"Withdrawn: {b.account} (was {moment_text(b.start, zone)}): "
                f"{b.reason}; {_what_became_of(b, removed, published)}."
            )
    for b in decision.ghosts:
        say(
            f"Withdrawn: the block of an account merged into {b.account} "
            f"(was {moment_text(b.start, zone)}): cancelled, so no copy stays in your calendar."
        )
    for b in decision.removed:
        if b.change == Change.REMOVED:
            say(f"{b.account} (was {moment_text(b.start, zone)}): {b.reason}.")
    disqualify = [x for x in decision.left_out if x.kind == LeftOutKind.DISQUALIFY]
    others = [x for x in decision.left_out if x.kind != LeftOutKind.DISQUALIFY]
    if others:
        rows = [(x.account, x.reason) for x in others]
        print_table(Table("Left out", ("account", "why"), rows))
    if disqualify:
        rows = [(x.account, x.reason) for x in disqualify]
        print_table(Table(DISQUALIFY_TITLE, ("account", "why"), rows))


def _what_became_of(block: PlanBlock, removed: set[str], published: PublishReport | None) -> str:
    """What was done with a withdrawn block: publishing removed it from the calendar (the
    report names blocks by account), or the .ics marks it cancelled for the user to act on."""
    if published is not None and block.account in removed:
        return f"{'would be ' if published.dry_run else ''}removed from your calendar"
    return "marked cancelled in the .ics: delete it in your calendar"


def _print_blocks(decision: PlanDecision, zone: tzinfo) -> None:
    rows = []
    for b in decision.blocks:
        minutes = int((b.end - b.start).total_seconds() // 60)
        note = "" if b.change in (Change.NEW, Change.UNCHANGED) else f" [{b.change}]"
        reason = "; ".join([b.reason, *b.flags]) + note
        rows.append((b.account, span_text(b.start, b.end, zone), f"{minutes} min", reason))
    title = f"Focus blocks, week {decision.week.label} ({decision.timezone})"
    if rows:
        print_table(Table(title, ("account", "when", "length", "why"), rows))
    else:
        say(f"{title}: none placed.")


def _print_written(result: PlanResult) -> None:
    decision = result.decision
    files = ""
    if result.worksheets:
        folder = Path(result.worksheets[0]).parent
        files = f"{plural(len(result.worksheets), 'worksheet file')} to {folder}"
    if result.vdir is not None:
        v = result.vdir
        say(
            f"Calendar folder {v.folder}: {len(v.written)} written, {len(v.unchanged)} "
            f"unchanged, {len(v.removed)} removed (sync it with vdirsyncer)."
        )
    if result.nothing_changed:
        say(
            f"Nothing changed since the last plan of {decision.week.label}; "
            "no .ics written (--only-changed)."
        )
    if result.ics_file is None or result.vdir is not None:
        if files:
            say(f"Wrote {files}.")
        return
    say(
        f"Wrote {plural(result.events_written, 'event')} to {result.ics_file}"
        + (f" and {files}." if files else ".")
    )
    if result.published is not None:
        return  # the blocks are in the CalDAV calendar already: importing would duplicate them
    changed = any(
        b.change in (Change.MOVED, Change.RESTORED, Change.UPDATED) for b in decision.blocks
    )
    if changed or any(b.change == Change.CANCELLED for b in decision.cancelled):
        say(REPLACE_ADVICE)
    else:
        say(IMPORT_ADVICE)


def print_published(report: PublishReport) -> None:
    """One line per kind of change to the CalDAV calendar, naming the blocks."""
    for label, titles in (
        ("created", report.created),
        ("updated", report.updated),
        ("deleted", report.deleted),
        ("cancelled, your notes kept", report.cancelled),
    ):
        verb = "would be" if report.dry_run else ("was" if len(titles) == 1 else "were")
        if titles:
            say(f"{report.target}: {len(titles)} {verb} {label}: {', '.join(titles)}")
    alone = "it is" if report.left_alone == 1 else "they are"
    say(
        f"{report.target}: {len(report.unchanged)} unchanged; "
        f"{plural(report.left_alone, 'other event')} left as {alone}."
    )
    warn(report.failed)


# --- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigShown(Result):
    """`config`: each setting with its value, where it comes from and what it means."""

    rows: tuple[tuple[str, str, str, str], ...]  # (key, value, from, meaning)
    db: str
    config_file: str

    def json(self, zone: tzinfo) -> Any:
        data = {key: value for key, value, _, _ in self.rows}
        return {**data, "db": self.db, "config_file": self.config_file}

    def text(self, zone: tzinfo) -> None:
        print_table(Table(None, ("setting", "value", "from", "meaning"), self.rows))
        say(f"store: {self.db}")
        say(f"settings file: {self.config_file}")


# --- imports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RemarkImported(Result):
    """`remark import` of one file: one shape for every source of remarks (a CSV file, an
    email, a transcript): `{added: [{id, account, who, heard_on, source}], skipped:
    [{text, why}], warnings: [...]}`, ids null on a dry run (nothing was stored);
    `people_added`: the customers new to their account (`{account, name, email, role}`); a
    transcript adds each speaker (`speakers`), the call's day and its calendar event."""

    report: ImportReport
    ignored_columns: tuple[str, ...]
    dry_run: bool
    kept: str  # what the store holds, said if Ctrl-C comes while this is printed
    # what an email import left out: (which message, why)
    left_out: tuple[tuple[str, str], ...] = ()
    speakers: tuple[SpeakerTally, ...] = ()  # a transcript's, each placed
    day: date | None = None  # a transcript's call
    call: str | None = None  # the calendar event taken as the transcript's call
    # a CSV's activity types read as channels, each once
    activity_types: tuple[ActivityType, ...] = ()

    def json(self, zone: tzinfo) -> Any:
        r = self.report
        shape: dict[str, Any] = {
            "added": [
                {
                    "id": None if self.dry_run else remark.id,
                    "account": remark.account,
                    "who": remark.who,
                    "heard_on": iso(remark.heard_on, zone),
                    "source": remark.source,
                }
                for remark in r.added_remarks
            ],
            "skipped": [{"text": text, "why": why} for text, why in r.skipped],
            "accounts_created": list(r.accounts_created),
            "people_added": [{"account": p.account, **person_json(p)} for p in r.people_added],
            "activity_types": [
                {"label": t.label, "via": t.via.value, "rows": t.rows} for t in self.activity_types
            ],
            "warnings": self._warnings(),
            "dry_run": self.dry_run,
        }
        if self.day is not None:
            shape["call"] = {"day": iso(self.day, zone), "event": self.call}
        if self.speakers:
            shape["speakers"] = [
                {
                    "name": s.name,
                    "side": s.side.value,
                    "account": s.account,
                    "placed_by": s.how,
                    "remarks": s.remarks,
                    "left_out": s.left_out,
                    "why": s.why or None,
                }
                for s in self.speakers
            ]
        return shape

    def _warnings(self) -> list[str]:
        ignored = self.ignored_columns
        if not ignored:
            return []
        more = f" and {len(ignored) - 10:,} more" if len(ignored) > 10 else ""
        return [f"Ignored columns: {', '.join(c[:40] for c in ignored[:10])}{more}"]

    def text(self, zone: tzinfo) -> None:
        r = self.report
        verb = "Would add" if self.dry_run else "Added"
        corrected = f", {r.skipped_corrected:,} corrected since" if r.skipped_corrected else ""
        skipped = f"skipped {r.skipped_duplicates:,} already stored{corrected}"
        if r.skipped_deleted:  # said apart: only these need a command to come back
            deleted = r.deleted_said()
            others = r.skipped_duplicates or r.skipped_corrected
            skipped = f"{skipped}; {deleted}" if others else deleted
        say(f"{verb} {plural(r.added, 'remark')}; {skipped}.")
        if r.accounts_created:
            names = r.accounts_created
            more = f" and {len(names) - 20} more" if len(names) > 20 else ""
            say(f"{verb} {plural(len(names), 'new account')}: {', '.join(names[:20])}{more}")
        if r.people_added:
            people = ", ".join(f"{p.name} ({p.account})" for p in r.people_added[:20])
            more = f" and {len(r.people_added) - 20} more" if len(r.people_added) > 20 else ""
            say(f"{'Would add new people' if self.dry_run else 'New people'}: {people}{more}")
        if self.activity_types:
            read = ", ".join(
                f"{t.label} -> {t.via.value} ({plural(t.rows, 'row')})" for t in self.activity_types
            )
            say(f"Activity types read as channels: {read}")
        for warning in self._warnings():
            say(warning)
        for what, why in self.left_out:
            say(f"Skipped {what}: {why}.")
        if self.day is not None:
            event = f", its event {self.call}" if self.call else ""
            say(f"The call: {date_text(self.day)}{event}.")
        pieces = "turn" if self.day is not None else "message"
        for s in self.speakers:
            who = s.account if s.side.value == "customer" else s.side.value
            found = f"{plural(s.remarks, 'remark')}" if s.side.value == "customer" else ""
            left = f"{plural(s.left_out, pieces)} left out ({s.why})" if s.left_out else ""
            said = "; ".join(part for part in (found, left) if part)
            say(f"  {s.name} ({who}, by {s.how}): {said or 'nothing said'}")
        if self.dry_run:
            say("Dry run: nothing was changed.")

    def kept_if_interrupted(self) -> str | None:
        return self.kept


@dataclass(frozen=True)
class FileProblem:
    """Why one file of several was not imported: the error as it would be said alone."""

    message: str
    details: tuple[str, ...] = ()
    hint: str | None = None


@dataclass(frozen=True)
class FileImport:
    file: str
    result: RemarkImported | None  # None: the file was not imported
    problem: FileProblem | None = None


@dataclass(frozen=True)
class FilesImported(Result):
    """`remark import` of several files, each all or nothing: the one import shape over
    all of them (each remark and skip naming its file), and `files`, what became of each."""

    files: tuple[FileImport, ...]
    dry_run: bool

    def json(self, zone: tzinfo) -> Any:
        added: list[Any] = []
        skipped: list[Any] = []
        warnings: list[str] = []
        created: list[str] = []
        files = []
        for one in self.files:
            shape = one.result.json(zone) if one.result else {}
            added += [{**item, "file": one.file} for item in shape.get("added", [])]
            skipped += [{**item, "file": one.file} for item in shape.get("skipped", [])]
            warnings += [f"{one.file}: {w}" for w in shape.get("warnings", [])]
            created += [n for n in shape.get("accounts_created", []) if n not in created]
            files.append(
                {
                    "file": one.file,
                    "imported": one.result is not None,
                    "added": len(shape.get("added", [])),
                    "error": one.problem.message if one.problem else None,
                    "details": list(one.problem.details) if one.problem else [],
                    "activity_types": shape.get("activity_types", []),
                    **({"speakers": shape["speakers"]} if "speakers" in shape else {}),
                }
            )
        return {
            "added": added,
            "skipped": skipped,
            "accounts_created": created,
            "warnings": warnings,
            "dry_run": self.dry_run,
            "files": files,
        }

    def text(self, zone: tzinfo) -> None:
        for one in self.files:
            say(f"{one_line(one.file)}:")
            if one.result is not None:
                one.result.text(zone)
                continue
            problem = one.problem or FileProblem("not imported")
            say(f"  Not imported: {one_line(problem.message)}")
            for line in problem.details:
                say(f"    {line}")
            if problem.hint:
                say(f"  Hint: {problem.hint}")
        failed = sum(1 for one in self.files if one.result is None)
        if failed:
            say(f"{failed} of {len(self.files)} files not imported (nothing of those was stored).")

    def kept_if_interrupted(self) -> str | None:
        kept = [one.result.kept for one in self.files if one.result is not None]
        return kept[-1] if kept else None

    def exit_code(self) -> int:
        return 4 if any(one.result is None for one in self.files) else 0
