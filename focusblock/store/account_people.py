"""The people on an account's side: who said the words its remarks quote.

One row per account and name, compared as names.name_key of the name as a person writes it
("Meyer, Jonas" and "jonas meyer" are one person). The seller sets a person with
`account person`; an import records the customers it finds in its own transaction, and
only fills blanks: it never overwrites a name, address or role, and never adds a second
row for someone the account knows by address or by name. A field the seller cleared is
stored as an empty text (not NULL), so an import does not fill it again.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Column, Row, delete, select

from focusblock.errors import BadInput
from focusblock.model import Account, Person
from focusblock.names import name_key
from focusblock.people import plain_address
from focusblock.said import person_name
from focusblock.store.accounts import resolve_account
from focusblock.store.row_views import people_of_account, person_of
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import (
    ACCOUNT,
    ACCOUNT_TABLE,
    PERSON,
    PERSON_TABLE,
    REMARK,
    read,
)

NAME_LENGTH = 200
ROLE_LENGTH = 200
EMAIL_LENGTH = 320
PersonRow = Row[*tuple[Any, ...]]  # a row of select(*PERSON)
# one plain address: no spaces, brackets, separators or control characters (NUL, which
# PostgreSQL cannot store), a dot in the domain
_NOT_IN_ADDRESS = r"@\s<>(),;:\"\[\]\\\x00-\x1f\x7f"
_ADDRESS = re.compile(rf"[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}]+\.[^{_NOT_IN_ADDRESS}.]+")


def people_of(store: Store, account: str | None = None) -> list[Person]:
    """The people of `account` (typed as `account show` takes it), or of every account this
    user may see; by account, then by name."""
    with store.transaction(write=False) as tx:
        if account is not None:
            found = resolve_account(tx, account)
            return list(people_of_account(tx, found.id, found.name))
        query = tx.owned(
            select(*PERSON, ACCOUNT.name).join(ACCOUNT_TABLE, ACCOUNT.id == PERSON.account_id)
        ).order_by(ACCOUNT.name_key, ACCOUNT.id, PERSON.name_key, PERSON.id)
        return [person_of(row, read(row, ACCOUNT.name)) for row in tx.conn.execute(query)]


def remark_speakers(store: Store) -> list[Person]:
    """Who said each account's remarks (a CRM export's contact, a transcript's speaker) by
    their full name, as people of that account: a transcript import recognises them as
    the worksheet does."""
    with store.transaction(write=False) as tx:
        query = (
            tx.owned(
                select(ACCOUNT.name, REMARK.who)
                .join(ACCOUNT_TABLE, ACCOUNT.id == REMARK.account_id)
                .where(REMARK.who.is_not(None), REMARK.deleted_at.is_(None))
            )
            .distinct()
            .order_by(ACCOUNT.name, REMARK.who)
        )
        # a full name only: a first name alone ("Chris") may be anyone's on another call
        rows = tx.conn.execute(query)
        return [Person(account, who) for account, who in rows if who and len(who.split()) > 1]


def set_person(
    store: Store,
    account: str,
    name: str,
    email: str | None = None,
    role: str | None = None,
) -> Person:
    """Add the person `name` to `account`, or change the one of that name; what the seller
    sets here an import never overwrites.

    `email` and `role` None leave the field as it is; "" clears it (and an import leaves
    it cleared). The name as typed becomes the person's spelling. An address another
    person of the account has is refused: one address is one person.
    """
    shown = _checked_name(name)
    key = name_key(shown)
    address = None if email is None else _checked_address(email)
    title = None if role is None else _checked_role(role)

    def write(tx: Transaction) -> Person:
        found = resolve_account(tx, account)
        if address:
            other = tx.conn.scalar(
                select(PERSON.name).where(
                    PERSON.account_id == found.id,
                    PERSON.email == address,
                    PERSON.name_key != key,
                )
            )
            if other is not None:
                raise BadInput(
                    f"--email: {address} is already {other}'s address at {found.name}; "
                    "nothing was changed"
                )
        row = _row_named(tx, found.id, key)
        wanted: dict[Column[Any], object] = {PERSON.name: shown, PERSON.typed: True}
        if address is not None:
            wanted[PERSON.email] = address
        if title is not None:
            wanted[PERSON.role] = title
        if row is None:
            person_id = tx.insert({PERSON.account_id: found.id, PERSON.name_key: key, **wanted})
        else:
            person_id = read(row, PERSON.id)
            changes = {c: v for c, v in wanted.items() if read(row, c) != v}
            tx.update(PERSON.id, person_id, changes)
        stored = tx.conn.execute(select(*PERSON).where(PERSON.id == person_id)).one()
        return person_of(stored, found.name)

    return store.retrying(write, what=f"{shown} of account '{account}'")


def remove_person(store: Store, account: str, name: str) -> Person:
    """Take `name` off the people of `account` (added by mistake: the seller under another
    spelling, a forwarder); their remarks stay. A later import may find them again."""
    shown = _checked_name(name)
    key = name_key(shown)

    def write(tx: Transaction) -> Person:
        found = resolve_account(tx, account)
        row = _row_named(tx, found.id, key)
        if row is None:
            raise BadInput(
                f"{found.name} has no person called {shown}; see: focusblock account show "
                f"'{found.name}'"
            )
        tx.conn.execute(delete(PERSON_TABLE).where(PERSON.id == read(row, PERSON.id)))
        return person_of(row, found.name)

    return store.retrying(write, what=f"{shown} of account '{account}'")


def record_found(tx: Transaction, account_id: int, account: str, found: Person) -> Person | None:
    """Record a person an import found on account number `account_id` (named `account`):
    someone it knows by address (any case) or by name only gets the blanks filled; the
    person as stored when new, else None. A name that is no name is not recorded."""
    name = person_name(found.name)[:NAME_LENGTH]
    key = name_key(name)
    if not key or "\x00" in name:
        return None
    address = _found_address(found.email)
    title = _found_role(found.role)
    row: PersonRow | None = None
    if address:
        row = tx.conn.execute(
            select(*PERSON).where(PERSON.account_id == account_id, PERSON.email == address)
        ).first()
    if row is None:
        row = _row_named(tx, account_id, key)
    if row is None:
        tx.insert(
            {
                PERSON.account_id: account_id,
                PERSON.name: name,
                PERSON.name_key: key,
                PERSON.email: address,
                PERSON.role: title,
            }
        )
        return Person(account, name, address, title)
    blanks: dict[Column[Any], object] = {}
    if address and read(row, PERSON.email) is None:
        blanks[PERSON.email] = address
    if title and read(row, PERSON.role) is None:
        blanks[PERSON.role] = title
    tx.update(PERSON.id, read(row, PERSON.id), blanks)
    return None


def move_people(tx: Transaction, moving: Account, into: Account) -> list[tuple[str, str]]:
    """Give `moving`'s people to `into` (an account merge). Someone both know (by address
    or name) becomes one row: `into`'s fields stay, blanks are filled from `moving`'s. An
    address or role of `moving`'s that differs is returned as a fact for the merge to keep
    beside (("person_role", "Jonas Meyer: Head of Logistics")), so a merge drops no fact."""
    differing: list[tuple[str, str]] = []
    theirs = tx.conn.execute(
        select(*PERSON).where(PERSON.account_id == moving.id).order_by(PERSON.id)
    ).all()
    for row in theirs:
        person_id = read(row, PERSON.id)
        email, key = read(row, PERSON.email), read(row, PERSON.name_key)
        match: PersonRow | None = _match_in(tx, into.id, email, key)
        if match is None:
            tx.update(PERSON.id, person_id, {PERSON.account_id: into.id})
            continue
        changes: dict[Column[Any], object] = {}
        for column, fact in ((PERSON.email, "person_email"), (PERSON.role, "person_role")):
            own, other = read(match, column), read(row, column)
            if other and own is None:
                changes[column] = other
            elif other and own != other:
                differing.append((fact, f"{read(match, PERSON.name)}: {other}"))
        if read(row, PERSON.typed) and not read(match, PERSON.typed):
            changes[PERSON.typed] = True
        tx.conn.execute(delete(PERSON_TABLE).where(PERSON.id == person_id))
        tx.update(PERSON.id, read(match, PERSON.id), changes)
    return differing


def _match_in(tx: Transaction, account_id: int, address: str | None, key: str) -> PersonRow | None:
    if address:
        row = tx.conn.execute(
            select(*PERSON).where(PERSON.account_id == account_id, PERSON.email == address)
        ).first()
        if row is not None:
            return row
    return _row_named(tx, account_id, key)


def _row_named(tx: Transaction, account_id: int, key: str) -> PersonRow | None:
    query = select(*PERSON).where(PERSON.account_id == account_id, PERSON.name_key == key)
    return tx.conn.execute(query).one_or_none()


def _checked_name(name: str) -> str:
    shown = person_name(name)
    if not name_key(shown):
        raise BadInput("NAME: the person's name is empty; expected e.g. 'Jonas Meyer'")
    if "\x00" in shown:
        raise BadInput("NAME holds a NUL character (\\x00), which cannot be stored")
    if len(shown) > NAME_LENGTH:
        raise BadInput(f"NAME: at most {NAME_LENGTH} characters, got {len(shown)}")
    return shown


def _checked_address(email: str) -> str:
    """A mail address as stored (lower case), or "" to clear it; anything else that is not
    one address is BadInput."""
    address = plain_address(email)
    if not address:
        return ""
    if len(address) > EMAIL_LENGTH or not _ADDRESS.fullmatch(address):
        raise BadInput(
            f"--email: {email.strip()[:80]!r} is not a mail address; expected e.g. "
            "jonas.meyer@acme.example"
        )
    return address


def _checked_role(role: str) -> str:
    title = " ".join(role.split())
    if "\x00" in title:
        raise BadInput("--role holds a NUL character (\\x00), which cannot be stored")
    if len(title) > ROLE_LENGTH:
        raise BadInput(f"--role: at most {ROLE_LENGTH} characters, got {len(title)}")
    return title


def _found_address(email: str | None) -> str | None:
    """An address an import found, as stored; None when it is no plain address."""
    address = plain_address(email or "")
    return address if len(address) <= EMAIL_LENGTH and _ADDRESS.fullmatch(address) else None


def _found_role(role: str | None) -> str | None:
    title = " ".join((role or "").split())
    return title if title and len(title) <= ROLE_LENGTH and "\x00" not in title else None
