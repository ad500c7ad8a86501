"""What a worksheet is made of: an account's facts, every remark, every earlier answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from focusblock.store.accounts import account_view, get_account, live_remarks, remark_view
from focusblock.store.models import Account, Reflection, Remark
from focusblock.store.planning import known_call
from focusblock.store.store import Store, Transaction
from focusblock.store.views import ReflectionView, WorksheetMaterial


def worksheet_material(store: Store, name: str, now: datetime) -> WorksheetMaterial:
    """The material of the worksheet of the account a person calls `name`, with the next
    call the latest plan found in the calendar, if it is still ahead."""
    with store.transaction(write=False) as tx:
        account = get_account(tx, name)
        return replace(_material(tx, account), call=known_call(tx, account.id, now))


def worksheet_materials(store: Store, account_ids: Iterable[int]) -> dict[int, WorksheetMaterial]:
    """The material of several accounts' worksheets (a week's plan), read at once."""
    with store.transaction(write=False) as tx:
        query = tx.owned(select(Account)).where(Account.id.in_(list(account_ids)))
        return {a.id: _material(tx, a) for a in tx.session.scalars(query)}


def _material(tx: Transaction, account: Account) -> WorksheetMaterial:
    remarks = live_remarks(tx, account.id)
    deleted = select(Remark.id).where(Remark.deleted_at.is_not(None))
    reflections = tx.session.scalars(
        select(Reflection)
        .where(
            Reflection.account_id == account.id,
            # answers about a deleted remark are hidden with it
            Reflection.remark_id.is_(None) | Reflection.remark_id.not_in(deleted),
        )
        .order_by(Reflection.id)
    )
    return WorksheetMaterial(
        account=account_view(tx, account),
        remarks=tuple(remark_view(r, account.name) for r in remarks),
        reflections=tuple(
            ReflectionView(r.remark_id, r.question, r.answer, r.written_at.date())
            for r in reflections
        ),
    )
