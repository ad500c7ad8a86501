"""How this week's placed blocks relate to the ones stored by the last plan of the week (pure).

A block keeps its UID across re-plans; SEQUENCE goes up whenever it moves, is cancelled or
comes back, so calendar clients that follow the standard (RFC 5545: an update is the same
UID with a higher SEQUENCE) replace it instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from focusblock.store.views import BlockStatus, StoredBlock


class Change(StrEnum):
    NEW = "new"
    MOVED = "moved"
    UNCHANGED = "unchanged"
    CANCELLED = "cancelled"
    STILL_CANCELLED = "still-cancelled"
    RESTORED = "restored"


@dataclass(frozen=True)
class BlockChange:
    block: StoredBlock  # the block as it is to be stored and written
    change: Change


def reconcile(
    existing: Sequence[StoredBlock],
    placed: Mapping[int, tuple[datetime, datetime]],
    uids: Mapping[int, str],
    week: str,
    zone_name: str,
    now: datetime,
) -> list[BlockChange]:
    """Every block of the week after this plan: the placed ones, then the withdrawn ones."""
    before = {b.account_id: b for b in existing}
    changes = []
    for account_id, (start, end) in placed.items():
        old = before.pop(account_id, None)
        if old is None:
            new = StoredBlock(
                account_id=account_id,
                week=week,
                uid=uids[account_id],
                start=start,
                end=end,
                timezone=zone_name,
                sequence=0,
                status=BlockStatus.PLANNED,
                updated_at=now,
            )
            changes.append(BlockChange(new, Change.NEW))
        elif old.cancelled or old.start != start or old.end != end:
            moved = replace(
                old,
                start=start,
                end=end,
                status=BlockStatus.PLANNED,
                timezone=zone_name,
                sequence=old.sequence + 1,
                updated_at=now,
            )
            changes.append(BlockChange(moved, Change.RESTORED if old.cancelled else Change.MOVED))
        else:
            changes.append(BlockChange(old, Change.UNCHANGED))
    for old in before.values():
        if old.cancelled:
            changes.append(BlockChange(old, Change.STILL_CANCELLED))
        else:
            withdrawn = replace(
                old, status=BlockStatus.CANCELLED, sequence=old.sequence + 1, updated_at=now
            )
            changes.append(BlockChange(withdrawn, Change.CANCELLED))
    return changes
