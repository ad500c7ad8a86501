"""Accounts: add, edit, find by name (case- and accent-insensitive), list."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, update

from focusblock.errors import BadInput, UnknownAccount
from focusblock.names import STAGES, name_key, normalize_domain
from focusblock.remark_input import clean_name
from focusblock.store.models import Account, Remark
from focusblock.store.store import Store, Transaction
from focusblock.store.views import AccountDetail, AccountView, RemarkView


@dataclass
class AccountFields:
    """What `account add` and `account edit` may set; None means 'leave as it is'."""

    stage: str | None = None
    domains: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    need: str | None = None
    consequence: str | None = None
    decision_date: date | None = None
    next_call: datetime | None = None
    not_call: list[str] = field(default_factory=list)  # titles that are never their call


def find_account(tx: Transaction, name: str) -> Account | None:
    """The account a person means by `name` (or one of its aliases), or None."""
    key = name_key(name)
    matches = tx.session.scalars(tx.owned(select(Account)).where(Account.name_key == key)).all()
    if not matches:  # an alias works too, when it points at one account only
        matches = [
            a
            for a in tx.session.scalars(tx.owned(select(Account)))
            if key in {name_key(x) for x in a.aliases or ()}
        ]
        if len({a.id for a in matches}) > 1:
            names = ", ".join(sorted(a.name for a in matches))
            raise UnknownAccount(
                f"'{name}' is an alias of several accounts ({names}); use the full name"
            )
    if len(matches) > 1:
        owners = ", ".join(sorted(a.owner for a in matches))
        raise UnknownAccount(
            f"account '{name}' exists for several owners ({owners}); drop --all-owners"
        )
    return matches[0] if matches else None


def get_account(tx: Transaction, name: str) -> Account:
    """The account named `name`, or UnknownAccount suggesting close names."""
    account = find_account(tx, name)
    if account is not None:
        return account
    names = tx.session.scalars(tx.owned(select(Account.name))).all()
    by_key = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(name), list(by_key), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(by_key[c]) for c in close)}?" if close else ""
    raise UnknownAccount(
        f"no account named '{name}'{hint}", hint="focusblock account list shows them all"
    )


def _apply(account: Account, fields: AccountFields) -> None:
    if fields.stage is not None:
        if fields.stage not in STAGES:
            raise BadInput(f"stage: {fields.stage!r} is not one of {', '.join(STAGES)}")
        account.stage = fields.stage
    if fields.domains:
        account.domains = _merged(account.domains, [normalize_domain(d) for d in fields.domains])
    if fields.aliases:
        account.aliases = _merged(account.aliases, [" ".join(a.split()) for a in fields.aliases])
    if fields.not_call:
        account.not_call = _merged(account.not_call, [" ".join(t.split()) for t in fields.not_call])
    for attr in ("need", "consequence", "decision_date", "next_call"):
        value = getattr(fields, attr)
        if value is not None:
            setattr(account, attr, value or None)  # an empty text clears the fact


def _merged(old: list[str] | None, new: list[str]) -> list[str]:
    result = list(old or [])
    for item in new:
        if item and item not in result:
            result.append(item)
    return result


def new_account(tx: Transaction, name: str) -> Account:
    """A new account of this owner (the caller has checked that the name is free)."""
    account = Account(
        name=clean_name(name), name_key=name_key(name), owner=tx.owner, aliases=[], domains=[]
    )
    tx.session.add(account)
    return account


def add_account(store: Store, name: str, fields: AccountFields) -> AccountView:
    """Add the account `name` with `fields`; a name already taken is BadInput."""
    name = clean_name(name)
    with store.transaction() as tx:
        existing = tx.session.scalar(
            select(Account).where(Account.owner == tx.owner, Account.name_key == name_key(name))
        )
        if existing is not None:
            raise BadInput(
                f"account '{existing.name}' already exists",
                hint=f"use: focusblock account edit '{existing.name}' ...",
            )
        account = new_account(tx, name)
        _apply(account, fields)
        tx.session.flush()
        return account_view(tx, account)


def edit_account(
    store: Store, name: str, fields: AccountFields, rename: str | None = None
) -> AccountView:
    """Change the facts given in `fields` (and the name, with `rename`)."""
    with store.transaction() as tx:
        account = get_account(tx, name)
        if rename:
            new_name = clean_name(rename)
            clash = find_account(tx, new_name)
            if clash is not None and clash.id != account.id:
                raise BadInput(f"account '{clash.name}' already exists; cannot rename to it")
            account.name, account.name_key = new_name, name_key(new_name)
        _apply(account, fields)
        tx.session.flush()
        return account_view(tx, account)


def list_accounts(store: Store) -> list[AccountView]:
    """Every account this user may see, by name."""
    with store.transaction(write=False) as tx:
        query = tx.owned(select(Account)).order_by(Account.name_key, Account.owner)
        accounts = tx.session.scalars(query).all()
        stats = _remark_stats(tx, [a.id for a in accounts])
        return [account_view(tx, a, stats.get(a.id, (0, None))) for a in accounts]


def show_account(store: Store, name: str, now: datetime, limit: int | None = None) -> AccountDetail:
    """One account's facts, the next call plans found, and its newest `limit` remarks
    (every one with None), oldest of them first; limit=0 gives the facts alone. Reads only
    the remarks it returns."""
    from focusblock.store.planning import known_call

    with store.transaction(write=False) as tx:
        account = get_account(tx, name)
        remarks: tuple[RemarkView, ...] = ()
        if limit != 0:
            query = select(Remark).where(Remark.account_id == account.id)
            query = query.order_by(Remark.heard_on.desc(), Remark.id.desc())
            if limit is not None:
                query = query.limit(limit)
            newest = tx.session.scalars(query).all()
            remarks = tuple(remark_view(r, account.name) for r in reversed(newest))
        call = known_call(tx, account.id, now)
        return AccountDetail(account_view(tx, account), remarks, call)


def remark_view(remark: Remark, account_name: str) -> RemarkView:
    """The plain view of a loaded remark."""
    return RemarkView(
        id=remark.id,
        account=account_name,
        text=remark.text,
        who=remark.who,
        heard_on=remark.heard_on,
        via=remark.via,
        lens=remark.lens,
    )


def _remark_stats(tx: Transaction, ids: list[int]) -> dict[int, tuple[int, date | None]]:
    if not ids:
        return {}
    rows = tx.session.execute(
        select(Remark.account_id, func.count(Remark.id), func.max(Remark.heard_on))
        .where(Remark.account_id.in_(ids))
        .group_by(Remark.account_id)
    ).all()
    return {account_id: (count, last) for account_id, count, last in rows}


def account_view(
    tx: Transaction, account: Account, stats: tuple[int, date | None] | None = None
) -> AccountView:
    """The plain view of a loaded account, with its remark count and latest remark."""
    if stats is None:
        stats = _remark_stats(tx, [account.id]).get(account.id, (0, None))
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


def adopt_accounts(store: Store, former: str) -> int:
    """Give this owner the accounts of `former`, when `former` is the store's only owner.

    Accounts made before an email was configured belong to the login name; once the
    email is set they would vanish from every list. A store with one owner follows the
    identity instead: once, since afterwards the owner is this one.
    """
    if store.all_owners or former == store.owner:
        return 0
    with store.transaction(write=False) as tx:
        owners = set(tx.session.scalars(select(Account.owner).distinct()))
    if owners != {former}:
        return 0
    with store.transaction() as tx:
        moved = tx.session.execute(
            update(Account).where(Account.owner == former).values(owner=tx.owner)
        )
        return int(getattr(moved, "rowcount", 0) or 0)
