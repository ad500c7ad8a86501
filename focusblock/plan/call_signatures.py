"""What recognises each account's meetings in a calendar, made from the store's facts."""

from __future__ import annotations

from collections.abc import Sequence

from focusblock.calendar.calls import AccountSignature
from focusblock.store.views import AccountFacts


def signatures(accounts: Sequence[AccountFacts]) -> list[AccountSignature]:
    """What recognises each account's meetings (names, aliases, domains, refused titles):
    one list for the plan's calls, `busy` and the glance, so all take the same events."""
    return [
        AccountSignature(a.account_id, (a.name, *a.aliases), a.domains, a.not_call)
        for a in accounts
    ]
