"""The store's tables, as SQLAlchemy Core. The schema changes only through Alembic
revisions in migrations/ (a test checks that these tables and the revisions agree).

Core, not the ORM: the store reads and writes rows with plain statements, and a command
then starts without importing `sqlalchemy.orm` (about a fifth of a second on a slow laptop).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

from focusblock.model import Via

if TYPE_CHECKING:
    from sqlalchemy import Row

    # A row read from one table: its columns are attributes (row.name, row.heard_on).
    AccountRow = Row[Any]
    RemarkRow = Row[Any]
    BlockRow = Row[Any]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
METADATA = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    """The time now, in UTC: the default of every timestamp column."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time zone type; storing naive UTC and re-attaching UTC on the way out
    keeps comparisons and ISO output right everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """An aware datetime to naive UTC for the database."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Naive UTC from the database to an aware datetime."""
        return None if value is None else value.replace(tzinfo=UTC)


WordT = TypeVar("WordT", bound=StrEnum)


class OneOf(TypeDecorator[WordT]):
    """One of an enum's words (Via, BlockStatus), stored as its text; read back as the
    enum's member, so no other word passes through the store unnoticed."""

    impl = String
    cache_ok = True

    def __init__(self, words: type[WordT], length: int) -> None:
        super().__init__(length)
        self.words = words

    def process_bind_param(self, value: WordT | str | None, dialect: object) -> str | None:
        """The member's text; a plain word is checked against the enum first."""
        return None if value is None else self.words(value).value

    def process_result_value(self, value: str | None, dialect: object) -> WordT | None:
        """The stored text as the enum's member."""
        return None if value is None else self.words(value)


def text_hash(text: str) -> str:
    """The fingerprint of a remark's exact words (SHA-256, hex): what the unique index holds,
    since the text itself can be 20,000 characters long."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text_hash_default(context: Any) -> str:
    """Every insert gets its fingerprint, also from code that does not set it."""
    return text_hash(context.get_current_parameters()["text"])


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _account_id(ondelete: str = "RESTRICT", index: bool = False) -> Column[int]:
    return Column(
        "account_id",
        Integer,
        ForeignKey("account.id", ondelete=ondelete),
        nullable=False,
        index=index,
    )


ACCOUNT = Table(
    "account",
    METADATA,
    _id(),
    Column("name", String(200), nullable=False),
    # casefolded, accent-stripped name: names match case-insensitively and stay unique so
    Column("name_key", String(200), nullable=False),
    Column("owner", String(200), nullable=False, default=""),
    Column("aliases", JSON, nullable=False, default=list),
    Column("domains", JSON, nullable=False, default=list),
    # shown after "Focus block" in --private plans, to tell blocks apart with no name
    Column("code", String(12)),
    # titles (or parts of titles) that never count as this account's call
    Column("not_call", JSON, default=list),
    Column("stage", String(20), nullable=False, default="pending"),
    Column("need", Text),
    Column("consequence", Text),
    Column("decision_date", Date),
    Column("next_call", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow),
    # set by `account delete`: hidden from every command but `account restore` and export
    Column("deleted_at", UTCDateTime),
    UniqueConstraint("owner", "name_key", name="uq_account_owner_name_key"),
)

REMARK = Table(
    "remark",
    METADATA,
    _id(),
    _account_id(),
    Column("text", Text, nullable=False),
    Column("who", String(200)),
    Column("heard_on", Date, nullable=False),
    Column("via", OneOf(Via, 20), nullable=False, default=Via.OTHER),
    Column("lens", String(20)),
    # where an imported remark came from ("notes.csv row 12"): a way back to the original
    Column("imported_from", String(300)),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    # text_hash(text); NULL only on the extra copies of duplicates stored before revision
    # 0005 (kept, since a reflection may point at any of them; see that revision)
    Column("text_hash", String(64), default=_text_hash_default),
    # set by `remark delete`: hidden everywhere but `remark show`, restore and export
    Column("deleted_at", UTCDateTime),
    # 0, or 1, 2, ... for a remark stored again on purpose (`remark add --again`): part of
    # what makes a remark a duplicate (account, text, date, repeat)
    Column("repeat", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_remark_account_heard", "account_id", "heard_on"),
    Index("ix_remark_account_live", "account_id", "deleted_at", "heard_on", "id"),
    # A remark's identity: account, date heard and exact words. The database refuses a
    # second copy, so two imports at once cannot both add it.
    Index(
        "uq_remark_account_heard_text",
        "account_id",
        "heard_on",
        "text_hash",
        "repeat",
        unique=True,
    ),
)

# A remark's fields as they were before one `remark edit`: nothing typed is lost.
REMARK_REVISION = Table(
    "remark_revision",
    METADATA,
    _id(),
    Column(
        "remark_id",
        Integer,
        ForeignKey("remark.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    ),
    Column("text", Text, nullable=False),
    Column("who", String(200)),
    Column("heard_on", Date, nullable=False),
    Column("via", OneOf(Via, 20), nullable=False),
    Column("lens", String(20)),
    Column("replaced_at", UTCDateTime, nullable=False, default=utcnow),
)

REFLECTION = Table(
    "reflection",
    METADATA,
    _id(),
    _account_id(index=True),
    Column("remark_id", Integer, ForeignKey("remark.id", ondelete="RESTRICT")),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("written_at", UTCDateTime, nullable=False, default=utcnow),
)

FOCUS_BLOCK = Table(
    "focus_block",
    METADATA,
    _id(),
    _account_id(index=True),
    Column("week", String(10), nullable=False),  # ISO week, e.g. 2026-W48
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("uid", String(100), nullable=False),
    Column("sequence", Integer, nullable=False, default=0),
    Column("status", String(20), nullable=False, default="planned"),
    # fingerprint of the title and description written: a change of text is a change
    Column("content", String(64)),
    # the calendar event taken as the account's next call when this block was planned
    Column("call_start", UTCDateTime),
    Column("call_summary", Text),
    Column("call_source", Text),
    Column("call_match", String(300)),
    # no onupdate: record_week sets it from the plan's `now`; a wall-clock onupdate fired
    # whenever `now` equalled the old value, and LAST-MODIFIED then changed on a re-plan
    Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
    UniqueConstraint("uid", name="uq_focus_block_uid"),
    Index("ix_focus_block_week", "week"),
)
