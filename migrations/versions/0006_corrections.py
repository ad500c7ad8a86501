"""Corrections: remarks keep their earlier versions, remarks and accounts can be deleted
(hidden, restorable) before they are purged, and a remark can be stored again on purpose.

- remark_revision: a remark's fields as they were before each `remark edit`.
- remark.deleted_at, account.deleted_at: set by `delete`, cleared by `restore`; a deleted
  row is hidden from every command but export.
- remark.repeat: 0 for every remark; `remark add --again` stores 1, 2, ... so a remark said
  twice on one day (same account, text and date) is a legitimate repeat, not a duplicate.

Every existing remark is kept as it is: the new columns are nullable or default to 0.

Revision ID: 0006
Revises: 0004 (the lead re-points this to 0005 when merging)
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("repeat", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))

    op.create_table(
        "remark_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remark_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=True),
        sa.Column("heard_on", sa.Date(), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("lens", sa.String(length=20), nullable=True),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["remark_id"],
            ["remark.id"],
            name="fk_remark_revision_remark_id_remark",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_remark_revision"),
    )
    with op.batch_alter_table("remark_revision", schema=None) as batch_op:
        batch_op.create_index("ix_remark_revision_remark_id", ["remark_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("remark_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_remark_revision_remark_id")
    op.drop_table("remark_revision")

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")

    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.drop_column("repeat")
        batch_op.drop_column("deleted_at")
