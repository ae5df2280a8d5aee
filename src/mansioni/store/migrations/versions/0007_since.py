"""A client and a task can be said to have started before they were set up.

Revision ID: 0007_since
Revises: 0006_first_rate
Create Date: 2026-12-06

Two nullable columns, ``client.since_utc`` and ``task.since_utc``: the instant the
work for the client, or the duty, began (``client add --since``, ``task add
--since``). A task's story starts at the earliest of it, its creation and its first
entry (``mansioni.domain.phases.story_start``). Existing rows get none, so every
story starts where it did. No existing value changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_since"
down_revision = "0006_first_rate"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("client", sa.Column("since_utc", sa.BigInteger(), nullable=True))
    op.add_column("task", sa.Column("since_utc", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35 on) and PostgreSQL both drop a column in place: no table is copied,
    # so no foreign key is disturbed.
    op.execute("ALTER TABLE task DROP COLUMN since_utc")
    op.execute("ALTER TABLE client DROP COLUMN since_utc")
