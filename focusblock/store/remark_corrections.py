"""Correcting remarks: show one with its history, edit, delete (hide), restore, purge.

A remark is never silently lost: an edit keeps the fields it replaces as an earlier
version (a remark_revision row), a delete only hides the remark (export still carries it,
flagged by its `deleted_at`), and only `purge` of a remark already deleted removes it,
with its earlier versions and the answers written about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update

from focusblock.errors import BadInput, UnknownRemark
from focusblock.model import NewRemark, Remark, RemarkVersion
from focusblock.remark_input import check_remark
from focusblock.store.row_views import remark_view
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import ACCOUNT, REFLECTION, REMARK, REMARK_REVISION, text_hash
from focusblock.store.views import PurgeSummary

if TYPE_CHECKING:
    from sqlalchemy import Column

    from focusblock.store.tables import AccountRow, RemarkRow


def owned_remark(tx: Transaction, remark_id: int) -> tuple[RemarkRow, AccountRow]:
    """Remark number `remark_id` of an account this user sees, or UnknownRemark."""
    query = (
        select(REMARK.c.account_id)
        .join(ACCOUNT, REMARK.c.account_id == ACCOUNT.c.id)
        .where(REMARK.c.id == remark_id)
    )
    account_id = tx.conn.scalar(tx.owned(query))
    if account_id is None:
        raise UnknownRemark(
            f"no remark #{remark_id}", hint="focusblock remark list shows each remark's number"
        )
    return tx.row(REMARK, remark_id), tx.row(ACCOUNT, account_id)


def show_remark(store: Store, remark_id: int) -> tuple[Remark, tuple[RemarkVersion, ...]]:
    """The remark (deleted ones too, flagged by `deleted_at`) and its earlier versions,
    oldest first."""
    with store.transaction(write=False) as tx:
        remark, account = owned_remark(tx, remark_id)
        return remark_view(remark, account.name), _history(tx, remark.id)


def _history(tx: Transaction, remark_id: int) -> tuple[RemarkVersion, ...]:
    versions = tx.conn.execute(
        select(REMARK_REVISION)
        .where(REMARK_REVISION.c.remark_id == remark_id)
        .order_by(REMARK_REVISION.c.id)
    )
    return tuple(
        RemarkVersion(v.text, v.who, v.heard_on, v.via, v.lens, v.replaced_at) for v in versions
    )


# What `remark edit` may change, and a remark_revision keeps as it was.
EDITABLE = ("text", "who", "heard_on", "via", "lens")


def edit_remark(
    store: Store,
    remark_id: int,
    now: datetime,
    *,
    text: str | None = None,
    on: str | None = None,
    who: str | None = None,
    via: str | None = None,
    lens: str | None = None,
) -> tuple[Remark, tuple[RemarkVersion, ...]] | None:
    """Change the fields given (None leaves one as it is, '' clears who and lens),
    keeping the old ones as an earlier version.

    Returns the remark as it now is with its earlier versions, or None when the remark
    already says that. The new fields are checked exactly as `remark add` checks them.
    """
    if all(value is None for value in (text, on, who, via, lens)):
        raise BadInput("nothing to change: give --text, --on, --who, --via or --lens")
    with store.transaction() as tx:
        remark, account = owned_remark(tx, remark_id)
        if remark.deleted_at is not None:
            raise BadInput(
                f"remark #{remark_id} is deleted; restore it first "
                f"(focusblock remark restore {remark_id})"
            )

        def given(change: str | None, current: str | None) -> str | None:
            return current if change is None else change

        new = check_remark(
            account=account.name,
            text=given(text, remark.text) or "",
            who=given(who, remark.who),
            on=given(on, remark.heard_on.isoformat()),
            via=given(via, remark.via),
            lens=given(lens, remark.lens),
            today=now.date(),
        )
        old = {name: getattr(remark, name) for name in EDITABLE}
        fields = {name: getattr(new, name) for name in EDITABLE}
        if fields == old:
            return None
        _refuse_duplicate(tx, remark, new)
        tx.insert(REMARK_REVISION, remark_id=remark.id, replaced_at=now, **old)
        tx.update(REMARK, remark.id, text_hash=text_hash(new.text), **fields)
        return remark_view(tx.row(REMARK, remark.id), account.name), _history(tx, remark.id)


def _refuse_duplicate(tx: Transaction, remark: RemarkRow, new: NewRemark) -> None:
    """An edit may not make a remark the exact duplicate of another one of the account."""
    other = tx.conn.scalar(
        select(REMARK.c.id).where(
            REMARK.c.account_id == remark.account_id,
            REMARK.c.id != remark.id,
            REMARK.c.text == new.text,
            REMARK.c.heard_on == new.heard_on,
            REMARK.c.repeat == remark.repeat,
        )
    )
    if other is not None:
        raise BadInput(
            f"remark #{other} already says that on {new.heard_on.isoformat()}; "
            f"remark #{remark.id} was not changed"
        )


def delete_remarks(store: Store, remark_ids: Sequence[int], now: datetime) -> list[Remark]:
    """Hide the remarks (all or none): gone from lists, plans and worksheets, still in
    export, back with `restore_remark`."""
    with store.transaction() as tx:
        found = []
        for remark_id in dict.fromkeys(remark_ids):
            remark, account = owned_remark(tx, remark_id)
            if remark.deleted_at is not None:
                raise BadInput(f"remark #{remark_id} is already deleted; nothing was deleted")
            found.append((remark, account))
        ids = [remark.id for remark, _ in found]
        tx.conn.execute(update(REMARK).where(REMARK.c.id.in_(ids)).values(deleted_at=now))
        return [remark_view(r, a.name) for r, a in found]


def restore_remark(store: Store, remark_id: int) -> Remark:
    """Bring back a deleted remark, exactly as it was."""
    with store.transaction() as tx:
        remark, account = owned_remark(tx, remark_id)
        if remark.deleted_at is None:
            raise BadInput(f"remark #{remark_id} is not deleted; nothing to restore")
        tx.update(REMARK, remark.id, deleted_at=None)
        return remark_view(remark, account.name)


def purge_remarks(store: Store, remark_ids: Sequence[int], yes: bool) -> PurgeSummary:
    """Remove deleted remarks for good, with their earlier versions and the answers
    written about them (all or none). Without `yes`, BadInput says what would go."""
    ids = tuple(dict.fromkeys(remark_ids))
    with store.transaction() as tx:
        for remark_id in ids:
            remark, _ = owned_remark(tx, remark_id)
            if remark.deleted_at is None:
                raise BadInput(
                    f"remark #{remark_id} is not deleted; only deleted remarks can be purged "
                    f"(focusblock remark delete {remark_id} first); nothing was purged"
                )
        summary = PurgeSummary(
            remark_ids=ids,
            versions=_count(tx, REMARK_REVISION.c.remark_id, ids),
            answers=_count(tx, REFLECTION.c.remark_id, ids),
        )
        if not yes:
            raise BadInput(f"would purge {describe_purge(summary)} for good; add --yes to do it")
        tx.conn.execute(delete(REFLECTION).where(REFLECTION.c.remark_id.in_(ids)))
        tx.conn.execute(delete(REMARK_REVISION).where(REMARK_REVISION.c.remark_id.in_(ids)))
        tx.conn.execute(delete(REMARK).where(REMARK.c.id.in_(ids)))
        return summary


def describe_purge(summary: PurgeSummary) -> str:
    """'remarks #3, #5 with 1 earlier version and 2 answers'."""
    numbers = ", ".join(f"#{i}" for i in summary.remark_ids)
    noun = "remark" if len(summary.remark_ids) == 1 else "remarks"
    versions = "version" if summary.versions == 1 else "versions"
    answers = "answer" if summary.answers == 1 else "answers"
    return (
        f"{noun} {numbers} with {summary.versions} earlier {versions} "
        f"and {summary.answers} {answers}"
    )


def _count(tx: Transaction, column: Column[Any], ids: tuple[int, ...]) -> int:
    return tx.conn.scalar(select(func.count()).where(column.in_(ids))) or 0
