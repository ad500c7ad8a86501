"""What a worksheet is made of: an account's facts, every remark, every earlier answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, func, or_, select

from focusblock.store.accounts import account_view, get_account, remark_view
from focusblock.store.models import Account, Reflection, Remark
from focusblock.store.planning import known_call
from focusblock.store.store import Store, Transaction
from focusblock.store.views import ReflectionView, RemarksNotShown, WorksheetMaterial

# A worksheet is read and written by hand: past this many remarks, the ones not yet
# reflected on and the latest come in full, and the others are counted.
WORKSHEET_REMARKS = 100


def worksheet_material(
    store: Store, name: str, now: datetime, limit: int | None = WORKSHEET_REMARKS
) -> WorksheetMaterial:
    """The material of the worksheet of the account a person calls `name`, with the next
    call the latest plan found in the calendar, if it is still ahead; `limit=None` for
    every remark."""
    with store.transaction(write=False) as tx:
        account = get_account(tx, name)
        return replace(_material(tx, account, limit), call=known_call(tx, account.id, now))


def worksheet_materials(
    store: Store, account_ids: Iterable[int], limit: int | None = WORKSHEET_REMARKS
) -> dict[int, WorksheetMaterial]:
    """The material of several accounts' worksheets (a week's plan), read at once."""
    with store.transaction(write=False) as tx:
        query = tx.owned(select(Account)).where(Account.id.in_(list(account_ids)))
        return {a.id: _material(tx, a, limit) for a in tx.session.scalars(query)}


def _material(tx: Transaction, account: Account, limit: int | None) -> WorksheetMaterial:
    answered = select(Reflection.remark_id).where(
        Reflection.account_id == account.id, Reflection.remark_id.is_not(None)
    )
    reflected = case((Remark.id.in_(answered), 1), else_=0)
    # not yet reflected on first, then the newest: what a seller most needs in front of them
    query = (
        select(Remark)
        .where(Remark.account_id == account.id, Remark.deleted_at.is_(None))
        .order_by(reflected, Remark.heard_on.desc(), Remark.id.desc())
    )
    chosen = tx.session.scalars(query if limit is None else query.limit(limit)).all()
    remarks = sorted(chosen, key=lambda r: (r.heard_on, r.id))
    shown = [r.id for r in remarks]
    reflections = tx.session.scalars(
        select(Reflection)
        .where(
            Reflection.account_id == account.id,
            or_(Reflection.remark_id.is_(None), Reflection.remark_id.in_(shown)),
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
        not_shown=_not_shown(tx, account, shown, answered) if limit is not None else None,
    )


def _not_shown(
    tx: Transaction, account: Account, shown: list[int], answered: Select[Any]
) -> RemarksNotShown | None:
    """The remarks a bounded worksheet leaves out: how many, from when to when."""
    others = (
        Remark.account_id == account.id,
        Remark.deleted_at.is_(None),
        Remark.id.not_in(shown),
    )
    count, first, last = tx.session.execute(
        select(func.count(Remark.id), func.min(Remark.heard_on), func.max(Remark.heard_on)).where(
            *others
        )
    ).one()
    if not count:
        return None
    reflected = tx.session.scalar(
        select(func.count(Remark.id)).where(*others, Remark.id.in_(answered))
    )
    return RemarksNotShown(count, _day(first), _day(last), int(reflected or 0))


def _day(value: object) -> date:
    if isinstance(value, str):  # SQLite's MIN() over a date column returns text
        return date.fromisoformat(value)
    assert isinstance(value, date)
    return value
