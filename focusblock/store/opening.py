"""Open a store: create it if missing, upgrade it if older, refuse it if newer."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from focusblock.config import data_dir
from focusblock.errors import StoreError, SystemRefused
from focusblock.private_files import PRIVATE_FILE_MODE, ensure_private_dir, touch_private
from focusblock.store.schema import HEAD, KNOWN_REVISIONS

SQLITE_BUSY_TIMEOUT_MS = 30_000
# After this long waiting for another command's write lock, the waiting command says so.
SQLITE_QUIET_WAIT_MS = 2_000
BACKENDS = ("sqlite", "postgresql")
READ_ONLY = "focusblock_read_only"  # execution option: a transaction that only reads


def to_url(target: str) -> str:
    """An SQLAlchemy URL for a path or URL the user gave."""
    if "://" in target:
        return target
    path = Path(target).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other backends and in-memory stores."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def files_folder(url: str) -> Path:
    """Where a store's plans write their weeks' files when told no other place: `weeks`
    beside a SQLite file; for a server's store, a folder of the user's data folder named
    by a digest of its address without the password (a changed password is the same
    store; another database, e.g. a demo's, never writes over this one's files)."""
    path = sqlite_path(url)
    if path is not None:
        return path.parent / "weeks"
    address = make_url(url)._replace(password=None).render_as_string(hide_password=False)
    return data_dir() / "weeks" / hashlib.sha256(address.encode()).hexdigest()[:12]


def migrations_dir() -> Path:
    """The Alembic scripts: inside the installed wheel, or the checkout's top level."""
    packaged = Path(__file__).resolve().parent.parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "migrations"


def check_url(url: str) -> None:
    """Refuse, in one line, a store focusblock cannot open: a backend other than SQLite or
    PostgreSQL, a URL that does not parse, a SQLite store without a file, and a path that
    is not a regular file (SQLite waits forever opening a named pipe; /dev/null is no store).
    """
    scheme = url.split("://", 1)[0]
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError):
        raise StoreError(
            f"{scheme}://***: not a database URL focusblock can read (a port must be a "
            "number); expected e.g. postgresql://user@host:5432/focusblock"
        ) from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() not in BACKENDS:
        raise StoreError(
            f"{shown}: focusblock keeps its store in SQLite or PostgreSQL; expected a "
            "SQLite file path or a postgresql:// URL"
        )
    if port is not None and not 1 <= port <= 65535:
        raise StoreError(f"{shown}: the port must be a number from 1 to 65535, got {port}")
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None:
            raise StoreError(
                f"{shown}: a SQLite URL with no file would keep nothing; "
                "expected sqlite:///path/to/focusblock.db or a file path"
            )
        _check_sqlite_file(path)


def _check_sqlite_file(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return  # a new store
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the store ({exc.strerror})") from None
    if stat.S_ISREG(mode):
        return
    kinds = [
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    kind = next((name for test, name in kinds if test(mode)), "not a file")
    raise StoreError(f"{path}: not a regular file ({kind}); the store must be a SQLite file")


def make_engine(url: str, on_wait: Callable[[], None] | None = None) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and a private file.

    `on_wait` is called once when a SQLite command has waited SQLITE_QUIET_WAIT_MS for
    another command's write lock (it then waits on, up to the whole busy timeout).
    """
    check_url(url)
    path = sqlite_path(url)
    if path is None:
        try:
            return create_engine(url, pool_pre_ping=True)
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(
                f"{shown_store(url)}: the database driver is not installed ({first_line(exc)}); "
                "pip install 'focusblock[postgres]'"
            ) from None

    _refuse_foreign_sqlite(path, url)
    ensure_private_dir(path.parent)
    touch_private(path)  # SQLite gives its -wal and -shm files the database file's mode
    _private_if_empty(path)
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
        if read_only:
            conn.exec_driver_sql("BEGIN")
            return
        if on_wait is None or said_waiting:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        state = _begin_quietly(conn)
        if state == "begun":
            return
        if state == "busy":
            said_waiting.append(True)  # the line is said once per command
            on_wait()
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # its errors are SQLAlchemy's, as before

    said_waiting: list[bool] = []
    return engine


def _private_if_empty(path: Path) -> None:
    """An empty file given as the store (`: > my.db`) becomes the store now, and will hold
    customer remarks: readable by the user only, as a store we create is. A store that
    already holds data keeps the mode its owner chose."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0:
            os.chmod(path, PRIVATE_FILE_MODE)


def _refuse_foreign_sqlite(path: Path, url: str) -> None:
    """Someone else's SQLite file is refused before anything writes to it: every connection
    of ours switches the file to WAL (its header changes) and prepare() would only then
    see the tables. Looked at read-only here; a file that is empty, ours, or not a
    database at all goes on to the usual checks (which never write to it)."""
    try:
        if path.stat().st_size == 0:
            return
    except OSError:
        return  # a new store, or one make_engine reports on
    try:
        # immutable: a file in WAL mode opened read-only would still get -shm and -wal
        # files beside it; this look must leave the folder as it found it
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            conn.close()
    except sqlite3.Error:
        return  # not a database, or locked: prepare() says so
    if tables and "alembic_version" not in tables:
        raise StoreError(
            f"{shown_store(url)}: this database was not made by focusblock; refusing to touch it"
        )


def _begin_quietly(conn: Connection) -> Literal["begun", "busy", "failed"]:
    """Try SQLite's write lock for SQLITE_QUIET_WAIT_MS: "busy" when another command holds
    it (the caller then says that it waits, rather than wait silently for up to 30 s, and
    waits on), "failed" for any other error (the caller's BEGIN raises it as SQLAlchemy's)."""
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.execute(f"PRAGMA busy_timeout = {SQLITE_QUIET_WAIT_MS}")
    try:
        raw.execute("BEGIN IMMEDIATE")
        return "begun"
    except sqlite3.OperationalError as exc:
        return "busy" if "locked" in str(exc) else "failed"
    finally:
        raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def current_revision(engine: Engine) -> tuple[str | None, bool]:
    """The schema revision stamped in the database, and whether it has any tables at all.

    The common case (our store, up to date) costs one query: the table listing runs only
    when there is no revision table to read. It only reads, so it takes no write lock:
    opening a SQLite store never waits for another command's write, nor fails after the
    busy timeout as if the store could not be opened.
    """
    engine = engine.execution_options(**{READ_ONLY: True})
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
        refused = open_refusal(url, exc)
        if refused is not None:
            raise refused from None
        raise StoreError(
            f"{shown_store(url)}: cannot open the database ({first_line(exc)})"
        ) from None
    if revision == HEAD:
        return
    if revision is None and has_tables:
        raise StoreError(
            f"{shown_store(url)}: this database was not made by focusblock; refusing to touch it"
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"{shown_store(url)}: the database is at schema {revision}, newer than this focusblock "
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
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        raw = driver if isinstance(driver, sqlite3.Connection) else None
        if raw is not None:
            # SQLite changes a table by rebuilding it (copy, drop, rename), and with foreign
            # keys on, dropping a table that others point at is refused. As SQLite's own
            # procedure for that says: keys off (outside any transaction: inside one the
            # pragma does nothing), rebuild, check every key before the commit, keys on.
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                broken_before = _broken_links(conn) if raw is not None else set()
                command.upgrade(config, target)
                broken = _broken_links(conn) - broken_before if raw is not None else set()
                if broken:
                    tables = ", ".join(sorted({str(row[0]) for row in broken}))
                    raise StoreError(
                        f"the upgrade would break links between rows of {tables}; undone"
                    )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def _broken_links(conn: Connection) -> set[tuple[object, ...]]:
    """SQLite's rows whose foreign key points at no row: those already there before an
    upgrade (a hand edit, say) are not the upgrade's doing."""
    return {tuple(row) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")}


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


def shown_store(url: str) -> str:
    """The store as messages name it: a SQLite file's path, a server's URL without password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


def first_line(exc: BaseException) -> str:
    """The first line of what the database driver said (SQLAlchemy wraps it in `orig`)."""
    said = str(getattr(exc, "orig", None) or exc)
    return said.strip().splitlines()[0] if said.strip() else type(exc).__name__


def system_refusal(reason: str) -> str | None:
    """What the system refused, when a driver's message says it: 'no space left on the store's disk'
    or 'the store is read-only'; None for anything else."""
    lowered = reason.lower()
    if "full" in lowered or "no space" in lowered:
        return "no space left on the store's disk"
    if "read-only" in lowered or "readonly" in lowered:
        return "the store is read-only"
    return None


def open_refusal(url: str, exc: BaseException) -> SystemRefused | None:
    """The store could not be opened because the system refused (a full disk, a read-only
    folder): said as such, exit 8. SQLite says only 'disk I/O error' when it cannot make
    its -shm file on a full disk, so the disk's free space is looked at too."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else first_line(exc)
    code = exc.errno if isinstance(exc, OSError) else None
    path = sqlite_path(url)
    lowered = reason.lower()
    if (
        code == errno.ENOSPC
        or "no space" in lowered
        or "disk is full" in lowered
        or (path is not None and "disk i/o" in lowered and _no_space_left(path.parent))
    ):
        return SystemRefused(
            f"{shown_store(url)}: no space left on the store's disk ({reason}); nothing was changed"
        )
    if code == errno.EROFS or "read-only" in lowered or "readonly" in lowered:
        return SystemRefused(  # a read-only file system, or a folder the user cannot write
            f"{shown_store(url)}: the store is read-only here ({reason}); nothing was changed"
        )
    return None


def _no_space_left(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def make_reading_engine(url: str) -> Engine | None:
    """An engine that only reads an existing, up-to-date SQLite store, for a command that
    only reads when the store cannot be written (a read-only folder, a full disk); None
    when there is no such store. It makes no file: with no write-ahead log beside the
    database, the file alone is the store and is opened as immutable (no -shm needed)."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    wal = path.with_name(path.name + "-wal")
    logged = wal.exists() and wal.stat().st_size > 0
    uri = path.as_uri() + ("?mode=ro" if logged else "?mode=ro&immutable=1")

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")  # a write in it is refused: 'readonly database'

    try:
        revision, _ = current_revision(engine)
    except DBAPIError:
        revision = None
    if revision != HEAD:  # an upgrade would have to write
        engine.dispose()
        return None
    return engine
