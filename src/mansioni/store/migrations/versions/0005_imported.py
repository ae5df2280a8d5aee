"""Entries imported from other time trackers remember where they came from.

Revision ID: 0005_imported
Revises: 0004_entry_task_covering
Create Date: 2026-11-27

A new table, ``imported``: one row per entry brought in by ``mansioni import``,
with the source's name and the entry's id there (or a hash where the source has
no ids), unique together, so importing the same file twice adds nothing the
second time. No existing row changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_imported"
down_revision = "0004_entry_task_covering"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=100), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("created_utc", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("source", "source_key", name="uq_imported_source_key"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("imported")
