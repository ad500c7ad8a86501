"""What a command needs from its surroundings, made on first use (settings, store, clock)."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from focusblock.cli.output import plural, say
from focusblock.config import Settings, load_settings, resolve_config, resolve_db
from focusblock.dates import parse_datetime

ENV_NOW = "FOCUSBLOCK_NOW"

if TYPE_CHECKING:
    from focusblock.store.store import Store


@dataclass
class AppContext:
    db_flag: str | None = None
    config_flag: str | None = None
    all_owners: bool = False
    _settings: Settings | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            path, named = resolve_config(self.config_flag)
            self._settings = load_settings(path, must_exist=named)
        return self._settings

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def now(self) -> datetime:
        """The clock; FOCUSBLOCK_NOW pins it (to redo a past plan exactly, and for tests)."""
        pinned = os.environ.get(ENV_NOW)
        if pinned:
            return parse_datetime(pinned, ENV_NOW, self.zone).astimezone(self.zone)
        return datetime.now(self.zone)

    def today(self) -> date:
        return self.now().date()

    @property
    def owner(self) -> str:
        return self.settings.email or getpass.getuser()

    def store(self, reading: bool = False) -> Store:
        """The store, opened on first use; `reading`: the command only reads it, so a
        store on a read-only or full disk is read rather than refused."""
        if self._store is None:
            from focusblock.store.store import Store  # SQLAlchemy: only when a store is used

            self._store = Store.open(
                resolve_db(self.db_flag),
                self.owner,
                self.all_owners,
                on_wait=_say_waiting,
                reading=reading,
            )
            if self.settings.email and not self._store.read_only:
                self._adopt(self._store)
        return self._store

    def _adopt(self, store: Store) -> None:
        from focusblock.store.accounts import adopt_accounts  # SQLAlchemy, as above

        former = getpass.getuser()
        moved = adopt_accounts(store, former)
        if moved:
            say(
                f"Note: {plural(moved, 'account')} made as '{former}' (before an email was set) "
                f"now belong to '{self.owner}', your email setting.",
                err=True,
            )

    def store_shown(self) -> str | None:
        """The opened store as messages name it; None when no store was opened."""
        return None if self._store is None else self._store.shown()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _say_waiting() -> None:
    """Said once when another command holds the store's write lock for more than 2 s."""
    say("waiting for another focusblock command (the store is busy)...", err=True)
