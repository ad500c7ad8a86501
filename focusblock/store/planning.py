"""What planning needs from the store, and recording the placed blocks of a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from focusblock.plan.ranking import RemarkFact
from focusblock.store.models import Account, FocusBlock, Reflection, Remark
from focusblock.store.store import Store


@dataclass(frozen=True)
class AccountForPlanning:
    account_id: int
    name: str
    uid_key: str  # stable identity for block UIDs: owner, id and creation time
    stage: str
    need: str | None
    consequence: str | None
    decision_date: date | None
    stored_next_call: datetime | None
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    remarks: tuple[RemarkFact, ...]
    last_reflection: date | None
    last_block: date | None


def accounts_for_planning(
    session: Session, store: Store, week_label: str
) -> list[AccountForPlanning]:
    query = select(Account)
    if not store.all_owners:
        query = query.where(Account.owner == store.owner)
    accounts = session.scalars(query.order_by(Account.id)).all()
    ids = [a.id for a in accounts]
    answered = set(
        session.scalars(
            select(Reflection.remark_id).where(
                Reflection.account_id.in_(ids), Reflection.remark_id.is_not(None)
            )
        )
    )
    remarks: dict[int, list[RemarkFact]] = {i: [] for i in ids}
    for remark_id, account_id, heard_on, lens in session.execute(
        select(Remark.id, Remark.account_id, Remark.heard_on, Remark.lens).where(
            Remark.account_id.in_(ids)
        )
    ):
        remarks[account_id].append(RemarkFact(heard_on, lens, remark_id in answered))
    reflected = dict(
        session.execute(
            select(Reflection.account_id, func.max(Reflection.written_at))
            .where(Reflection.account_id.in_(ids))
            .group_by(Reflection.account_id)
        ).all()
    )
    blocks = dict(
        session.execute(
            select(FocusBlock.account_id, func.max(FocusBlock.end))
            .where(
                FocusBlock.account_id.in_(ids),
                FocusBlock.status == "planned",
                FocusBlock.week < week_label,
            )
            .group_by(FocusBlock.account_id)
        ).all()
    )
    return [
        AccountForPlanning(
            account_id=a.id,
            name=a.name,
            uid_key=f"{a.owner}|{a.id}|{a.created_at.isoformat()}",
            stage=a.stage,
            need=a.need,
            consequence=a.consequence,
            decision_date=a.decision_date,
            stored_next_call=a.next_call,
            aliases=tuple(a.aliases or ()),
            domains=tuple(a.domains or ()),
            remarks=tuple(sorted(remarks[a.id], key=lambda r: r.heard_on)),
            last_reflection=_as_date(reflected.get(a.id)),
            last_block=_as_date(blocks.get(a.id)),
        )
        for a in accounts
    ]


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # SQLite's MAX() over a datetime column returns text
        return datetime.fromisoformat(value).date()
    return value if isinstance(value, date) else None


def remark_texts(session: Session, account_id: int) -> list[tuple[date, str]]:
    """(heard_on, text), newest first."""
    rows = session.execute(
        select(Remark.heard_on, Remark.text)
        .where(Remark.account_id == account_id)
        .order_by(Remark.heard_on.desc(), Remark.id.desc())
    ).all()
    return [(heard_on, text) for heard_on, text in rows]


@dataclass(frozen=True)
class BlockRecord:
    account_id: int
    uid: str
    sequence: int
    start: datetime
    end: datetime
    cancelled: bool
    change: str  # new | moved | unchanged | cancelled | still-cancelled | restored
    last_modified: datetime


def record_week(
    session: Session,
    week_label: str,
    zone_name: str,
    placed: dict[int, tuple[datetime, datetime]],
    uids: dict[int, str],
    account_ids: list[int],
    now: datetime,
) -> list[BlockRecord]:
    """Make the store's blocks for the week match `placed`; return every block of the week.

    A block keeps its UID across re-plans; SEQUENCE goes up whenever it moves, is
    cancelled or comes back, so calendar clients that follow the standard update it.
    """
    existing = {
        b.account_id: b
        for b in session.scalars(
            select(FocusBlock).where(
                FocusBlock.week == week_label, FocusBlock.account_id.in_(account_ids)
            )
        )
    }
    records = []
    for account_id, (start, end) in placed.items():
        block = existing.pop(account_id, None)
        if block is None:
            block = FocusBlock(
                account_id=account_id,
                week=week_label,
                start=start,
                end=end,
                timezone=zone_name,
                uid=uids[account_id],
                sequence=0,
                status="planned",
                updated_at=now,
            )
            session.add(block)
            change = "new"
        elif block.status != "planned":
            change = "restored"
        elif block.start != start or block.end != end:
            change = "moved"
        else:
            change = "unchanged"
        if change in ("moved", "restored"):
            block.start, block.end, block.status, block.timezone = start, end, "planned", zone_name
            block.sequence += 1
            block.updated_at = now
        records.append(_record(block, change))
    for block in existing.values():
        if block.status == "planned":
            block.status = "cancelled"
            block.sequence += 1
            block.updated_at = now
            records.append(_record(block, "cancelled"))
        else:
            records.append(_record(block, "still-cancelled"))
    session.flush()
    return records


def _record(block: FocusBlock, change: str) -> BlockRecord:
    return BlockRecord(
        account_id=block.account_id,
        uid=block.uid,
        sequence=block.sequence,
        start=block.start,
        end=block.end,
        cancelled=block.status != "planned",
        change=change,
        last_modified=block.updated_at,
    )
