"""Remarks get a fingerprint of their words, and the database refuses exact duplicates.

- remark.text_hash: SHA-256 (hex) of the exact text, filled here for every stored remark.
- a unique index over (account_id, heard_on, text_hash): a remark's identity is its
  account, the date it was heard and its exact words. Until now only a check before the
  insert kept copies out, and two imports at once on PostgreSQL both passed it.

Stores made before this revision may already hold such copies. They are kept, every one:
a reflection may point at any of them, and an upgrade must never drop a seller's words.
The oldest copy of each group gets the fingerprint; the later copies keep text_hash NULL,
which a unique index does not compare (on SQLite and PostgreSQL alike), so the index can
be built. Any new copy is still refused, because it collides with the oldest one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_hash", sa.String(length=64), nullable=True))

    conn = op.get_bind()
    remark = sa.table(
        "remark",
        sa.column("id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("text_hash", sa.String),
    )
    last = 0
    while True:  # in batches by id: memory stays small on a store of millions of remarks
        rows = conn.execute(
            sa.select(remark.c.id, remark.c.text)
            .where(remark.c.id > last)
            .order_by(remark.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(
            sa.update(remark)
            .where(remark.c.id == sa.bindparam("remark_id"))
            .values(text_hash=sa.bindparam("hash")),
            [
                {"remark_id": id_, "hash": hashlib.sha256(text.encode("utf-8")).hexdigest()}
                for id_, text in rows
            ],
        )
        last = rows[-1][0]

    # duplicates stored before: the oldest copy keeps its fingerprint, the rest NULL
    conn.execute(
        sa.text(
            "UPDATE remark SET text_hash = NULL WHERE id NOT IN ("
            "SELECT MIN(id) FROM remark GROUP BY account_id, heard_on, text_hash)"
        )
    )
    op.create_index(
        "uq_remark_account_heard_text",
        "remark",
        ["account_id", "heard_on", "text_hash"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_remark_account_heard_text", table_name="remark")
    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.drop_column("text_hash")
