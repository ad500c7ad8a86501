"""A Store is an opened, up-to-date database plus whose accounts we are looking at.

Every function of the store package takes the Store first and does its work in one
`store.transaction()`; inside it, `tx.owned(query)` is the one place that limits a query
to the owner's accounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Column, Select, insert, update
from sqlalchemy.engine import Connection, Engine

from focusblock.private_files import store_files
from focusblock.store.opening import (
    READ_ONLY,
    files_folder,
    make_engine,
    prepare,
    sqlite_path,
    to_url,
)
from focusblock.store.tables import ACCOUNT

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


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

    @classmethod
    def open(
        cls,
        target: str,
        owner: str,
        all_owners: bool = False,
        on_wait: Callable[[], None] | None = None,
    ) -> Store:
        """Open (create, or upgrade) the store at a path or SQLAlchemy URL.

        `on_wait` is called once if the command has to wait for another one's write lock.
        """
        url = to_url(target)
        engine = make_engine(url, on_wait)
        prepare(engine, url)
        return cls(engine=engine, url=url, owner=owner, all_owners=all_owners)

    @contextmanager
    def transaction(self, write: bool = True, commit: bool = True) -> Iterator[Transaction]:
        """One short transaction: committed on success, rolled back on any error.

        `write=False` reads without taking SQLite's write lock, so a long read never makes
        another command wait. `commit=False` always rolls back: a dry run that does
        exactly what the real run would, then leaves no trace.
        """
        bind = self.engine if write else self.engine.execution_options(**{READ_ONLY: True})
        with bind.connect() as conn:
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

    def files(self) -> list[Path]:
        """The store's own files (a SQLite store's database and journals): never written over."""
        path = sqlite_path(self.url)
        return store_files(path) if path is not None else []

    def week_folder(self, week_label: str) -> Path:
        """The folder a plan of the week writes its files into when given no --out: the
        store's own (files_folder), so two stores never write over each other's weeks."""
        return files_folder(self.url) / week_label

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
