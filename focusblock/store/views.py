"""Plain data the store hands out: what commands render as tables or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class RemarkView:
    id: int
    account: str
    text: str
    who: str | None
    heard_on: date
    via: str
    lens: str | None


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


@dataclass(frozen=True)
class AccountDetail:
    account: AccountView
    remarks: tuple[RemarkView, ...]
