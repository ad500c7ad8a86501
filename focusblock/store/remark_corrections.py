"""Correcting remarks: show one with its history, edit, delete (hide), restore, purge.

A remark is never silently lost: an edit keeps the fields it replaces as an earlier
version (a remark_revision row), a delete only hides the remark (export still carries it,
flagged by its `deleted_at`), and only `purge` of a remark already deleted removes it,
with its earlier versions and the answers written about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Column, delete, func, select, update

from focusblock.errors import BadInput, UnknownRemark
from focusblock.model import Account, NewRemark, Remark, RemarkVersion
from focusblock.names import search_key
from focusblock.remark_input import check_remark
from focusblock.store.row_views import account_by_id, remark_by_id
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import (
    ACCOUNT,
    ACCOUNT_TABLE,
    REFLECTION,
    REFLECTION_TABLE,
    REMARK,
    REMARK_REVISION,
    REMARK_REVISION_TABLE,
    REMARK_TABLE,
    text_hash,
)
from focusblock.store.views import PurgeSummary


def owned_remark(
    tx: Transaction, remark_id: int, for_update: bool = False
) -> tuple[Remark, Account]:
    """Remark number `remark_id` of an account this user sees, or UnknownRemark.

    `for_update` first locks the remark's row until the transaction ends (PostgreSQL;
    SQLite's one writer needs no lock), so that what is read after it is the remark as the
    last edit committed it, and no other edit can change it before this one writes.
    """
    if for_update:
        # Locked before anything is read, not after. Two edits that both read the row,
        # then each inserted an earlier version (whose foreign key takes a share lock on
        # the remark) and then updated the remark (which needs that lock exclusively:
        # its text's fingerprint is in a unique index), waited for each other: PostgreSQL
        # undid all but one as a deadlock.
        tx.conn.execute(select(REMARK.id).where(REMARK.id == remark_id).with_for_update())
    query = (
        select(REMARK.account_id)
        .join(ACCOUNT_TABLE, REMARK.account_id == ACCOUNT.id)
        .where(REMARK.id == remark_id)
    )
    account_id = tx.conn.scalar(tx.owned(query))
    if account_id is None:
        raise UnknownRemark(
            f"no remark #{remark_id}", hint="focusblock remark list shows each remark's number"
        )
    account = account_by_id(tx, account_id)
    return remark_by_id(tx, remark_id, account.name), account


def show_remark(store: Store, remark_id: int) -> tuple[Remark, tuple[RemarkVersion, ...]]:
    """The remark (deleted ones too, flagged by `deleted_at`) and its earlier versions,
    oldest first."""
    with store.transaction(write=False) as tx:
        remark, _ = owned_remark(tx, remark_id)
        return remark, _history(tx, remark.id)


def _history(tx: Transaction, remark_id: int) -> tuple[RemarkVersion, ...]:
    versions = tx.conn.execute(
        select(*REMARK_REVISION)
        .where(REMARK_REVISION.remark_id == remark_id)
        .order_by(REMARK_REVISION.id)
    )
    return tuple(
        RemarkVersion(v.text, v.who, v.heard_on, v.via, v.lens, v.replaced_at) for v in versions
    )


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

    def edit(tx: Transaction) -> tuple[Remark, tuple[RemarkVersion, ...]] | None:
        remark, account = owned_remark(tx, remark_id, for_update=True)
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
        # what `remark edit` may change, and an earlier version keeps as it was
        old = (remark.text, remark.who, remark.heard_on, remark.via, remark.lens)
        if (new.text, new.who, new.heard_on, new.via, new.lens) == old:
            return None
        _refuse_duplicate(tx, account, remark, new)
        tx.insert(
            {
                REMARK_REVISION.remark_id: remark.id,
                REMARK_REVISION.replaced_at: now,
                REMARK_REVISION.text: remark.text,
                REMARK_REVISION.who: remark.who,
                REMARK_REVISION.heard_on: remark.heard_on,
                REMARK_REVISION.via: remark.via,
                REMARK_REVISION.lens: remark.lens,
            }
        )
        edited: dict[Column[Any], object] = {
            REMARK.text_hash: text_hash(new.text),
            REMARK.search_text: search_key(new.text),  # an insert's default; an edit sets it
            REMARK.text: new.text,
            REMARK.who: new.who,
            REMARK.heard_on: new.heard_on,
            REMARK.via: new.via,
            REMARK.lens: new.lens,
        }
        tx.update(REMARK.id, remark.id, edited)
        return remark_by_id(tx, remark.id, account.name), _history(tx, remark.id)

    return store.retrying(edit, what=f"remark #{remark_id}")


def _refuse_duplicate(tx: Transaction, account: Account, remark: Remark, new: NewRemark) -> None:
    """An edit may not make a remark the exact duplicate of another one of the account."""
    other = tx.conn.scalar(
        select(REMARK.id).where(
            REMARK.account_id == account.id,
            REMARK.id != remark.id,
            REMARK.text == new.text,
            REMARK.heard_on == new.heard_on,
            REMARK.repeat == remark.repeat,
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
        tx.conn.execute(
            update(REMARK_TABLE).where(REMARK.id.in_(ids)).values({REMARK.deleted_at: now})
        )
        return [replace(remark, deleted_at=now) for remark, _ in found]


def restore_remark(store: Store, remark_id: int) -> Remark:
    """Bring back a deleted remark, exactly as it was."""
    with store.transaction() as tx:
        remark, _ = owned_remark(tx, remark_id)
        if remark.deleted_at is None:
            raise BadInput(f"remark #{remark_id} is not deleted; nothing to restore")
        tx.update(REMARK.id, remark.id, {REMARK.deleted_at: None})
        return replace(remark, deleted_at=None)


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
            versions=_count(tx, REMARK_REVISION.remark_id, ids),
            answers=_count(tx, REFLECTION.remark_id, ids),
        )
        if not yes:
            raise BadInput(f"would purge {describe_purge(summary)} for good; add --yes to do it")
        tx.conn.execute(delete(REFLECTION_TABLE).where(REFLECTION.remark_id.in_(ids)))
        tx.conn.execute(delete(REMARK_REVISION_TABLE).where(REMARK_REVISION.remark_id.in_(ids)))
        tx.conn.execute(delete(REMARK_TABLE).where(REMARK.id.in_(ids)))
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
