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
    fields,
)
from focusblock.store.views import AccountView, ReflectionView


def account_of(row: Row[*Columns]) -> Account:
    """The account in a row of `select(*ACCOUNT)`."""
    values = fields(row)
    aliases, domains = values[ACCOUNT.aliases], values[ACCOUNT.domains]
    not_call = values[ACCOUNT.not_call] or []  # NULL in rows older than the column
    return Account(
        id=values[ACCOUNT.id],
        name=values[ACCOUNT.name],
        owner=values[ACCOUNT.owner],
        stage=values[ACCOUNT.stage],
        aliases=tuple(aliases),
        domains=tuple(domains),
        not_call=tuple(not_call),
        code=values[ACCOUNT.code],
        need=values[ACCOUNT.need],
        consequence=values[ACCOUNT.consequence],
        decision_date=values[ACCOUNT.decision_date],
        next_call=values[ACCOUNT.next_call],
        created_at=values[ACCOUNT.created_at],
        deleted_at=values[ACCOUNT.deleted_at],
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
    values = fields(row)
    return Person(
        account=account,
        name=values[PERSON.name],
        email=values[PERSON.email] or None,
        role=values[PERSON.role] or None,
    )


def people_of_account(tx: Transaction, account_id: int, account: str) -> tuple[Person, ...]:
    """The people of account number `account_id` (named `account`), by name."""
    query = select(*PERSON).where(PERSON.account_id == account_id)
    rows = tx.conn.execute(query.order_by(PERSON.name_key, PERSON.id))
    return tuple(person_of(row, account) for row in rows)


# the columns remark_of reads: a list selects these, not every column (search_text is a
# second copy of every text, and each timestamp is parsed from SQLite's text)
REMARK_SHOWN = (
    REMARK.id,
    REMARK.text,
    REMARK.who,
    REMARK.heard_on,
    REMARK.via,
    REMARK.lens,
    REMARK.imported_from,
    REMARK.repeat,
    REMARK.deleted_at,
)


def remark_of(row: Row[*Columns], account: str | None = None) -> Remark:
    """The remark in a row of `select(*REMARK_SHOWN)` (or of `select(*REMARK)`), of the
    account named `account`; None: the row holds the name too (ACCOUNT.name, joined)."""
    values = fields(row)
    return Remark(
        id=values[REMARK.id],
        account=values[ACCOUNT.name] if account is None else account,
        text=values[REMARK.text],
        who=values[REMARK.who],
        heard_on=values[REMARK.heard_on],
        via=values[REMARK.via],
        lens=values[REMARK.lens],
        source=values[REMARK.imported_from],
        repeat=values[REMARK.repeat],
        deleted_at=values[REMARK.deleted_at],
    )


def remark_by_id(tx: Transaction, remark_id: int, account: str) -> Remark:
    """Remark number `remark_id` (of the account named `account`), as it is now."""
    return remark_of(tx.conn.execute(select(*REMARK).where(REMARK.id == remark_id)).one(), account)


def remark_version(row: Row[*Columns]) -> RemarkVersion:
    """The earlier version in a row of `select(*REMARK_REVISION)`."""
    values = fields(row)
    return RemarkVersion(
        text=values[REMARK_REVISION.text],
        who=values[REMARK_REVISION.who],
        heard_on=values[REMARK_REVISION.heard_on],
        via=values[REMARK_REVISION.via],
        lens=values[REMARK_REVISION.lens],
        replaced_at=values[REMARK_REVISION.replaced_at],
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
    values = fields(row)
    return ReflectionView(
        remark_id=values[REFLECTION.remark_id],
        question=values[REFLECTION.question],
        answer=values[REFLECTION.answer],
        written_on=values[REFLECTION.written_at].date(),
        remark_words=values[REFLECTION.remark_words],
        question_id=values[REFLECTION.question_id],
    )


def focus_block(row: Row[*Columns]) -> FocusBlock:
    """The block in a row of `select(*FOCUS_BLOCK)`, with the call it was planned for."""
    values = fields(row)
    account_id = values[FOCUS_BLOCK.account_id]
    call_start = values[FOCUS_BLOCK.call_start]
    call = None
    if call_start is not None:
        call = Call(
            account_id,
            call_start,
            values[FOCUS_BLOCK.call_summary] or "",
            values[FOCUS_BLOCK.call_source] or "",
            values[FOCUS_BLOCK.call_match] or "",
        )
    return FocusBlock(
        account_id=account_id,
        week=values[FOCUS_BLOCK.week],
        uid=values[FOCUS_BLOCK.uid],
        start=values[FOCUS_BLOCK.start],
        end=values[FOCUS_BLOCK.end],
        timezone=values[FOCUS_BLOCK.timezone],
        sequence=values[FOCUS_BLOCK.sequence],
        status=BlockStatus(values[FOCUS_BLOCK.status]),
        updated_at=values[FOCUS_BLOCK.updated_at],
        content=values[FOCUS_BLOCK.content],
        call=call,
        pinned=bool(values[FOCUS_BLOCK.pinned]),
        user_text=_user_text(row),
        seen_in=values[FOCUS_BLOCK.seen_in],
    )


def _user_text(row: Row[*Columns]) -> tuple[str, str] | None:
    values = fields(row)
    summary = values[FOCUS_BLOCK.user_summary]
    description = values[FOCUS_BLOCK.user_description]
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
