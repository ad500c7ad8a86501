"""Importing many remarks at once: streamed, in batches, all or nothing.

A remark's identity is its account, the date it was heard and its exact words; the
database refuses a second copy (a unique index over a fingerprint of the text), so two
imports at once cannot both store one. Words a remark was corrected from (`remark edit`)
are not stored again either: the same weekly export or email imported after the seller
fixed a typo must not bring the typo back.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from focusblock.errors import BadInput, FocusblockError
from focusblock.model import NewRemark, Person, Remark
from focusblock.names import search_key
from focusblock.store.account_people import record_found
from focusblock.store.accounts import AccountNames, near_names_error, new_account
from focusblock.store.opening import first_line, shown_store, system_refusal
from focusblock.store.store import Store, Transaction, race_lost
from focusblock.store.tables import (
    ACCOUNT,
    REMARK,
    REMARK_REVISION,
    REMARK_REVISION_TABLE,
    REMARK_TABLE,
    text_hash,
    utcnow,
)

BATCH_ROWS = 2_000  # rows per INSERT round trip during an import
# SQLite's page cache during an import, in KiB (its default is 2 MB): see _page_cache
IMPORT_PAGE_CACHE_KIB = 128 * 1024


class StoreRefused(FocusblockError):
    """The system refused a write (a full disk, a read-only file): nothing was kept."""

    exit_code = 8


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl-C during an import, carrying what the store holds now (`kept`)."""

    def __init__(self, kept: str) -> None:
        super().__init__(kept)
        self.kept = kept


@dataclass
class ImportReport:
    added: int = 0
    skipped_duplicates: int = 0
    skipped_corrected: int = 0  # words a remark had before `remark edit` changed them
    skipped_deleted: list[int] = field(default_factory=list)  # the deleted remarks met
    accounts_created: list[str] = field(default_factory=list)
    committed: bool = False
    # with `listed`: each remark added (ids of a dry run were rolled back), and each
    # skipped one as (its text, why)
    added_remarks: list[Remark] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    people_added: list[Person] = field(default_factory=list)  # new to their account

    def deleted_said(self) -> str:
        """'skipped 1 deleted (remark #4; ...restore 4...)': what the import met of the
        remarks the user deleted, and how to bring them back ('' when none)."""
        ids = self.skipped_deleted
        if not ids:
            return ""
        if len(ids) == 1:
            return f"skipped 1 {deleted_why(ids[0])}"
        numbers = ", ".join(f"#{n}" for n in ids[:10])
        more = f" and {len(ids) - 10:,} more" if len(ids) > 10 else ""
        return (
            f"skipped {len(ids):,} deleted (remarks {numbers}{more}; "
            "focusblock remark restore ID brings one back)"
        )


@contextmanager
def _interrupts_held() -> Iterator[list[int]]:
    """Ctrl-C while the commit runs is held until it has returned, so the store is either
    untouched or holds every row, and the message can say which."""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)


def import_remarks(
    store: Store,
    rows: Iterable[NewRemark],
    dry_run: bool,
    progress: Callable[[], None] | None = None,
    new_accounts: bool = False,
    listed: bool = False,
    people: Sequence[Person] = (),
) -> ImportReport:
    """Add every row in one transaction, skipping remarks already stored.

    `rows` is consumed as a stream (BATCH_ROWS at a time), so memory does not grow with
    the file; if it raises (a bad row found at the end, Ctrl-C, a full disk) nothing is
    kept. A remark with the same account, text and date counts as already stored: the
    database's unique index decides, also against an import running at the same time
    (which this one waits for). A row whose account, date and words were those of a remark
    before an edit is skipped as corrected since. With dry_run the transaction is rolled
    back, so the report is exactly what a real import would do. `progress` is called after
    each batch.

    A name that differs from an account only by case, accents, punctuation, '&' or a legal
    suffix is that account; a name one typo away from one (or a shortening of it) stops
    the import, every such name listed, unless `new_accounts` says to create it.

    `people` found by the import (the customers who said the words) are recorded in the
    same transaction, their accounts named as the rows name them: someone the account
    knows by address or name gets only the blanks filled (see account_people).
    """
    report = ImportReport()
    transaction = store.transaction(commit=not dry_run)
    tx = transaction.__enter__()
    try:
        _import_into(tx, rows, report, progress, new_accounts, listed, people)
    except BaseException as exc:
        # the rollback re-raises exc; it is raised below, translated
        with suppress(BaseException):
            transaction.__exit__(type(exc), exc, exc.__traceback__)
        raise _translated(exc, store) from None
    try:
        with _interrupts_held() as held:
            transaction.__exit__(None, None, None)  # commits (rolls back for a dry run)
            report.committed = not dry_run
    except DBAPIError as exc:
        raise _translated(exc, store) from None
    if held:
        raise ImportInterrupted(committed_message(report))
    return report


def committed_message(report: ImportReport) -> str:
    """What the store holds after an import that committed (for a Ctrl-C after it)."""
    corrected = report.skipped_corrected
    since = f", {corrected:,} corrected since" if corrected else ""
    if report.skipped_deleted:
        since += f", {len(report.skipped_deleted):,} deleted"
    return (
        f"the import had committed: all {report.added:,} remarks were stored "
        f"({report.skipped_duplicates:,} already there{since} were skipped)"
    )


def _translated(exc: BaseException, store: Store) -> BaseException:
    if isinstance(exc, KeyboardInterrupt):
        return ImportInterrupted("nothing was imported (the import was rolled back)")
    if isinstance(exc, DBAPIError):
        lost = race_lost(exc)
        if lost is not None:  # a deadlock with another command: one line, exit 9, not 1
            return lost
        reason = first_line(exc)
        refused = system_refusal(reason)
        if refused is not None:
            return StoreRefused(
                f"{shown_store(store.url)}: {refused} ({reason}); nothing was imported"
            )
        return FocusblockError(f"the store refused the import ({reason}); nothing was imported")
    return exc


def _import_into(
    tx: Transaction,
    rows: Iterable[NewRemark],
    report: ImportReport,
    progress: Callable[[], None] | None,
    new_accounts: bool,
    listed: bool = False,
    people: Sequence[Person] = (),
) -> None:
    conn = tx.conn
    dialect = conn.dialect.name
    if dialect == "postgresql":
        # One import per owner at a time: a second one waits here, then sees the first's
        # accounts and remarks and skips them, instead of failing on a new account's name.
        key = int.from_bytes(hashlib.sha256(f"import:{tx.owner}".encode()).digest()[:8], "big")
        conn.execute(select(func.pg_advisory_xact_lock(key - (1 << 63))))
    with _page_cache(conn):
        _import_rows(tx, rows, report, progress, new_accounts, listed, people)


@contextmanager
def _page_cache(conn: Any) -> Iterator[None]:
    """SQLite's page cache raised to IMPORT_PAGE_CACHE_KIB while an import writes, then set
    back (the connection is pooled). Each row goes into three indexes at places spread over
    them (the unique one is ordered by a fingerprint): with the default 2 MB, inserts kept
    reading back pages written out shortly before (measured: 18.6 s of SQLite's CPU for
    600,000 rows, 10.2 s with 64 MB). Bounded, so memory still does not grow with the file."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = -{IMPORT_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        # after a failure (Ctrl-C, a full disk) the connection refuses every statement
        # until the rollback: the import's own error is raised, the cache merely stays big
        with suppress(SQLAlchemyError):
            conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


def _import_rows(
    tx: Transaction,
    rows: Iterable[NewRemark],
    report: ImportReport,
    progress: Callable[[], None] | None,
    new_accounts: bool,
    listed: bool,
    people: Sequence[Person],
) -> None:
    conn = tx.conn
    statement = _insert_skipping_duplicates(conn.dialect.name, listed)
    accounts = _AccountNames(tx, report, new_accounts)
    corrected = _CorrectedWords(tx, accounts.created)
    created_at = utcnow()
    # executemany takes each row's values by column name: the names come from the typed
    # columns, so a misspelt one fails mypy here too
    batch: list[dict[str, object]] = []
    said: list[tuple[int, NewRemark]] = []  # the batch's rows, when the report lists them
    for row in rows:
        try:
            account_id = accounts.id_for(row.account)
        except BadInput as exc:  # a new account's name refused (`account add` would too)
            if row.source is None:
                raise
            raise BadInput(f"{row.source}: {exc}") from None
        if account_id is None:
            continue  # a name close to an account's: listed and refused at the end
        if listed:
            said.append((account_id, row))
        batch.append(
            {
                REMARK.account_id.key: account_id,
                REMARK.text.key: row.text,
                REMARK.text_hash.key: text_hash(row.text),
                # the column's default would fold it too, but per row in SQLAlchemy's
                # Python default machinery
                REMARK.search_text.key: search_key(row.text),
                REMARK.who.key: row.who,
                REMARK.heard_on.key: row.heard_on,
                REMARK.via.key: row.via,
                REMARK.lens.key: row.lens,
                REMARK.imported_from.key: row.source,
                REMARK.created_at.key: created_at,
            }
        )
        if len(batch) >= BATCH_ROWS:
            _flush(conn, statement, batch, report, accounts.names, corrected, said)
            if progress is not None:
                progress()
    _record_people(tx, people, accounts, report)
    if accounts.near:
        raise near_names_error(accounts.near)
    _flush(conn, statement, batch, report, accounts.names, corrected, said)


def _record_people(
    tx: Transaction, people: Sequence[Person], accounts: _AccountNames, report: ImportReport
) -> None:
    seen: set[tuple[int, Person]] = set()
    for found in people:
        account_id = accounts.id_for(found.account)
        if account_id is None or (account_id, found) in seen:
            continue  # a name close to an account's is refused at the end; a repeat is known
        seen.add((account_id, found))
        added = record_found(tx, account_id, accounts.names[account_id], found)
        if added is not None:
            report.people_added.append(added)


# what an import that lists its remarks reads back of each row inserted, to tell which
_INSERTED = (REMARK.id, REMARK.account_id, REMARK.text_hash, REMARK.heard_on)


def _insert_skipping_duplicates(dialect: str, listed: bool) -> Any:
    if dialect == "postgresql":
        # psycopg reports no row count for a batch: count the ids of the rows inserted
        returned = _INSERTED if listed else (REMARK.id,)
        return pg_insert(REMARK_TABLE).on_conflict_do_nothing().returning(*returned)
    if dialect == "sqlite":
        statement = sqlite_insert(REMARK_TABLE).on_conflict_do_nothing()
        return statement.returning(*_INSERTED) if listed else statement
    raise BadInput(f"importing into a {dialect} store is not supported")


def _flush(
    conn: Any,
    statement: Any,
    batch: list[dict[str, object]],
    report: ImportReport,
    names: dict[int, str],
    corrected: _CorrectedWords,
    said: list[tuple[int, NewRemark]],
) -> None:
    """Insert a batch, leaving out words corrected since; when `said` holds its rows, list
    what was added and skipped."""
    corrected.leave_out(batch, said, report)
    if not batch:
        return
    result = conn.execute(statement, batch)
    inserted = result.all() if result.returns_rows else None
    added = len(inserted) if inserted is not None else result.rowcount
    # a row skipped may be a remark the user deleted: said so, with how to bring it back
    deleted = _deleted_like(conn, batch) if added < len(batch) else {}
    if said and inserted is not None:
        ids = {(account, digest, heard): rid for rid, account, digest, heard in inserted}
        for (account_id, row), values in zip(said, batch, strict=True):  # one row each
            digest = values[REMARK.text_hash.key]  # hashed once, when the batch was built
            remark_id = ids.pop((account_id, digest, row.heard_on), None)
            if remark_id is not None:
                report.added_remarks.append(_added(remark_id, names[account_id], row))
            elif (gone := deleted.get((account_id, digest, row.heard_on))) is not None:
                report.skipped.append((row.text, deleted_why(gone)))
            else:
                report.skipped.append((row.text, "already stored"))
    skipped_deleted = [
        deleted[key]
        for values in batch
        if (
            key := (
                values[REMARK.account_id.key],
                values[REMARK.text_hash.key],
                values[REMARK.heard_on.key],
            )
        )
        in deleted
    ]
    report.added += added
    report.skipped_deleted += skipped_deleted
    report.skipped_duplicates += len(batch) - added - len(skipped_deleted)
    batch.clear()
    said.clear()


def deleted_why(remark_id: int) -> str:
    """Why a row was skipped: its words are those of deleted remark #N, and how to restore it."""
    return f"deleted (remark #{remark_id}; focusblock remark restore {remark_id} to bring it back)"


def _deleted_like(conn: Any, batch: list[dict[str, object]]) -> dict[tuple[object, ...], int]:
    """(account, text_hash, date heard) -> the deleted remark of those words, for the rows
    of `batch`. Deletions are rare: the deleted remarks of the batch's accounts are few."""
    keys = {
        (v[REMARK.account_id.key], v[REMARK.text_hash.key], v[REMARK.heard_on.key]) for v in batch
    }
    found = conn.execute(
        select(REMARK.id, REMARK.account_id, REMARK.text_hash, REMARK.heard_on).where(
            REMARK.deleted_at.is_not(None),
            REMARK.repeat == 0,  # an import adds first copies only
            REMARK.account_id.in_({key[0] for key in keys}),
        )
    )
    return {
        (account, digest, heard): rid
        for rid, account, digest, heard in found
        if (account, digest, heard) in keys
    }


class _CorrectedWords:
    """The words remarks had before an edit, of the accounts an import meets, each read
    once: (account, date heard, text_hash) -> the remark corrected since. Edits are rare, so
    this stays small whatever the size of the import."""

    def __init__(self, tx: Transaction, created: set[int]) -> None:
        self.tx = tx
        self.created = created  # accounts new in this import: none of their remarks was edited
        self.loaded: set[int] = set()
        self.edited: set[int] = set()  # accounts with a remark edited
        self.by_words: dict[tuple[int, date, str], int] = {}

    def leave_out(
        self,
        batch: list[dict[str, object]],
        said: list[tuple[int, NewRemark]],
        report: ImportReport,
    ) -> None:
        """Drop from the batch (and `said`) each row of words a remark had before an edit."""
        account_key = REMARK.account_id.key
        accounts = {a for values in batch if isinstance(a := values[account_key], int)}
        self._load(accounts - self.created)
        if not accounts & self.edited:
            return  # as for most batches: no remark of their accounts was ever edited
        kept: list[int] = []
        for index, values in enumerate(batch):
            edited = values[account_key] in self.edited
            remark_id = self.by_words.get(_words(values)) if edited else None
            if remark_id is None:
                kept.append(index)
                continue
            report.skipped_corrected += 1
            if said:
                why = f"corrected since (remark #{remark_id})"
                report.skipped.append((said[index][1].text, why))
        if len(kept) < len(batch):
            batch[:] = [batch[index] for index in kept]
            if said:
                said[:] = [said[index] for index in kept]

    def _load(self, account_ids: set[int]) -> None:
        missing = account_ids - self.loaded
        if not missing:
            return
        self.loaded |= missing
        query = (
            select(
                REMARK.account_id,
                REMARK.id,
                REMARK.heard_on,
                REMARK.text_hash,
                REMARK_REVISION.heard_on,
                REMARK_REVISION.text,
            )
            .select_from(REMARK_REVISION_TABLE)
            .join(REMARK_TABLE, REMARK.id == REMARK_REVISION.remark_id)
            .where(REMARK.account_id.in_(sorted(missing)))
            .order_by(REMARK_REVISION.id)
        )
        for account_id, remark_id, heard_on, digest, old_heard_on, old_text in self.tx.conn.execute(
            query
        ):
            old_digest = text_hash(old_text)
            if (old_heard_on, old_digest) == (heard_on, digest):
                continue  # words the remark has again now: the unique index skips them
            self.by_words.setdefault((account_id, old_heard_on, old_digest), remark_id)
            self.edited.add(account_id)


def _words(values: dict[str, object]) -> tuple[int, date, str]:
    """A batch row's account, date heard and fingerprint of its words."""
    account_id, heard_on, digest = (values[column.key] for column in _WORDS)
    assert isinstance(account_id, int) and isinstance(heard_on, date)
    return account_id, heard_on, str(digest)


_WORDS = (REMARK.account_id, REMARK.heard_on, REMARK.text_hash)


def _added(remark_id: int, account: str, row: NewRemark) -> Remark:
    return Remark(
        id=remark_id,
        account=account,
        text=row.text,
        who=row.who,
        heard_on=row.heard_on,
        via=row.via,
        lens=row.lens,
        source=row.source,
        repeat=0,
        deleted_at=None,
    )


class _AccountNames:
    """Account names of an import to ids: every account loaded once into AccountNames (the
    rules of every command's resolve_account), new ones created as they appear; a name
    several accounts fit, or close to an account's, is collected in `near`, with the
    names to choose from."""

    def __init__(self, tx: Transaction, report: ImportReport, new_accounts: bool) -> None:
        self.tx = tx
        self.report = report
        self.new_accounts = new_accounts
        self.near: dict[str, tuple[str, ...]] = {}
        self.known = AccountNames()
        self.by_typed: dict[str, int | None] = {}
        self.names: dict[int, str] = {}
        self.created: set[int] = set()  # by this import: no remark of theirs was ever edited
        query = tx.owned(select(ACCOUNT.id, ACCOUNT.name, ACCOUNT.aliases))
        for account_id, name, aliases in tx.conn.execute(query):
            self.names[account_id] = name
            self.known.add(account_id, name, aliases or ())

    def id_for(self, typed: str) -> int | None:
        if typed not in self.by_typed:
            self.by_typed[typed] = self._resolve(typed)
        return self.by_typed[typed]

    def _resolve(self, typed: str) -> int | None:
        fit = self.known.match(typed)
        if fit.account_id is not None:
            return fit.account_id
        close = fit.several or fit.near
        if close and not self.new_accounts:
            self.near[typed] = close
            return None
        account = new_account(self.tx, typed)
        self.report.accounts_created.append(account.name)
        self.names[account.id] = account.name
        self.created.add(account.id)
        self.known.add(account.id, account.name)
        return account.id
