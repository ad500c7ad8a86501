"""What a command needs from its surroundings, made on first use (settings, store, clock).

The root command does not import this module: `focusblock --help` and `--version` load
no settings, dates or store types. A command takes its AppContext with @pass_app, which
makes it from the root's options the first time one is asked for.
"""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import click

from focusblock.cli.output import plural, say
from focusblock.config import Settings, load_settings, resolve_config, resolve_db
from focusblock.dates import parse_datetime

ENV_NOW = "FOCUSBLOCK_NOW"
P = ParamSpec("P")
R = TypeVar("R")

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
        from focusblock.store.ownership import adopt_accounts  # SQLAlchemy, as above

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


def app_of(ctx: click.Context) -> AppContext:
    """The command's AppContext, kept on the root context (where the error handler finds
    the opened store) and closed with it; made from the root's options on first use."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppContext):
        given = root.params  # the root's own options, by their names in cli(): a renamed
        root.obj = AppContext(  # option fails here at once rather than being ignored
            db_flag=given["db"],
            config_flag=given["config_file"],
            all_owners=bool(given["all_owners"]),
        )
        root.call_on_close(root.obj.close)
    return root.obj


def pass_app(command: Callable[Concatenate[AppContext, P], R]) -> Callable[P, R]:
    """As click.pass_obj: the command gets the AppContext as its first argument."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = click.get_current_context()
        return ctx.invoke(command, app_of(ctx), *args, **kwargs)

    return functools.update_wrapper(run, command)
