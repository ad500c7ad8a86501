"""Recognising meetings with an account in the calendar: attendee domain, name or alias.

A name or alias counts only as whole words of the title. A title that names two accounts
(and has no attendee from either) is ambiguous: it is reported, never taken as a call.
Titles the user said are never an account's call (`account edit --not-call`) are skipped.
A meeting among colleagues only (focusblock/people.py: someone besides the seller invited,
every invitee at the seller's own domains) is never a call, whatever its title names: the
deal desk about a customer's discount is not that customer's call.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from focusblock.calendar.events import NO_TITLE, CalendarEvent
from focusblock.calendar.prefilter import own_lines, unfolded
from focusblock.calendar.writing import PRIVATE_TITLE, SUMMARY_PREFIX
from focusblock.model import Call
from focusblock.names import name_key
from focusblock.people import is_internal, own_domains, plain_address
from focusblock.said import address_key, speaker_key


@dataclass(frozen=True)
class AccountSignature:
    account_id: int
    names: tuple[str, ...]  # name and aliases
    domains: tuple[str, ...]
    not_call: tuple[str, ...] = ()  # title words that are never this account's call


@dataclass(frozen=True)
class CallSearch:
    calls: dict[int, Call]
    warnings: tuple[str, ...]  # ambiguous titles, not taken


@lru_cache(maxsize=65536)
def _whole_words(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")


class CallMatcher:
    """Finds the accounts a meeting is with, for thousands of accounts at once.

    Names are indexed by their first word and domains by exact host, so each event
    costs a few dictionary look-ups instead of a check against every account. `own` are
    the seller's own domains and `seller` their address: colleagues are nobody's customer.
    """

    def __init__(
        self,
        signatures: Sequence[AccountSignature],
        own: Collection[str] = frozenset(),
        seller: str | None = None,
    ) -> None:
        self._own = frozenset(own)
        self._seller = plain_address(seller) if seller else None
        self._by_domain: dict[str, set[int]] = {}
        self._by_first_word: dict[str, list[tuple[str, str, int]]] = {}
        self._not_call = {s.account_id: tuple(name_key(t) for t in s.not_call) for s in signatures}
        for signature in signatures:
            for domain in signature.domains:
                if domain and domain not in self._own:
                    self._by_domain.setdefault(domain, set()).add(signature.account_id)
            for name in signature.names:
                key = name_key(name)
                if key:
                    words = re.findall(r"\w+", key)
                    first = words[0] if words else ""  # "" : a name without letters, always checked
                    entry = (key, name, signature.account_id)
                    self._by_first_word.setdefault(first, []).append(entry)

    def matches(self, event: CalendarEvent) -> tuple[dict[int, str], dict[int, str]]:
        """The accounts an event is with, by attendee domain and by name: id -> how."""
        by_domain: dict[int, str] = {}
        for email in event.attendee_emails:
            if plain_address(email) == self._seller:
                continue  # the seller is on their own invitations: no customer's attendee
            labels = email.rsplit("@", 1)[-1].split(".")
            for index in range(len(labels) - 1):  # the host and every parent domain
                domain = ".".join(labels[index:])
                for account_id in self._by_domain.get(domain, set()):
                    by_domain.setdefault(account_id, f"attendee @{domain}")
        summary = name_key(event.summary)
        by_name: dict[int, str] = {}
        for word in {"", *re.findall(r"\w+", summary)}:
            for key, name, account_id in self._by_first_word.get(word, ()):
                if account_id not in by_name and _whole_words(key).search(summary):
                    by_name[account_id] = f"name '{name}'"
        refused = {
            i
            for i in {*by_domain, *by_name}
            if any(text and text in summary for text in self._not_call.get(i, ()))
        }
        return (
            {i: how for i, how in by_domain.items() if i not in refused},
            {i: how for i, how in by_name.items() if i not in refused},
        )

    def is_internal(self, event: CalendarEvent) -> bool:
        """Whether the meeting is among the seller's colleagues only (the organizer counts)."""
        return is_internal(event.attendee_emails, self._own, self._seller)

    def calls_in(self, event: CalendarEvent) -> tuple[dict[int, str], str | None]:
        """The accounts a meeting is a call with (id -> how it was recognised), and, for a
        title that names several accounts with no attendee of any, no account but the
        warning that says so: such a title is ambiguous, never taken as a call. An internal
        meeting is a call with no one, and so is a focus block (by its title: a copy of
        one under another UID, as Google's duplicate or an Outlook re-import makes)."""
        if self.is_internal(event) or _a_focus_block(event.summary):
            return {}, None
        by_domain, by_name = self.matches(event)
        if not by_domain and len(by_name) > 1:
            return {}, (
                f"'{event.summary}' ({event.start:%Y-%m-%d %H:%M}) names several accounts "
                f"({', '.join(sorted(by_name.values()))}): ambiguous, not taken as a call; "
                "add their domains, or account edit NAME --not-call TEXT"
            )
        return {**by_name, **by_domain}, None


# a parameter's value may be quoted and hold ':' (RFC 5545 3.1); the first ':' outside
# quotes starts the value
# the value up to the line feed: icalendar keeps a lone carriage return in the title
_SUMMARY = re.compile(r'^SUMMARY(?:;(?:[^\r\n";:]|"[^"\r\n]*")*)*:([^\n]*)', re.M | re.I)
_AFTER_AT = re.compile(r"@([^\n]*)")
_HOST_PART = re.compile(r"[\w.-]+")
_ESCAPED = re.compile(r"\\([\\,;:nN])")


class CallText:
    """Whether an event's raw text may be a call with one of the accounts, without parsing
    it: the same tests as CallMatcher.matches, on text, each loosened so that it can only
    say yes more often (a name anywhere in the title rather than as whole words, an
    address anywhere in the event rather than only among its attendees)."""

    def __init__(self, signatures: Sequence[AccountSignature]) -> None:
        self._domains = {d.lower() for s in signatures for d in s.domains if d}
        self._by_first_word: dict[str, list[str]] = {}
        for signature in signatures:
            for name in signature.names:
                key = name_key(name)
                if key:
                    words = re.findall(r"\w+", key)
                    self._by_first_word.setdefault(words[0] if words else "", []).append(key)

    def may_be_call(self, block: bytes) -> bool:
        """False only when the event `block` (one VEVENT's raw text) is certainly no call."""
        if not self._domains and not self._by_first_word:
            return False  # no account, no call
        raw = unfolded(block)
        text = raw.decode("utf-8", "replace")
        if self._domains:
            # every name-like run after any '@' on its line, with each parent domain: the
            # reader takes the whole host after the last '@', whatever characters it holds
            for tail in _AFTER_AT.findall(text.lower()):
                for host in _HOST_PART.findall(tail):
                    labels = host.strip(".").split(".")
                    if any(".".join(labels[i:]) in self._domains for i in range(len(labels))):
                        return True
        own = own_lines(raw)  # the event's own title, not an alarm's
        titles = _SUMMARY.findall(own.decode("utf-8", "replace")) if own is not None else None
        if titles is None or len(titles) > 1:
            return True  # an alarm left open, or two titles: the reader's own reading
        # an event without a title (or an empty one) is read as NO_TITLE, and matched so
        title = _unescape(titles[0]).strip() if titles else ""
        summary = name_key(title or NO_TITLE)  # as the parser reads the title
        for word in {"", *re.findall(r"\w+", summary)}:
            if any(key in summary for key in self._by_first_word.get(word, ())):
                return True
        return False


def _unescape(value: str) -> str:
    """An iCalendar TEXT value as the parser reads it (RFC 5545 3.3.11): a backslash
    before n or N is a line break, before a backslash, comma, semicolon or colon that
    character; any other backslash stays."""
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _a_focus_block(summary: str) -> bool:
    return summary.startswith(SUMMARY_PREFIX) or summary.startswith(PRIVATE_TITLE)


def seller_matcher(
    signatures: Sequence[AccountSignature],
    own_email: str | None,
    colleague_domains: Iterable[str] = (),
) -> CallMatcher:
    """The matcher for a seller at `own_email` whose colleagues are also at
    `colleague_domains` (the settings `email` and `colleague_domains`)."""
    return CallMatcher(signatures, own_domains(own_email, colleague_domains), own_email)


def next_calls(
    events: Sequence[CalendarEvent],
    signatures: Sequence[AccountSignature],
    after: datetime,
    own_email: str | None = None,
    colleague_domains: Iterable[str] = (),
) -> CallSearch:
    """The first busy event at or after `after` that is a meeting with each account
    (never a meeting among colleagues only)."""
    matcher = seller_matcher(signatures, own_email, colleague_domains)
    found: dict[int, Call] = {}
    warnings: dict[str, str] = {}  # one per title: a weekly meeting is one question
    for event in sorted(events, key=lambda e: (e.start, e.summary)):
        if not event.busy or event.start < after or event.all_day:
            continue
        taken, ambiguous = matcher.calls_in(event)
        if ambiguous is not None:
            warnings.setdefault(event.summary, ambiguous)
        for account_id, how in taken.items():
            if account_id not in found:
                found[account_id] = Call(account_id, event.start, event.summary, event.source, how)
    return CallSearch(found, tuple(warnings.values()))


# a recording starts a little before or after the invitation says; a call overruns
_CALL_SLACK = timedelta(minutes=30)


def event_of_call(
    events: Iterable[CalendarEvent], speakers: Sequence[str], began: datetime | None
) -> CalendarEvent | None:
    """The calendar event a transcript is the call of: an event with attendees of the
    speakers' names, at `began` when the transcript says when the call began.

    Without a time, only an event that two speakers attended (or the one speaker of a
    one-voice file) is taken, and only when no other event fits as well: a wrong call's
    attendees would place speakers wrongly.
    """
    wanted = {speaker_key(s) for s in speakers} - {""}
    if not wanted:
        return None
    scored: list[tuple[int, timedelta, CalendarEvent]] = []
    for event in events:
        if event.all_day:
            continue
        if began is not None and not (
            event.start - _CALL_SLACK <= began <= event.end + _CALL_SLACK
        ):
            continue
        names = {speaker_key(n) for _, n in event.attendee_names if n}
        names |= {address_key(a) for a, _ in event.attendee_names}
        met = len(wanted & names)
        if met == 0 or (began is None and met < min(2, len(wanted))):
            continue
        distance = abs(event.start - began) if began is not None else timedelta()
        scored.append((met, distance, event))
    if not scored:
        return None
    scored.sort(key=lambda item: (-item[0], item[1]))
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None  # two events fit as well: neither is taken
    return scored[0][2]
