"""Queries on time entries, in portable SQL, shared by both ways into the store.

Every query here is bounded by an index (``person, start_utc`` or ``task_id,
start_utc``, and the partial unique index on running timers), so none of them
grows with the length of the history beyond the rows it returns.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mansioni.domain.entries import MAX_ENTRY_SECONDS, Entry, clipped
from mansioni.domain.names import ClientName, TaskName
from mansioni.domain.states import HIDDEN_STATES
from mansioni.store.db import one

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from mansioni.store.db import Db, Row

_ENTRY_COLUMNS = "id, task_id, person, start_utc, end_utc, zone, note, occurrence_id, atypical"


def to_entry(row: Row) -> Entry:
    return Entry(
        id=int(row["id"]),
        task_id=int(row["task_id"]),
        person=row["person"],
        start=int(row["start_utc"]),
        end=None if row["end_utc"] is None else int(row["end_utc"]),
        zone=row["zone"],
        note=row["note"],
        occurrence_id=row["occurrence_id"],
        atypical=bool(row["atypical"]),
    )


def task_names(db: Db, *, include_archived: bool = False) -> list[TaskName]:
    sql = (
        "SELECT task.id AS id, client.name AS client, task.name AS name "
        "FROM task JOIN client ON client.id = task.client_id"
    )
    if not include_archived:
        hidden = ", ".join(f"'{state}'" for state in HIDDEN_STATES)
        sql += f" WHERE task.state NOT IN ({hidden}) AND client.archived = :no"
    return [
        TaskName(int(r["id"]), r["client"], r["name"])
        for r in db.rows(sql, {"no": False} if not include_archived else {})
    ]


def task_names_in(db: Db, state: str) -> list[TaskName]:
    """The tasks in ``state`` of the clients not archived."""
    rows = db.rows(
        "SELECT task.id AS id, client.name AS client, task.name AS name "
        "FROM task JOIN client ON client.id = task.client_id"
        " WHERE task.state = :state AND client.archived = :no",
        {"state": state, "no": False},
    )
    return [TaskName(int(r["id"]), r["client"], r["name"]) for r in rows]


def task_name(db: Db, task_id: int) -> TaskName:
    row = one(
        db,
        "SELECT task.id AS id, client.name AS client, task.name AS name "
        "FROM task JOIN client ON client.id = task.client_id WHERE task.id = :id",
        {"id": task_id},
    )
    if row is None:
        raise LookupError(task_id)
    return TaskName(int(row["id"]), row["client"], row["name"])


def running(db: Db, person: str) -> Entry | None:
    row = one(
        db,
        f"SELECT {_ENTRY_COLUMNS} FROM entry WHERE person = :person AND end_utc IS NULL",
        {"person": person},
    )
    return to_entry(row) if row else None


def last_of_task(db: Db, task_id: int, person: str) -> Entry | None:
    row = one(
        db,
        f"SELECT {_ENTRY_COLUMNS} FROM entry WHERE task_id = :task AND person = :person "
        "ORDER BY start_utc DESC, id DESC LIMIT 1",
        {"task": task_id, "person": person},
    )
    return to_entry(row) if row else None


def touching(db: Db, person: str, lo: int, hi: int | None) -> list[Entry]:
    """Entries of ``person`` that share time with ``[lo, hi)`` (``hi=None``: open)."""
    params: dict[str, object] = {"person": person, "lo": lo, "floor": lo - MAX_ENTRY_SECONDS}
    sql = (
        f"SELECT {_ENTRY_COLUMNS} FROM entry WHERE person = :person "
        "AND start_utc >= :floor AND (end_utc IS NULL OR end_utc > :lo)"
    )
    if hi is not None:
        sql += " AND start_utc < :hi"
        params["hi"] = hi
    running_sql = f"SELECT {_ENTRY_COLUMNS} FROM entry WHERE person = :person AND end_utc IS NULL"
    found = {r["id"]: r for r in db.rows(sql + " ORDER BY start_utc", params)}
    # A running timer may have started before the floor; the partial index finds it at once.
    for r in db.rows(running_sql, {"person": person}):
        if hi is None or r["start_utc"] < hi:
            found.setdefault(r["id"], r)
    return [to_entry(r) for r in found.values()]


def client_totals(db: Db, person: str, lo: int, hi: int, now: int) -> list[tuple[str, int]]:
    """Seconds per client of ``person`` inside ``[lo, hi)``, a running timer counted up to ``now``."""
    sql = """
        SELECT client.name AS client,
               SUM(
                 (CASE WHEN entry.end_utc < :hi THEN entry.end_utc ELSE :hi END)
                 - (CASE WHEN entry.start_utc > :lo THEN entry.start_utc ELSE :lo END)
               ) AS seconds
        FROM entry
        JOIN task ON task.id = entry.task_id
        JOIN client ON client.id = task.client_id
        WHERE entry.person = :person
          AND entry.start_utc >= :floor AND entry.start_utc < :hi
          AND entry.end_utc IS NOT NULL AND entry.end_utc > :lo
        GROUP BY client.name
    """
    params = {"person": person, "lo": lo, "hi": hi, "floor": lo - MAX_ENTRY_SECONDS}
    totals = {r["client"]: int(r["seconds"]) for r in db.rows(sql, params)}
    current = running(db, person)
    if current is not None:
        seconds = clipped(current.start, now, lo, hi)
        if seconds > 0:
            client = task_name(db, current.task_id).client
            totals[client] = totals.get(client, 0) + seconds
    return sorted((c, s) for c, s in totals.items() if s > 0)


def trials_awaiting_decision(db: Db, *, today: date, zone: ZoneInfo) -> list[tuple[TaskName, date]]:
    """Active tasks whose current phase's trial has ended with no decision taken since.

    Light enough for ``status``: one row per task, each figure read through an index.
    The current phase starts at the latest major change, else at the task's creation
    or its first entry, whichever came first (as ``mansioni.domain.phases`` says).
    """
    sql = """
        SELECT task.id AS id, client.name AS client, task.name AS name, task.trial_days AS days,
               task.created_utc AS created,
               (SELECT MIN(entry.start_utc) FROM entry WHERE entry.task_id = task.id) AS first_entry,
               (SELECT MAX(e.at_utc) FROM task_event e
                 WHERE e.task_id = task.id AND e.kind = 'change' AND e.major = :yes) AS last_major,
               (SELECT MAX(e.at_utc) FROM task_event e
                 WHERE e.task_id = task.id AND e.kind = 'decision') AS last_decision
        FROM task JOIN client ON client.id = task.client_id
        WHERE task.state IN ('trial', 'active') AND client.archived = :no
    """
    waiting = []
    for row in db.rows(sql, {"yes": True, "no": False}):
        start = row["last_major"]
        if start is None:
            start = (
                row["created"]
                if row["first_entry"] is None
                else min(row["created"], row["first_entry"])
            )
        if row["last_decision"] is not None and row["last_decision"] >= start:
            continue
        trial_end = datetime.fromtimestamp(int(start), zone).date() + timedelta(
            days=int(row["days"])
        )
        if today >= trial_end:
            waiting.append((TaskName(int(row["id"]), row["client"], row["name"]), trial_end))
    return sorted(waiting, key=lambda item: (item[1], item[0].full))


def recent_task_id(db: Db, person: str) -> int | None:
    """The task of ``person``'s latest entry, if any (one row, by ``ix_entry_person_start``)."""
    row = one(
        db,
        "SELECT task_id FROM entry WHERE person = :person ORDER BY start_utc DESC LIMIT 1",
        {"person": person},
    )
    return None if row is None else int(row["task_id"])


def client_names(db: Db) -> list[ClientName]:
    """Every client by name, archived ones too."""
    return [ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")]
