"""The store's tables, as SQLAlchemy Core. The schema changes only through Alembic
revisions in migrations/ (a test checks that these tables and the revisions agree).

Core, not the ORM: the store reads and writes rows with plain statements, and a command
then starts without importing `sqlalchemy.orm` (about a fifth of a second on a slow laptop).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol, TypeVar, TypeVarTuple

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)

from focusblock.model import BlockStatus, Via
from focusblock.names import search_key

T = TypeVar("T")
Columns = TypeVarTuple("Columns")
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
        # text -> member: a dictionary look-up a row read, cheaper than calling the enum
        self._members: dict[str, WordT] = {word.value: word for word in words}

    def process_bind_param(self, value: WordT | str | None, dialect: object) -> str | None:
        """The member's text; a plain word is checked against the enum first."""
        return None if value is None else self.words(value).value

    def process_result_value(self, value: str | None, dialect: object) -> WordT | None:
        """The stored text as the enum's member."""
        if value is None:
            return None
        member = self._members.get(value)
        return self.words(value) if member is None else member  # the enum's own error


def text_hash(text: str) -> str:
    """The fingerprint of a remark's exact words (SHA-256, hex): what the unique index holds,
    since the text itself can be 20,000 characters long."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text_hash_default(context: Any) -> str:
    """Every insert gets its fingerprint, also from code that does not set it."""
    return text_hash(context.get_current_parameters()["text"])


def _search_text_default(context: Any) -> str:
    """Every insert gets the folded words `remark search` looks in, also from code that
    does not set them (an import, a restore)."""
    return search_key(context.get_current_parameters()["text"])


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


# Each table's columns are typed attributes of a NamedTuple (a nullable column says
# `| None`), so the store names a column as ACCOUNT.name: mypy refuses a misspelt one and
# a value of the wrong type, and `select(*ACCOUNT)` reads every column. The tables
# themselves (ACCOUNT_TABLE, ...) serve inserts, deletes, Alembic and the export.


class AccountColumns(NamedTuple):
    id: Column[int]
    name: Column[str]
    name_key: Column[str]
    owner: Column[str]
    aliases: Column[list[str]]
    domains: Column[list[str]]
    code: Column[str | None]
    not_call: Column[list[str] | None]
    stage: Column[str]
    need: Column[str | None]
    consequence: Column[str | None]
    decision_date: Column[date | None]
    next_call: Column[datetime | None]
    created_at: Column[datetime]
    updated_at: Column[datetime]
    deleted_at: Column[datetime | None]


ACCOUNT = AccountColumns(
    id=_id(),
    name=Column("name", String(200), nullable=False),
    # casefolded, accent-stripped name: names match case-insensitively and stay unique so
    name_key=Column("name_key", String(200), nullable=False),
    owner=Column("owner", String(200), nullable=False, default=""),
    aliases=Column("aliases", JSON, nullable=False, default=list),
    domains=Column("domains", JSON, nullable=False, default=list),
    # shown after "Focus block" in --private plans, to tell blocks apart with no name
    code=Column("code", String(12)),
    # titles (or parts of titles) that never count as this account's call
    not_call=Column("not_call", JSON, default=list),
    stage=Column("stage", String(20), nullable=False, default="pending"),
    need=Column("need", Text),
    consequence=Column("consequence", Text),
    decision_date=Column("decision_date", Date),
    next_call=Column("next_call", UTCDateTime),
    created_at=Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    updated_at=Column("updated_at", UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow),
    # set by `account delete`: hidden from every command but `account restore` and export
    deleted_at=Column("deleted_at", UTCDateTime),
)
ACCOUNT_TABLE = Table(
    "account",
    METADATA,
    *ACCOUNT,
    UniqueConstraint("owner", "name_key", name="uq_account_owner_name_key"),
)


class RemarkColumns(NamedTuple):
    id: Column[int]
    account_id: Column[int]
    text: Column[str]
    who: Column[str | None]
    heard_on: Column[date]
    via: Column[Via]
    lens: Column[str | None]
    imported_from: Column[str | None]
    created_at: Column[datetime]
    text_hash: Column[str | None]
    deleted_at: Column[datetime | None]
    repeat: Column[int]
    search_text: Column[str | None]


REMARK = RemarkColumns(
    id=_id(),
    account_id=_account_id(),
    text=Column("text", Text, nullable=False),
    who=Column("who", String(200)),
    heard_on=Column("heard_on", Date, nullable=False),
    via=Column("via", OneOf(Via, 20), nullable=False, default=Via.OTHER),
    lens=Column("lens", String(20)),
    # where an imported remark came from ("notes.csv row 12"): a way back to the original
    imported_from=Column("imported_from", String(300)),
    created_at=Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    # text_hash(text); NULL only on the extra copies of duplicates that were stored before
    # the unique index existed (kept, since a reflection may point at any of them)
    text_hash=Column("text_hash", String(64), default=_text_hash_default),
    # set by `remark delete`: hidden everywhere but `remark show`, restore and export
    deleted_at=Column("deleted_at", UTCDateTime),
    # 0, or 1, 2, ... for a remark stored again on purpose (`remark add --again`): part of
    # what makes a remark a duplicate (account, text, date, repeat)
    repeat=Column("repeat", Integer, nullable=False, default=0, server_default="0"),
    # search_key(text): what `remark search` matches with LIKE, the same on SQLite and
    # PostgreSQL with no extension. Set on insert by its default and by `remark edit`;
    # nullable only so revision 0016 could add it to a table that has rows (no rebuild)
    search_text=Column("search_text", Text, default=_search_text_default),
)
REMARK_TABLE = Table(
    "remark",
    METADATA,
    *REMARK,
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
    # a remark's number is never given to another one, even after the newest is purged
    # (SQLite would hand out max(id) + 1 again); PostgreSQL's sequences never reuse one
    sqlite_autoincrement=True,
)


class RevisionColumns(NamedTuple):
    """A remark's fields as they were before one `remark edit`: nothing typed is lost."""

    id: Column[int]
    remark_id: Column[int]
    text: Column[str]
    who: Column[str | None]
    heard_on: Column[date]
    via: Column[Via]
    lens: Column[str | None]
    replaced_at: Column[datetime]


REMARK_REVISION = RevisionColumns(
    id=_id(),
    remark_id=Column(
        "remark_id",
        Integer,
        ForeignKey("remark.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    ),
    text=Column("text", Text, nullable=False),
    who=Column("who", String(200)),
    heard_on=Column("heard_on", Date, nullable=False),
    via=Column("via", OneOf(Via, 20), nullable=False),
    lens=Column("lens", String(20)),
    replaced_at=Column("replaced_at", UTCDateTime, nullable=False, default=utcnow),
)
REMARK_REVISION_TABLE = Table("remark_revision", METADATA, *REMARK_REVISION)


class ReflectionColumns(NamedTuple):
    id: Column[int]
    account_id: Column[int]
    remark_id: Column[int | None]  # None: an answer about the account, not one remark
    question: Column[str]
    answer: Column[str]
    written_at: Column[datetime]
    remark_words: Column[str | None]
    question_id: Column[str | None]


REFLECTION = ReflectionColumns(
    id=_id(),
    account_id=_account_id(index=True),
    remark_id=Column("remark_id", Integer, ForeignKey("remark.id", ondelete="RESTRICT")),
    question=Column("question", Text, nullable=False),
    answer=Column("answer", Text, nullable=False),
    written_at=Column("written_at", UTCDateTime, nullable=False, default=utcnow),
    # text_hash of the remark's words the answer was written about, as the worksheet showed
    # them: differs from the remark's own once it is edited (the answer stays about what
    # the seller read). NULL for answers from worksheets older than fingerprints.
    remark_words=Column("remark_words", String(64)),
    # question_id() of the question as the worksheet asked it: the answer stays under that
    # question even when the seller rewrote the question's line
    question_id=Column("question_id", String(16)),
)
REFLECTION_TABLE = Table("reflection", METADATA, *REFLECTION)


class BlockColumns(NamedTuple):
    id: Column[int]
    account_id: Column[int]
    week: Column[str]
    start: Column[datetime]
    end: Column[datetime]
    timezone: Column[str]
    uid: Column[str]
    sequence: Column[int]
    status: Column[BlockStatus]
    content: Column[str | None]
    call_start: Column[datetime | None]
    call_summary: Column[str | None]
    call_source: Column[str | None]
    call_match: Column[str | None]
    updated_at: Column[datetime]
    pinned: Column[bool]
    user_summary: Column[str | None]
    user_description: Column[str | None]
    seen_in: Column[str | None]


FOCUS_BLOCK = BlockColumns(
    id=_id(),
    account_id=_account_id(index=True),
    week=Column("week", String(10), nullable=False),  # ISO week, e.g. 2026-W48
    start=Column("start", UTCDateTime, nullable=False),
    end=Column("end", UTCDateTime, nullable=False),
    timezone=Column("timezone", String(64), nullable=False),
    uid=Column("uid", String(100), nullable=False),
    sequence=Column("sequence", Integer, nullable=False, default=0),
    status=Column("status", OneOf(BlockStatus, 20), nullable=False, default=BlockStatus.PLANNED),
    # fingerprint of the title and description written: a change of text is a change
    content=Column("content", String(64)),
    # the calendar event taken as the account's next call when this block was planned
    call_start=Column("call_start", UTCDateTime),
    call_summary=Column("call_summary", Text),
    call_source=Column("call_source", Text),
    call_match=Column("call_match", String(300)),
    # no onupdate: record_week sets it from the plan's `now`; a wall-clock onupdate fired
    # whenever `now` equalled the old value, and LAST-MODIFIED then changed on a re-plan
    updated_at=Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
    # moved by the seller in their calendar: kept where they put it
    pinned=Column("pinned", Boolean, nullable=False, default=False, server_default=false()),
    # the title and description the seller typed into the event: later writes keep them
    user_summary=Column("user_summary", Text),
    user_description=Column("user_description", Text),
    # the calendar (file, feed or collection, as --busy names it) its event was last read
    # from: gone from there later, the seller deleted it
    seen_in=Column("seen_in", Text),
)
FOCUS_BLOCK_TABLE = Table(
    "focus_block",
    METADATA,
    *FOCUS_BLOCK,
    UniqueConstraint("uid", name="uq_focus_block_uid"),
    Index("ix_focus_block_week", "week"),
)


class MergedFactColumns(NamedTuple):
    """A fact of an account merged into one that had its own: kept beside it, never lost."""

    id: Column[int]
    account_id: Column[int]
    fact: Column[str]  # need, consequence, decision_date or next_call
    value: Column[str]  # as the merged account held it (a date or time in ISO 8601)
    from_account: Column[str]  # the merged account's name
    merged_at: Column[datetime]


MERGED_FACT = MergedFactColumns(
    id=_id(),
    account_id=_account_id(index=True),
    fact=Column("fact", String(20), nullable=False),
    value=Column("value", Text, nullable=False),
    from_account=Column("from_account", String(200), nullable=False),
    merged_at=Column("merged_at", UTCDateTime, nullable=False, default=utcnow),
)
MERGED_FACT_TABLE = Table("merged_fact", METADATA, *MERGED_FACT)


class RetiredBlockColumns(NamedTuple):
    """A focus block's UID the store no longer plans (a merge kept the other account's
    block of that week): the event it wrote may still be in a calendar, and stays ours."""

    id: Column[int]
    account_id: Column[int]
    uid: Column[str]
    week: Column[str]
    retired_at: Column[datetime]
    # where and as which revision it was last written, if it was live: the next plan of its
    # week writes it cancelled into the .ics, so an imported copy does not stay live
    start: Column[datetime | None]
    end: Column[datetime | None]
    sequence: Column[int | None]


RETIRED_BLOCK = RetiredBlockColumns(
    id=_id(),
    account_id=_account_id(index=True),
    uid=Column("uid", String(100), nullable=False),
    week=Column("week", String(10), nullable=False),
    retired_at=Column("retired_at", UTCDateTime, nullable=False, default=utcnow),
    start=Column("start", UTCDateTime),
    end=Column("end", UTCDateTime),
    sequence=Column("sequence", Integer),
)
RETIRED_BLOCK_TABLE = Table(
    "retired_block",
    METADATA,
    *RETIRED_BLOCK,
    UniqueConstraint("uid", name="uq_retired_block_uid"),
)


class WorksheetFileColumns(NamedTuple):
    """Where a plan wrote an account's Markdown worksheet of a week: the files a later plan
    reads answers from before it rewrites or removes them, wherever they were written."""

    id: Column[int]
    account_id: Column[int]
    week: Column[str]
    path: Column[str]
    written_at: Column[datetime]


WORKSHEET_FILE = WorksheetFileColumns(
    id=_id(),
    account_id=_account_id(index=True),
    week=Column("week", String(10), nullable=False),
    path=Column("path", Text, nullable=False),
    written_at=Column("written_at", UTCDateTime, nullable=False, default=utcnow),
)
WORKSHEET_FILE_TABLE = Table(
    "worksheet_file",
    METADATA,
    *WORKSHEET_FILE,
    # not unique on the path: PostgreSQL refuses index keys over ~2.7 kB, and a path may be
    # that long; a plan records a path once, under its week's lock
    Index("ix_worksheet_file_account_week", "account_id", "week"),
)


class BlockVersionColumns(NamedTuple):
    """Each time and text a block's event was written with: an event read back that
    matches one of them is ours as written (perhaps an older import), one that matches
    none was changed by the seller."""

    id: Column[int]
    account_id: Column[int]
    uid: Column[str]
    start: Column[datetime]
    end: Column[datetime]
    content: Column[str]


BLOCK_VERSION = BlockVersionColumns(
    id=_id(),
    account_id=_account_id(index=True),
    uid=Column("uid", String(100), nullable=False, index=True),
    start=Column("start", UTCDateTime, nullable=False),
    end=Column("end", UTCDateTime, nullable=False),
    # writing.event_text() of the title and description written
    content=Column("content", String(64), nullable=False),
)
BLOCK_VERSION_TABLE = Table(
    "block_version",
    METADATA,
    *BLOCK_VERSION,
    UniqueConstraint("uid", "start", "end", "content", name="uq_block_version"),
)


class PersonColumns(NamedTuple):
    """Someone on an account's side: who said the words its remarks quote."""

    id: Column[int]
    account_id: Column[int]
    name: Column[str]
    name_key: Column[str]
    email: Column[str | None]
    role: Column[str | None]
    typed: Column[bool]
    created_at: Column[datetime]
    updated_at: Column[datetime]


PERSON = PersonColumns(
    id=_id(),
    account_id=_account_id(),
    name=Column("name", String(200), nullable=False),  # as a person writes it: "Jonas Meyer"
    # names.name_key of the name: "Meyer, Jonas" and "jonas meyer" are one person
    name_key=Column("name_key", String(200), nullable=False),
    email=Column("email", String(320), index=True),  # lower-cased: addresses match so
    role=Column("role", String(200)),
    # set by the seller (`account person`): an import fills blanks, never overwrites it
    typed=Column("typed", Boolean, nullable=False, default=False, server_default=false()),
    created_at=Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    updated_at=Column("updated_at", UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow),
)
PERSON_TABLE = Table(
    "person",
    METADATA,
    *PERSON,
    UniqueConstraint("account_id", "name_key", name="uq_person_account_name_key"),
)


class Fields(Protocol):
    """A row's values by its typed columns: `fields(row)[REMARK.text]` is a str to mypy."""

    def __getitem__(self, column: Column[T], /) -> T: ...


def fields(row: Row[*Columns]) -> Fields:
    """The values of `row` by typed column: the one place a row is read. Take it once per
    row: each `row._mapping` is a new object, and making one per column read cost a
    100,000-remark `remark list --all` a second of its 3.4."""
    return row._mapping


def read(row: Row[*Columns], column: Column[T]) -> T:
    """The value of `column` in `row`, typed as the column is (one column of a row; read
    several through fields())."""
    return fields(row)[column]
