"""Remarks: add one, list them, import many (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from focusblock.names import name_key
from focusblock.remark_input import NewRemark
from focusblock.store.accounts import find_account, get_account, new_account, remark_view
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


def add_remark(store: Store, new: NewRemark) -> RemarkView:
    """Store one remark under its (existing) account."""
    with store.transaction() as tx:
        account = get_account(tx, new.account)
        remark = _insert(tx, account, new)
        tx.session.flush()
        return remark_view(remark, account.name)


def list_remarks(store: Store, account_name: str | None = None) -> list[RemarkView]:
    """The remarks of one account, or of every account this user sees, oldest first."""
    with store.transaction(write=False) as tx:
        query = select(Remark, Account.name).join(Account, Remark.account_id == Account.id)
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


def import_remarks(store: Store, rows: list[NewRemark], dry_run: bool) -> ImportReport:
    """Add every row in one transaction, skipping remarks already stored.

    A remark with the same account, text and date counts as already stored. With
    dry_run the transaction is rolled back, so the report is exactly what a real import
    would do.
    """
    report = ImportReport()
    with store.transaction(commit=not dry_run) as tx:
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
        account = find_account(tx, name)
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
