"""A tiny SQL interface that both ways into the store implement.

The commands typed all day reach SQLite through the standard ``sqlite3`` module;
every other command, and any non-SQLite store, goes through SQLAlchemy. Both wrap
their connection in a ``Db`` and run the *same* SQL text, written with named
parameters (``:name``) and only portable SQL (``RETURNING``, ``CASE``,
``COALESCE``), so the two paths read and write exactly the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

# ``typing`` costs the quick path ~7 ms to import; type checkers read this block anyway.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    Row = dict[str, Any]

    class Db(Protocol):
        def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...

        def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
            """Execute a statement; return how many rows it changed."""
            ...


#: The largest integer a store holds, ids included (SQLite's INTEGER and PostgreSQL's
#: bigint are signed 64-bit: the smallest is ``-MAX_INTEGER - 1``).
MAX_INTEGER = 2**63 - 1


class SqliteDb:
    """``Db`` over a stdlib ``sqlite3`` connection (the quick path)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        cur = self.conn.execute(sql, params or {})
        names = [d[0] for d in cur.description] if cur.description else []
        return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]

    def run(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        return self.conn.execute(sql, params or {}).rowcount


def one(db: Db, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
    found = db.rows(sql, params)
    return found[0] if found else None
