"""Task events: estimates, changes and decisions, dated, in each task's story.

Revision ID: 0002_task_events
Revises: 0001_initial
Create Date: 2026-11-27

Every task that had an estimate gets an ``estimate`` event dated at its creation,
recorded by whoever created the task (from the journal), so no estimate is lost
and the first phase of every task starts with the estimate it had.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_task_events"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("at_utc", sa.BigInteger(), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(), nullable=True),
        sa.Column("major", sa.Boolean(), nullable=True),
        sa.Column("estimate_seconds", sa.Integer(), nullable=True),
        sa.Column("estimate_basis", sa.String(length=10), nullable=True),
        sa.Column("rate_cents", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=12), nullable=True),
        sa.Column("verdict", sa.String(length=20), nullable=True),
        sa.Column("created_utc", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("task_event", schema=None) as batch_op:
        batch_op.create_index("ix_task_event_task_at", ["task_id", "at_utc"], unique=False)
    op.execute(
        """
        INSERT INTO task_event (task_id, kind, at_utc, person, estimate_seconds, estimate_basis,
                                created_utc)
        SELECT task.id, 'estimate', task.created_utc,
               COALESCE((SELECT operation.person FROM journal
                         JOIN operation ON operation.id = journal.operation_id
                         WHERE journal.table_name = 'task' AND journal.row_id = task.id
                           AND journal.action = 'insert'
                         ORDER BY journal.id LIMIT 1), ''),
               task.estimate_seconds, task.estimate_basis, task.created_utc
        FROM task WHERE task.estimate_seconds IS NOT NULL
        ORDER BY task.id
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("task_event", schema=None) as batch_op:
        batch_op.drop_index("ix_task_event_task_at")
    op.drop_table("task_event")
