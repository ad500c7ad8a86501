"""The people on an account's side: who said the words its remarks quote.

A person is found by an import (an email's sender, a call's speaker) or typed with
`account person`; one person per account and name ("Meyer, Jonas" is Jonas Meyer), with
an address and a role where known. `typed` marks what the seller set by hand: an import
only fills blanks, never overwrites it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("typed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_person_account_id_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("account_id", "name_key", name="uq_person_account_name_key"),
    )
    op.create_index(op.f("ix_person_email"), "person", ["email"])


def downgrade() -> None:
    op.drop_index(op.f("ix_person_email"), table_name="person")
    op.drop_table("person")
