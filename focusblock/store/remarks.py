"""Remarks: add one, list them (newest first, in pages); importing many is in importing.py.

A remark's identity is its account, the date it was heard and its exact words; the
database refuses a second copy (a unique index over a fingerprint of the text), so no
check-then-insert race can store one twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.exc import IntegrityError

from focusblock.errors import BadInput
from focusblock.model import Account, NewRemark, Remark
from focusblock.names import search_key
from focusblock.store.accounts import resolve_account
from focusblock.store.row_views import REMARK_SHOWN, remark_by_id, remark_of
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import (
    ACCOUNT,
    ACCOUNT_TABLE,
    REMARK,
    REMARK_REVISION,
    REMARK_REVISION_TABLE,
    REMARK_TABLE,
    Columns,
    text_hash,
)


def _same_remarks(tx: Transaction, account: Account, new: NewRemark) -> list[Remark]:
    return [
        remark_of(row, account.name)
        for row in tx.conn.execute(
            select(*REMARK)
            .where(
                REMARK.account_id == account.id,
                REMARK.heard_on == new.heard_on,
                REMARK.text_hash == text_hash(new.text),
            )
            .order_by(REMARK.id)
        )
    ]


def _already_stored(account: Account, new: NewRemark, remark: Remark | None) -> BadInput:
    when = new.heard_on.isoformat()
    if remark is not None and remark.deleted_at is not None:
        return BadInput(
            f"deleted remark #{remark.id} of '{account.name}' says that on {when}; "
            "nothing was added",
            hint=f"bring it back with: focusblock remark restore {remark.id} "
            "(or add --again to record it anew)",
        )
    number = f"remark #{remark.id} of " if remark is not None else ""
    return BadInput(
        f"{number}'{account.name}' already says that on {when} (it is already stored); "
        "nothing was added (--again stores it a second time on purpose)"
    )


def _corrected_from(tx: Transaction, account: Account, new: NewRemark) -> int | None:
    """The remark of the account that said these words on that date before an edit."""
    digest = text_hash(new.text)
    earlier = tx.conn.execute(
        select(REMARK_REVISION.remark_id, REMARK_REVISION.text)
        .select_from(REMARK_REVISION_TABLE)
        .join(REMARK_TABLE, REMARK.id == REMARK_REVISION.remark_id)
        .where(REMARK.account_id == account.id, REMARK_REVISION.heard_on == new.heard_on)
        .order_by(REMARK_REVISION.id)
    )
    return next((rid for rid, text in earlier if text_hash(text) == digest), None)


def _corrected_since(account: Account, new: NewRemark, remark_id: int) -> BadInput:
    return BadInput(
        f"remark #{remark_id} of '{account.name}' said that on {new.heard_on.isoformat()} "
        "before it was corrected; nothing was added",
        hint=f"see it with: focusblock remark show {remark_id} "
        "(or add --again to record the old words anew)",
    )


def add_remark(store: Store, new: NewRemark, again: bool = False) -> Remark:
    """Store one remark under its (existing) account.

    The same text on the same date for the same account is refused as a duplicate (an
    import skips it), and so are the words a remark had on that date before an edit
    corrected them; `again` stores it anyway, as a repeat numbered 1, 2, ... The unique
    index decides in the end, also against a command running at the same time.
    """

    def add(tx: Transaction) -> Remark:
        account = resolve_account(tx, new.account)
        same = _same_remarks(tx, account, new)
        live = [r for r in same if r.deleted_at is None]
        if same and not again:
            raise _already_stored(account, new, live[0] if live else same[0])
        corrected = None if again else _corrected_from(tx, account, new)
        if corrected is not None:
            raise _corrected_since(account, new, corrected)
        try:
            remark_id = tx.insert(
                {
                    REMARK.account_id: account.id,
                    REMARK.text: new.text,
                    REMARK.text_hash: text_hash(new.text),
                    REMARK.who: new.who,
                    REMARK.heard_on: new.heard_on,
                    REMARK.via: new.via,
                    REMARK.lens: new.lens,
                    REMARK.imported_from: new.source,
                    REMARK.repeat: max((r.repeat for r in same), default=-1) + 1,
                }
            )
        except IntegrityError:  # stored by another command since the check above
            raise _already_stored(account, new, None) from None
        return remark_by_id(tx, remark_id, account.name)

    return store.retrying(add, what=f"the remarks of '{new.account}'")


# --- listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemarkPage:
    """Some of the remarks that match, and how many match in all."""

    remarks: tuple[Remark, ...]
    total: int

    @property
    def left_out(self) -> int:
        return self.total - len(self.remarks)


def _view(row: Row[*Columns]) -> Remark:
    """The Remark in a row of `_matching`: the remark's columns and its account's name."""
    return remark_of(row)  # the account's name is in the row: one RowMapping a row


def _matching(
    tx: Transaction, account_name: str | None, since: date | None, words: Sequence[str] = ()
) -> Select[*tuple[Any, ...]]:
    query = select(*REMARK_SHOWN, ACCOUNT.name).join(ACCOUNT_TABLE, REMARK.account_id == ACCOUNT.id)
    query = query.where(REMARK.deleted_at.is_(None))  # `remark delete` hides them
    if account_name is not None:
        query = query.where(REMARK.account_id == resolve_account(tx, account_name).id)
    else:
        query = tx.owned(query)
    if since is not None:
        query = query.where(REMARK.heard_on >= since)
    for word in words:  # every word, in any order: one LIKE each over the folded words
        query = query.where(REMARK.search_text.like(f"%{_like_escaped(word)}%", escape="\\"))
    return query


def _like_escaped(word: str) -> str:
    """`word` matched literally by LIKE: its % and _ (and the escape itself) escaped."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _count(tx: Transaction, query: Select[*tuple[Any, ...]]) -> int:
    counted = query.with_only_columns(func.count(REMARK.id)).order_by(None)
    return int(tx.conn.execute(counted).scalar_one())


def list_remarks(
    store: Store,
    account_name: str | None = None,
    *,
    limit: int | None = None,
    since: date | None = None,
) -> RemarkPage:
    """The newest `limit` remarks (all with None) of one account or of every account this
    user sees, heard on or after `since`; shown oldest first, by account when several."""
    with store.transaction(write=False) as tx:
        query = _matching(tx, account_name, since)
        total = _count(tx, query)
        if limit is not None and total > limit:
            newest = query.order_by(REMARK.heard_on.desc(), REMARK.id.desc()).limit(limit)
            rows = tx.conn.execute(newest).all()
        else:
            rows = tx.conn.execute(query).all()
        views = [_view(row) for row in rows]
        by_account = account_name is None
        views.sort(key=lambda v: (v.account if by_account else "", v.heard_on, v.id))
        return RemarkPage(remarks=tuple(views), total=total)


def search_words(text: str) -> tuple[str, ...]:
    """The words `remark search` looks for, folded as the stored text is; none is an error."""
    words = tuple(dict.fromkeys(search_key(text).split()))
    if not words:
        raise BadInput(
            f"nothing to search for in {text!r}: give a word (letters or digits)",
        )
    # each word is one condition of the query: the databases refuse a query too deep or a
    # pattern too long, so a search is bounded where no remark could need more
    if len(words) > MAX_SEARCH_WORDS:
        raise BadInput(f"{len(words):,} words to search for; expected at most {MAX_SEARCH_WORDS}")
    longest = max(words, key=len)
    if len(longest) > MAX_SEARCH_WORD:
        raise BadInput(
            f"a word of {len(longest):,} characters to search for; expected at most "
            f"{MAX_SEARCH_WORD}"
        )
    return words


MAX_SEARCH_WORDS = 50
MAX_SEARCH_WORD = 200


def search_remarks(
    store: Store,
    text: str,
    account_name: str | None = None,
    *,
    limit: int | None = None,
    since: date | None = None,
) -> RemarkPage:
    """The remarks (not deleted, of accounts this user sees, or of one account) whose words
    hold every word of `text`, in any order, case and accents aside; newest first, the
    newest `limit` of them (all with None)."""
    words = search_words(text)
    with store.transaction(write=False) as tx:
        query = _matching(tx, account_name, since, words)
        newest = query.order_by(REMARK.heard_on.desc(), REMARK.id.desc())
        if limit is not None:
            newest = newest.limit(limit)
        rows = tx.conn.execute(newest).all()
        # each pass reads every remark's words: a page that is not full is every match,
        # so a rare word is one pass (0.5 s, not 1 s, over 100,000 remarks on a slow
        # machine). A count beside each row (a window) was slower for common words.
        full = limit is not None and len(rows) == limit
        total = _count(tx, query) if full else len(rows)
        return RemarkPage(tuple(_view(row) for row in rows), total)


@contextmanager
def stream_remarks(
    store: Store,
    account_name: str | None = None,
    *,
    since: date | None = None,
    search: str | None = None,
) -> Iterator[tuple[int, Iterator[Remark]]]:
    """Every matching remark, oldest first (by account when several), read in chunks while
    the caller prints them: memory stays small on an account of a million remarks. With
    `search`, only those holding its words, newest first (as `remark search` shows them)."""
    words = search_words(search) if search is not None else ()
    with store.transaction(write=False) as tx:
        query = _matching(tx, account_name, since, words)
        total = _count(tx, query)
        order: tuple[Any, ...] = (REMARK.heard_on, REMARK.id)
        if words:
            order = (REMARK.heard_on.desc(), REMARK.id.desc())
        elif account_name is None:
            order = (ACCOUNT.name, *order)
        result = tx.conn.execute(query.order_by(*order).execution_options(yield_per=1000))
        try:
            yield total, (_view(row) for row in result)
        finally:
            result.close()  # also when nothing was read: PostgreSQL's cursor is closed here
