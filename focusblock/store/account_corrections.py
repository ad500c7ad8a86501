"""Correcting accounts: rename, merge a duplicate into the right one, delete, restore.

Each runs in one transaction. A rename and a merge keep the old name as an alias, so
meeting titles and files that still say it find the account. A delete only hides the
account (export still carries it, flagged by its `deleted_at`); restore brings it back
exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, delete, func, select, tuple_, update

from focusblock.errors import BadInput
from focusblock.model import Account, BlockStatus, FocusBlock
from focusblock.names import name_key
from focusblock.store.account_people import move_people
from focusblock.store.accounts import match_account, rename_to, resolve_account
from focusblock.store.row_views import account_by_id, account_view, focus_block
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import (
    ACCOUNT,
    ACCOUNT_TABLE,
    BLOCK_VERSION,
    FOCUS_BLOCK,
    FOCUS_BLOCK_TABLE,
    MERGED_FACT,
    REFLECTION,
    REMARK,
    RETIRED_BLOCK,
    WORKSHEET_FILE,
    WORKSHEET_FILE_TABLE,
)
from focusblock.store.views import AccountView


def rename_account(store: Store, old: str, new: str) -> AccountView:
    """Rename the account `old` to `new`; `old` stays an alias of it."""
    with store.transaction() as tx:
        account = resolve_account(tx, old)
        rename_to(tx, account, new)
        return account_view(tx, account_by_id(tx, account.id))


@dataclass(frozen=True)
class LeftInCalendar:
    """A focus block no longer kept by the store that may still be in the calendar."""

    account: str
    week: str
    start: datetime


@dataclass
class MergeReport:
    source: str
    target: AccountView | None = None
    remarks: int = 0
    reflections: int = 0
    blocks: int = 0
    dropped_blocks: list[LeftInCalendar] = field(default_factory=list)
    # facts both accounts had: the source's, kept beside the target's as (fact, value)
    kept_facts: list[tuple[str, str]] = field(default_factory=list)


def merge_accounts(store: Store, source: str, target: str, now: datetime) -> MergeReport:
    """Move everything of account `source` into `target`, then remove `source`.

    Remarks (with their history), answers, focus blocks, people (someone both know
    becomes one person), domains, aliases and titles that are never a call move; facts
    `target` lacks (need, consequence, decision date, next call) are taken from
    `source`; `source`'s name becomes an alias of `target`. One account keeps one block
    per week: where both have one, `target`'s stays unless only `source`'s is still
    planned; the other is dropped and reported if it has not begun (it may still be in
    the calendar). A moved remark saying what one of `target`'s says on the same date is
    kept as a repeat, never dropped.
    """

    def merge(tx: Transaction) -> MergeReport:
        moving, into = resolve_account(tx, source), resolve_account(tx, target)
        # both read again under row locks, in id order (no deadlock between two merges), so
        # an edit made meanwhile is neither lost nor written over with what was read before
        for account_id in sorted({moving.id, into.id}):
            account_by_id(tx, account_id, for_update=True)
        moving, into = account_by_id(tx, moving.id), account_by_id(tx, into.id)
        if moving.id == into.id:
            raise BadInput(f"'{source}' and '{target}' are the same account; nothing to merge")
        if moving.owner != into.owner:
            raise BadInput(
                f"'{moving.name}' ({moving.owner}) and '{into.name}' ({into.owner}) have "
                "different owners; only one owner's accounts can be merged"
            )
        report = MergeReport(source=moving.name)
        report.dropped_blocks = _merge_blocks(tx, moving, into, now)
        report.blocks = _move(tx, FOCUS_BLOCK.account_id, moving, into)
        _keep_remarks_distinct(tx, moving, into)
        report.remarks = _move(tx, REMARK.account_id, moving, into)
        report.reflections = _move(tx, REFLECTION.account_id, moving, into)
        _move(tx, MERGED_FACT.account_id, moving, into)
        _move(tx, RETIRED_BLOCK.account_id, moving, into)
        _move_worksheet_files(tx, moving, into)
        _move(tx, BLOCK_VERSION.account_id, moving, into)
        report.kept_facts = _keep_both_facts(tx, moving, into, now)
        for fact, value in move_people(tx, moving, into):
            report.kept_facts.append(_keep_fact(tx, moving, into, fact, value, now))
        tx.update(ACCOUNT.id, into.id, _merged_facts(moving, into))
        tx.conn.execute(delete(ACCOUNT_TABLE).where(ACCOUNT.id == moving.id))
        report.target = account_view(tx, account_by_id(tx, into.id))
        return report

    return store.retrying(merge, what=f"accounts '{source}' and '{target}'")


def _move(tx: Transaction, account_id: Column[int], a: Account, b: Account) -> int:
    """Give every row of `a` in the table of `account_id` to `b`; how many moved."""
    result = tx.conn.execute(
        update(account_id.table).where(account_id == a.id).values({account_id: b.id})
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _move_worksheet_files(tx: Transaction, moving: Account, into: Account) -> None:
    """The worksheets `moving`'s plans wrote become `into`'s to read answers from (its
    remarks and answers moved there; its name becomes an alias); a path both recorded for
    the same week is kept once."""
    both = select(WORKSHEET_FILE.week, WORKSHEET_FILE.path).where(
        WORKSHEET_FILE.account_id == into.id
    )
    tx.conn.execute(
        delete(WORKSHEET_FILE_TABLE).where(
            WORKSHEET_FILE.account_id == moving.id,
            tuple_(WORKSHEET_FILE.week, WORKSHEET_FILE.path).in_(both),
        )
    )
    _move(tx, WORKSHEET_FILE.account_id, moving, into)


def _merge_blocks(
    tx: Transaction, moving: Account, into: Account, now: datetime
) -> list[LeftInCalendar]:
    """Drop one of each pair of blocks the two accounts have in one week."""

    def by_week(account: Account) -> dict[str, FocusBlock]:
        rows = tx.conn.execute(select(*FOCUS_BLOCK).where(FOCUS_BLOCK.account_id == account.id))
        return {block.week: block for block in map(focus_block, rows)}

    theirs, ours = by_week(moving), by_week(into)
    dropped: list[LeftInCalendar] = []
    for week in sorted(set(theirs) & set(ours)):
        keep, drop = ours[week], theirs[week]
        planned = BlockStatus.PLANNED
        if keep.status != planned and drop.status == planned:
            keep, drop = drop, keep
        elif keep.status == drop.status and _sellers(drop) and not _sellers(keep):
            keep, drop = drop, keep  # the one the seller moved or wrote in is theirs to keep
        if drop.status == planned and drop.start >= now:
            owner = moving if drop is theirs[week] else into
            dropped.append(LeftInCalendar(owner.name, week, drop.start))
        tx.conn.execute(delete(FOCUS_BLOCK_TABLE).where(FOCUS_BLOCK.uid == drop.uid))
        # its UID stays known: the event it wrote is still ours wherever it is read back
        live = drop.status is BlockStatus.PLANNED
        tx.insert(
            {
                RETIRED_BLOCK.account_id: into.id,
                RETIRED_BLOCK.uid: drop.uid,
                RETIRED_BLOCK.week: week,
                RETIRED_BLOCK.retired_at: now,
                RETIRED_BLOCK.start: drop.start if live else None,
                RETIRED_BLOCK.end: drop.end if live else None,
                RETIRED_BLOCK.sequence: drop.sequence if live else None,
            }
        )
    return dropped


def _sellers(block: FocusBlock) -> bool:
    """Whether the seller made the block theirs: moved it (kept where they put it) or wrote
    in it."""
    return block.pinned or block.user_text is not None


def _keep_remarks_distinct(tx: Transaction, moving: Account, into: Account) -> None:
    """A moved remark whose words and date `into` also has becomes a repeat numbered past
    every copy on both sides, so no two of them end up with the same number."""
    both = (into.id, moving.id)
    highest: dict[tuple[str, object], int] = {}
    for text, heard_on, repeat in tx.conn.execute(
        select(REMARK.text, REMARK.heard_on, func.max(REMARK.repeat))
        .where(REMARK.account_id.in_(both))
        .group_by(REMARK.text, REMARK.heard_on)
    ):
        highest[(text, heard_on)] = repeat
    theirs = {
        (text, heard_on)
        for text, heard_on in tx.conn.execute(
            select(REMARK.text, REMARK.heard_on).where(REMARK.account_id == into.id)
        )
    }
    moved = tx.conn.execute(
        select(REMARK.id, REMARK.text, REMARK.heard_on)
        .where(REMARK.account_id == moving.id)
        .order_by(REMARK.id)
    ).all()
    for remark_id, text, heard_on in moved:
        key = (text, heard_on)
        if key in theirs:
            highest[key] += 1
            tx.update(REMARK.id, remark_id, {REMARK.repeat: highest[key]})


_FACT_COLUMNS: dict[str, Column[Any]] = {
    "need": ACCOUNT.need,
    "consequence": ACCOUNT.consequence,
    "decision_date": ACCOUNT.decision_date,
    "next_call": ACCOUNT.next_call,
}


def _both_facts(moving: Account, into: Account) -> list[tuple[str, object, object]]:
    """(fact, into's, moving's) for the facts a merge must not lose."""
    return [(fact, getattr(into, fact), getattr(moving, fact)) for fact in _FACT_COLUMNS]


def _keep_both_facts(
    tx: Transaction, moving: Account, into: Account, now: datetime
) -> list[tuple[str, str]]:
    """Where both accounts have a fact and they differ, `into` keeps its own and
    `moving`'s is stored beside it (shown by `account show`, carried by the export)."""
    kept = []
    for fact, own, theirs in _both_facts(moving, into):
        if own is None or theirs is None or own == theirs:
            continue
        value = theirs.isoformat() if isinstance(theirs, date | datetime) else str(theirs)
        kept.append(_keep_fact(tx, moving, into, fact, value, now))
    return kept


def _keep_fact(
    tx: Transaction, moving: Account, into: Account, fact: str, value: str, now: datetime
) -> tuple[str, str]:
    """`moving`'s fact stored beside `into`'s own: (fact, value)."""
    tx.insert(
        {
            MERGED_FACT.account_id: into.id,
            MERGED_FACT.fact: fact,
            MERGED_FACT.value: value,
            MERGED_FACT.from_account: moving.name,
            MERGED_FACT.merged_at: now,
        }
    )
    return fact, value


def _merged_facts(moving: Account, into: Account) -> dict[Column[Any], object]:
    """What `into` becomes: the lists joined, the facts it lacks taken from `moving`; only
    what differs from what `into` has."""

    def joined(*lists: Sequence[str], skip: set[str]) -> list[str]:
        result: list[str] = []
        for item in (x for items in lists for x in items):
            if name_key(item) not in skip and name_key(item) not in {name_key(r) for r in result}:
                result.append(item)
        return result

    lists: list[tuple[Column[Any], tuple[str, ...], list[str]]] = [
        (
            ACCOUNT.aliases,
            into.aliases,
            joined(into.aliases, [moving.name], moving.aliases, skip={name_key(into.name)}),
        ),
        (ACCOUNT.domains, into.domains, joined(into.domains, moving.domains, skip=set())),
        (ACCOUNT.not_call, into.not_call, joined(into.not_call, moving.not_call, skip=set())),
    ]
    changes: dict[Column[Any], object] = {
        column: new for column, old, new in lists if list(old) != new
    }
    changes.update(
        (_FACT_COLUMNS[fact], taken)
        for fact, had, taken in _both_facts(moving, into)
        if had is None and taken is not None
    )
    return changes


@dataclass(frozen=True)
class DeleteReport:
    account_id: int
    account: str
    remarks: int
    left_in_calendar: tuple[LeftInCalendar, ...]


def delete_account(store: Store, name: str, with_remarks: bool, now: datetime) -> DeleteReport:
    """Hide the account NAME (its remarks, answers and blocks with it) until restored.

    Refused while it has remarks, unless `with_remarks`: deleting a customer must not
    hide what they said by accident.
    """
    with store.transaction() as tx:
        account = resolve_account(tx, name)
        count = tx.conn.scalar(
            select(func.count(REMARK.id)).where(
                REMARK.account_id == account.id, REMARK.deleted_at.is_(None)
            )
        )
        if count and not with_remarks:
            raise BadInput(
                f"account '{account.name}' has {count} remark{'s' if count != 1 else ''}; "
                "nothing was deleted",
                hint="to delete it with them, add --with-remarks (account restore brings "
                "both back)",
            )
        ahead = tx.conn.execute(
            select(*FOCUS_BLOCK)
            .where(
                FOCUS_BLOCK.account_id == account.id,
                FOCUS_BLOCK.status == BlockStatus.PLANNED.value,
                FOCUS_BLOCK.start >= now,
            )
            .order_by(FOCUS_BLOCK.start)
        )
        left = tuple(LeftInCalendar(account.name, b.week, b.start) for b in map(focus_block, ahead))
        _set_deleted(tx, account, now)
        return DeleteReport(account.id, account.name, count or 0, left)


def restore_account(store: Store, name: str) -> AccountView:
    """Bring back the deleted account NAME, exactly as it was."""
    with store.transaction() as tx:
        found = match_account(tx, name, deleted=True)
        if found.account is None and not found.several:
            live = match_account(tx, name).account
            if live is not None:
                raise BadInput(f"account '{live.name}' is not deleted; nothing to restore")
        account = resolve_account(tx, name, deleted=True)
        _set_deleted(tx, account, None)
        return account_view(tx, account_by_id(tx, account.id))


def _set_deleted(tx: Transaction, account: Account, when: datetime | None) -> None:
    # a Core UPDATE naming updated_at keeps it: delete then restore gives back the very
    # same account, so an export before and after are equal
    tx.conn.execute(
        update(ACCOUNT_TABLE)
        .where(ACCOUNT.id == account.id)
        .values({ACCOUNT.deleted_at: when, ACCOUNT.updated_at: ACCOUNT.updated_at})
    )
