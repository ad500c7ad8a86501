"""Alembic environment. focusblock passes an open connection; developers pass -x db=URL."""

from alembic import context
from sqlalchemy import create_engine

from focusblock.store.tables import METADATA

config = context.config
target_metadata = METADATA


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("db", "sqlite:///focusblock-dev.db")
    with create_engine(url).connect() as conn:
        _configure(conn)
        conn.commit()
