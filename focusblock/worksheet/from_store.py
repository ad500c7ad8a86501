"""One account's worksheet from the store's material: facts, every remark, earlier answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from focusblock.store.store import Store
from focusblock.store.views import RemarksNotShown, WorksheetMaterial
from focusblock.store.worksheets import WORKSHEET_REMARKS, worksheet_material
from focusblock.worksheet.content import Worksheet, build_worksheet
from focusblock.worksheet.question_bank import QuestionBank, load_bank


def worksheet_from(
    material: WorksheetMaterial,
    bank: QuestionBank,
    today: date,
    next_call: datetime | None = None,
    lead_lenses: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    disqualify_after: int | None = None,
    seller: Sequence[str] = (),
) -> Worksheet:
    """The worksheet of `material`; the next call is the calendar's, else the stored one.
    With `disqualify_after`, a note says when the plan lists the deal for disqualification
    because nothing basic was heard in that many remarks."""
    account = material.account
    if material.not_shown is not None:
        notes = (*notes, not_shown_note(account.name, material.not_shown))
    # what the seller typed for an account merged into this one: one of them may be true
    notes = (
        *notes,
        *(
            f"Kept from merged account '{m.from_account}': {m.fact.replace('_', ' ')} {m.value}"
            for m in material.merged_facts
        ),
    )
    if next_call is None and material.call is not None:
        next_call = material.call.start
    if next_call is None and account.next_call is not None and account.next_call.date() >= today:
        next_call = account.next_call
    return build_worksheet(
        account=account.name,
        stage=account.stage,
        need=account.need,
        consequence=account.consequence,
        decision_date=account.decision_date,
        next_call=next_call,
        remarks=material.remarks,
        reflections=material.reflections,
        bank=bank,
        today=today,
        lead_lenses=lead_lenses,
        notes=notes,
        people=material.people,
        disqualify_after=disqualify_after,
        seller=seller,
    )


def not_shown_note(account: str, left: RemarksNotShown) -> str:
    """What a bounded worksheet says of the remarks it leaves out, and how to see them."""
    remarks = f"{left.count:,} more remark" + ("" if left.count == 1 else "s")
    return (
        f"Not shown here: {remarks}, heard {left.first.isoformat()} to {left.last.isoformat()} "
        f"({left.reflected:,} of them reflected on already). Every remark: "
        f"focusblock worksheet '{account}' --all"
    )


def account_worksheet(
    store: Store,
    name: str,
    questions_file: str | None,
    now: datetime,
    every: bool = False,
    disqualify_after: int | None = None,
    seller: Sequence[str] = (),
) -> Worksheet:
    """The worksheet of the account a person calls `name`, with the user's question bank;
    bounded to the remarks that matter now unless `every`."""
    material = worksheet_material(store, name, now, limit=None if every else WORKSHEET_REMARKS)
    bank = load_bank(questions_file)
    return worksheet_from(
        material, bank, now.date(), disqualify_after=disqualify_after, seller=seller
    )
