"""The invoice an entry is on, or whose period an instant falls in (``mansioni bill``)."""

from __future__ import annotations

from mansioni.store.db import one

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.db import Db, Row

_FIELDS = "i.id AS id, i.first_day AS first_day, i.last_day AS last_day, c.name AS client"


def invoice_of_entry(db: Db, entry_id: int) -> Row | None:
    """The invoice entry ``entry_id`` is on (its days and client's name), or None."""
    return one(
        db,
        f"SELECT {_FIELDS} FROM entry e JOIN invoice i ON i.id = e.invoice_id"
        " JOIN client c ON c.id = i.client_id WHERE e.id = :id",
        {"id": entry_id},
    )


def invoice_covering(db: Db, task_id: int, start: int) -> Row | None:
    """The first invoice of task ``task_id``'s client whose period holds the instant
    ``start`` (an entry starting then counts in that invoiced period), or None."""
    return one(
        db,
        f"SELECT {_FIELDS} FROM task t JOIN invoice i ON i.client_id = t.client_id"
        " JOIN client c ON c.id = i.client_id"
        " WHERE t.id = :task AND i.lo_utc <= :start AND :start < i.hi_utc ORDER BY i.id LIMIT 1",
        {"task": task_id, "start": start},
    )
