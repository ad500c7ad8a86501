"""Rows read from the store, as the model's types: one mapping function per table, each
reading a `select(*TABLE)` row by its typed columns (tables.read), so no row leaves the
store and a misspelt column fails mypy."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Row, func, select

from focusblock.errors import UnknownAccount
from focusblock.model import (
    Account,
    BlockStatus,
    Call,
    FocusBlock,
    Person,
    Remark,
    RemarkVersion,
)
from focusblock.store.store import Transaction
from focusblock.store.tables import (
    ACCOUNT,
    FOCUS_BLOCK,
    PERSON,
    REFLECTION,
    REFLECTION_TABLE,
    REMARK,
    REMARK_REVISION,
    REMARK_TABLE,
    Columns,
    read,
)
from focusblock.store.views import AccountView, ReflectionView


def account_of(row: Row[*Columns]) -> Account:
    """The account in a row of `select(*ACCOUNT)`."""
    aliases, domains = read(row, ACCOUNT.aliases), read(row, ACCOUNT.domains)
    not_call = read(row, ACCOUNT.not_call) or []  # NULL in rows older than the column
    return Account(
        id=read(row, ACCOUNT.id),
        name=read(row, ACCOUNT.name),
        owner=read(row, ACCOUNT.owner),
        stage=read(row, ACCOUNT.stage),
        aliases=tuple(aliases),
        domains=tuple(domains),
        not_call=tuple(not_call),
        code=read(row, ACCOUNT.code),
        need=read(row, ACCOUNT.need),
        consequence=read(row, ACCOUNT.consequence),
        decision_date=read(row, ACCOUNT.decision_date),
        next_call=read(row, ACCOUNT.next_call),
        created_at=read(row, ACCOUNT.created_at),
        deleted_at=read(row, ACCOUNT.deleted_at),
    )


def account_by_id(tx: Transaction, account_id: int, for_update: bool = False) -> Account:
    """Account number `account_id`, as it is now; `for_update` locks its row until the
    transaction ends (PostgreSQL; SQLite's one writer needs no lock), so that an edit
    made from what it read is never lost under another edit made at the same time."""
    query = select(*ACCOUNT).where(ACCOUNT.id == account_id)
    row = tx.conn.execute(query.with_for_update() if for_update else query).one_or_none()
    if row is None:  # merged away by another command between its look-up and now
        raise UnknownAccount(f"account #{account_id} is gone (merged or deleted meanwhile)")
    return account_of(row)


def person_of(row: Row[*Columns], account: str) -> Person:
    """The person in a row of `select(*PERSON)`, of the account named `account`; a field
    the seller cleared (stored empty, so an import leaves it so) reads as unknown."""
    return Person(
        account=account,
        name=read(row, PERSON.name),
        email=read(row, PERSON.email) or None,
        role=read(row, PERSON.role) or None,
    )


def people_of_account(tx: Transaction, account_id: int, account: str) -> tuple[Person, ...]:
    """The people of account number `account_id` (named `account`), by name."""
    query = select(*PERSON).where(PERSON.account_id == account_id)
    rows = tx.conn.execute(query.order_by(PERSON.name_key, PERSON.id))
    return tuple(person_of(row, account) for row in rows)


def remark_of(row: Row[*Columns], account: str) -> Remark:
    """The remark in a row of `select(*REMARK)`, of the account named `account`."""
    return Remark(
        id=read(row, REMARK.id),
        account=account,
        text=read(row, REMARK.text),
        who=read(row, REMARK.who),
        heard_on=read(row, REMARK.heard_on),
        via=read(row, REMARK.via),
        lens=read(row, REMARK.lens),
        source=read(row, REMARK.imported_from),
        repeat=read(row, REMARK.repeat),
        deleted_at=read(row, REMARK.deleted_at),
    )


def remark_by_id(tx: Transaction, remark_id: int, account: str) -> Remark:
    """Remark number `remark_id` (of the account named `account`), as it is now."""
    return remark_of(tx.conn.execute(select(*REMARK).where(REMARK.id == remark_id)).one(), account)


def remark_version(row: Row[*Columns]) -> RemarkVersion:
    """The earlier version in a row of `select(*REMARK_REVISION)`."""
    return RemarkVersion(
        text=read(row, REMARK_REVISION.text),
        who=read(row, REMARK_REVISION.who),
        heard_on=read(row, REMARK_REVISION.heard_on),
        via=read(row, REMARK_REVISION.via),
        lens=read(row, REMARK_REVISION.lens),
        replaced_at=read(row, REMARK_REVISION.replaced_at),
    )


def latest_answers(
    tx: Transaction, account_id: int, limit: int
) -> tuple[tuple[ReflectionView, ...], int]:
    """The account's latest `limit` answers, oldest of them first, and how many it has:
    those about the account and about its remarks that are not deleted."""
    live = REFLECTION.remark_id.is_(None) | REMARK.deleted_at.is_(None)
    query = (
        select(*REFLECTION)
        .select_from(REFLECTION_TABLE.outerjoin(REMARK_TABLE, REFLECTION.remark_id == REMARK.id))
        .where(REFLECTION.account_id == account_id, live)
    )
    total = tx.conn.execute(query.with_only_columns(func.count(REFLECTION.id))).scalar_one()
    newest = tx.conn.execute(
        query.order_by(REFLECTION.written_at.desc(), REFLECTION.id.desc()).limit(limit)
    ).all()
    return tuple(reflection_of(row) for row in reversed(newest)), int(total)


def answers_about(tx: Transaction, remark_id: int) -> tuple[ReflectionView, ...]:
    """Every answer written about one remark, oldest first."""
    rows = tx.conn.execute(
        select(*REFLECTION)
        .where(REFLECTION.remark_id == remark_id)
        .order_by(REFLECTION.written_at, REFLECTION.id)
    )
    return tuple(reflection_of(row) for row in rows)


def reflection_of(row: Row[*Columns]) -> ReflectionView:
    """The answer in a row of `select(*REFLECTION)`."""
    return ReflectionView(
        remark_id=read(row, REFLECTION.remark_id),
        question=read(row, REFLECTION.question),
        answer=read(row, REFLECTION.answer),
        written_on=read(row, REFLECTION.written_at).date(),
        remark_words=read(row, REFLECTION.remark_words),
        question_id=read(row, REFLECTION.question_id),
    )


def focus_block(row: Row[*Columns]) -> FocusBlock:
    """The block in a row of `select(*FOCUS_BLOCK)`, with the call it was planned for."""
    account_id = read(row, FOCUS_BLOCK.account_id)
    call_start = read(row, FOCUS_BLOCK.call_start)
    call = None
    if call_start is not None:
        call = Call(
            account_id,
            call_start,
            read(row, FOCUS_BLOCK.call_summary) or "",
            read(row, FOCUS_BLOCK.call_source) or "",
            read(row, FOCUS_BLOCK.call_match) or "",
        )
    return FocusBlock(
        account_id=account_id,
        week=read(row, FOCUS_BLOCK.week),
        uid=read(row, FOCUS_BLOCK.uid),
        start=read(row, FOCUS_BLOCK.start),
        end=read(row, FOCUS_BLOCK.end),
        timezone=read(row, FOCUS_BLOCK.timezone),
        sequence=read(row, FOCUS_BLOCK.sequence),
        status=BlockStatus(read(row, FOCUS_BLOCK.status)),
        updated_at=read(row, FOCUS_BLOCK.updated_at),
        content=read(row, FOCUS_BLOCK.content),
        call=call,
        pinned=bool(read(row, FOCUS_BLOCK.pinned)),
        user_text=_user_text(row),
        seen_in=read(row, FOCUS_BLOCK.seen_in),
    )


def _user_text(row: Row[*Columns]) -> tuple[str, str] | None:
    summary = read(row, FOCUS_BLOCK.user_summary)
    description = read(row, FOCUS_BLOCK.user_description)
    if summary is None and description is None:
        return None
    return summary or "", description or ""


def remark_stats(tx: Transaction, ids: list[int]) -> dict[int, tuple[int, date | None]]:
    """Each account's count of live remarks and the date of its latest, by account id."""
    if not ids:
        return {}
    rows = tx.conn.execute(
        select(REMARK.account_id, func.count(REMARK.id), func.max(REMARK.heard_on))
        .where(REMARK.account_id.in_(ids), REMARK.deleted_at.is_(None))
        .group_by(REMARK.account_id)
    ).all()
    return {account_id: (count, last) for account_id, count, last in rows}


def account_view(
    tx: Transaction, account: Account, stats: tuple[int, date | None] | None = None
) -> AccountView:
    """The plain view of an account, with its remark count and latest remark."""
    if stats is None:
        stats = remark_stats(tx, [account.id]).get(account.id, (0, None))
    return AccountView(
        id=account.id,
        name=account.name,
        owner=account.owner,
        stage=account.stage,
        aliases=account.aliases,
        domains=account.domains,
        need=account.need,
        consequence=account.consequence,
        decision_date=account.decision_date,
        next_call=account.next_call,
        remark_count=stats[0],
        last_heard=stats[1],
    )
