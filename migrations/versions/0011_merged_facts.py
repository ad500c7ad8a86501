"""Facts of a merged account that the account it went into had too: kept, not dropped.

`account merge FROM INTO` filled only the facts INTO lacked; where both had a need, a
consequence, a decision date or a next call, FROM's was lost, even from the export.
Each such fact is now a row here, shown by `account show` and carried by the export.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merged_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("from_account", sa.String(length=200), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_merged_fact_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merged_fact")),
    )
    op.create_index(op.f("ix_merged_fact_account_id"), "merged_fact", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_merged_fact_account_id"), table_name="merged_fact")
    op.drop_table("merged_fact")
