"""Corrections: remarks keep their earlier versions, remarks and accounts can be deleted
(hidden, restorable) before they are purged, and a remark can be stored again on purpose.

- remark_revision: a remark's fields as they were before each `remark edit`.
- remark.deleted_at, account.deleted_at: set by `delete`, cleared by `restore`; a deleted
  row is hidden from every command but export.
- remark.repeat: 0 for every remark; `remark add --again` stores 1, 2, ... so a remark said
  twice on one day (same account, text and date) is a legitimate repeat, not a duplicate.

Every existing remark is kept as it is: the new columns are nullable or default to 0.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, not batch mode: a batch copies the remark table, and SQLite's
    # foreign keys from reflections then refuse the DROP of the old copy
    op.add_column("remark", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.add_column(
        "remark", sa.Column("repeat", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )

    # a repeat on purpose is not a duplicate: the unique key of revision 0005 gains it.
    # Plain index statements, not batch mode: SQLite can drop and create an index in
    # place, while a batch would copy the remark table under its foreign keys.
    op.drop_index("uq_remark_account_heard_text", table_name="remark")
    op.create_index(
        "uq_remark_account_heard_text",
        "remark",
        ["account_id", "heard_on", "text_hash", "repeat"],
        unique=True,
    )

    op.add_column("account", sa.Column("deleted_at", sa.DateTime(), nullable=True))

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

    op.drop_index("uq_remark_account_heard_text", table_name="remark")
    op.create_index(
        "uq_remark_account_heard_text",
        "remark",
        ["account_id", "heard_on", "text_hash"],
        unique=True,
    )
    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.drop_column("repeat")
        batch_op.drop_column("deleted_at")
