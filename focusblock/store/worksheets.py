"""What a worksheet is made of: an account's facts, every remark, every earlier answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, case, func, or_, select

from focusblock.store.accounts import get_account
from focusblock.store.planning import known_call
from focusblock.store.row_views import account_view, remark_view
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import ACCOUNT, REFLECTION, REMARK
from focusblock.store.views import ReflectionView, RemarksNotShown, WorksheetMaterial

if TYPE_CHECKING:
    from focusblock.store.tables import AccountRow

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
        query = tx.owned(select(ACCOUNT)).where(ACCOUNT.c.id.in_(list(account_ids)))
        return {a.id: _material(tx, a, limit) for a in tx.conn.execute(query).all()}


def _material(tx: Transaction, account: AccountRow, limit: int | None) -> WorksheetMaterial:
    answered = select(REFLECTION.c.remark_id).where(
        REFLECTION.c.account_id == account.id, REFLECTION.c.remark_id.is_not(None)
    )
    reflected = case((REMARK.c.id.in_(answered), 1), else_=0)
    # not yet reflected on first, then the newest: what a seller most needs in front of them
    query = (
        select(REMARK)
        .where(REMARK.c.account_id == account.id, REMARK.c.deleted_at.is_(None))
        .order_by(reflected, REMARK.c.heard_on.desc(), REMARK.c.id.desc())
    )
    chosen = tx.conn.execute(query if limit is None else query.limit(limit)).all()
    remarks = sorted(chosen, key=lambda r: (r.heard_on, r.id))
    shown = [r.id for r in remarks]
    reflections = tx.conn.execute(
        select(REFLECTION)
        .where(
            REFLECTION.c.account_id == account.id,
            or_(REFLECTION.c.remark_id.is_(None), REFLECTION.c.remark_id.in_(shown)),
        )
        .order_by(REFLECTION.c.id)
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
    tx: Transaction, account: AccountRow, shown: list[int], answered: Select[Any]
) -> RemarksNotShown | None:
    """The remarks a bounded worksheet leaves out: how many, from when to when."""
    others = (
        REMARK.c.account_id == account.id,
        REMARK.c.deleted_at.is_(None),
        REMARK.c.id.not_in(shown),
    )
    count, first, last = tx.conn.execute(
        select(
            func.count(REMARK.c.id), func.min(REMARK.c.heard_on), func.max(REMARK.c.heard_on)
        ).where(*others)
    ).one()
    if not count:
        return None
    reflected = tx.conn.scalar(
        select(func.count(REMARK.c.id)).where(*others, REMARK.c.id.in_(answered))
    )
    return RemarksNotShown(count, first, last, int(reflected or 0))
