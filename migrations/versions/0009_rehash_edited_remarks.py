"""The fingerprint of an edited remark's words, made anew.

Until this revision, `remark edit --text` changed a remark's words but not its text_hash,
so the unique index still held the old words: adding the old words again on that date was
refused as a duplicate, and the new words could be added a second time. Only edited
remarks (those with a remark_revision row) can be stale; each gets the hash of its words.
Where that makes it the twin of another remark (same account, date, words and repeat), it
becomes the next repeat, as `remark add --again` would number it: nothing is dropped.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

remark = sa.table(
    "remark",
    sa.column("id", sa.Integer),
    sa.column("account_id", sa.Integer),
    sa.column("heard_on", sa.Date),
    sa.column("text", sa.Text),
    sa.column("text_hash", sa.String),
    sa.column("repeat", sa.Integer),
)
revision_table = sa.table("remark_revision", sa.column("remark_id", sa.Integer))


def upgrade() -> None:
    conn = op.get_bind()
    edited = sa.select(revision_table.c.remark_id).distinct()
    rows = conn.execute(
        sa.select(remark).where(remark.c.id.in_(edited)).order_by(remark.c.id)
    ).all()
    stale = [r for r in rows if r.text_hash != hashlib.sha256(r.text.encode()).hexdigest()]
    # First every stale fingerprint goes (the unique index ignores NULL), so that a remark
    # is never taken for the twin of another one's old words; then each gets its own.
    for row in stale:
        conn.execute(sa.update(remark).where(remark.c.id == row.id).values(text_hash=None))
    for row in stale:
        fingerprint = hashlib.sha256(row.text.encode("utf-8")).hexdigest()
        twins = sa.and_(
            remark.c.account_id == row.account_id,
            remark.c.heard_on == row.heard_on,
            remark.c.text_hash == fingerprint,
        )
        clash = conn.execute(
            sa.select(sa.func.count()).where(twins, remark.c.repeat == row.repeat)
        ).scalar()
        repeat = row.repeat
        if clash:
            repeat = conn.execute(sa.select(sa.func.max(remark.c.repeat)).where(twins)).scalar() + 1
        conn.execute(
            sa.update(remark)
            .where(remark.c.id == row.id)
            .values(text_hash=fingerprint, repeat=repeat)
        )


def downgrade() -> None:
    pass  # the stale fingerprints were a bug; there is nothing to go back to
