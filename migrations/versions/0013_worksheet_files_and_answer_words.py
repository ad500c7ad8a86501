"""Answers keep the words they were about; plans record where they wrote worksheets.

A re-plan rewrote or removed a week's worksheets with the seller's answers in them. A plan
now reads the answers of every worksheet it wrote before (wherever it wrote them, so the
paths are kept) and stores them first. An answer records the fingerprint of the remark's
words the worksheet showed, so a remark edited since keeps the answer about what was read,
and the question it was asked under, so a rewritten question line loses nothing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reflection") as batch:
        batch.add_column(sa.Column("remark_words", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("question_id", sa.String(length=16), nullable=True))
    op.create_table(
        "worksheet_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_worksheet_file_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worksheet_file")),
    )
    op.create_index(op.f("ix_worksheet_file_account_id"), "worksheet_file", ["account_id"])
    # not unique on the path: PostgreSQL refuses index keys over ~2.7 kB, and a path may be
    # that long; a plan records a path once, under its week's lock
    op.create_index("ix_worksheet_file_account_week", "worksheet_file", ["account_id", "week"])


def downgrade() -> None:
    op.drop_index("ix_worksheet_file_account_week", table_name="worksheet_file")
    op.drop_index(op.f("ix_worksheet_file_account_id"), table_name="worksheet_file")
    op.drop_table("worksheet_file")
    with op.batch_alter_table("reflection") as batch:
        batch.drop_column("question_id")
        batch.drop_column("remark_words")
