"""`remark search`: each remark's words folded as the search compares them.

remark.search_text holds focusblock.names.search_key(text) (case and accents folded,
quotes and punctuation made spaces), so a search is a LIKE per word over one column: the
same results on SQLite and PostgreSQL, with no database extension to install. Filled here
for every remark already stored (deleted ones too, so a restore finds them), in chunks.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

from focusblock.names import search_key

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CHUNK = 5000  # remarks read and written at a time: memory stays small on a big store


def upgrade() -> None:
    # a plain ADD COLUMN (no batch): SQLite keeps the table and its AUTOINCREMENT as they are
    op.add_column("remark", sa.Column("search_text", sa.Text(), nullable=True))
    remark = sa.table(
        "remark", sa.column("id", sa.Integer), sa.column("text"), sa.column("search_text")
    )
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(remark.c.id, remark.c.text)
            .where(remark.c.id > last)
            .order_by(remark.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        conn.execute(
            sa.update(remark)
            .where(remark.c.id == sa.bindparam("remark_id"))
            .values(search_text=sa.bindparam("folded")),
            [{"remark_id": r.id, "folded": search_key(r.text)} for r in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("remark") as batch:
        batch.drop_column("search_text")
