"""The schema, as SQLModel tables. Alembic migrations create it; nothing calls ``create_all``.

Invariants:
- instants are whole seconds since the epoch in UTC (``*_utc`` columns, 64-bit:
  past 2038 on every database); ``zone``
  keeps the IANA zone an entry was recorded in, for showing local times;
- money is in cents of the client's currency; durations are in seconds;
- a person has at most one running entry (``end_utc IS NULL``): the partial
  unique index ``ux_entry_running`` holds it whatever races;
- every change to ``client``, ``task``, ``entry``, ``task_event``, ``imported`` and
  ``invoice`` has ``journal`` rows under one
  ``operation`` (one command), written in the same transaction;
- ids are never reused, not even after the newest row is deleted (``AUTOINCREMENT``
  on SQLite, sequences elsewhere): an id a user has seen, or the journal names,
  always means the same row.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class ClientBase(SQLModel):
    name: str = Field(max_length=200, unique=True)
    currency: str = Field(default="EUR", max_length=3)
    hour_value_cents: int | None = None
    rate_cents: int | None = None
    rounding_minutes: int | None = None
    minimum_minutes: int | None = None
    archived: bool = False


#: Table options every table shares: ids are never reused (see the module docstring).
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Client(ClientBase, table=True):
    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    created_utc: int = Field(sa_type=BigInteger)
    #: When the work for the client began, if before it was set up (``--since``).
    since_utc: int | None = Field(default=None, sa_type=BigInteger)


class TaskBase(SQLModel):
    name: str = Field(max_length=200)
    description: str | None = None
    estimate_seconds: int | None = None
    estimate_basis: str = Field(default="occurrence", max_length=10)
    rate_cents: int | None = None
    oversight_seconds: int = 0
    trial_days: int = 90
    state: str = Field(default="trial", max_length=12)


class Task(TaskBase, table=True):
    __table_args__ = (
        UniqueConstraint("client_id", "name", name="uq_task_client_name"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True)
    created_utc: int = Field(sa_type=BigInteger)
    #: When the duty began, if before it was set up (``--since``); its story starts
    #: at the earliest of this, its creation and its first entry.
    since_utc: int | None = Field(default=None, sa_type=BigInteger)


class Entry(SQLModel, table=True):
    __table_args__ = (
        Index("ix_entry_person_start", "person", "start_utc"),
        # Covering: a task's history is summed from the index alone (migration 0004),
        # the invoiced part of a period too (migration 0008).
        Index(
            "ix_entry_task_start",
            "task_id",
            "start_utc",
            "end_utc",
            "occurrence_id",
            "atypical",
            "invoice_id",
        ),
        Index("ix_entry_start", "start_utc"),
        Index(
            "ux_entry_running",
            "person",
            unique=True,
            sqlite_where=text("end_utc IS NULL"),
            postgresql_where=text("end_utc IS NULL"),
        ),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    person: str = Field(max_length=100)
    start_utc: int = Field(sa_type=BigInteger)
    end_utc: int | None = Field(default=None, sa_type=BigInteger)
    zone: str = Field(max_length=64)
    note: str | None = None
    occurrence_id: int | None = None
    atypical: bool = False
    created_utc: int = Field(sa_type=BigInteger)
    #: The invoice it is on (``mansioni bill``); None: not invoiced yet.
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id")


class Invoice(SQLModel, table=True):
    """A client's entries of a period, marked as invoiced by ``mansioni bill``.

    ``first_day`` and ``last_day`` are the period as asked (ISO dates, on the clock of
    ``zone``); ``lo_utc`` and ``hi_utc`` its instants (entries starting in
    ``[lo_utc, hi_utc)``). The entries it holds point to it (``entry.invoice_id``):
    an entry added to the period later is not on it. ``note`` is what the user wrote
    (``--note``: an invoice number).
    """

    __table_args__ = (Index("ix_invoice_client", "client_id", "lo_utc"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id")
    first_day: str = Field(max_length=10)
    last_day: str = Field(max_length=10)
    lo_utc: int = Field(sa_type=BigInteger)
    hi_utc: int = Field(sa_type=BigInteger)
    zone: str = Field(max_length=64)
    person: str = Field(max_length=100)
    note: str | None = None
    created_utc: int = Field(sa_type=BigInteger)


class Operation(SQLModel, table=True):
    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    at_utc: int = Field(sa_type=BigInteger)
    person: str = Field(max_length=100)
    command: str = Field(max_length=40)
    undo_of: int | None = Field(default=None, foreign_key="operation.id")
    undone_by: int | None = Field(default=None, foreign_key="operation.id")


class Journal(SQLModel, table=True):
    __table_args__ = (Index("ix_journal_operation", "operation_id"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    operation_id: int = Field(foreign_key="operation.id")
    table_name: str = Field(max_length=20)
    row_id: int
    action: str = Field(max_length=10)
    before_json: str | None = None
    after_json: str | None = None


#: ``rate``: the rate a task had before its first rate change (``domain.billing``).
EVENT_KINDS = ("estimate", "change", "decision", "rate")
DECISIONS = ("keep", "renegotiated", "hand_back")


class TaskEvent(SQLModel, table=True):
    """A dated event in a task's story: an estimate given, a change, a decision.

    ``at_utc`` is when it took effect (``change --at``), ``created_utc`` when it was
    recorded. A major change (``major``) closes the phase and starts a new one with a
    new trial; a minor one re-baselines the comparison. A decision keeps the
    verdict it was taken on (``verdict``), so the history shows what was reviewed.
    """

    __tablename__ = "task_event"
    __table_args__ = (Index("ix_task_event_task_at", "task_id", "at_utc"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    kind: str = Field(max_length=10)
    at_utc: int = Field(sa_type=BigInteger)
    person: str = Field(max_length=100)
    text: str | None = None
    major: bool | None = None
    estimate_seconds: int | None = None
    estimate_basis: str | None = Field(default=None, max_length=10)
    rate_cents: int | None = None
    decision: str | None = Field(default=None, max_length=12)
    verdict: str | None = Field(default=None, max_length=20)
    created_utc: int = Field(sa_type=BigInteger)


class Imported(SQLModel, table=True):
    """An entry brought in from another time tracker, by its id there.

    ``source`` names the tracker (``watson``, ``timewarrior``, ``toggl``,
    ``clockify``); ``source_key`` is the entry's id there, or a hash of what
    identifies it where the source has no ids. The pair is unique, so a second
    import of the same file skips what the first brought in. ``entry_id`` is the
    entry it became, deliberately without a foreign key: when the user deletes
    that entry, the row stays, and a later import does not bring it back. Undoing
    the import removes both, and a later import brings the entries in again.
    """

    __table_args__ = (
        UniqueConstraint("source", "source_key", name="uq_imported_source_key"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=20)
    source_key: str = Field(max_length=100)
    entry_id: int
    created_utc: int = Field(sa_type=BigInteger)
