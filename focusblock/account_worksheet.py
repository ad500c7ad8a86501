"""One account's worksheet from the store: facts, every remark, earlier answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from focusblock.store.accounts import get_account
from focusblock.store.store import Store
from focusblock.store.worksheets import worksheet_sources
from focusblock.worksheet.content import Worksheet, build_worksheet
from focusblock.worksheet.question_bank import QuestionBank, load_bank


def worksheet_for(
    session: Session,
    account_id: int,
    bank: QuestionBank,
    today: date,
    next_call: datetime | None = None,
    lead_lenses: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
) -> Worksheet:
    from focusblock.store.models import Account

    account = session.get(Account, account_id)
    assert account is not None  # callers pass ids they just read
    remarks, reflections = worksheet_sources(session, account_id)
    if next_call is None and account.next_call is not None and account.next_call.date() >= today:
        next_call = account.next_call
    return build_worksheet(
        account=account.name,
        stage=account.stage,
        need=account.need,
        consequence=account.consequence,
        decision_date=account.decision_date,
        next_call=next_call,
        remarks=remarks,
        reflections=reflections,
        bank=bank,
        today=today,
        lead_lenses=lead_lenses,
        notes=notes,
    )


def account_worksheet(
    store: Store, name: str, questions_file: str | None, today: date
) -> Worksheet:
    bank = load_bank(questions_file)
    with store.session() as session:
        account = get_account(session, store, name)
        return worksheet_for(session, account.id, bank, today)
