"""Alembic environment: runs on the connection storage.db hands over; no alembic.ini needed."""

from __future__ import annotations

from alembic import context

from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "storage migrations run through storage.db.upgrade_archive(), which supplies a connection"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    transactional_ddl=True,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
