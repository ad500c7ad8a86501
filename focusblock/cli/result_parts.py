"""The pieces several commands' results show: a remark as a row and as JSON, an answer,
a person, a call. Each command group's results (account_results.py, remark_results.py,
...) build on these, so a remark or a call looks the same wherever it is shown.

Every result is an `output.Result`; the output layer chooses the form once (`--json` or
text) and prints it. The JSON shapes are pinned by tests and listed in README; times
are ISO 8601 with their UTC offset in the user's zone. All text goes through the
printer and `say()` in output.py, which make user text safe for the terminal. A command
group's results import only what they show, so a command loads no other group's code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Literal

from focusblock.cli.output import date_text, iso, plural, print_long_table, say, text_or_empty

if TYPE_CHECKING:
    from focusblock.model import Call, Person, Remark
    from focusblock.store.views import ReflectionView


# remark list --all, account show --all: a stream of (how many in all, the remarks)
RemarkStream = Callable[[], AbstractContextManager[tuple[int, Iterator["Remark"]]]]


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
