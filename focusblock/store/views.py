"""Plain data the store hands out and takes in: no SQLAlchemy objects leave the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from focusblock.model import Call, Person, Remark


@dataclass(frozen=True)
class AccountView:
    id: int
    name: str
    owner: str
    stage: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    need: str | None
    consequence: str | None
    decision_date: date | None
    next_call: datetime | None
    remark_count: int
    last_heard: date | None
    # account list: the next call as a plan takes it, the calendar's (as the last plan
    # found it) before the typed one; None where not looked up
    call: Call | None = None


@dataclass(frozen=True)
class AccountDetail:
    account: AccountView
    remarks: tuple[Remark, ...]
    call: Call | None = None  # the next call the latest plan found in the calendar
    merged_facts: tuple[MergedFact, ...] = ()  # facts of merged accounts it had too
    people: tuple[Person, ...] = ()  # on the customer's side, by name
    answers: tuple[ReflectionView, ...] = ()  # the latest, oldest of them first
    answer_count: int = 0  # every answer about the account and its live remarks


@dataclass(frozen=True)
class MergedFact:
    """A need, consequence, decision date or next call of an account merged into this one,
    which had its own: kept beside it."""

    fact: str
    value: str
    from_account: str
    merged_at: datetime


@dataclass(frozen=True)
class ReflectionView:
    remark_id: int | None  # None: an answer about the account, not one remark
    question: str
    answer: str
    written_on: date
    # the fingerprint of the remark's words it was written about (words_of()), if known:
    # an answer about words edited since is shown as such
    remark_words: str | None = None
    question_id: str | None = None  # the question it was asked under (question_id())


@dataclass(frozen=True)
class Answer:
    """An answer read from a filled-in worksheet, to be saved as a reflection."""

    remark_id: int | None  # None: an account-level section question
    question: str
    text: str
    # what the worksheet's machine-read lines said (None in a worksheet older than them):
    # the fingerprint of the remark's words it showed, and the question's id
    words: str | None = None
    question_id: str | None = None


@dataclass(frozen=True)
class WorksheetMaterial:
    """Everything one account's worksheet is made of, oldest remark first."""

    account: AccountView
    remarks: tuple[Remark, ...]
    reflections: tuple[ReflectionView, ...]
    call: Call | None = None  # the next call the last plan found in the calendar
    not_shown: RemarksNotShown | None = None  # left out of a bounded worksheet
    people: tuple[Person, ...] = ()  # the account's people, heard or not
    merged_facts: tuple[MergedFact, ...] = ()  # facts of merged accounts it had too


@dataclass(frozen=True)
class RemarksNotShown:
    """The remarks a bounded worksheet counts instead of printing."""

    count: int
    first: date
    last: date
    reflected: int  # how many of them were reflected on already


@dataclass(frozen=True)
class AccountFacts:
    """What ranking and call matching need to know of one account: its facts, and what
    its live remarks add up to (counted by the store, never read one by one)."""

    account_id: int
    name: str
    stage: str
    need: str | None
    consequence: str | None
    decision_date: date | None
    remark_count: int = 0
    lenses: tuple[str, ...] = ()  # the lenses its remarks carry, the latest used first
    last_heard: date | None = None  # when its latest remark was heard
    fresh: int = 0  # remarks heard after the last reflection and not answered in one
    last_reflection: date | None = None
    last_block: date | None = None
    stored_next_call: datetime | None = None  # `account edit --next-call`
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    uid_key: str = ""  # stable identity for block UIDs: owner, id and creation time
    not_call: tuple[str, ...] = ()  # title words that are never this account's call
    created: date | None = None  # quiet days count from here while nothing was heard
    code: str | None = None  # shown after "Focus block" in --private plans


@dataclass(frozen=True)
class PurgeSummary:
    """What purging some remarks removes for good."""

    remark_ids: tuple[int, ...]
    versions: int
    answers: int
