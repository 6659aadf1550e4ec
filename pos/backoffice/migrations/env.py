"""Alembic environment of the shop database: run by ``pos.backoffice.database.upgrade`` with an
open connection in ``config.attributes["connection"]`` (there is no alembic.ini to ship)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pos.backoffice.schema import SCHEMA, metadata

connection: Connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table_schema=SCHEMA,
    include_schemas=True,
)
with context.begin_transaction():
    context.run_migrations()
