"""Saving answers from a worksheet as Reflections: never twice, never altering a remark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from focusblock.store.accounts import get_account
from focusblock.store.models import Reflection, Remark
from focusblock.store.store import Store
from focusblock.store.views import Answer


@dataclass
class ReflectReport:
    saved: int = 0
    already_saved: int = 0
    ignored: list[str] = field(default_factory=list)


def save_answers(
    store: Store, account_name: str, answers: Sequence[Answer], now: datetime
) -> ReflectReport:
    """Store each answer once; an answer already stored, word for word, is counted, not added."""
    report = ReflectReport()
    with store.transaction() as tx:
        account = get_account(tx, account_name)
        session = tx.session
        remark_ids = set(
            session.scalars(
                select(Remark.id).where(
                    Remark.account_id == account.id, Remark.deleted_at.is_(None)
                )
            )
        )
        existing = {
            (r.remark_id, r.question, r.answer)
            for r in session.scalars(select(Reflection).where(Reflection.account_id == account.id))
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
            session.add(
                Reflection(
                    account_id=account.id,
                    remark_id=answer.remark_id,
                    question=answer.question,
                    answer=answer.text,
                    written_at=now,
                )
            )
            report.saved += 1
    return report
