"""A Store is an opened, up-to-date database plus whose accounts we are looking at.

Every function of the store package takes the Store first and does its work in one
`store.transaction()` (or, where two commands at once may race for the same rows,
`store.retrying(body)`); inside it, `tx.owned(query)` is the one place that limits a query
to the owner's accounts.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Column, Select, insert, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from focusblock.errors import Conflict, SystemRefused
from focusblock.private_files import store_files
from focusblock.store.opening import (
    READ_ONLY,
    files_folder,
    first_line,
    make_engine,
    make_reading_engine,
    open_refusal,
    prepare,
    shown_store,
    sqlite_path,
    to_url,
)
from focusblock.store.tables import ACCOUNT

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")
T = TypeVar("T")

# PostgreSQL's SQLSTATEs for a transaction it undid because another one, running at the
# same time, needed the same rows: serialization_failure and deadlock_detected. The other
# transaction goes on, so running this one again a moment later will very likely succeed.
RACE_SQLSTATES = frozenset({"40001", "40P01"})
RACE_ATTEMPTS = 4
# the first pause before running again, doubled each time, each between half and one and a
# half times that (so two losers do not meet again at once): at most about half a second
RACE_PAUSE_S = 0.05


class RaceLost(Conflict):
    """The database undid the transaction: another command's, at the same time, needed the
    same rows. `again` says whether running it again may succeed: yes after a deadlock or
    serialization failure (the database chose this one to undo, at once); no after SQLite's
    busy timeout, which has already waited its 30 s for the other command."""

    def __init__(self, message: str, reason: str, again: bool) -> None:
        super().__init__(message)
        self.reason = reason
        self.again = again


def raced(what: str, reason: str) -> str:
    """The one line that says a command lost a race for `what`, and what to do: the hint is
    in the line (not a second "Hint:" line), as the whole of the message is one line."""
    return (
        f"another focusblock command changed {what} at the same time ({reason}); "
        "nothing was saved; run it again"
    )


def race_lost(exc: DBAPIError) -> RaceLost | None:
    """The driver's error as RaceLost when it says another transaction won a race; None for
    any other error (a constraint, a full disk, a lost connection), which running the
    transaction again would not mend."""
    driver = exc.orig
    sqlstate = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)
    reason = first_line(exc)
    if sqlstate in RACE_SQLSTATES:
        return RaceLost(raced("the same things", reason), reason, again=True)
    if isinstance(driver, sqlite3.OperationalError) and "locked" in str(driver).lower():
        # SQLite lets one command write at a time: this one waited its whole busy timeout
        # for another, which may have been writing anything at all
        message = (
            f"another focusblock command kept the store busy for longer than focusblock "
            f"waits ({reason}); nothing was saved; run it again"
        )
        return RaceLost(message, reason, again=False)
    return None


@dataclass
class Transaction:
    """An open transaction (a Core connection) and the owner scope it reads and writes under."""

    conn: Connection
    owner: str
    all_owners: bool

    def owned(self, query: SelectT, deleted: bool = False) -> SelectT:
        """`query` (which must involve Account) limited to the accounts this user may see.

        A deleted account is invisible to every command; `deleted=True` includes those
        too (export, `account restore`).
        """
        if not deleted:
            query = query.where(ACCOUNT.deleted_at.is_(None))
        if self.all_owners:
            return query
        return query.where(ACCOUNT.owner == self.owner)

    def insert(self, values: Mapping[Column[Any], object]) -> int:
        """Insert one row of `values`, keyed by the typed columns of one table (its other
        columns get their defaults); the new row's id."""
        table = next(iter(values)).table
        key = self.conn.execute(insert(table).values(dict(values))).inserted_primary_key
        assert key is not None  # every table has an integer id
        return int(key[0])

    def update(
        self, id_column: Column[int], row_id: int, values: Mapping[Column[Any], object]
    ) -> None:
        """Set `values` on the row whose `id_column` is `row_id`; nothing given, nothing
        written (so an onupdate timestamp moves only when something changed)."""
        if values:
            query = update(id_column.table).where(id_column == row_id).values(dict(values))
            self.conn.execute(query)


@dataclass
class Store:
    engine: Engine
    url: str
    owner: str
    all_owners: bool = False
    read_only: bool = False  # opened by a command that only reads, on a disk it cannot write

    @classmethod
    def open(
        cls,
        target: str,
        owner: str,
        all_owners: bool = False,
        on_wait: Callable[[], None] | None = None,
        reading: bool = False,
    ) -> Store:
        """Open (create, or upgrade) the store at a path or SQLAlchemy URL.

        `on_wait` is called once if the command has to wait for another one's write lock.
        `reading`: the command only reads, so a SQLite store on a read-only or full disk
        is opened read-only instead of refused (a store that cannot be written can still
        be exported).
        """
        url = to_url(target)
        engine = None
        try:
            engine = make_engine(url, on_wait)
            prepare(engine, url)
        except (OSError, SystemRefused) as exc:  # a folder or file it could not make
            if engine is not None:
                engine.dispose()
            refused = open_refusal(url, exc) if isinstance(exc, OSError) else exc
            if refused is None:
                raise
            # a command that only reads still reads a store the system will not let us write
            reading_engine = make_reading_engine(url) if reading else None
            if reading_engine is None:
                raise refused from None
            return cls(reading_engine, url, owner, all_owners, read_only=True)
        return cls(engine=engine, url=url, owner=owner, all_owners=all_owners)

    @contextmanager
    def transaction(self, write: bool = True, commit: bool = True) -> Iterator[Transaction]:
        """One short transaction: committed on success, rolled back on any error.

        `write=False` reads without taking SQLite's write lock, so a long read never makes
        another command wait. `commit=False` always rolls back: a dry run that does
        exactly what the real run would, then leaves no trace. A race lost to another
        command's transaction (a deadlock, a serialization failure, SQLite's lock held
        past the busy timeout) is RaceLost, a one-line Conflict, not the driver's error.
        """
        bind = self.engine if write else self.engine.execution_options(**{READ_ONLY: True})
        with bind.connect() as conn:
            try:
                conn.begin()
                try:
                    yield Transaction(conn, self.owner, self.all_owners)
                except BaseException:
                    conn.rollback()
                    raise
                if commit:
                    conn.commit()
                else:
                    conn.rollback()
            except DBAPIError as exc:
                lost = race_lost(exc)
                if lost is None:
                    raise
                raise lost from None

    def retrying(self, body: Callable[[Transaction], T], what: str) -> T:
        """`body(tx)` in one write transaction, run again (up to RACE_ATTEMPTS times in all,
        after a short random pause) when the database undid it for a race with another
        command; the body's value.

        The body may run more than once, so it must do nothing but read and write the
        store. A race lost every time is Conflict naming `what` ("remark #12"), in one
        line: nothing was saved, run it again. Any other error is raised at once, so is
        SQLite's busy timeout (it has already waited that long).
        """
        attempt = 1
        while True:
            try:
                with self.transaction() as tx:
                    return body(tx)
            except RaceLost as lost:
                if not lost.again:
                    raise
                if attempt == RACE_ATTEMPTS:
                    tried = f"{lost.reason}; tried {attempt} times"
                    raise Conflict(raced(what, tried)) from None
            time.sleep(RACE_PAUSE_S * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
            attempt += 1

    def files(self) -> list[Path]:
        """The store's own files (a SQLite store's database and journals): never written over."""
        path = sqlite_path(self.url)
        return store_files(path) if path is not None else []

    def week_folder(self, week_label: str) -> Path:
        """The folder a plan of the week writes its files into when given no --out: the
        store's own (files_folder), so two stores never write over each other's weeks."""
        return files_folder(self.url) / week_label

    def shown(self) -> str:
        """The store as messages name it: a SQLite file's path, a server's URL without password."""
        return shown_store(self.url)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
