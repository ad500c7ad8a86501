"""What the weekly plan reads from the store, and storing the week's blocks afterwards."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Date, Row, case, func, insert, select, text

from focusblock.errors import Conflict
from focusblock.model import Account, BlockStatus, Call, FocusBlock
from focusblock.store.row_views import account_of, focus_block
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import (
    ACCOUNT,
    BLOCK_VERSION,
    FOCUS_BLOCK,
    FOCUS_BLOCK_TABLE,
    REFLECTION,
    REMARK,
    RETIRED_BLOCK,
    WORKSHEET_FILE,
    Columns,
    read,
    utcnow,
)
from focusblock.store.views import AccountFacts


@dataclass(frozen=True)
class PlanningFacts:
    accounts: tuple[AccountFacts, ...]
    blocks: tuple[FocusBlock, ...]  # stored by earlier plans of this week
    # deleted accounts with a block in this week: never planned, their blocks withdrawn
    deleted: tuple[AccountFacts, ...] = ()
    # the UID of every block this store ever wrote (withdrawn ones and those a merge stopped
    # planning too): an event in a calendar is one of ours only if it carries one
    ours: frozenset[str] = frozenset()
    # blocks of the week a merge stopped planning, as last written while live: their
    # events are written cancelled so no imported copy stays live
    ghosts: tuple[FocusBlock, ...] = ()
    # for each of the week's blocks, every (start, end) and event text it was written with
    versions: Mapping[str, tuple[frozenset[tuple[datetime, datetime]], frozenset[str]]] = field(
        default_factory=dict
    )


def planning_facts(store: Store, week: str, with_remarks: bool = True) -> PlanningFacts:
    """Every account this user sees, with what its remarks add up to, and the week's
    stored blocks (those of accounts deleted since, too, so the plan can withdraw them).

    `with_remarks=False` leaves the remark sums out (none): `busy` needs only the names,
    and an account of 100,000 remarks would make the database count them all."""
    with store.transaction(write=False) as tx:
        query = tx.owned(select(*ACCOUNT)).order_by(ACCOUNT.id)
        accounts = [account_of(row) for row in tx.conn.execute(query)]
        ids = [a.id for a in accounts]
        reflected = _latest(tx, REFLECTION.account_id, REFLECTION.written_at, ids)
        remarks = _remark_sums(tx, ids) if with_remarks else {}
        blocks = _latest(
            tx,
            FOCUS_BLOCK.account_id,
            FOCUS_BLOCK.end,
            ids,
            FOCUS_BLOCK.status == BlockStatus.PLANNED,
            FOCUS_BLOCK.week < week,
        )
        facts = tuple(
            _facts(a, remarks.get(a.id, _NO_REMARKS), reflected.get(a.id), blocks.get(a.id))
            for a in accounts
        )
        in_week = select(FOCUS_BLOCK.account_id).where(FOCUS_BLOCK.week == week)
        gone = [
            account_of(row)
            for row in tx.conn.execute(
                tx.owned(select(*ACCOUNT), deleted=True)
                .where(ACCOUNT.deleted_at.is_not(None), ACCOUNT.id.in_(in_week))
                .order_by(ACCOUNT.id)
            )
        ]
        deleted = tuple(_facts(a, _NO_REMARKS, None, None) for a in gone)
        every = [*ids, *(a.id for a in gone)]
        week_blocks = _week_blocks(tx, week, every)
        versions = _versions(tx, [b.uid for b in week_blocks])
        return PlanningFacts(
            facts, week_blocks, deleted, _written_uids(tx), _ghosts(tx, week), versions
        )


def block_owners(store: Store, uids: Sequence[str]) -> dict[str, int]:
    """The account of each block with one of `uids` (a block of another week the seller
    dragged into the week being planned)."""
    if not uids:
        return {}
    with store.transaction(write=False) as tx:
        rows = tx.conn.execute(
            select(FOCUS_BLOCK.uid, FOCUS_BLOCK.account_id).where(FOCUS_BLOCK.uid.in_(list(uids)))
        )
        return {uid: account_id for uid, account_id in rows}


def _ghosts(tx: Transaction, week: str) -> tuple[FocusBlock, ...]:
    rows = tx.conn.execute(
        select(*RETIRED_BLOCK)
        .where(RETIRED_BLOCK.week == week, RETIRED_BLOCK.start.is_not(None))
        .order_by(RETIRED_BLOCK.id)
    )
    ghosts = []
    for row in rows:
        start, end = read(row, RETIRED_BLOCK.start), read(row, RETIRED_BLOCK.end)
        if start is None or end is None:
            continue
        ghosts.append(_ghost(row, week, start, end))
    return tuple(ghosts)


def _ghost(row: Row[*Columns], week: str, start: datetime, end: datetime) -> FocusBlock:
    return FocusBlock(
        account_id=read(row, RETIRED_BLOCK.account_id),
        week=week,
        uid=read(row, RETIRED_BLOCK.uid),
        start=start,
        end=end,
        timezone="UTC",
        sequence=read(row, RETIRED_BLOCK.sequence) or 0,
        status=BlockStatus.PLANNED,
        updated_at=read(row, RETIRED_BLOCK.retired_at),
    )


def _versions(
    tx: Transaction, uids: list[str]
) -> dict[str, tuple[frozenset[tuple[datetime, datetime]], frozenset[str]]]:
    times: dict[str, set[tuple[datetime, datetime]]] = {}
    texts: dict[str, set[str]] = {}
    rows = tx.conn.execute(
        select(
            BLOCK_VERSION.uid, BLOCK_VERSION.start, BLOCK_VERSION.end, BLOCK_VERSION.content
        ).where(BLOCK_VERSION.uid.in_(uids))
    )
    for uid, start, end, content in rows:
        times.setdefault(uid, set()).add((start, end))
        texts.setdefault(uid, set()).add(content)
    return {uid: (frozenset(times[uid]), frozenset(texts[uid])) for uid in times}


# An account's live remarks summed up: how many, their lenses (the latest used first),
# when the latest was heard, and how many are fresh.
RemarkSums = tuple[int, tuple[str, ...], date | None, int]
_NO_REMARKS: RemarkSums = (0, (), None, 0)


def _facts(
    a: Account,
    remarks: RemarkSums,
    reflected: datetime | None,
    blocked: datetime | None,
) -> AccountFacts:
    """An account as ranking sees it, with its latest answer's and block's times."""
    count, lenses, last_heard, fresh = remarks
    return AccountFacts(
        account_id=a.id,
        name=a.name,
        stage=a.stage,
        need=a.need,
        consequence=a.consequence,
        decision_date=a.decision_date,
        remark_count=count,
        lenses=lenses,
        last_heard=last_heard,
        fresh=fresh,
        last_reflection=_as_date(reflected),
        last_block=_as_date(blocked),
        stored_next_call=a.next_call,
        aliases=a.aliases,
        domains=a.domains,
        uid_key=f"{a.owner}|{a.id}|{a.created_at.isoformat()}",
        not_call=a.not_call,
        created=a.created_at.date(),
        code=a.code,
    )


def _remark_sums(tx: Transaction, ids: list[int]) -> dict[int, RemarkSums]:
    """Each account's RemarkSums, counted by the database (no remark is read one by one).

    A remark is fresh when it was heard after the day (UTC) of the account's last
    reflection and no answer in a worksheet is about it."""
    answered = select(REFLECTION.remark_id).where(REFLECTION.remark_id.is_not(None))
    last = (
        select(
            REFLECTION.account_id,
            func.date(func.max(REFLECTION.written_at), type_=Date).label("day"),
        )
        .group_by(REFLECTION.account_id)
        .subquery()
    )
    is_fresh = case(
        (
            REMARK.id.not_in(answered) & (last.c.day.is_(None) | (REMARK.heard_on > last.c.day)),
            1,
        ),
        else_=0,
    )
    live = (REMARK.account_id.in_(ids), REMARK.deleted_at.is_(None))
    totals = tx.conn.execute(
        select(
            REMARK.account_id,
            func.count(REMARK.id),
            func.max(REMARK.heard_on),
            func.sum(is_fresh),
        )
        .outerjoin(last, last.c.account_id == REMARK.account_id)
        .where(*live)
        .group_by(REMARK.account_id)
    ).all()
    # each lens once, at its latest remark (newest first): the order the questions follow
    latest_per_lens = (
        select(
            REMARK.account_id,
            REMARK.lens,
            REMARK.heard_on,
            REMARK.id,
            func.row_number()
            .over(
                partition_by=(REMARK.account_id, REMARK.lens),
                order_by=(REMARK.heard_on.desc(), REMARK.id.desc()),
            )
            .label("n"),
        )
        .where(*live, REMARK.lens.is_not(None))
        .subquery()
    )
    lenses: dict[int, list[str]] = {}
    for account_id, lens in tx.conn.execute(
        select(latest_per_lens.c.account_id, latest_per_lens.c.lens)
        .where(latest_per_lens.c.n == 1)
        .order_by(
            latest_per_lens.c.account_id,
            latest_per_lens.c.heard_on.desc(),
            latest_per_lens.c.id.desc(),
        )
    ):
        lenses.setdefault(account_id, []).append(lens)
    return {
        account_id: (count, tuple(lenses.get(account_id, ())), last_heard, int(fresh or 0))
        for account_id, count, last_heard, fresh in totals
    }


def _latest(
    tx: Transaction,
    key: Column[int],
    value: Column[datetime],
    ids: list[int],
    *where: ColumnElement[bool],
) -> dict[int, datetime]:
    query = select(key, func.max(value)).where(key.in_(ids), *where).group_by(key)
    return {k: v for k, v in tx.conn.execute(query).all()}


def _as_date(value: datetime | None) -> date | None:
    """The day of a MAX() over a timestamp column (typed by the column, on every backend)."""
    return value.date() if value is not None else None


def _week_blocks(tx: Transaction, week: str, ids: list[int]) -> tuple[FocusBlock, ...]:
    rows = tx.conn.execute(
        select(*FOCUS_BLOCK)
        .where(FOCUS_BLOCK.week == week, FOCUS_BLOCK.account_id.in_(ids))
        .order_by(FOCUS_BLOCK.id)
    )
    return tuple(focus_block(row) for row in rows)


def save_week_blocks(
    store: Store,
    week: str,
    blocks: Sequence[FocusBlock],
    seen: Sequence[FocusBlock],
    worksheets: Mapping[int, str] | None = None,
    now: datetime | None = None,
    before_commit: Callable[[], None] | None = None,
    written_text: Mapping[str, str] | None = None,
) -> None:
    """Store the week's blocks as this plan decided them, in one short transaction.

    `seen` is what the plan read before deciding; if another plan of the week stored
    blocks since, nothing is written and Conflict says so, instead of two plans
    mixing their blocks. `worksheets` is where this plan wrote each account's Markdown
    worksheet: remembered, so a later plan reads its answers first, wherever it writes.
    `written_text` is the event text (writing.event_text) of each block written, by UID:
    kept with its times, so a later plan tells the seller's edits from older imports.
    `before_commit` runs once the check has passed, under the week's lock (a plan puts
    its files in place there: a plan that loses the race writes none); if it fails,
    nothing is saved.
    """
    with store.transaction() as tx:
        _lock_week(tx, week)
        ids = sorted({b.account_id for b in (*blocks, *seen)})
        current = {b.account_id: b for b in _week_blocks(tx, week, ids)}
        if current != {b.account_id: b for b in seen}:
            raise Conflict(
                f"another plan of week {week} was saved while this one ran; nothing was saved",
                hint="run the plan again",
            )
        query = select(FOCUS_BLOCK.account_id, FOCUS_BLOCK.id).where(
            FOCUS_BLOCK.week == week, FOCUS_BLOCK.account_id.in_(ids)
        )
        stored = {account_id: row_id for account_id, row_id in tx.conn.execute(query)}
        for block in blocks:
            values = _block_values(block)
            row_id = stored.get(block.account_id)
            if row_id is None:
                new = {
                    FOCUS_BLOCK.account_id: block.account_id,
                    FOCUS_BLOCK.week: week,
                    FOCUS_BLOCK.uid: block.uid,
                }
                tx.conn.execute(insert(FOCUS_BLOCK_TABLE).values({**new, **values}))
            else:
                tx.update(FOCUS_BLOCK.id, row_id, values)
        _record_worksheet_files(tx, week, worksheets or {}, now or utcnow())
        _record_versions(tx, blocks, written_text or {})
        if before_commit is not None:
            before_commit()


def _record_versions(
    tx: Transaction, blocks: Sequence[FocusBlock], written_text: Mapping[str, str]
) -> None:
    """Each live block's times and text as written now, unless written so before."""
    live = [b for b in blocks if b.status is BlockStatus.PLANNED and b.uid in written_text]
    if not live:
        return
    known = {
        (uid, start, end, content)
        for uid, start, end, content in tx.conn.execute(
            select(
                BLOCK_VERSION.uid, BLOCK_VERSION.start, BLOCK_VERSION.end, BLOCK_VERSION.content
            ).where(BLOCK_VERSION.uid.in_([b.uid for b in live]))
        )
    }
    for block in live:
        key = (block.uid, block.start, block.end, written_text[block.uid])
        if key not in known:
            known.add(key)
            tx.insert(
                {
                    BLOCK_VERSION.account_id: block.account_id,
                    BLOCK_VERSION.uid: block.uid,
                    BLOCK_VERSION.start: block.start,
                    BLOCK_VERSION.end: block.end,
                    BLOCK_VERSION.content: written_text[block.uid],
                }
            )


def _record_worksheet_files(
    tx: Transaction, week: str, written: Mapping[int, str], now: datetime
) -> None:
    """Under the week's lock, so two plans never record one path twice."""
    if not written:
        return
    rows = tx.conn.execute(
        select(WORKSHEET_FILE.account_id, WORKSHEET_FILE.path).where(
            WORKSHEET_FILE.week == week, WORKSHEET_FILE.account_id.in_(list(written))
        )
    )
    known = {(account_id, path) for account_id, path in rows}
    for account_id, path in written.items():
        if (account_id, path) not in known:
            tx.insert(
                {
                    WORKSHEET_FILE.account_id: account_id,
                    WORKSHEET_FILE.week: week,
                    WORKSHEET_FILE.path: path,
                    WORKSHEET_FILE.written_at: now,
                }
            )


def _block_values(block: FocusBlock) -> dict[Column[Any], object]:
    """The columns of a block that a plan sets (the account, week and UID stay)."""
    call = block.call
    return {
        FOCUS_BLOCK.start: block.start,
        FOCUS_BLOCK.end: block.end,
        FOCUS_BLOCK.timezone: block.timezone,
        FOCUS_BLOCK.sequence: block.sequence,
        FOCUS_BLOCK.status: block.status,
        FOCUS_BLOCK.updated_at: block.updated_at,
        FOCUS_BLOCK.content: block.content,
        FOCUS_BLOCK.call_start: call.start if call else None,
        FOCUS_BLOCK.call_summary: call.summary if call else None,
        FOCUS_BLOCK.call_source: call.source if call else None,
        FOCUS_BLOCK.call_match: call.matched_by if call else None,
        FOCUS_BLOCK.pinned: block.pinned,
        FOCUS_BLOCK.user_summary: block.user_text[0] if block.user_text else None,
        FOCUS_BLOCK.user_description: block.user_text[1] if block.user_text else None,
        FOCUS_BLOCK.seen_in: block.seen_in,
    }


def _lock_week(tx: Transaction, week: str) -> None:
    """Two plans of one week store their blocks one after the other, never interleaved.

    SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL gets a transaction-
    scoped advisory lock, so the second plan sees the first one's blocks and stops.
    """
    if tx.conn.dialect.name != "postgresql":
        return
    key = zlib.crc32(f"focusblock plan {week}".encode()) - 2**31  # a signed 32-bit key
    tx.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def remark_texts(store: Store, limit: int) -> dict[int, list[tuple[date, str]]]:
    """(heard_on, text) of each account's newest remarks, newest first, at most `limit`."""
    with store.transaction(write=False) as tx:
        ids = list(tx.conn.scalars(tx.owned(select(ACCOUNT.id))))
        ranked = (
            select(
                REMARK.account_id,
                REMARK.heard_on,
                REMARK.text,
                func.row_number()
                .over(
                    partition_by=REMARK.account_id,
                    order_by=(REMARK.heard_on.desc(), REMARK.id.desc()),
                )
                .label("n"),
            )
            .where(REMARK.account_id.in_(ids), REMARK.deleted_at.is_(None))
            .subquery()
        )
        rows = tx.conn.execute(
            select(ranked.c.account_id, ranked.c.heard_on, ranked.c.text)
            .where(ranked.c.n <= limit)
            .order_by(ranked.c.account_id, ranked.c.n)
        )
        found: dict[int, list[tuple[date, str]]] = {}
        for account_id, heard_on, said in rows:
            found.setdefault(account_id, []).append((heard_on, said))
        return found


def known_call(tx: Transaction, account_id: int, after: datetime) -> Call | None:
    """The next call the latest plan found for the account, if it is still ahead."""
    row = tx.conn.execute(
        select(*FOCUS_BLOCK)
        .where(FOCUS_BLOCK.account_id == account_id, FOCUS_BLOCK.call_start >= after)
        .order_by(FOCUS_BLOCK.week.desc())
        .limit(1)
    ).first()
    return focus_block(row).call if row is not None else None


def _written_uids(tx: Transaction) -> frozenset[str]:
    planned = tx.conn.scalars(select(FOCUS_BLOCK.uid))
    retired = tx.conn.scalars(select(RETIRED_BLOCK.uid))
    return frozenset((*planned, *retired))
