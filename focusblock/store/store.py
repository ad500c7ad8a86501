"""A Store is an opened, up-to-date database plus whose accounts we are looking at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from focusblock.store.opening import make_engine, prepare, to_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session


@dataclass
class Store:
    engine: Engine
    url: str
    owner: str
    all_owners: bool = False

    @classmethod
    def open(cls, target: str, owner: str, all_owners: bool = False) -> Store:
        url = to_url(target)
        engine = make_engine(url)
        prepare(engine, url)
        return cls(engine=engine, url=url, owner=owner, all_owners=all_owners)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short transaction: committed on success, rolled back on any error."""
        from sqlalchemy.orm import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
