"""Accounts: add, edit, find by name (case- and accent-insensitive), list."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Select, select

from focusblock.errors import BadInput, UnknownAccount
from focusblock.model import TYPED_CALL, Account, Call, Remark
from focusblock.names import (
    STAGES,
    NameIndex,
    name_key,
    normalize_domain,
)
from focusblock.remark_input import clean_name
from focusblock.store.planning import known_call
from focusblock.store.row_views import (
    account_by_id,
    account_of,
    account_view,
    focus_block,
    latest_answers,
    people_of_account,
    remark_of,
    remark_stats,
)
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import ACCOUNT, FOCUS_BLOCK, MERGED_FACT, REMARK, read
from focusblock.store.views import AccountDetail, AccountView, MergedFact

SHOWN_ANSWERS = 5  # `account show`: the latest answers; the rest are counted


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
    code: str | None = None  # "" clears it


def account_domains(store: Store) -> dict[str, str]:
    """Each domain of this user's accounts, to the name of its account (the first account
    by number where two list one domain)."""
    with store.transaction(write=False) as tx:
        rows = tx.conn.execute(
            tx.owned(select(ACCOUNT.name, ACCOUNT.domains)).order_by(ACCOUNT.id.desc())
        )
        return {domain: name for name, domains in rows for domain in domains or []}


# --- which account a typed name means: the one resolver of every command ----------------


@dataclass(frozen=True)
class NameMatch:
    """What a typed name means: an account, or the accounts a person must choose from."""

    account: Account | None
    near: tuple[str, ...] = ()  # names of accounts one typo or a shortening away
    several: tuple[str, ...] = ()  # names of accounts the name fits equally well


def _accounts(tx: Transaction, deleted: bool) -> Select[*tuple[Any, ...]]:
    """The accounts this user may name: the live ones, or with `deleted` the deleted ones
    (`account restore`)."""
    query = tx.owned(select(*ACCOUNT), deleted=deleted)
    return query.where(ACCOUNT.deleted_at.is_not(None)) if deleted else query


def _same_name(tx: Transaction, name: str, deleted: bool = False) -> Account | None:
    """The account whose name is `name` but for case and accents, or None."""
    query = _accounts(tx, deleted).where(ACCOUNT.name_key == name_key(name))
    matches = [account_of(row) for row in tx.conn.execute(query)]
    if len(matches) > 1:
        owners = sorted({a.owner for a in matches})
        if len(owners) > 1:  # one name per owner: these are several owners' accounts
            raise UnknownAccount(
                f"account '{name}' exists for several owners ({', '.join(owners)}); "
                "drop --all-owners"
            )
        raise _look_alikes(name, tuple(a.name for a in matches))
    return matches[0] if matches else None


def _look_alikes(typed: str, names: tuple[str, ...]) -> UnknownAccount:
    """Two accounts whose names differ only in what matching folds away (case, accents,
    invisible characters a store made before they were refused may hold)."""
    return UnknownAccount(
        f"'{typed}' could be {_either(names)}: their names differ only in case, accents or "
        "invisible characters",
        hint="rename one (focusblock account rename) or merge them (focusblock account merge)",
    )


def alias_owner(tx: Transaction, name: str) -> Account | None:
    """The account with `name` (case and accents aside) among its aliases, or None: a
    name that must not be given to another account (add, rename)."""
    key = name_key(name)
    for account in map(account_of, tx.conn.execute(_accounts(tx, deleted=False))):
        if key in {name_key(a) for a in account.aliases}:
            return account
    return None


@dataclass(frozen=True)
class NameFit:
    """Which of the accounts held in AccountNames a typed name means."""

    account_id: int | None
    several: tuple[str, ...] = ()  # names of accounts the name fits equally well
    near: tuple[str, ...] = ()  # names of accounts one typo or a shortening away


class AccountNames:
    """Accounts' names and aliases held in memory, and the one set of rules by which a
    typed name means one of them: its name or an alias but for case and accents; else
    but for quotes, punctuation, '&'/'and' and legal suffixes too ('Acme, Inc.' is
    'ACME'); else the accounts it fits equally ('Acme' for 'Acme Inc' and 'Acme GmbH'),
    else those it is close to: one typo away (names of 5+ letters), or sharing its
    leading words ('Kestrel' and 'Kestrel Robotics'). Every command's resolve_account
    and an import's many rows (importing.py) use it."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[tuple[int, str]]] = {}
        self.by_alias: dict[str, dict[int, str]] = {}
        self.index = NameIndex()

    def add(self, account_id: int, name: str, aliases: Sequence[str] = ()) -> None:
        """Hold account `account_id` by its name and aliases (the name is what is shown)."""
        self.by_key.setdefault(name_key(name), []).append((account_id, name))
        for alias in aliases:
            self.by_alias.setdefault(name_key(alias), {})[account_id] = name
        self.index.add(account_id, name, aliases)

    def match(self, typed: str) -> NameFit:
        """The account `typed` means, or those to choose from; UnknownAccount when it is
        several owners' name or the alias of several accounts (never a new name)."""
        key = name_key(typed)
        same_name = self.by_key.get(key, [])
        if len(same_name) > 1:  # several owners' accounts, or look-alikes of one owner
            raise UnknownAccount(
                f"'{typed}' could be {_either(tuple(name for _, name in same_name))}: "
                "several owners' accounts (drop --all-owners), or names that differ only in "
                "case, accents or invisible characters (rename one, or merge them)"
            )
        if same_name:
            return NameFit(same_name[0][0])
        aliased = self.by_alias.get(key, {})
        if len(aliased) > 1:
            raise UnknownAccount(
                f"'{typed}' could be {_either(tuple(sorted(aliased.values())))} (an alias of "
                "each); use the full name",
                hint="focusblock account list shows them all",
            )
        if aliased:
            return NameFit(next(iter(aliased)))
        same, near = self.index.lookup(typed)
        if len(same) == 1:
            return NameFit(next(iter(same)))
        return NameFit(None, tuple(sorted(same.values())), tuple(sorted(near.values())))


def match_account(tx: Transaction, name: str, deleted: bool = False) -> NameMatch:
    """The account `name` means by the rules of AccountNames (`deleted`: among the
    deleted accounts), or those to choose from; with nothing one typo away, names that
    look alike to difflib are still offered."""
    account = _same_name(tx, name, deleted)  # the usual case, by the name's index
    if account is not None:
        return NameMatch(account)
    rows = {a.id: a for a in map(account_of, tx.conn.execute(_accounts(tx, deleted)))}
    names = AccountNames()
    for row in rows.values():
        names.add(row.id, row.name, row.aliases)
    fit = names.match(name)
    if fit.account_id is not None:
        return NameMatch(rows[fit.account_id])
    if fit.several or fit.near:
        return NameMatch(None, near=fit.near, several=fit.several)
    by_key = {name_key(a.name): a.name for a in rows.values()}
    close = difflib.get_close_matches(name_key(name), list(by_key), n=3, cutoff=0.6)
    return NameMatch(None, near=tuple(by_key[c] for c in close))


def resolve_account(tx: Transaction, name: str, deleted: bool = False) -> Account:
    """The account a person means by `name`, for every command that takes one (see
    match_account; `deleted` looks among the deleted accounts); else UnknownAccount
    naming the accounts it fits, or those it comes close to: never a guess between
    them."""
    found = match_account(tx, name, deleted)
    if found.account is not None:
        return found.account
    hint = "focusblock account list shows them all"
    if found.several:
        raise UnknownAccount(
            f"'{name}' could be {_either(found.several)}; use the full name", hint=hint
        )
    what = "deleted account" if deleted else "account"
    close = f"; did you mean {_either(found.near)}?" if found.near else ""
    raise UnknownAccount(f"no {what} named '{name}'{close}", hint=hint)


def near_names_error(near: dict[str, tuple[str, ...]]) -> BadInput:
    """The one-line refusal of an import naming accounts close to existing ones, with a
    line per name and the accounts it is close to."""
    problems = [
        f"'{name}': no such account; did you mean {_either(close)}?" for name, close in near.items()
    ]
    noun = "name is" if len(problems) == 1 else "names are"
    return BadInput(
        f"{len(problems)} account {noun} close to an existing account; nothing was imported",
        details=problems,
        hint="correct the names in the file, add them as aliases (account edit NAME "
        "--alias ...), or import with --new-accounts to create them as new accounts",
    )


def _either(names: tuple[str, ...]) -> str:
    quoted = [repr(n) for n in names[:5]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _apply(tx: Transaction, account: Account, fields: AccountFields) -> None:
    """Write `fields` onto the account; what they leave as it is, is not written."""
    # only what differs, as the ORM did: an edit that changes nothing keeps updated_at
    changes: dict[Column[Any], object] = {}

    def change(column: Column[Any], old: object, new: object) -> None:
        if new != old:
            changes[column] = new

    if fields.stage is not None:
        if fields.stage not in STAGES:
            raise BadInput(f"stage: {fields.stage!r} is not one of {', '.join(STAGES)}")
        change(ACCOUNT.stage, account.stage, fields.stage)
    if fields.domains:
        domains = _merged(account.domains, [normalize_domain(d) for d in fields.domains])
        change(ACCOUNT.domains, list(account.domains), domains)
    if fields.aliases:
        aliases = _merged(account.aliases, [" ".join(a.split()) for a in fields.aliases])
        change(ACCOUNT.aliases, list(account.aliases), aliases)
    if fields.not_call:
        not_call = _merged(account.not_call, [" ".join(t.split()) for t in fields.not_call])
        change(ACCOUNT.not_call, list(account.not_call), not_call)
    if fields.code is not None:
        change(ACCOUNT.code, account.code, _checked_code(fields.code))
    facts: list[tuple[Column[Any], object, object]] = [
        (ACCOUNT.need, account.need, fields.need),
        (ACCOUNT.consequence, account.consequence, fields.consequence),
        (ACCOUNT.decision_date, account.decision_date, fields.decision_date),
        (ACCOUNT.next_call, account.next_call, fields.next_call),
    ]
    for column, old, new in facts:
        if new is not None:
            change(column, old, new or None)  # an empty text clears the fact
    tx.update(ACCOUNT.id, account.id, changes)


def _checked_code(code: str) -> str | None:
    """A code for --private titles: short, letters, digits and dashes only, so it can never
    carry a customer's name into a shared calendar by accident."""
    cleaned = code.strip()
    if not cleaned:
        return None
    if len(cleaned) > 12 or not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in cleaned):
        raise BadInput(
            f"--code: {cleaned!r} is not a short code; expected up to 12 letters, digits or "
            "dashes (e.g. K7)"
        )
    return cleaned


def _merged(old: Sequence[str], new: list[str]) -> list[str]:
    result = list(old)
    for item in new:
        if item and item not in result:
            result.append(item)
    return result


def new_account(tx: Transaction, name: str) -> Account:
    """A new account of this owner (the caller has checked that no live account has the
    name); a deleted account of that name is BadInput: restore it instead."""
    deleted = tx.conn.scalar(
        select(ACCOUNT.name).where(
            ACCOUNT.owner == tx.owner,
            ACCOUNT.name_key == name_key(name),
            ACCOUNT.deleted_at.is_not(None),
        )
    )
    if deleted is not None:
        raise BadInput(
            f"account '{deleted}' was deleted; nothing was added",
            hint=f"bring it back first: focusblock account restore '{deleted}'",
        )
    new_id = tx.insert(
        {
            ACCOUNT.name: clean_name(name),
            ACCOUNT.name_key: name_key(name),
            ACCOUNT.owner: tx.owner,
            ACCOUNT.aliases: [],
            ACCOUNT.domains: [],
        }
    )
    return account_by_id(tx, new_id)


def add_account(store: Store, name: str, fields: AccountFields) -> AccountView:
    """Add the account `name` with `fields`; a name already taken is BadInput."""
    name = clean_name(name)
    with store.transaction() as tx:
        existing = tx.conn.execute(
            select(ACCOUNT.name, ACCOUNT.deleted_at).where(
                ACCOUNT.owner == tx.owner, ACCOUNT.name_key == name_key(name)
            )
        ).first()
        if existing is not None:
            taken, deleted_at = existing
            if deleted_at is not None:
                raise BadInput(
                    f"account '{taken}' was deleted",
                    hint=f"bring it back with: focusblock account restore '{taken}'",
                )
            raise BadInput(
                f"account '{taken}' already exists",
                hint=f"use: focusblock account edit '{taken}' ...",
            )
        aliased = alias_owner(tx, name)  # one name must never mean two accounts
        if aliased is not None:
            raise BadInput(
                f"'{name}' is an alias of account '{aliased.name}'; nothing was added",
                hint="use that account, or add this one under another name",
            )
        account = new_account(tx, name)
        _apply(tx, account, fields)
        return account_view(tx, account_by_id(tx, account.id))


def edit_account(
    store: Store, name: str, fields: AccountFields, rename: str | None = None
) -> AccountView:
    """Change the facts given in `fields` (and the name, with `rename`)."""

    def edit(tx: Transaction) -> AccountView:
        # the lists it adds to (aliases, domains) are read again under a row lock: two
        # edits at once each keep what the other added
        account = account_by_id(tx, resolve_account(tx, name).id, for_update=True)
        if rename:
            rename_to(tx, account, rename)
            account = account_by_id(tx, account.id)
        _apply(tx, account, fields)
        return account_view(tx, account_by_id(tx, account.id))

    return store.retrying(edit, what=f"account '{name}'")


def rename_to(tx: Transaction, account: Account, new: str) -> None:
    """Give `account` the name `new`; its old name becomes an alias, so meeting titles,
    CSV files and habits that still say it keep finding the account.

    The new name must not be (case- and accent-insensitively) another account's name,
    deleted ones included, nor another account's alias.
    """
    new_name = clean_name(new)
    key = name_key(new_name)
    clash = tx.conn.execute(
        select(ACCOUNT.name, ACCOUNT.deleted_at).where(
            ACCOUNT.owner == account.owner,
            ACCOUNT.name_key == key,
            ACCOUNT.id != account.id,
        )
    ).first()
    if clash is not None:
        taken, deleted_at = clash
        gone = " (deleted; account restore brings it back)" if deleted_at else ""
        raise BadInput(f"account '{taken}' already exists{gone}; cannot rename to it")
    other = alias_owner(tx, new_name)
    if other is not None and other.id != account.id:
        raise BadInput(f"'{new_name}' is an alias of account '{other.name}'; cannot rename to it")
    old_name = account.name
    aliases = [a for a in account.aliases if name_key(a) != key]
    if name_key(old_name) != key and name_key(old_name) not in {name_key(a) for a in aliases}:
        aliases.append(old_name)
    tx.update(
        ACCOUNT.id,
        account.id,
        {ACCOUNT.name: new_name, ACCOUNT.name_key: key, ACCOUNT.aliases: aliases},
    )


def list_accounts(store: Store, now: datetime | None = None) -> list[AccountView]:
    """Every account this user may see, by name; with `now`, each with its next call as a
    plan takes it (AccountView.call): the one the latest plan found in a calendar, if still
    ahead, else the typed one (`account edit --next-call`) if still ahead."""
    with store.transaction(write=False) as tx:
        query = tx.owned(select(*ACCOUNT)).order_by(ACCOUNT.name_key, ACCOUNT.owner)
        accounts = [account_of(row) for row in tx.conn.execute(query)]
        stats = remark_stats(tx, [a.id for a in accounts])
        views = [account_view(tx, a, stats.get(a.id, (0, None))) for a in accounts]
        return views if now is None else with_next_calls(tx, views, now)


def account_with_call(store: Store, view: AccountView, now: datetime) -> AccountView:
    """The account as `account list` shows it: with its next call (with_next_calls)."""
    with store.transaction(write=False) as tx:
        return with_next_calls(tx, [view], now, one=True)[0]


def with_next_calls(
    tx: Transaction, views: Sequence[AccountView], now: datetime, one: bool = False
) -> list[AccountView]:
    """Each account with its next call as a plan takes it (AccountView.call): the one the
    latest plan found in a calendar, if still ahead, else the typed one if still ahead.
    `one`: a single account, looked up by its id rather than among every planned block."""
    found = _calendar_calls(tx, now, views[0].id if one and views else None)
    return [replace(v, call=found.get(v.id) or _typed_call(v, now)) for v in views]


def _calendar_calls(tx: Transaction, after: datetime, account_id: int | None) -> dict[int, Call]:
    """Per account, the call its latest plan found in a calendar, when still ahead. A plan
    that took the typed call found none in the calendars: the typed one is read fresh."""
    query = select(*FOCUS_BLOCK).where(FOCUS_BLOCK.call_start >= after)
    if account_id is not None:
        query = query.where(FOCUS_BLOCK.account_id == account_id)
    rows = tx.conn.execute(query.order_by(FOCUS_BLOCK.week.desc(), FOCUS_BLOCK.id))
    latest: dict[int, Call | None] = {}
    for row in rows:
        block = focus_block(row)
        latest.setdefault(block.account_id, block.call)
    return {i: call for i, call in latest.items() if call is not None and not call.typed}


def _typed_call(view: AccountView, after: datetime) -> Call | None:
    if view.next_call is None or view.next_call < after:
        return None
    return Call(view.id, view.next_call, TYPED_SUMMARY, "the store", TYPED_CALL)


TYPED_SUMMARY = "(set by hand)"  # what a plan calls a typed call, having no event title


def merged_facts_of(tx: Transaction, account_id: int) -> tuple[MergedFact, ...]:
    """The facts of accounts merged into this one that it had too, kept beside its own."""
    return tuple(
        MergedFact(
            read(row, MERGED_FACT.fact),
            read(row, MERGED_FACT.value),
            read(row, MERGED_FACT.from_account),
            read(row, MERGED_FACT.merged_at),
        )
        for row in tx.conn.execute(
            select(*MERGED_FACT)
            .where(MERGED_FACT.account_id == account_id)
            .order_by(MERGED_FACT.id)
        )
    )


def show_account(store: Store, name: str, now: datetime, limit: int | None = None) -> AccountDetail:
    """One account's facts and people, the next call plans found, and its newest `limit`
    remarks (every one with None), oldest of them first; limit=0 gives the facts alone.
    Reads only the remarks it returns; deleted remarks are not among them."""
    with store.transaction(write=False) as tx:
        account = resolve_account(tx, name)
        remarks: tuple[Remark, ...] = ()
        if limit != 0:
            query = select(*REMARK).where(
                REMARK.account_id == account.id, REMARK.deleted_at.is_(None)
            )
            query = query.order_by(REMARK.heard_on.desc(), REMARK.id.desc())
            if limit is not None:
                query = query.limit(limit)
            newest = tx.conn.execute(query).all()
            remarks = tuple(remark_of(r, account.name) for r in reversed(newest))
        call = known_call(tx, account.id, now)
        merged = merged_facts_of(tx, account.id)
        (view,) = with_next_calls(tx, [account_view(tx, account)], now, one=True)
        people = people_of_account(tx, account.id, account.name)
        answers, answer_count = latest_answers(tx, account.id, SHOWN_ANSWERS)
        return AccountDetail(view, remarks, call, merged, people, answers, answer_count)
