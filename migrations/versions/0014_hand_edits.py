"""What the seller does to our events in their calendar wins over the next plan.

A block moved by hand stays where it was put (pinned); a title or description typed into
it is kept by later writes; a block whose event the seller deleted is not created again
that week (status "removed"). A block a merge stopped planning keeps where it was
written, so the next plan of its week writes it cancelled into the .ics (no live ghost).
To tell the seller's change from an older import of our
own, every time and text a block was written with is kept (block_version), and where its
event was last read back from (seen_in).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("focus_block") as batch:
        batch.add_column(
            sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("user_summary", sa.Text(), nullable=True))
        batch.add_column(sa.Column("user_description", sa.Text(), nullable=True))
        batch.add_column(sa.Column("seen_in", sa.Text(), nullable=True))
    with op.batch_alter_table("retired_block") as batch:
        batch.add_column(sa.Column("start", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("end", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
    op.create_table(
        "block_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=100), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("content", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_block_version_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_block_version")),
        sa.UniqueConstraint("uid", "start", "end", "content", name="uq_block_version"),
    )
    op.create_index(op.f("ix_block_version_uid"), "block_version", ["uid"])
    op.create_index(op.f("ix_block_version_account_id"), "block_version", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_block_version_account_id"), table_name="block_version")
    op.drop_index(op.f("ix_block_version_uid"), table_name="block_version")
    op.drop_table("block_version")
    with op.batch_alter_table("retired_block") as batch:
        batch.drop_column("sequence")
        batch.drop_column("end")
        batch.drop_column("start")
    with op.batch_alter_table("focus_block") as batch:
        batch.drop_column("seen_in")
        batch.drop_column("user_description")
        batch.drop_column("user_summary")
        batch.drop_column("pinned")
