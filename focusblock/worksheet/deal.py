"""The deal's side of a worksheet: its people, its gaps, and whether it should be let go.

Pure functions over the remarks and the account's people; the questions are made by the
caller (`ask`), so each takes the earlier answers written under it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from focusblock.model import Person, Remark
from focusblock.names import CONSEQUENCE_LENS, NEED_LENS
from focusblock.worksheet.gaps import Gap, deal_gaps, speaks_to
from focusblock.worksheet.people_section import (
    BUDGET_FLAG,
    BuyingInfluence,
    budget_authority_heard,
    buying_influences,
)

# a pending deal with no call booked and none of the basics heard after this many remarks
# is listed for disqualification (the setting priority.disqualify_after_remarks)
DISQUALIFY_AFTER_REMARKS = 10
GAP_STAGE = "pending"  # a deal still to be won has gaps; a sold one has its people only

Q = TypeVar("Q")


@dataclass(frozen=True)
class DealParts(Generic[Q]):
    people: tuple[BuyingInfluence[Q], ...] = ()
    budget_flag: str | None = None
    gaps: tuple[Gap[Q], ...] = ()


def deal_parts(
    stage: str,
    remarks: Sequence[Remark],
    people: Sequence[Person],
    ask: Callable[[str], Q],
    seller: Sequence[str] = (),
) -> DealParts[Q]:
    """Everyone heard or named with their questions, and for a pending deal the gaps (a
    question for each not heard yet) and a red flag when no one with budget authority has
    been heard or named. Nothing at all with no remark and no person: the account
    sections ask what a first call must find out."""
    if not remarks and not people:
        return DealParts()
    found = buying_influences(remarks, people, seller)
    influences = tuple(replace_questions(p, tuple(ask(q) for q in p.questions)) for p in found)
    if stage != GAP_STAGE:
        return DealParts(people=influences)
    gaps = tuple(
        Gap(g.key, g.label, g.heard_in, tuple(ask(q) for q in g.questions))
        for g in deal_gaps(remarks)
    )
    flag = None if budget_authority_heard(found, remarks) else BUDGET_FLAG
    return DealParts(influences, flag, gaps)


def replace_questions(person: BuyingInfluence[str], questions: tuple[Q, ...]) -> BuyingInfluence[Q]:
    return BuyingInfluence(person.name, person.role, person.email, person.remarks, questions)


def basics_heard_in_words(remarks: Sequence[Remark]) -> bool:
    """Whether any remark speaks to the need (its lens), the cost of doing nothing (its
    lens, or their figures for it) or who signs."""
    return any(
        r.lens in (NEED_LENS, CONSEQUENCE_LENS)
        or speaks_to("figures", r.text)
        or speaks_to("signer", r.text)
        for r in remarks
    )


def disqualify_reason(remark_count: int) -> str:
    """Why a deal is listed for disqualification when nothing basic was heard."""
    return (
        f"{remark_count} remarks and none of their need, their figures for the cost of "
        "doing nothing, who signs or a decision date heard yet; no call booked"
    )


def disqualify_note(
    stage: str, remarks: Sequence[Remark], basics: tuple[object, ...], after: int | None
) -> tuple[str, ...]:
    """The worksheet's note for a pending deal the plan lists for disqualification: no
    call booked (the last of `basics`), none of the need, the cost of doing nothing and a
    decision date set (the others) or heard in the words, after `after` remarks or more.
    None for `after`: no such note."""
    if (
        after is None
        or stage != GAP_STAGE
        or any(basics)
        or len(remarks) < after
        or basics_heard_in_words(remarks)
    ):
        return ()
    return (
        "Listed for disqualification: "
        + disqualify_reason(len(remarks))
        + ". Book a call that settles them, or let the deal go.",
    )
