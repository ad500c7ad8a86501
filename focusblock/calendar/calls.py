"""Recognising meetings with an account in the calendar: attendee domain, name or alias."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from focusblock.calendar.events import CalendarEvent
from focusblock.matching import name_key


@dataclass(frozen=True)
class AccountSignature:
    account_id: int
    names: tuple[str, ...]  # name and aliases
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Call:
    account_id: int
    start: datetime
    summary: str
    source: str


def _domain_matches(email: str, domains: Sequence[str]) -> bool:
    host = email.rsplit("@", 1)[-1]
    return any(host == d or host.endswith("." + d) for d in domains if d)


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    keys = [name_key(n) for n in names if name_key(n)]
    if not keys:
        return None
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def is_call_with(event: CalendarEvent, signature: AccountSignature, own_domain: str = "") -> bool:
    domains = tuple(d for d in signature.domains if d and d != own_domain)
    if any(_domain_matches(email, domains) for email in event.attendee_emails):
        return True
    pattern = _name_pattern(signature.names)
    return bool(pattern and pattern.search(name_key(event.summary)))


def next_calls(
    events: Sequence[CalendarEvent],
    signatures: Sequence[AccountSignature],
    after: datetime,
    own_email: str | None = None,
) -> dict[int, Call]:
    """The first busy event at or after `after` that is a meeting with each account."""
    own_domain = own_email.rsplit("@", 1)[-1].lower() if own_email and "@" in own_email else ""
    found: dict[int, Call] = {}
    for event in sorted(events, key=lambda e: (e.start, e.summary)):
        if not event.busy or event.start < after or event.all_day:
            continue
        for signature in signatures:
            if signature.account_id in found:
                continue
            if is_call_with(event, signature, own_domain):
                found[signature.account_id] = Call(
                    signature.account_id, event.start, event.summary, event.source
                )
    return found
