"""Everything in one JSON document, and back: backups and moves (SQLite to PostgreSQL too).

Rows keep their ids, so reflections stay attached to their remarks and blocks to their
accounts; an export of an import is identical to the original export.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    String,
    Table,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from focusblock.errors import BadInput
from focusblock.model import LARGEST_ID
from focusblock.names import LENSES, STAGES, search_key
from focusblock.store.opening import first_line
from focusblock.store.schema import HEAD
from focusblock.store.store import Store
from focusblock.store.tables import (
    ACCOUNT,
    ACCOUNT_TABLE,
    BLOCK_VERSION_TABLE,
    FOCUS_BLOCK_TABLE,
    MERGED_FACT_TABLE,
    PERSON_TABLE,
    REFLECTION_TABLE,
    REMARK,
    REMARK_REVISION,
    REMARK_REVISION_TABLE,
    REMARK_TABLE,
    RETIRED_BLOCK_TABLE,
    WORKSHEET_FILE_TABLE,
    OneOf,
    UTCDateTime,
    text_hash,
)

FORMAT = "focusblock-export"
VERSION = 1
TABLES: tuple[tuple[str, Table], ...] = (
    ("accounts", ACCOUNT_TABLE),
    ("remarks", REMARK_TABLE),
    ("remark_revisions", REMARK_REVISION_TABLE),  # earlier versions of edited remarks
    ("reflections", REFLECTION_TABLE),
    ("focus_blocks", FOCUS_BLOCK_TABLE),
    ("merged_facts", MERGED_FACT_TABLE),  # facts of merged accounts the target had too
    ("retired_blocks", RETIRED_BLOCK_TABLE),  # UIDs of blocks a merge stopped planning
    ("worksheet_files", WORKSHEET_FILE_TABLE),  # where plans wrote worksheets, to read back
    ("block_versions", BLOCK_VERSION_TABLE),  # what blocks were written as: hand edits tell
    ("people", PERSON_TABLE),  # the accounts' people (an older export has none: none come)
)


# The fixed words a text column may hold: anything else would be stored and then misread.
# (A OneOf column, such as via or status, knows its words itself.)
VOCABULARY: dict[Column[Any], tuple[str, ...]] = {
    ACCOUNT.stage: STAGES,
    REMARK.lens: LENSES,
}


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_all(store: Store) -> dict[str, Any]:
    """Every row of every owner's accounts, as one JSON-ready document: a backup is whole.

    Deleted accounts and remarks are in it too, flagged by their `deleted_at`; edited
    remarks bring their earlier versions (`remark_revisions`).
    """
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "schema": HEAD}
    with store.transaction(write=False) as tx:
        ids = list(tx.conn.scalars(select(ACCOUNT.id)))  # every owner: a backup is whole
        remark_ids = select(REMARK.id).where(REMARK.account_id.in_(ids))
        for key, table in TABLES:
            if table is ACCOUNT_TABLE:
                where = ACCOUNT.id.in_(ids)
            elif table is REMARK_REVISION_TABLE:
                where = REMARK_REVISION.remark_id.in_(remark_ids)
            else:
                where = table.c.account_id.in_(ids)
            rows = tx.conn.execute(select(table).where(where).order_by(table.c.id))
            document[key] = [
                {c.key: _to_json(row._mapping[c]) for c in table.columns} for row in rows
            ]
    return document


def import_all(store: Store, document: Any, source: str) -> dict[str, int]:
    """Load an export into an empty store, all or nothing; the count of rows per table."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadInput(f'{source}: not a focusblock export (expected "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        raise BadInput(
            f"{source}: export version {document.get('version')!r}; this focusblock reads {VERSION}"
        )
    counts: dict[str, int] = {}
    with store.transaction() as tx:
        if tx.conn.scalar(select(func.count(ACCOUNT.id))):
            raise BadInput(
                "import-all needs an empty store; this one already has accounts",
                hint="point --db at a new file or database",
            )
        for key, table in TABLES:
            rows = document.get(key, [])
            if not isinstance(rows, list):
                raise BadInput(f"{source}: '{key}' must be a list")
            values = [_row(table, row, f"{source}: {key}[{i}]") for i, row in enumerate(rows)]
            if table is REMARK_TABLE:
                values = fresh_fingerprints(values)
                # derived from the words: never trusted from a file someone may have edited
                values = [dict(v, search_text=search_key(v["text"])) for v in values]
            if values:
                try:
                    for same_keys in _runs_of_same_keys(values):
                        tx.conn.execute(insert(table), same_keys)
                except DBAPIError as exc:
                    raise BadInput(
                        f"{source}: '{key}' does not fit the rest of the export "
                        f"({first_line(exc)}); "
                        "nothing was imported"
                    ) from None
            counts[key] = len(values)
        _reset_sequences(tx.conn)
    return counts


def fresh_fingerprints(remarks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The remarks with each fingerprint made from its words. An export of a store edited
    before revision 0009 holds an edited remark's old words' hash, which would make the old
    words a duplicate and let the new ones in twice. A remark that then has a twin (same
    account, date, words and repeat) becomes the next repeat, as revision 0009 numbers it;
    a NULL fingerprint (an extra copy kept by revision 0005) stays NULL."""

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["account_id"], row["heard_on"], row["text_hash"])

    stale = {
        i
        for i, row in enumerate(remarks)
        if row.get("text_hash") is not None and row["text_hash"] != text_hash(row["text"])
    }
    if not stale:
        return remarks
    taken: dict[tuple[Any, ...], set[int]] = {}
    for i, row in enumerate(remarks):
        if i not in stale and row.get("text_hash") is not None:
            taken.setdefault(key(row), set()).add(row.get("repeat", 0))
    for i in sorted(stale):
        row = dict(remarks[i], text_hash=text_hash(remarks[i]["text"]))
        numbers = taken.setdefault(key(row), set())
        repeat = row.get("repeat", 0)
        if repeat in numbers:
            repeat = max(numbers) + 1
        numbers.add(repeat)
        remarks[i] = {**row, "repeat": repeat}
    return remarks


def _runs_of_same_keys(values: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows in runs that name the same columns: one INSERT takes its parameters' names
    from its first row, and a row of an older export may leave a column to its default."""
    runs: list[list[dict[str, Any]]] = []
    for value in values:
        if runs and runs[-1][0].keys() == value.keys():
            runs[-1].append(value)
        else:
            runs.append([value])
    return runs


def _row(table: Table, row: Any, where: str) -> dict[str, Any]:
    """One row of the export, checked column by column the same on every backend; a
    BadInput names the table, the row and the field."""
    if not isinstance(row, dict):
        raise BadInput(f"{where}: expected an object")
    values: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.key)
        if value is None and not column.nullable and column.default is None:
            raise BadInput(f"{where}: '{column.key}' is missing")
        if value is not None:
            value = _value(column, value, f"{where}: '{column.key}'")
        if value is not None or column.key in row:
            values[column.key] = value
    return values


def _value(column: Column[Any], value: Any, where: str) -> Any:
    kind = column.type
    words = VOCABULARY.get(column)
    if isinstance(kind, OneOf):
        known: type[StrEnum] = kind.words
        words = tuple(known)
        kind = kind.impl_instance
    if isinstance(kind, UTCDateTime | Date):
        if not isinstance(value, str):
            raise BadInput(f"{where} is not a date: {value!r}")
        try:
            parsed: Any = (
                datetime.fromisoformat(value)
                if isinstance(kind, UTCDateTime)
                else date.fromisoformat(value)
            )
        except ValueError:
            raise BadInput(f"{where} is not a date: {value!r}") from None
        if isinstance(parsed, datetime) and parsed.tzinfo is None:
            raise BadInput(
                f"{where} has no UTC offset: {value!r}; expected e.g. 2026-11-25T14:00:00+00:00"
            )
        return parsed
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise BadInput(f"{where} is not true or false: {value!r}")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadInput(f"{where} is not a whole number: {value!r}")
        if not -LARGEST_ID - 1 <= value <= LARGEST_ID:
            raise BadInput(f"{where} is {value}; a store holds whole numbers up to {LARGEST_ID}")
        return value
    if isinstance(kind, JSON):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadInput(f"{where} is not a list of texts")
        return value
    if isinstance(kind, String):  # Text too
        if not isinstance(value, str):
            raise BadInput(f"{where} is not a text: {value!r}")
        if kind.length is not None and len(value) > kind.length:
            raise BadInput(f"{where}: at most {kind.length} characters, got {len(value)}")
        if "\x00" in value:  # PostgreSQL text cannot hold it; refused on SQLite too
            raise BadInput(f"{where} holds a NUL character (\\x00), which cannot be stored")
    if words is not None and value not in words:
        raise BadInput(f"{where} is {value!r}; expected one of {', '.join(words)}")
    return value


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not advance."""
    if conn.dialect.name != "postgresql":
        return
    for _, each in TABLES:
        table = each.name
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
