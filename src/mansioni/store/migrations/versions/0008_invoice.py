"""A client's entries of a period can be marked as invoiced.

Revision ID: 0008_invoice
Revises: 0007_since
Create Date: 2026-12-07

A new table, ``invoice`` (client, period, who marked it and when, a note), and a
nullable ``entry.invoice_id`` pointing to it (``mansioni bill``). The report reads
which of a period's entries are invoiced from the index of a task's entries, so
``ix_entry_task_start`` now also holds ``invoice_id`` (rebuilt from the table).
Existing entries are on no invoice; no existing value changes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_invoice"
down_revision = "0007_since"
branch_labels = None
depends_on = None

COVERING = ["task_id", "start_utc", "end_utc", "occurrence_id", "atypical"]


def upgrade() -> None:
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.Integer(), sa.ForeignKey("client.id"), nullable=False),
        sa.Column("first_day", sa.String(length=10), nullable=False),
        sa.Column("last_day", sa.String(length=10), nullable=False),
        sa.Column("lo_utc", sa.BigInteger(), nullable=False),
        sa.Column("hi_utc", sa.BigInteger(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_utc", sa.BigInteger(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_invoice_client", "invoice", ["client_id", "lo_utc"])
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with a reference in place when its default is NULL (no
        # copy of a million entries); Alembic would ask for a batch copy.
        op.execute("ALTER TABLE entry ADD COLUMN invoice_id INTEGER REFERENCES invoice (id)")
    else:
        op.add_column(
            "entry",
            sa.Column("invoice_id", sa.Integer(), sa.ForeignKey("invoice.id"), nullable=True),
        )
    op.drop_index("ix_entry_task_start", table_name="entry")
    op.create_index("ix_entry_task_start", "entry", [*COVERING, "invoice_id"])


def downgrade() -> None:
    op.drop_index("ix_entry_task_start", table_name="entry")
    op.create_index("ix_entry_task_start", "entry", COVERING)
    # SQLite (3.35 on) and PostgreSQL both drop the column in place (its reference
    # goes with it): no table is copied.
    op.execute("ALTER TABLE entry DROP COLUMN invoice_id")
    op.drop_index("ix_invoice_client", table_name="invoice")
    op.drop_table("invoice")
