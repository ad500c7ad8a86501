"""Remarks remember the file and row they were imported from; blocks are indexed by week.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("focus_block", schema=None) as batch_op:
        batch_op.create_index("ix_focus_block_week", ["week"], unique=False)

    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_from", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.drop_column("imported_from")

    with op.batch_alter_table("focus_block", schema=None) as batch_op:
        batch_op.drop_index("ix_focus_block_week")
