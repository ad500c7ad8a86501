"""The UIDs of focus blocks a merge stopped planning: still ours when read back.

Where both merged accounts had a block in one week, one was dropped with its row, and
its UID with it; the event it wrote, still in the calendar, then read as someone else's
meeting (busy time, and the account's call by its title). Each such UID is kept here.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retired_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_retired_block_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retired_block")),
        sa.UniqueConstraint("uid", name="uq_retired_block_uid"),
    )
    op.create_index(op.f("ix_retired_block_account_id"), "retired_block", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_retired_block_account_id"), table_name="retired_block")
    op.drop_table("retired_block")
