"""Saving answers from a worksheet as Reflections: never twice, never altering a remark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from focusblock.errors import BadInput
from focusblock.store.accounts import find_account, get_account
from focusblock.store.store import Store
from focusblock.store.tables import REFLECTION, REMARK
from focusblock.store.views import Answer


@dataclass
class ReflectReport:
    saved: int = 0
    saved_ids: list[int] = field(default_factory=list)  # the answers stored, by number
    already_saved: int = 0
    ignored: list[str] = field(default_factory=list)


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
        for answer in answers:
            if answer.remark_id is not None and answer.remark_id not in remark_ids:
                report.ignored.append(
                    f"an answer under remark #{answer.remark_id}, which is not one of "
                    f"{account.name}'s remarks"
                )
                continue
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
