"""Open a store: create it if missing, upgrade it if older, refuse it if newer."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from focusblock.errors import StoreError
from focusblock.private_files import ensure_private_dir, touch_private
from focusblock.store.schema import HEAD, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "focusblock_read_only"  # execution option: a transaction that only reads


def to_url(target: str) -> str:
    """An SQLAlchemy URL for a path or URL the user gave."""
    if "://" in target:
        return target
    path = Path(target).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other backends and in-memory stores."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def migrations_dir() -> Path:
    """The Alembic scripts: inside the installed wheel, or the checkout's top level."""
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and a private file."""
    from sqlalchemy import create_engine, event

    path = sqlite_path(url)
    if path is None:
        return create_engine(url, pool_pre_ping=True)

    ensure_private_dir(path.parent)
    touch_private(path)  # SQLite gives its -wal and -shm files the database file's mode
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # We issue BEGIN ourselves (below), so the driver must not start transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so a second process waits (busy
        # timeout) instead of failing with "database is locked" when it upgrades a
        # read transaction to a write. Reads take no lock: WAL lets them run beside a
        # writer.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def current_revision(engine: Engine) -> tuple[str | None, bool]:
    """The schema revision stamped in the database, and whether it has any tables at all.

    The common case (our store, up to date) costs one query: the table listing runs only
    when there is no revision table to read.
    """
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            if row is not None:
                return row[0], True
    except DBAPIError:
        pass  # no such table (a new or a foreign database): look at what is there
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables:
            return None, bool(tables)
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return (row[0] if row else None), True


def prepare(engine: Engine, url: str) -> None:
    """Bring the schema to this code's head, or refuse with a one-line reason."""
    try:
        revision, has_tables = current_revision(engine)
    except Exception as exc:  # the driver's errors differ per backend; all mean "cannot open"
        raise StoreError(
            f"{_display(url)}: cannot open the database ({_first_line(exc)})"
        ) from None
    if revision == HEAD:
        return
    if revision is None and has_tables:
        raise StoreError(
            f"{_display(url)}: this database was not made by focusblock; refusing to touch it"
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"{_display(url)}: the database is at schema {revision}, newer than this focusblock "
            f"knows (up to {HEAD}); upgrade focusblock (pip install -U focusblock)"
        )
    path = sqlite_path(url)
    if revision is not None and path is not None:
        backup_sqlite(path, revision)
    upgrade(engine)


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run the Alembic revisions up to `target` (head by default)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy before a migration, next to the database, mode 0600."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-upgrade-from-{revision}-{stamp}")
    partial = target.with_name(target.name + ".partial")
    touch_private(partial)
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    os.replace(partial, target)
    return target


def _display(url: str) -> str:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
