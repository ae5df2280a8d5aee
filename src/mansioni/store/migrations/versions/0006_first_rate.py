"""A task's first rate is an event.

Revision ID: 0006_first_rate
Revises: 0005_imported
Create Date: 2026-12-06

A change or a decision can carry a new hourly rate for a task; the rate in force
before the first of them used to be read back from the undo journal by every report.
From now on the first such event is preceded, in the same operation, by an event of
kind ``rate`` dated at the task's creation, carrying the rate the task had until then
(none: its client's applies); see ``mansioni.domain.billing``.

This migration writes that event for every task that already has rate events and no
``rate`` event, with the rate the journal says it had: the task's ``rate_cents`` before
the update made in the operation that recorded its earliest rate event (where that
operation did not touch the task, or the journal does not tell, the task already had
that event's rate). The journal is read once, here; no existing row changes.
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006_first_rate"
down_revision = "0005_imported"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    firsts = (
        conn.execute(
            sa.text(
                "SELECT ev.id AS id, ev.task_id AS task_id, ev.rate_cents AS rate_cents,"
                " ev.person AS person, ev.created_utc AS created_utc, task.created_utc AS born"
                " FROM task_event ev JOIN task ON task.id = ev.task_id"
                " WHERE ev.rate_cents IS NOT NULL AND ev.kind <> 'rate'"
                " AND NOT EXISTS (SELECT 1 FROM task_event r WHERE r.task_id = ev.task_id"
                " AND r.kind = 'rate')"
                " AND ev.id = (SELECT MIN(o.id) FROM task_event o WHERE o.task_id = ev.task_id"
                " AND o.rate_cents IS NOT NULL)"
            )
        )
        .mappings()
        .all()
    )
    for first in firsts:
        rate = first["rate_cents"]
        op_row = conn.execute(
            sa.text(
                "SELECT operation_id FROM journal WHERE table_name = 'task_event'"
                " AND row_id = :event AND action = 'insert' ORDER BY id LIMIT 1"
            ),
            {"event": first["id"]},
        ).first()
        if op_row is not None:
            before = conn.execute(
                sa.text(
                    "SELECT before_json FROM journal WHERE operation_id = :op"
                    " AND table_name = 'task' AND row_id = :task AND action = 'update'"
                    " ORDER BY id LIMIT 1"
                ),
                {"op": op_row[0], "task": first["task_id"]},
            ).first()
            if before is not None and before[0] is not None:
                rate = json.loads(before[0]).get("rate_cents")
        conn.execute(
            sa.text(
                "INSERT INTO task_event (task_id, kind, at_utc, person, rate_cents, created_utc)"
                " VALUES (:task, 'rate', :at, :person, :rate, :created)"
            ),
            {
                "task": first["task_id"],
                "at": first["born"],
                "person": first["person"],
                "rate": rate,
                "created": first["created_utc"],
            },
        )


def downgrade() -> None:
    op.execute("DELETE FROM task_event WHERE kind = 'rate'")
