"""Blocks remember what they said and which event was taken as the account's call;
accounts remember titles that are never their call.

- focus_block.content: a fingerprint of the title and description written, so a change
  of text (e.g. switching to --private) raises SEQUENCE like a move does.
- focus_block.call_*: the calendar event taken as the account's next call, to show it.
- account.not_call: titles (parts of titles) that never count as the account's call.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("focus_block", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("call_start", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("call_summary", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("call_source", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("call_match", sa.String(length=300), nullable=True))

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_call", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("not_call")

    with op.batch_alter_table("focus_block", schema=None) as batch_op:
        batch_op.drop_column("call_match")
        batch_op.drop_column("call_source")
        batch_op.drop_column("call_summary")
        batch_op.drop_column("call_start")
        batch_op.drop_column("content")
