"""What shell completion reads from a SQLite store: the standard ``sqlite3``, no ORM.

``mansioni.complete`` answers every Tab of a shell, so it must not load SQLAlchemy
nor anything else heavy: these reads go straight to the file, read-only, waiting at
most a moment for a store another command holds locked. A store that is missing,
busy, damaged or not SQLite reads as empty (``None``): completion then offers
commands and options only, and says nothing.

The rows come out as they are stored; what they mean (which duties are hidden, how a
name is typed) is the caller's business.
"""

from __future__ import annotations

import os
import sqlite3

#: ``(id, name, archived)`` of a client.
ClientRow = tuple[int, str, bool]
#: ``(id, client_id, name, state)`` of a duty.
TaskRow = tuple[int, int, str, str]
#: ``(id, start_utc, end_utc, task name, client name)`` of an entry (``end_utc`` is
#: ``None`` while its timer runs).
EntryRow = tuple[int, int, int | None, str, str]


def connect(timeout: float) -> sqlite3.Connection | None:
    """The user's store, read-only, waiting up to ``timeout`` seconds for a lock;
    ``None`` when there is none to read here (no SQLite store, no file, unreadable)."""
    from mansioni.errors import MansioniError

    try:
        from mansioni.store.paths import sqlite_path, store_url

        path = sqlite_path(store_url())
        if path is None or not os.path.isfile(path):
            return None
        from mansioni.store.sqlite_setup import connect_read_only

        return connect_read_only(path, timeout=timeout)
    except (MansioniError, sqlite3.Error, OSError, ValueError):
        return None


def catalog(timeout: float) -> tuple[list[ClientRow], list[TaskRow]] | None:
    """Every client and every duty of the store (archived and handed-back ones too), or
    ``None`` when it cannot be read."""
    conn = connect(timeout)
    if conn is None:
        return None
    try:
        clients = [
            (int(i), str(n), bool(a))
            for i, n, a in conn.execute("SELECT id, name, archived FROM client")
        ]
        tasks = [
            (int(i), int(c), str(n), str(s))
            for i, c, n, s in conn.execute("SELECT id, client_id, name, state FROM task")
        ]
        return clients, tasks
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def newest_entries(person: str, window: int, timeout: float) -> list[EntryRow] | None:
    """``person``'s entries among the ``window`` newest rows of the entry table (anyone's),
    newest first, with their duty's and client's names; ``None`` when the store cannot
    be read. Read by primary key from the end: never a scan of the history."""
    conn = connect(timeout)
    if conn is None:
        return None
    try:
        rows = conn.execute(
            "SELECT e.id, e.start_utc, e.end_utc, t.name, c.name FROM ("
            " SELECT id, task_id, person, start_utc, end_utc FROM entry"
            " ORDER BY id DESC LIMIT ?) AS e"
            " JOIN task AS t ON t.id = e.task_id JOIN client AS c ON c.id = t.client_id"
            " WHERE e.person = ? ORDER BY e.id DESC",
            (window, person),
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return [
        (int(i), int(s), None if e is None else int(e), str(t), str(c)) for i, s, e, t, c in rows
    ]
