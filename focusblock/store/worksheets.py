"""What a worksheet needs from the store."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from focusblock.store.models import Reflection, Remark
from focusblock.worksheet.content import ReflectionSource, RemarkSource


def worksheet_sources(
    session: Session, account_id: int
) -> tuple[list[RemarkSource], list[ReflectionSource]]:
    remarks = [
        RemarkSource(r.id, r.text, r.who, r.heard_on, r.via, r.lens)
        for r in session.scalars(
            select(Remark)
            .where(Remark.account_id == account_id)
            .order_by(Remark.heard_on, Remark.id)
        )
    ]
    reflections = [
        ReflectionSource(r.remark_id, r.question, r.answer, r.written_at.date())
        for r in session.scalars(
            select(Reflection).where(Reflection.account_id == account_id).order_by(Reflection.id)
        )
    ]
    return remarks, reflections
