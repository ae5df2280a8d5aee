"""The log of operations that undo and redo read and mark (``mansioni.services.undo``).

An ``operation`` row is one command's changes; its ``journal`` rows hold each row
before and after. ``undo_of`` names the operation an undo undid (or the undo a redo
redid); ``undone_by`` marks an operation taken back, and is cleared when a redo puts
it in effect again. The rules of undo and redo live in the service; here are only
the statements.
"""

from __future__ import annotations

from mansioni.store.db import one

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from collections.abc import Collection

    from mansioni.store.db import Db, Row


def latest_change(db: Db, person: str) -> Row | None:
    """``person``'s latest operation in effect that is a change of her own (neither an
    undo nor a redo, nor undone): what ``undo`` takes back next."""
    return one(
        db,
        "SELECT id, command, at_utc FROM operation WHERE person = :person AND undo_of IS NULL "
        "AND undone_by IS NULL ORDER BY id DESC LIMIT 1",
        {"person": person},
    )


def last_change_id(db: Db, person: str) -> int:
    """The id of ``person``'s latest change of her own, undone or not; 0 if none."""
    row = one(
        db,
        "SELECT MAX(id) AS id FROM operation WHERE person = :person AND undo_of IS NULL",
        {"person": person},
    )
    return int(row["id"]) if row is not None and row["id"] is not None else 0


def latest_undo(db: Db, person: str, *, after: int) -> Row | None:
    """``person``'s latest undo not redone yet, made after operation ``after``, with the
    operation it undid (``original``, ``command``, ``at_utc``)."""
    return one(
        db,
        "SELECT u.id AS id, o.id AS original, o.command AS command, o.at_utc AS at_utc"
        " FROM operation u JOIN operation o ON o.id = u.undo_of"
        " WHERE u.person = :person AND u.command = 'undo' AND u.undone_by IS NULL"
        " AND u.id > :after ORDER BY u.id DESC LIMIT 1",
        {"person": person, "after": after},
    )


def undone_or_redone_after(db: Db, person: str, *, after: int) -> bool:
    """Whether ``person`` undid or redid anything after operation ``after``."""
    row = one(
        db,
        "SELECT id FROM operation WHERE person = :person AND undo_of IS NOT NULL"
        " AND id > :after LIMIT 1",
        {"person": person, "after": after},
    )
    return row is not None


def journal_of(db: Db, operation_id: int) -> list[Row]:
    """The journal rows of an operation, last written first (the order to reverse them)."""
    return db.rows(
        "SELECT table_name, row_id, action, before_json, after_json FROM journal "
        "WHERE operation_id = :op ORDER BY id DESC",
        {"op": operation_id},
    )


def mark_undone(db: Db, operation_id: int, *, by: int | None) -> None:
    """Mark an operation taken back by operation ``by`` (None: in effect again)."""
    db.run("UPDATE operation SET undone_by = :by WHERE id = :op", {"by": by, "op": operation_id})


def tasks_by_id(db: Db, ids: Collection[int]) -> dict[int, tuple[int, str]]:
    """Task id -> (client id, name), for the tasks of ``ids`` still stored."""
    if not ids:
        return {}
    ordered = sorted(ids)
    rows = db.rows(
        f"SELECT id, client_id, name FROM task WHERE id IN ({_marks(len(ordered))})",
        {f"p{i}": value for i, value in enumerate(ordered)},
    )
    return {int(r["id"]): (int(r["client_id"]), r["name"]) for r in rows}


def client_names_by_id(db: Db, ids: Collection[int]) -> dict[int, str]:
    """Client id -> name, for the clients of ``ids`` still stored."""
    if not ids:
        return {}
    ordered = sorted(ids)
    rows = db.rows(
        f"SELECT id, name FROM client WHERE id IN ({_marks(len(ordered))})",
        {f"p{i}": value for i, value in enumerate(ordered)},
    )
    return {int(r["id"]): r["name"] for r in rows}


def _marks(n: int) -> str:
    return ", ".join(f":p{i}" for i in range(n))
