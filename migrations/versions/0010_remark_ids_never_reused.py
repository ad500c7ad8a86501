"""A remark's number is never given to another remark.

SQLite hands out max(id) + 1 when no AUTOINCREMENT is declared, so purging the newest
remark gave its number to the next one, and a worksheet printed before the purge sent its
answers to the new, unrelated remark. AUTOINCREMENT keeps the highest number ever used.
The table is rebuilt to declare it (SQLite cannot add it in place); PostgreSQL's
sequences never reuse a number already.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "remark", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "remark", recreate="always", table_kwargs={"sqlite_autoincrement": False}
    ):
        pass
