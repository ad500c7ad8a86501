"""Drop the contact table and remark.contact_id: nothing ever wrote them.

`--who` stays free text; a remark's speaker is what the seller typed. Contacts with
roles and addresses would come back with commands that set them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.drop_constraint("fk_remark_contact_id_contact", type_="foreignkey")
        batch_op.drop_column("contact_id")

    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_account_id")
    op.drop_table("contact")


def downgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name="fk_contact_account_id_account",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_contact"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_account_id", ["account_id"], unique=False)

    with op.batch_alter_table("remark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_remark_contact_id_contact", "contact", ["contact_id"], ["id"], ondelete="SET NULL"
        )
