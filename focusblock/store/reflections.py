"""Saving answers from a worksheet as Reflections: never twice, never altering a remark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from focusblock.errors import BadInput
from focusblock.store.accounts import find_account, get_account
from focusblock.store.store import Store, Transaction
from focusblock.store.tables import REFLECTION, REMARK
from focusblock.store.views import Answer


@dataclass
class ReflectReport:
    saved: int = 0
    saved_ids: list[int] = field(default_factory=list)  # the answers stored, by number
    already_saved: int = 0


def save_answers(
    store: Store,
    account_name: str,
    answers: Sequence[Answer],
    now: datetime,
    sheet_of: str | None = None,
) -> ReflectReport:
    """Store each answer once; an answer already stored, word for word, is counted, not added.

    `sheet_of` is the account the worksheet names in its title: it must be this account,
    so answers about one customer never land on another.
    """
    report = ReflectReport()
    with store.transaction() as tx:
        account = get_account(tx, account_name)
        named = find_account(tx, sheet_of) if sheet_of else None
        if named is None or named.id != account.id:
            what = f"the worksheet of '{sheet_of}'" if sheet_of else "not a focusblock worksheet"
            raise BadInput(
                f"this file is {what}, not of '{account.name}'; nothing was saved",
                hint="give the file to: focusblock reflect ACCOUNT --from FILE, with its account",
            )
        remark_ids = set(
            tx.conn.scalars(
                select(REMARK.id).where(
                    REMARK.account_id == account.id, REMARK.deleted_at.is_(None)
                )
            )
        )
        existing = {
            tuple(row)
            for row in tx.conn.execute(
                select(REFLECTION.remark_id, REFLECTION.question, REFLECTION.answer).where(
                    REFLECTION.account_id == account.id
                )
            )
        }
        # an answer stored before its remark was deleted is no stray: reading the same
        # worksheet again must not refuse it
        strays = sorted(
            {
                a.remark_id
                for a in answers
                if a.remark_id is not None and (a.remark_id, a.question, a.text) not in existing
            }
            - remark_ids
        )
        if strays:
            raise BadInput(
                f"answers about {'a remark' if len(strays) == 1 else f'{len(strays)} remarks'} "
                f"that {account.name} no longer has; nothing was saved",
                details=[_why_gone(tx, remark_id, account.id) for remark_id in strays],
                hint="move those answers under a remark of this account, or delete them, "
                "and run reflect again",
            )
        for answer in answers:
            key = (answer.remark_id, answer.question, answer.text)
            if key in existing:
                report.already_saved += 1
                continue
            existing.add(key)
            answer_id = tx.insert(
                {
                    REFLECTION.account_id: account.id,
                    REFLECTION.remark_id: answer.remark_id,
                    REFLECTION.question: answer.question,
                    REFLECTION.answer: answer.text,
                    REFLECTION.written_at: now,
                }
            )
            report.saved += 1
            report.saved_ids.append(answer_id)
    return report


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
