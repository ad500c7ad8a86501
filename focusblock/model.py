"""The things focusblock is about, one frozen type each, passed through every layer.

The store maps its rows to these types at its edge, the planner and the worksheet take
and return them, the calendar code writes them, and the command line prints them. A
layer that truly adds facts wraps one of these (the plan's block, the worksheet's
remark) instead of copying its fields into a new type. This module imports nothing
from the layers, so every layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# Every row's number (and every other whole number stored) is a signed 64-bit integer in
# SQLite and PostgreSQL alike; a larger one cannot even be looked up.
LARGEST_ID = 2**63 - 1

# --- remarks: what the customer said ---------------------------------------------------


class Via(StrEnum):
    """How a remark was heard: the channels, spelled here once."""

    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    CHAT = "chat"
    OTHER = "other"


@dataclass(frozen=True)
class NewRemark:
    """A remark checked and ready to store: what `remark add` and an import give the store."""

    account: str  # the account's name as typed; the store finds the account it means
    text: str
    who: str | None
    heard_on: date
    via: Via
    lens: str | None
    source: str | None = None  # where an imported remark came from: "notes.csv row 12"


@dataclass(frozen=True)
class Remark:
    """A stored remark: what every command, the plan and the worksheet read."""

    id: int
    account: str  # the account's name
    text: str
    who: str | None
    heard_on: date
    via: Via
    lens: str | None
    source: str | None  # where an imported remark came from; None when typed by hand
    repeat: int  # 0, or 1, 2, ... for the same words stored again on purpose
    deleted_at: datetime | None  # hidden by `remark delete` until restored


@dataclass(frozen=True)
class RemarkVersion:
    """A remark's fields as they were until `replaced_at` (one `remark edit`)."""

    text: str
    who: str | None
    heard_on: date
    via: Via
    lens: str | None
    replaced_at: datetime


# --- accounts: the customers ----------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """An account as the store keeps it (deleted ones too, flagged by `deleted_at`)."""

    id: int
    name: str
    owner: str
    stage: str
    aliases: tuple[str, ...]  # other names it goes by: old names, shortenings
    domains: tuple[str, ...]  # email domains of its people, to recognise its meetings
    not_call: tuple[str, ...]  # title words that are never this account's call
    code: str | None  # shown after "Focus block" in --private plans
    need: str | None
    consequence: str | None  # of doing nothing
    decision_date: date | None
    next_call: datetime | None  # typed by hand: `account edit --next-call`
    created_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True)
class Person:
    """Someone on the customer's side: who said the words an account's remarks quote.

    Found by an import (a transcript's speaker, an email's sender) or typed with
    `account person`; what the seller typed is never overwritten by an import.
    """

    account: str  # the account's name
    name: str  # as a person writes it: "Jonas Meyer"
    email: str | None = None
    role: str | None = None  # "Head of Logistics", from a signature or typed


# --- calls and focus blocks: the calendar side ------------------------------------------


@dataclass(frozen=True)
class Call:
    """The event taken as an account's next call, and how it was recognised."""

    account_id: int
    start: datetime
    summary: str
    source: str  # the calendar it came from, or "the store" for a call typed by hand
    matched_by: str  # "attendee @kestrel.com", "name 'Kestrel'" or "--next-call"

    @property
    def typed(self) -> bool:
        """Typed by hand (`account edit --next-call`), not found in a calendar: it serves
        only when the calendar shows no call with the account."""
        return self.matched_by == TYPED_CALL


TYPED_CALL = "--next-call"  # how a call typed by hand says it was "recognised"


class BlockStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    # the seller deleted its event in their calendar: never created again that week
    REMOVED = "removed"


@dataclass(frozen=True)
class FocusBlock:
    """A focus block as the store keeps it and the calendar shows it: one per account and
    week, with the UID it keeps across re-plans."""

    account_id: int
    week: str
    uid: str
    start: datetime
    end: datetime
    timezone: str
    sequence: int
    status: BlockStatus
    updated_at: datetime
    content: str | None = None  # fingerprint of the title and description written
    call: Call | None = None  # the call it was planned for
    # the seller moved its event by hand: it stays where they put it, whatever changes
    pinned: bool = False
    # the title and description the seller wrote into its event: kept in every later write
    user_text: tuple[str, str] | None = None
    seen_in: str | None = None  # the calendar its event was last read back from

    @property
    def cancelled(self) -> bool:
        return self.status is BlockStatus.CANCELLED


# --- accounts left out of a plan ---------------------------------------------------------


class LeftOutKind(StrEnum):
    DISQUALIFY = "disqualify"
    QUIET = "quiet"
    SOLD = "sold"
    CLOSED = "closed"
    NO_SLOT = "no-slot"
    # its block of another week sits in this one: the seller dragged it here
    HAS_BLOCK = "has-block"


@dataclass(frozen=True)
class LeftOut:
    """An account that gets no block this week, and the reason a person can read."""

    account_id: int
    account: str  # its name
    kind: LeftOutKind
    reason: str
