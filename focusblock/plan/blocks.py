"""The week's focus blocks as the plan decides them, reconciled with the last plan's (pure).

A block keeps its UID across re-plans; SEQUENCE goes up whenever it moves, its title or
description changes, it is cancelled or comes back, so calendar clients that follow the
standard (RFC 5545: an update is the same UID with a higher SEQUENCE) replace it instead
of adding a second one. A block that has begun is history: it stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
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
    PINNED = "kept where you moved it"
    REMOVED = "removed by you"


@dataclass(frozen=True)
class PlanBlock:
    """One focus block of the week as decided: the block to store and write, what changed
    since the last plan of the week, and what the plan adds to it (the account's name,
    why, where its worksheet is, what the event says)."""

    block: FocusBlock
    change: Change
    account: str  # the account's name
    reason: str
    why_here: str = ""
    sheet_stem: str | None = None  # file name of its worksheets, without the extension
    flags: tuple[str, ...] = ()
    lead_lenses: tuple[str, ...] = ()  # what is missing: the worksheet starts there
    # the event taken as the account's next call now; a block under way keeps, in
    # `block.call`, the call it was planned for
    call: Call | None = None
    description: str = ""  # what the calendar event says (unless private)
    code: str | None = None  # the account's code, the title of a private block

    @property
    def account_id(self) -> int:
        return self.block.account_id

    @property
    def start(self) -> datetime:
        return self.block.start

    @property
    def end(self) -> datetime:
        return self.block.end

    @property
    def next_call(self) -> datetime | None:
        return self.call.start if self.call else None

    @property
    def worksheet(self) -> str | None:
        return f"{self.sheet_stem}.html" if self.sheet_stem else None


def reconcile(
    existing: Sequence[FocusBlock],
    wanted: Mapping[int, PlanBlock],
    withdrawn: Callable[[FocusBlock, Change], PlanBlock],
    now: datetime,
    moved_by_hand: Collection[str] = (),
    removed_by_hand: Collection[str] = (),
) -> list[PlanBlock]:
    """Every block of the week after this plan: the wanted ones, then the withdrawn ones.

    `wanted` holds, per account, the block this plan wants as if it were new (sequence
    0, change NEW); a block stored for the account keeps its UID and counts up from its
    sequence. `withdrawn` makes the line of a stored block this plan no longer wants.
    Blocks that started before `now` are kept exactly as stored, whatever `wanted` says;
    so are blocks the seller moved by hand (pinned; `moved_by_hand` are the UIDs they moved
    since the last plan) and those whose event they deleted (removed; `removed_by_hand`
    since the last plan).
    """
    before = {b.account_id: b for b in existing}
    result: list[PlanBlock] = []
    for old in existing:
        if old.status is BlockStatus.REMOVED and not started(old, now):
            before.pop(old.account_id)
            change = Change.REMOVED if old.uid in removed_by_hand else Change.UNCHANGED
            result.append(withdrawn(old, change))
        elif started(old, now) or (old.pinned and old.status is BlockStatus.PLANNED):
            kept = before.pop(old.account_id)
            want = wanted.get(kept.account_id)
            change = Change.PINNED if kept.uid in moved_by_hand else Change.UNCHANGED
            result.append(
                replace(want, block=kept, change=change) if want else withdrawn(kept, change)
            )
    kept_ids = {p.account_id for p in result}
    for account_id, want in wanted.items():
        if account_id in kept_ids:
            continue
        stored = before.pop(account_id, None)
        result.append(want if stored is None else _changed(stored, want, now))
    for old in before.values():
        if old.cancelled:
            result.append(withdrawn(old, Change.STILL_CANCELLED))
        else:
            gone = replace(
                old, status=BlockStatus.CANCELLED, sequence=old.sequence + 1, updated_at=now
            )
            result.append(withdrawn(gone, Change.CANCELLED))
    return result


def started(block: FocusBlock, now: datetime) -> bool:
    """A planned block that began before `now`: past or under way, never moved again."""
    return not block.cancelled and block.start < now


def _changed(old: FocusBlock, want: PlanBlock, now: datetime) -> PlanBlock:
    new = want.block
    moved = old.start != new.start or old.end != new.end
    if not old.cancelled and not moved and old.content == new.content:
        return replace(want, block=replace(old, call=new.call), change=Change.UNCHANGED)
    change = Change.RESTORED if old.cancelled else Change.MOVED if moved else Change.UPDATED
    block = replace(
        old,
        start=new.start,
        end=new.end,
        status=BlockStatus.PLANNED,
        timezone=new.timezone,
        sequence=old.sequence + 1,
        updated_at=now,
        content=new.content,
        call=new.call,
    )
    return replace(want, block=block, change=change)
