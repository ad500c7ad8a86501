"""What the `remark` commands print and return as JSON (but `remark import`, in
import_results.py): each result, its JSON shape and its text side by side."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from focusblock.cli.output import (
    JsonList,
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
    left_out_note,
    print_remark_stream,
    remark_headers,
    remark_json,
    remark_row,
    remarks_title,
)

if TYPE_CHECKING:
    from focusblock.model import Remark, RemarkVersion
    from focusblock.store.views import PurgeSummary, ReflectionView


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
