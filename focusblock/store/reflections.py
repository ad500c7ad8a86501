"""Saving answers from a worksheet as Reflections: never twice, never altering a remark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from focusblock.errors import BadInput
from focusblock.fingerprints import words_of
from focusblock.store.accounts import match_account, resolve_account
from focusblock.store.row_views import account_by_id
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import REFLECTION, REMARK, REMARK_REVISION
from focusblock.store.views import Answer
from focusblock.visible import shown


@dataclass
class ReflectReport:
    saved: int = 0
    saved_ids: list[int] = field(default_factory=list)  # the answers stored, by number
    already_saved: int = 0
    # stored about words the remark no longer has: the worksheet was printed before an edit
    about_earlier_words: int = 0
    # (with keep_going) one line per answer that could not be stored, naming its remark
    not_stored: list[str] = field(default_factory=list)


def save_answers(
    store: Store,
    account_name: str,
    answers: Sequence[Answer],
    now: datetime,
    sheet_of: str | None = None,
    keep_going: bool = False,
    earlier: Sequence[Answer] = (),
) -> ReflectReport:
    """Store each answer once; an answer already stored, word for word, is counted, not added.

    `sheet_of` is the account the worksheet names in its title: it must be this account
    (or a name it is known by), so answers about one customer never land on another. An
    answer is stored only about the words the worksheet showed: the remark's words now, or
    words it had before an edit (a typo fixed since loses no writing). Answers about a
    remark the account no longer has, or about words it never had, are refused with the
    remark named: nothing is saved, or with `keep_going` the others are saved and those
    are listed in the report. `earlier` are the answers the worksheet showed as written
    before: one whose words are no stored answer's is the seller's correction, stored too.
    """
    report = ReflectReport()
    with store.transaction() as tx:
        account = resolve_account(tx, account_name)
        # one reflect (or plan keeping answers) of an account at a time: two reading the
        # stored answers at once would both store the same ones
        account_by_id(tx, account.id, for_update=True)
        named = match_account(tx, sheet_of).account if sheet_of else None
        if named is None or named.id != account.id:
            what = f"the worksheet of '{sheet_of}'" if sheet_of else "not a focusblock worksheet"
            raise BadInput(
                f"this file is {what}, not of '{account.name}'; nothing was saved",
                hint="give the file to: focusblock reflect ACCOUNT --from FILE, with its account",
            )
        existing = {
            tuple(row)
            for row in tx.conn.execute(
                select(REFLECTION.remark_id, REFLECTION.question, REFLECTION.answer).where(
                    REFLECTION.account_id == account.id
                )
            )
        }
        # each answer as the page shows it, under its remark and its question (by its words
        # and by its id): a correction to "Yes" is one though another question's is "Yes"
        printed = set()
        for remark_id, question, asked, text in tx.conn.execute(
            select(
                REFLECTION.remark_id, REFLECTION.question, REFLECTION.question_id, REFLECTION.answer
            ).where(REFLECTION.account_id == account.id)
        ):
            printed.add((remark_id, question, _as_read_back(text)))
            if asked:
                printed.add((remark_id, asked, _as_read_back(text)))

        def shown_before(a: Answer) -> bool:
            said = _as_read_back(a.text)
            by_id = a.question_id is not None and (a.remark_id, a.question_id, said) in printed
            return by_id or (a.remark_id, a.question, said) in printed

        answers = [*answers, *(a for a in earlier if not shown_before(a))]
        # an answer stored before its remark was deleted or edited is no stray: reading
        # the same worksheet again must not refuse it
        new = [a for a in answers if (a.remark_id, a.question, a.text) not in existing]
        words = _words_known(tx, account.id, {a.remark_id for a in new if a.remark_id})
        refused: dict[int, str] = {}
        for answer in new:
            remark_id = answer.remark_id
            if remark_id is None or remark_id in refused:
                continue
            if remark_id not in words:
                refused[remark_id] = _why_gone(tx, remark_id, account.id)
            elif answer.words is not None and answer.words not in words[remark_id]:
                refused[remark_id] = (
                    f"remark #{remark_id}: the worksheet shows words it never had "
                    "(its lines were changed); the answers are not moved to other words"
                )
        if refused and not keep_going:
            raise BadInput(
                f"answers about {'a remark' if len(refused) == 1 else f'{len(refused)} remarks'} "
                f"that {account.name} no longer has; nothing was saved",
                details=[refused[remark_id] for remark_id in sorted(refused)],
                hint="move those answers under a remark of this account, or delete them, "
                "and run reflect again",
            )
        report.not_stored = [refused[remark_id] for remark_id in sorted(refused)]
        for answer in answers:
            key = (answer.remark_id, answer.question, answer.text)
            if key in existing:
                report.already_saved += 1
                continue
            if answer.remark_id in refused:
                continue
            existing.add(key)
            current = words[answer.remark_id][0] if answer.remark_id is not None else None
            answer_id = tx.insert(
                {
                    REFLECTION.account_id: account.id,
                    REFLECTION.remark_id: answer.remark_id,
                    REFLECTION.question: answer.question,
                    REFLECTION.answer: answer.text,
                    REFLECTION.written_at: now,
                    REFLECTION.remark_words: answer.words or current,
                    REFLECTION.question_id: answer.question_id,
                }
            )
            report.saved += 1
            report.saved_ids.append(answer_id)
            if answer.words is not None and answer.words != current:
                report.about_earlier_words += 1
    return report


def _as_read_back(text: str) -> str:
    """An answer as a worksheet shows it and reflect reads it back: its controls made
    visible, its spacing not kept (a line's trailing blanks are the page's)."""
    return " ".join(shown(text).split())


def _words_known(tx: Transaction, account_id: int, remark_ids: set[int]) -> dict[int, list[str]]:
    """For each of the account's live remarks among `remark_ids`: the fingerprints of its
    words, now (first) and before each edit."""
    ids = [i for i in remark_ids if i < 1 << 63]  # past any database's numbers: no remark
    known: dict[int, list[str]] = {}
    live = tx.conn.execute(
        select(REMARK.id, REMARK.text).where(
            REMARK.account_id == account_id, REMARK.deleted_at.is_(None), REMARK.id.in_(ids)
        )
    )
    for remark_id, text in live:
        known[remark_id] = [words_of(text)]
    earlier = tx.conn.execute(
        select(REMARK_REVISION.remark_id, REMARK_REVISION.text).where(
            REMARK_REVISION.remark_id.in_(list(known))
        )
    )
    for remark_id, text in earlier:
        known[remark_id].append(words_of(text))
    return known


def _why_gone(tx: Transaction, remark_id: int, account_id: int) -> str:
    """Why remark `remark_id` takes no answers for the account: an answer is never moved
    to other words, so the worksheet's number must still be this account's live remark."""
    # a number typed past what any database holds is no remark: never asked for
    fits = remark_id < 1 << 63
    row = (
        tx.conn.execute(
            select(REMARK.account_id, REMARK.deleted_at).where(REMARK.id == remark_id)
        ).first()
        if fits
        else None
    )
    if row is None:
        return f"remark #{remark_id}: no such remark (purged, or never one)"
    owner, deleted_at = row
    if owner != account_id:
        return f"remark #{remark_id}: another account's remark"
    assert deleted_at is not None
    return f"remark #{remark_id}: deleted (focusblock remark restore {remark_id} brings it back)"
