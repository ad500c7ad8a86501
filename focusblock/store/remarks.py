"""Remarks: add one, list them, import many (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from focusblock.errors import BadInput
from focusblock.names import name_key
from focusblock.remark_input import NewRemark
from focusblock.store.accounts import (
    get_account,
    match_account,
    new_account,
    refuse_near_names,
    remark_view,
    resolve_account,
)
from focusblock.store.models import Account, Remark
from focusblock.store.store import Store, Transaction
from focusblock.store.views import RemarkView


def _insert(tx: Transaction, account: Account, new: NewRemark) -> Remark:
    remark = Remark(
        account_id=account.id,
        text=new.text,
        who=new.who,
        heard_on=new.heard_on,
        via=new.via,
        lens=new.lens,
        imported_from=new.imported_from,
    )
    tx.session.add(remark)
    return remark


def add_remark(store: Store, new: NewRemark, again: bool = False) -> RemarkView:
    """Store one remark under its (existing) account.

    The same text on the same date for the same account is refused as a duplicate, as an
    import skips it; `again` stores it anyway, as a repeat (numbered 1, 2, ...).
    """
    with store.transaction() as tx:
        account = resolve_account(tx, new.account)
        repeat = _repeat_of(tx, account, new, again)
        remark = _insert(tx, account, new)
        remark.repeat = repeat
        tx.session.flush()
        return remark_view(remark, account.name)


def _repeat_of(tx: Transaction, account: Account, new: NewRemark, again: bool) -> int:
    """0 for a new remark; the next repeat number for one already stored, with `again`."""
    same = tx.session.scalars(
        select(Remark)
        .where(
            Remark.account_id == account.id,
            Remark.text == new.text,
            Remark.heard_on == new.heard_on,
        )
        .order_by(Remark.id)
    ).all()
    if not same:
        return 0
    if again:
        return max(r.repeat for r in same) + 1
    live = [r for r in same if r.deleted_at is None]
    if live:
        raise BadInput(
            f"remark #{live[0].id} of '{account.name}' already says that on "
            f"{new.heard_on.isoformat()}; nothing was added",
            hint="to record it a second time on purpose, add --again",
        )
    raise BadInput(
        f"deleted remark #{same[0].id} of '{account.name}' says that on "
        f"{new.heard_on.isoformat()}; nothing was added",
        hint=f"bring it back with: focusblock remark restore {same[0].id} "
        "(or add --again to record it anew)",
    )


def list_remarks(store: Store, account_name: str | None = None) -> list[RemarkView]:
    """The remarks of one account, or of every account this user sees, oldest first."""
    with store.transaction(write=False) as tx:
        query = (
            select(Remark, Account.name)
            .join(Account, Remark.account_id == Account.id)
            .where(Remark.deleted_at.is_(None))
        )
        if account_name is not None:
            query = query.where(Remark.account_id == get_account(tx, account_name).id)
        else:
            query = tx.owned(query)
        rows = tx.session.execute(query.order_by(Account.name, Remark.heard_on, Remark.id)).all()
        return [remark_view(remark, name) for remark, name in rows]


@dataclass
class ImportReport:
    added: int = 0
    skipped_duplicates: int = 0
    accounts_created: list[str] = field(default_factory=list)


def import_remarks(
    store: Store, rows: list[NewRemark], dry_run: bool, new_accounts: bool = False
) -> ImportReport:
    """Add every row in one transaction, skipping remarks already stored.

    A remark with the same account, text and date counts as already stored. With
    dry_run the transaction is rolled back, so the report is exactly what a real import
    would do. A name that differs from an account only by case, accents, punctuation or
    a legal suffix is that account; a name one typo away from one (or a shortening of
    it) stops the import, unless `new_accounts` says to create it.
    """
    report = ImportReport()
    with store.transaction(commit=not dry_run) as tx:
        refuse_near_names(tx, [row.account for row in rows], new_accounts)
        accounts: dict[str, Account] = {}
        loaded: set[int] = set()
        seen: set[tuple[int, str, object]] = set()
        for row in rows:
            account = _account_for(tx, row.account, accounts, report)
            if account.id not in loaded:
                loaded.add(account.id)
                seen.update(_existing_keys(tx, account))
            key = (account.id, row.text, row.heard_on)
            if key in seen:
                report.skipped_duplicates += 1
                continue
            seen.add(key)
            _insert(tx, account, row)
            report.added += 1
        tx.session.flush()
    return report


def _account_for(
    tx: Transaction, name: str, cache: dict[str, Account], report: ImportReport
) -> Account:
    key = name_key(name)
    if key not in cache:
        account = match_account(tx, name).account
        if account is None:
            account = new_account(tx, name)
            tx.session.flush()
            report.accounts_created.append(account.name)
        cache[key] = account
    return cache[key]


def _existing_keys(tx: Transaction, account: Account) -> set[tuple[int, str, object]]:
    rows = tx.session.execute(
        select(Remark.text, Remark.heard_on).where(Remark.account_id == account.id)
    ).all()
    return {(account.id, text, heard_on) for text, heard_on in rows}
