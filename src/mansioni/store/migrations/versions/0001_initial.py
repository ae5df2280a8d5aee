"""Initial schema: clients, tasks, time entries, and the journal of operations.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "client",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("hour_value_cents", sa.Integer(), nullable=True),
        sa.Column("rate_cents", sa.Integer(), nullable=True),
        sa.Column("rounding_minutes", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_utc", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "operation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at_utc", sa.BigInteger(), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=False),
        sa.Column("command", sa.String(length=40), nullable=False),
        sa.Column("undo_of", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["undo_of"],
            ["operation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["undone_by"],
            ["operation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=20), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("before_json", sa.String(), nullable=True),
        sa.Column("after_json", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.create_index("ix_journal_operation", ["operation_id"], unique=False)

    op.create_table(
        "task",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("estimate_seconds", sa.Integer(), nullable=True),
        sa.Column("estimate_basis", sa.String(length=10), nullable=False),
        sa.Column("rate_cents", sa.Integer(), nullable=True),
        sa.Column("oversight_seconds", sa.Integer(), nullable=False),
        sa.Column("trial_days", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_utc", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id", "name", name="uq_task_client_name"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_client_id"), ["client_id"], unique=False)

    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=False),
        sa.Column("start_utc", sa.BigInteger(), nullable=False),
        sa.Column("end_utc", sa.BigInteger(), nullable=True),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("atypical", sa.Boolean(), nullable=False),
        sa.Column("created_utc", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index("ix_entry_person_start", ["person", "start_utc"], unique=False)
        batch_op.create_index("ix_entry_start", ["start_utc"], unique=False)
        batch_op.create_index("ix_entry_task_start", ["task_id", "start_utc"], unique=False)
        batch_op.create_index(
            "ux_entry_running",
            ["person"],
            unique=True,
            sqlite_where=sa.text("end_utc IS NULL"),
            postgresql_where=sa.text("end_utc IS NULL"),
        )


def downgrade() -> None:

    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_entry_running",
            sqlite_where=sa.text("end_utc IS NULL"),
            postgresql_where=sa.text("end_utc IS NULL"),
        )
        batch_op.drop_index("ix_entry_task_start")
        batch_op.drop_index("ix_entry_start")
        batch_op.drop_index("ix_entry_person_start")

    op.drop_table("entry")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_client_id"))

    op.drop_table("task")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_operation")

    op.drop_table("journal")
    op.drop_table("operation")
    op.drop_table("client")
