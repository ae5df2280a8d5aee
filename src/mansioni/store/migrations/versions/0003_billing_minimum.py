"""A client's minimum per piece of work, for billing.

Revision ID: 0003_billing_minimum
Revises: 0002_task_events
Create Date: 2026-11-27

``client.minimum_minutes`` (nullable: no minimum) joins ``rounding_minutes``: each
piece of work is billed at least this long (see ``docs/howto/periodic-reports.md``).
Existing clients get no minimum, so every figure billed before stays the same.
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0003_billing_minimum"
down_revision = "0002_task_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minimum_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Copying the table, as batch mode would, trips the foreign keys of the tasks
        # that point at its rows; SQLite drops a column in place since 3.35.
        op.execute("ALTER TABLE client DROP COLUMN minimum_minutes")
        return
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_column("minimum_minutes")
