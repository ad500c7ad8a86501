"""What a worksheet is made of: an account's facts, every remark, every earlier answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Select, case, func, or_, select

from focusblock.model import Account
from focusblock.store.accounts import merged_facts_of, resolve_account
from focusblock.store.planning import known_call
from focusblock.store.row_views import (
    account_of,
    account_view,
    people_of_account,
    reflection_of,
    remark_of,
)
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import ACCOUNT, REFLECTION, REMARK, WORKSHEET_FILE
from focusblock.store.views import RemarksNotShown, WorksheetMaterial

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
        account = resolve_account(tx, name)
        return replace(_material(tx, account, limit), call=known_call(tx, account.id, now))


def worksheet_materials(
    store: Store, account_ids: Iterable[int], limit: int | None = WORKSHEET_REMARKS
) -> dict[int, WorksheetMaterial]:
    """The material of several accounts' worksheets (a week's plan), read at once."""
    with store.transaction(write=False) as tx:
        query = tx.owned(select(*ACCOUNT)).where(ACCOUNT.id.in_(list(account_ids)))
        accounts = [account_of(row) for row in tx.conn.execute(query)]
        return {a.id: _material(tx, a, limit) for a in accounts}


def _material(tx: Transaction, account: Account, limit: int | None) -> WorksheetMaterial:
    answered = select(REFLECTION.remark_id).where(
        REFLECTION.account_id == account.id, REFLECTION.remark_id.is_not(None)
    )
    reflected = case((REMARK.id.in_(answered), 1), else_=0)
    # not yet reflected on first, then the newest: what a seller most needs in front of them
    query = (
        select(*REMARK)
        .where(REMARK.account_id == account.id, REMARK.deleted_at.is_(None))
        .order_by(reflected, REMARK.heard_on.desc(), REMARK.id.desc())
    )
    chosen = tx.conn.execute(query if limit is None else query.limit(limit))
    remarks = sorted(
        (remark_of(row, account.name) for row in chosen), key=lambda r: (r.heard_on, r.id)
    )
    shown = [r.id for r in remarks]
    reflections = tx.conn.execute(
        select(*REFLECTION)
        .where(
            REFLECTION.account_id == account.id,
            or_(REFLECTION.remark_id.is_(None), REFLECTION.remark_id.in_(shown)),
        )
        .order_by(REFLECTION.id)
    )
    return WorksheetMaterial(
        account=account_view(tx, account),
        remarks=tuple(remarks),
        reflections=tuple(reflection_of(row) for row in reflections),
        not_shown=_not_shown(tx, account, shown, answered) if limit is not None else None,
        people=tuple(people_of_account(tx, account.id, account.name)),
        merged_facts=merged_facts_of(tx, account.id),
    )


def _not_shown(
    tx: Transaction, account: Account, shown: list[int], answered: Select[int | None]
) -> RemarksNotShown | None:
    """The remarks a bounded worksheet leaves out: how many, from when to when."""
    others = (
        REMARK.account_id == account.id,
        REMARK.deleted_at.is_(None),
        REMARK.id.not_in(shown),
    )
    count, first, last = tx.conn.execute(
        select(func.count(REMARK.id), func.min(REMARK.heard_on), func.max(REMARK.heard_on)).where(
            *others
        )
    ).one()
    if not count:
        return None
    reflected = tx.conn.scalar(
        select(func.count(REMARK.id)).where(*others, REMARK.id.in_(answered))
    )
    return RemarksNotShown(count, first, last, int(reflected or 0))


def last_weeks_worksheet_files(
    store: Store, week: str, account_ids: Iterable[int]
) -> dict[int, list[str]]:
    """For each account, the paths a plan wrote its Markdown worksheets to for the latest
    week before `week`: where the seller wrote last, before planning this one."""
    ids = list(account_ids)
    with store.transaction(write=False) as tx:
        latest = (
            select(WORKSHEET_FILE.account_id, func.max(WORKSHEET_FILE.week).label("week"))
            .where(WORKSHEET_FILE.week < week, WORKSHEET_FILE.account_id.in_(ids))
            .group_by(WORKSHEET_FILE.account_id)
            .subquery()
        )
        rows = tx.conn.execute(
            select(WORKSHEET_FILE.account_id, WORKSHEET_FILE.path)
            .join(
                latest,
                (latest.c.account_id == WORKSHEET_FILE.account_id)
                & (latest.c.week == WORKSHEET_FILE.week),
            )
            .order_by(WORKSHEET_FILE.id)
        )
        found: dict[int, list[str]] = {}
        for account_id, path in rows:
            found.setdefault(account_id, []).append(path)
        return found


def worksheet_files(store: Store, week: str, account_ids: Iterable[int]) -> dict[int, list[str]]:
    """The paths earlier plans wrote the accounts' Markdown worksheets of `week` to."""
    with store.transaction(write=False) as tx:
        rows = tx.conn.execute(
            select(WORKSHEET_FILE.account_id, WORKSHEET_FILE.path)
            .where(WORKSHEET_FILE.week == week, WORKSHEET_FILE.account_id.in_(list(account_ids)))
            .order_by(WORKSHEET_FILE.id)
        )
        found: dict[int, list[str]] = {}
        for account_id, path in rows:
            found.setdefault(account_id, []).append(path)
        return found
