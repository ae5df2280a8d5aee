"""Alembic environment: always run from code, on a connection the caller opened."""

from alembic import context
from sqlmodel import SQLModel

import mansioni.store.orm.models  # noqa: F401 - registers the tables

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("mansioni migrations run from code, on an open connection")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
