"""Recognising meetings with an account in the calendar: attendee domain, name or alias."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from focusblock.calendar.events import CalendarEvent
from focusblock.names import name_key


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


@lru_cache(maxsize=65536)
def _whole_words(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")


class CallMatcher:
    """Finds the accounts a meeting is with, for thousands of accounts at once.

    Names are indexed by their first word and domains by exact host, so each event
    costs a few dictionary look-ups instead of a check against every account.
    """

    def __init__(self, signatures: Sequence[AccountSignature], own_domain: str = "") -> None:
        self._by_domain: dict[str, set[int]] = {}
        self._by_first_word: dict[str, list[tuple[str, int]]] = {}
        for signature in signatures:
            for domain in signature.domains:
                if domain and domain != own_domain:
                    self._by_domain.setdefault(domain, set()).add(signature.account_id)
            for name in signature.names:
                key = name_key(name)
                if key:
                    words = re.findall(r"\w+", key)
                    first = words[0] if words else ""  # "" : a name without letters, always checked
                    self._by_first_word.setdefault(first, []).append((key, signature.account_id))

    def accounts_in(self, event: CalendarEvent) -> set[int]:
        """The accounts a meeting is with: an attendee of their domain, or their name in it."""
        found: set[int] = set()
        for email in event.attendee_emails:
            labels = email.rsplit("@", 1)[-1].split(".")
            for index in range(len(labels) - 1):  # the host and every parent domain
                found |= self._by_domain.get(".".join(labels[index:]), set())
        summary = name_key(event.summary)
        for word in {"", *re.findall(r"\w+", summary)}:
            for key, account_id in self._by_first_word.get(word, ()):
                if account_id not in found and _whole_words(key).search(summary):
                    found.add(account_id)
        return found


def next_calls(
    events: Sequence[CalendarEvent],
    signatures: Sequence[AccountSignature],
    after: datetime,
    own_email: str | None = None,
) -> dict[int, Call]:
    """The first busy event at or after `after` that is a meeting with each account."""
    own_domain = own_email.rsplit("@", 1)[-1].lower() if own_email and "@" in own_email else ""
    matcher = CallMatcher(signatures, own_domain)
    found: dict[int, Call] = {}
    for event in sorted(events, key=lambda e: (e.start, e.summary)):
        if not event.busy or event.start < after or event.all_day:
            continue
        for account_id in matcher.accounts_in(event):
            if account_id not in found:
                found[account_id] = Call(account_id, event.start, event.summary, event.source)
    return found
