"""Correcting accounts: rename, merge a duplicate into the right one, delete, restore.

Each runs in one transaction. A rename and a merge keep the old name as an alias, so
meeting titles and files that still say it find the account. A delete only hides the
account (export still carries it, flagged by its `deleted_at`); restore brings it back
exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update

from focusblock.errors import BadInput, UnknownAccount
from focusblock.names import name_key
from focusblock.store.accounts import account_view, get_account, rename_to
from focusblock.store.models import Account, FocusBlock, Reflection, Remark
from focusblock.store.store import Store, Transaction
from focusblock.store.views import AccountView, BlockStatus


def rename_account(store: Store, old: str, new: str) -> AccountView:
    """Rename the account `old` to `new`; `old` stays an alias of it."""
    with store.transaction() as tx:
        account = get_account(tx, old)
        rename_to(tx, account, new)
        tx.session.flush()
        return account_view(tx, account)


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


def merge_accounts(store: Store, source: str, target: str, now: datetime) -> MergeReport:
    """Move everything of account `source` into `target`, then remove `source`.

    Remarks (with their history), answers, focus blocks, domains, aliases and titles
    that are never a call move; facts `target` lacks (need, consequence, decision date,
    next call) are taken from `source`; `source`'s name becomes an alias of `target`.
    One account keeps one block per week: where both have one, `target`'s stays unless
    only `source`'s is still planned; the other is dropped and reported if it has not
    begun (it may still be in the calendar). A moved remark saying what one of
    `target`'s says on the same date is kept as a repeat, never dropped.
    """
    with store.transaction() as tx:
        moving, into = get_account(tx, source), get_account(tx, target)
        if moving.id == into.id:
            raise BadInput(f"'{source}' and '{target}' are the same account; nothing to merge")
        if moving.owner != into.owner:
            raise BadInput(
                f"'{moving.name}' ({moving.owner}) and '{into.name}' ({into.owner}) have "
                "different owners; only one owner's accounts can be merged"
            )
        report = MergeReport(source=moving.name)
        report.dropped_blocks = _merge_blocks(tx, moving, into, now)
        report.blocks = _move(tx, FocusBlock, moving, into)
        _keep_remarks_distinct(tx, moving, into)
        report.remarks = _move(tx, Remark, moving, into)
        report.reflections = _move(tx, Reflection, moving, into)
        _merge_facts(moving, into)
        tx.session.flush()
        tx.session.execute(delete(Account).where(Account.id == moving.id))
        report.target = account_view(tx, into)
        return report


def _move(
    tx: Transaction, model: type[FocusBlock | Remark | Reflection], a: Account, b: Account
) -> int:
    result = tx.session.execute(
        update(model).where(model.account_id == a.id).values(account_id=b.id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _merge_blocks(
    tx: Transaction, moving: Account, into: Account, now: datetime
) -> list[LeftInCalendar]:
    """Drop one of each pair of blocks the two accounts have in one week."""

    def by_week(account: Account) -> dict[str, FocusBlock]:
        rows = tx.session.scalars(select(FocusBlock).where(FocusBlock.account_id == account.id))
        return {row.week: row for row in rows}

    theirs, ours = by_week(moving), by_week(into)
    dropped: list[LeftInCalendar] = []
    for week in sorted(set(theirs) & set(ours)):
        keep, drop = ours[week], theirs[week]
        planned = BlockStatus.PLANNED.value
        if keep.status != planned and drop.status == planned:
            keep, drop = drop, keep
        if drop.status == planned and drop.start >= now:
            owner = moving if drop is theirs[week] else into
            dropped.append(LeftInCalendar(owner.name, week, drop.start))
        tx.session.delete(drop)
    tx.session.flush()
    return dropped


def _keep_remarks_distinct(tx: Transaction, moving: Account, into: Account) -> None:
    """A moved remark identical to one of `into`'s (text, date) becomes its next repeat."""
    taken: dict[tuple[str, object], int] = {}
    for text, heard_on, repeat in tx.session.execute(
        select(Remark.text, Remark.heard_on, func.max(Remark.repeat))
        .where(Remark.account_id == into.id)
        .group_by(Remark.text, Remark.heard_on)
    ):
        taken[(text, heard_on)] = repeat
    for remark in tx.session.scalars(
        select(Remark).where(Remark.account_id == moving.id).order_by(Remark.id)
    ):
        key = (remark.text, remark.heard_on)
        if key in taken:
            taken[key] += 1
            remark.repeat = taken[key]
    tx.session.flush()


def _merge_facts(moving: Account, into: Account) -> None:
    def joined(*lists: list[str] | None, skip: set[str]) -> list[str]:
        result: list[str] = []
        for item in (x for items in lists for x in items or ()):
            if name_key(item) not in skip and name_key(item) not in {name_key(r) for r in result}:
                result.append(item)
        return result

    into.aliases = joined(into.aliases, [moving.name], moving.aliases, skip={into.name_key})
    into.domains = joined(into.domains, moving.domains, skip=set())
    into.not_call = joined(into.not_call, moving.not_call, skip=set())
    for attr in ("need", "consequence", "decision_date", "next_call"):
        if getattr(into, attr) is None:
            setattr(into, attr, getattr(moving, attr))


@dataclass(frozen=True)
class DeleteReport:
    account: str
    remarks: int
    left_in_calendar: tuple[LeftInCalendar, ...]


def delete_account(store: Store, name: str, with_remarks: bool, now: datetime) -> DeleteReport:
    """Hide the account NAME (its remarks, answers and blocks with it) until restored.

    Refused while it has remarks, unless `with_remarks`: deleting a customer must not
    hide what they said by accident.
    """
    with store.transaction() as tx:
        account = get_account(tx, name)
        count = tx.session.scalar(
            select(func.count(Remark.id)).where(
                Remark.account_id == account.id, Remark.deleted_at.is_(None)
            )
        )
        if count and not with_remarks:
            raise BadInput(
                f"account '{account.name}' has {count} remark{'s' if count != 1 else ''}; "
                "nothing was deleted",
                hint="to delete it with them, add --with-remarks (account restore brings "
                "both back)",
            )
        ahead = tx.session.scalars(
            select(FocusBlock)
            .where(
                FocusBlock.account_id == account.id,
                FocusBlock.status == BlockStatus.PLANNED.value,
                FocusBlock.start >= now,
            )
            .order_by(FocusBlock.start)
        )
        left = tuple(LeftInCalendar(account.name, b.week, b.start) for b in ahead)
        _set_deleted(tx, account, now)
        return DeleteReport(account.name, count or 0, left)


def restore_account(store: Store, name: str) -> AccountView:
    """Bring back the deleted account NAME, exactly as it was."""
    with store.transaction() as tx:
        matches = tx.session.scalars(
            tx.owned(select(Account), deleted=True).where(
                Account.deleted_at.is_not(None), Account.name_key == name_key(name)
            )
        ).all()
        if not matches:
            live = tx.session.scalar(
                tx.owned(select(Account.name)).where(Account.name_key == name_key(name))
            )
            if live is not None:
                raise BadInput(f"account '{live}' is not deleted; nothing to restore")
            raise UnknownAccount(f"no deleted account named '{name}'")
        if len(matches) > 1:
            raise UnknownAccount(
                f"deleted account '{name}' exists for several owners; drop --all-owners"
            )
        account = matches[0]
        _set_deleted(tx, account, None)
        tx.session.refresh(account)
        return account_view(tx, account)


def _set_deleted(tx: Transaction, account: Account, when: datetime | None) -> None:
    # a Core UPDATE naming updated_at keeps it: delete then restore gives back the very
    # same account, so an export before and after are equal
    tx.session.execute(
        update(Account)
        .where(Account.id == account.id)
        .values(deleted_at=when, updated_at=Account.updated_at)
    )
