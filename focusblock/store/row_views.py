"""Rows read from the store, as the plain views the rest of focusblock uses."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from focusblock.model import Remark
from focusblock.store.store import Transaction
from focusblock.store.tables import REMARK
from focusblock.store.views import AccountView

if TYPE_CHECKING:
    from focusblock.store.tables import AccountRow, RemarkRow


def remark_view(remark: RemarkRow, account_name: str) -> Remark:
    """The plain view of a loaded remark."""
    return Remark(
        id=remark.id,
        account=account_name,
        text=remark.text,
        who=remark.who,
        heard_on=remark.heard_on,
        via=remark.via,
        lens=remark.lens,
        source=remark.imported_from,
        repeat=remark.repeat,
        deleted_at=remark.deleted_at,
    )


def remark_stats(tx: Transaction, ids: list[int]) -> dict[int, tuple[int, date | None]]:
    """Each account's count of live remarks and the date of its latest, by account id."""
    if not ids:
        return {}
    rows = tx.conn.execute(
        select(REMARK.c.account_id, func.count(REMARK.c.id), func.max(REMARK.c.heard_on))
        .where(REMARK.c.account_id.in_(ids), REMARK.c.deleted_at.is_(None))
        .group_by(REMARK.c.account_id)
    ).all()
    return {account_id: (count, last) for account_id, count, last in rows}


def account_view(
    tx: Transaction, account: AccountRow, stats: tuple[int, date | None] | None = None
) -> AccountView:
    """The plain view of a loaded account, with its remark count and latest remark."""
    if stats is None:
        stats = remark_stats(tx, [account.id]).get(account.id, (0, None))
    return AccountView(
        id=account.id,
        name=account.name,
        owner=account.owner,
        stage=account.stage,
        aliases=tuple(account.aliases or ()),
        domains=tuple(account.domains or ()),
        need=account.need,
        consequence=account.consequence,
        decision_date=account.decision_date,
        next_call=account.next_call,
        remark_count=stats[0],
        last_heard=stats[1],
    )
