"""Clients and tasks as stored, and a task's recorded totals.

Every statement reads the catalog tables (a few rows each) or, for a task's totals,
that task's own entries through the covering index ``ix_entry_task_start``: none of
them reads the rest of the history. Rows come back as frozen dataclasses whose
fields, in order, are the columns of ``mansioni.store.orm.models`` (the one schema):
``as_dict()`` gives them as the ``--json`` output prints them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from mansioni.store.db import one
from mansioni.store.queries.occurrences import OCCURRENCE

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from typing import Any

    from mansioni.store.db import Db, Row


@dataclass(frozen=True)
class ClientRecord:
    """A client; money in cents of ``currency``, billing steps in minutes."""

    name: str
    currency: str
    hour_value_cents: int | None
    rate_cents: int | None
    rounding_minutes: int | None
    minimum_minutes: int | None
    archived: bool
    id: int
    created_utc: int
    since_utc: int | None = None

    @classmethod
    def from_row(cls, row: Row) -> ClientRecord:
        return cls(
            name=row["name"],
            currency=row["currency"],
            hour_value_cents=row["hour_value_cents"],
            rate_cents=row["rate_cents"],
            rounding_minutes=row["rounding_minutes"],
            minimum_minutes=row["minimum_minutes"],
            archived=bool(row["archived"]),  # SQLite keeps a boolean as 0 or 1
            id=int(row["id"]),
            created_utc=int(row["created_utc"]),
            since_utc=row["since_utc"],
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TaskRecord:
    """A task (a duty done for ``client_id``); durations in seconds."""

    name: str
    description: str | None
    estimate_seconds: int | None
    estimate_basis: str
    rate_cents: int | None
    oversight_seconds: int
    trial_days: int
    state: str
    id: int
    client_id: int
    created_utc: int
    since_utc: int | None = None

    @classmethod
    def from_row(cls, row: Row) -> TaskRecord:
        return cls(
            name=row["name"],
            description=row["description"],
            estimate_seconds=row["estimate_seconds"],
            estimate_basis=row["estimate_basis"],
            rate_cents=row["rate_cents"],
            oversight_seconds=int(row["oversight_seconds"]),
            trial_days=int(row["trial_days"]),
            state=row["state"],
            id=int(row["id"]),
            client_id=int(row["client_id"]),
            created_utc=int(row["created_utc"]),
            since_utc=row["since_utc"],
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TaskTotals:
    """What is recorded for a task: finished entries, the occurrences they make, seconds."""

    entries: int
    occurrences: int
    seconds: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _columns(table: str, record: type, prefix: str = "") -> str:
    """The select list of ``record``'s fields, each read from ``table``'s column of the
    same name (the fields are the columns: a test holds them to the models)."""
    return ", ".join(f"{table}.{field.name} AS {prefix}{field.name}" for field in fields(record))


_CLIENT = _columns("client", ClientRecord)
_TASK = _columns("task", TaskRecord)
#: The same task columns under other names, so one row can carry a task and its client.
_TASK_PREFIXED = _columns("task", TaskRecord, prefix="task_")


def all_clients(db: Db, *, include_archived: bool = True) -> list[ClientRecord]:
    """Every client (in no particular order), or only those not archived."""
    sql = f"SELECT {_CLIENT} FROM client"
    params: dict[str, object] = {}
    if not include_archived:
        sql += " WHERE client.archived = :no"
        params["no"] = False
    return [ClientRecord.from_row(row) for row in db.rows(sql, params)]


def client_by_id(db: Db, client_id: int) -> ClientRecord:
    row = one(db, f"SELECT {_CLIENT} FROM client WHERE client.id = :id", {"id": client_id})
    if row is None:
        raise LookupError(f"client {client_id}")
    return ClientRecord.from_row(row)


def task_by_id(db: Db, task_id: int) -> TaskRecord:
    row = one(db, f"SELECT {_TASK} FROM task WHERE task.id = :id", {"id": task_id})
    if row is None:
        raise LookupError(f"task {task_id}")
    return TaskRecord.from_row(row)


def tasks_of_client(db: Db, client_id: int) -> list[TaskRecord]:
    """Every task of the client, archived and handed back ones too (in no particular order)."""
    sql = f"SELECT {_TASK} FROM task WHERE task.client_id = :client"
    return [TaskRecord.from_row(row) for row in db.rows(sql, {"client": client_id})]


def tasks_with_clients(
    db: Db, *, client_id: int | None = None
) -> list[tuple[TaskRecord, ClientRecord]]:
    """Every task with its client (in no particular order), or only the tasks of ``client_id``."""
    sql = f"SELECT {_TASK_PREFIXED}, {_CLIENT} FROM task JOIN client ON client.id = task.client_id"
    params: dict[str, object] = {}
    if client_id is not None:
        sql += " WHERE task.client_id = :client"
        params["client"] = client_id
    found = []
    for row in db.rows(sql, params):
        task_row = {k.removeprefix("task_"): v for k, v in row.items() if k.startswith("task_")}
        found.append((TaskRecord.from_row(task_row), ClientRecord.from_row(row)))
    return found


def task_totals(db: Db, task_id: int) -> TaskTotals:
    """The task's finished entries, the occurrences they make, and their seconds.

    Read from the covering index ``ix_entry_task_start`` alone. The occurrences are
    counted by :data:`~mansioni.store.queries.occurrences.OCCURRENCE`, the SQL of
    ``Entry.occurrence``, where the entries are, not by reading every one of them.
    """
    row = one(
        db,
        "SELECT COUNT(*) AS entries, "
        f"COUNT(DISTINCT {OCCURRENCE}) AS occurrences, "
        "COALESCE(SUM(end_utc - start_utc), 0) AS seconds "
        "FROM entry WHERE task_id = :id AND end_utc IS NOT NULL",
        {"id": task_id},
    )
    assert row is not None  # an aggregate always gives one row
    return TaskTotals(
        entries=int(row["entries"]),
        occurrences=int(row["occurrences"]),
        seconds=int(row["seconds"]),
    )
