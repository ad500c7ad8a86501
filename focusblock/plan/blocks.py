"""How this week's placed blocks relate to the ones stored by the last plan of the week (pure).

A block keeps its UID across re-plans; SEQUENCE goes up whenever it moves, its title or
description changes, it is cancelled or comes back, so calendar clients that follow the
standard (RFC 5545: an update is the same UID with a higher SEQUENCE) replace it instead
of adding a second one. A block that has begun is history: it stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from focusblock.model import BlockStatus, Call, FocusBlock


class Change(StrEnum):
    NEW = "new"
    MOVED = "moved"
    UPDATED = "updated"  # same time, new title or description
    UNCHANGED = "unchanged"
    CANCELLED = "cancelled"
    STILL_CANCELLED = "still-cancelled"
    RESTORED = "restored"


@dataclass(frozen=True)
class BlockChange:
    block: FocusBlock  # the block as it is to be stored and written
    change: Change


@dataclass(frozen=True)
class Placed:
    """What this plan wants for one account's block."""

    start: datetime
    end: datetime
    content: str  # fingerprint of the text the event shows
    call: Call | None = None


def reconcile(
    existing: Sequence[FocusBlock],
    placed: Mapping[int, Placed],
    uids: Mapping[int, str],
    week: str,
    zone_name: str,
    now: datetime,
) -> list[BlockChange]:
    """Every block of the week after this plan: the placed ones, then the withdrawn ones.

    Blocks that started before `now` are kept exactly as stored, whatever `placed` says.
    """
    before = {b.account_id: b for b in existing}
    changes = []
    for old in existing:
        if started(old, now):
            changes.append(BlockChange(before.pop(old.account_id), Change.UNCHANGED))
    for account_id, want in placed.items():
        if account_id not in before:
            if any(c.block.account_id == account_id for c in changes):
                continue  # kept above
            new = FocusBlock(
                account_id=account_id,
                week=week,
                uid=uids[account_id],
                start=want.start,
                end=want.end,
                timezone=zone_name,
                sequence=0,
                status=BlockStatus.PLANNED,
                updated_at=now,
                content=want.content,
                call=want.call,
            )
            changes.append(BlockChange(new, Change.NEW))
            continue
        changes.append(_changed(before.pop(account_id), want, zone_name, now))
    for old in before.values():
        if old.cancelled:
            changes.append(BlockChange(old, Change.STILL_CANCELLED))
        else:
            withdrawn = replace(
                old, status=BlockStatus.CANCELLED, sequence=old.sequence + 1, updated_at=now
            )
            changes.append(BlockChange(withdrawn, Change.CANCELLED))
    return changes


def started(block: FocusBlock, now: datetime) -> bool:
    """A planned block that began before `now`: past or under way, never moved again."""
    return not block.cancelled and block.start < now


def _changed(old: FocusBlock, want: Placed, zone_name: str, now: datetime) -> BlockChange:
    moved = old.start != want.start or old.end != want.end
    if not old.cancelled and not moved and old.content == want.content:
        return BlockChange(replace(old, call=want.call), Change.UNCHANGED)
    change = Change.RESTORED if old.cancelled else Change.MOVED if moved else Change.UPDATED
    new = replace(
        old,
        start=want.start,
        end=want.end,
        status=BlockStatus.PLANNED,
        timezone=zone_name,
        sequence=old.sequence + 1,
        updated_at=now,
        content=want.content,
        call=want.call,
    )
    return BlockChange(new, change)
