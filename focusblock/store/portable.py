"""Everything in one JSON document, and back: backups and moves (SQLite to PostgreSQL too).

Rows keep their ids, so reflections stay attached to their remarks and blocks to their
accounts; an export of an import is identical to the original export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, func, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from focusblock.errors import BadInput
from focusblock.store.models import (
    Account,
    FocusBlock,
    Reflection,
    Remark,
    RemarkRevision,
    UTCDateTime,
)
from focusblock.store.schema import HEAD
from focusblock.store.store import Store

FORMAT = "focusblock-export"
VERSION = 1
TABLES: tuple[tuple[str, Any], ...] = (
    ("accounts", Account),
    ("remarks", Remark),
    ("remark_revisions", RemarkRevision),  # earlier versions of edited remarks
    ("reflections", Reflection),
    ("focus_blocks", FocusBlock),
)


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
        session = tx.session
        ids = list(session.scalars(select(Account.id)))  # every owner: a backup is whole
        remark_ids = select(Remark.id).where(Remark.account_id.in_(ids))
        for key, model in TABLES:
            if model is Account:
                where = Account.id.in_(ids)
            elif model is RemarkRevision:
                where = RemarkRevision.remark_id.in_(remark_ids)
            else:
                where = model.account_id.in_(ids)
            rows = session.scalars(select(model).where(where).order_by(model.id))
            document[key] = [
                {c.key: _to_json(getattr(row, c.key)) for c in model.__table__.columns}
                for row in rows
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
        session = tx.session
        if session.scalar(select(func.count(Account.id))):
            raise BadInput(
                "import-all needs an empty store; this one already has accounts",
                hint="point --db at a new file or database",
            )
        for key, model in TABLES:
            rows = document.get(key, [])
            if not isinstance(rows, list):
                raise BadInput(f"{source}: '{key}' must be a list")
            values = [_row(model, row, f"{source}: {key}[{i}]") for i, row in enumerate(rows)]
            if values:
                try:
                    session.execute(insert(model), values)
                except DBAPIError as exc:
                    reason = (
                        str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
                    )
                    raise BadInput(
                        f"{source}: '{key}' does not fit the rest of the export ({reason}); "
                        "nothing was imported"
                    ) from None
            counts[key] = len(values)
        _reset_sequences(session)
    return counts


def _row(model: Any, row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise BadInput(f"{where}: expected an object")
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        value = row.get(column.key)
        if value is None and not column.nullable and column.default is None:
            raise BadInput(f"{where}: '{column.key}' is missing")
        try:
            if value is not None and isinstance(column.type, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif value is not None and isinstance(column.type, Date):
                value = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise BadInput(f"{where}: '{column.key}' is not a date: {value!r}") from None
        if value is not None or column.key in row:
            values[column.key] = value
    return values


def _reset_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not advance."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for _, model in TABLES:
        table = model.__table__.name
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
