"""What the `account` commands print and return as JSON: each result, its JSON shape and
its text side by side (the remarks `account show` lists look as `remark list` shows them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Literal

from focusblock.cli.output import (
    EMPTY,
    Fit,
    Result,
    Table,
    date_text,
    iso,
    moment_text,
    plural,
    print_table,
    say,
    text_or_empty,
)
from focusblock.cli.result_parts import (
    ANSWER_HEADERS,
    RemarkStream,
    answer_json,
    answer_row,
    call_origin,
    left_out_note,
    person_json,
    person_text,
    print_people,
    print_remark_stream,
    remark_headers,
    remark_json,
    remark_row,
    remarks_title,
)

if TYPE_CHECKING:
    from focusblock.model import Call, Person
    from focusblock.store.account_corrections import DeleteReport, LeftInCalendar, MergeReport
    from focusblock.store.views import AccountDetail, AccountView


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
