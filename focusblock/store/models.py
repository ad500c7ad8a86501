"""SQLAlchemy models. The schema changes only through Alembic revisions in migrations/."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("owner", "name_key", name="uq_account_owner_name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # casefolded, accent-stripped name: names match case-insensitively and stay unique so
    name_key: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    # shown after "Focus block" in --private plans, to tell blocks apart with no name
    code: Mapped[str | None] = mapped_column(String(12))
    # titles (or parts of titles) that never count as this account's call
    not_call: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    stage: Mapped[str] = mapped_column(String(20), default="pending")
    need: Mapped[str | None] = mapped_column(Text)
    consequence: Mapped[str | None] = mapped_column(Text)
    decision_date: Mapped[date | None] = mapped_column(Date)
    next_call: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # set by `account delete`: hidden from every command but `account restore` and export
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    remarks: Mapped[list[Remark]] = relationship(
        back_populates="account", order_by="(Remark.heard_on, Remark.id)"
    )


def text_hash(text: str) -> str:
    """The fingerprint of a remark's exact words (SHA-256, hex): what the unique index holds,
    since the text itself can be 20,000 characters long."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text_hash_default(context: Any) -> str:
    """Every insert gets its fingerprint, also from code that does not set it."""
    return text_hash(context.get_current_parameters()["text"])


class Remark(Base):
    __tablename__ = "remark"
    __table_args__ = (
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

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(String(200))
    heard_on: Mapped[date] = mapped_column(Date)
    via: Mapped[str] = mapped_column(String(20), default="other")
    lens: Mapped[str | None] = mapped_column(String(20))
    # where an imported remark came from ("notes.csv row 12"): a way back to the original
    imported_from: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # text_hash(text); NULL only on the extra copies of duplicates stored before revision
    # 0005 (kept, since a reflection may point at any of them; see that revision)
    text_hash: Mapped[str | None] = mapped_column(String(64), default=_text_hash_default)
    # set by `remark delete`: hidden everywhere but `remark show`, restore and export
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 0, or 1, 2, ... for a remark stored again on purpose (`remark add --again`): part of
    # what makes a remark a duplicate (account, text, date, repeat)
    repeat: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    account: Mapped[Account] = relationship(back_populates="remarks")


class RemarkRevision(Base):
    """A remark's fields as they were before one `remark edit`: nothing typed is lost."""

    __tablename__ = "remark_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    remark_id: Mapped[int] = mapped_column(ForeignKey("remark.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    who: Mapped[str | None] = mapped_column(String(200))
    heard_on: Mapped[date] = mapped_column(Date)
    via: Mapped[str] = mapped_column(String(20))
    lens: Mapped[str | None] = mapped_column(String(20))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reflection(Base):
    __tablename__ = "reflection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT"), index=True
    )
    remark_id: Mapped[int | None] = mapped_column(ForeignKey("remark.id", ondelete="RESTRICT"))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FocusBlock(Base):
    __tablename__ = "focus_block"
    __table_args__ = (
        UniqueConstraint("uid", name="uq_focus_block_uid"),
        Index("ix_focus_block_week", "week"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="RESTRICT"), index=True
    )
    week: Mapped[str] = mapped_column(String(10))  # ISO week, e.g. 2026-W48
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    uid: Mapped[str] = mapped_column(String(100))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    # fingerprint of the title and description written: a change of text is a change
    content: Mapped[str | None] = mapped_column(String(64))
    # the calendar event taken as the account's next call when this block was planned
    call_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    call_summary: Mapped[str | None] = mapped_column(Text)
    call_source: Mapped[str | None] = mapped_column(Text)
    call_match: Mapped[str | None] = mapped_column(String(300))
    # no onupdate: record_week sets it from the plan's `now`; a wall-clock onupdate fired
    # whenever `now` equalled the old value, and LAST-MODIFIED then changed on a re-plan
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
