"""Every change to stored data goes through here, and is journaled with it.

A command opens one ``Writer`` inside its transaction. The first change creates
an ``operation`` row (who, when, which command); every insert, update and delete
then writes a ``journal`` row with the row before and after, as JSON, in the same
transaction: either the change and its journal are both stored, or neither is.
``undo`` replays an operation's journal backwards (see ``mansioni.services.undo``).
``insert_many`` is ``insert`` for many new rows at once (an import): the same rows
and journal, in a few statements.
Table and column names here always come from code, never from user input.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Mapping, Sequence

from mansioni.store.db import MAX_INTEGER, one

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from json import JSONEncoder
    from typing import Any

    from mansioni.store.db import Db, Row

TABLES = ("client", "task", "entry", "task_event", "imported", "invoice")


def row_json(row: Row | None) -> str | None:
    if row is None:
        return None
    import json

    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class Writer:
    def __init__(self, db: Db, *, person: str, command: str, now: int) -> None:
        self.db = db
        self.person = person
        self.command = command
        self.now = now
        self.operation_id: int | None = None
        self.undo_of: int | None = None

    # -- reading a row as stored ------------------------------------------------
    @staticmethod
    def get_row(db: Db, table: str, row_id: int) -> Row | None:
        _check(table)
        return one(db, f"SELECT * FROM {table} WHERE id = :id", {"id": row_id})

    def get(self, table: str, row_id: int) -> Row | None:
        return self.get_row(self.db, table, row_id)

    # -- journaled writes --------------------------------------------------------
    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        _check(table)
        cols = list(values)
        sql = (
            f"INSERT INTO {table} ({', '.join(cols)}) "
            f"VALUES ({', '.join(':' + c for c in cols)}) RETURNING id"
        )
        row_id = int(self.db.rows(sql, values)[0]["id"])
        self._journal(table, row_id, "insert", None, self.get(table, row_id))
        return row_id

    def update(self, table: str, row_id: int, changes: Mapping[str, Any]) -> Row:
        _check(table)
        before = self.get(table, row_id)
        if before is None:
            raise LookupError(f"{table} {row_id}")
        changed = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changed:
            return before
        sets = ", ".join(f"{c} = :{c}" for c in changed)
        self.db.run(f"UPDATE {table} SET {sets} WHERE id = :id", {**changed, "id": row_id})
        after = self.get(table, row_id)
        assert after is not None
        self._journal(table, row_id, "update", before, after)
        return after

    def delete(self, table: str, row_id: int) -> Row:
        _check(table)
        before = self.get(table, row_id)
        if before is None:
            raise LookupError(f"{table} {row_id}")
        self.db.run(f"DELETE FROM {table} WHERE id = :id", {"id": row_id})
        self._journal(table, row_id, "delete", before, None)
        return before

    def restore(self, table: str, row: Row) -> None:
        """Insert a row back with its own id (used by undo)."""
        _check(table)
        cols = list(row)
        self.db.run(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})",
            row,
        )
        self._journal(table, int(row["id"]), "insert", None, self.get(table, int(row["id"])))

    def insert_many(self, table: str, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert ``rows`` (each with the same columns, no ``id``) as ``insert`` would,
        one after the other, and return their ids: the same ids, the same stored rows
        and the same journal rows in the same order.

        On a SQLite store that takes three statements, whatever the number of rows: the
        ids are the ones SQLite would give (the write transaction holds the lock, so
        nothing else takes one meanwhile), the rows are read back as stored for the
        journal, and the journal rows go in together. On any other database (whose
        sequences hand out ids their own way) the rows go in one by one.
        """
        _check(table)
        if not rows:
            return []
        conn = getattr(self.db, "conn", None)
        first = _next_id(conn, table) if isinstance(conn, sqlite3.Connection) else None
        if conn is None or first is None or first + len(rows) - 1 > MAX_INTEGER:
            return [self.insert(table, row) for row in rows]
        cols = list(rows[0])
        ids = range(first, first + len(rows))
        conn.executemany(
            f"INSERT INTO {table} (id, {', '.join(cols)}) "
            f"VALUES (:id, {', '.join(':' + c for c in cols)})",
            ({**row, "id": row_id} for row_id, row in zip(ids, rows, strict=True)),
        )
        cursor = conn.execute(
            f"SELECT * FROM {table} WHERE id >= :first AND id <= :last ORDER BY id",
            {"first": ids[0], "last": ids[-1]},
        )
        names = [d[0] for d in cursor.description]
        stored = cursor.fetchall()
        op = self._operation()
        encode = _row_encoder().encode  # row_json's own settings, made once
        conn.executemany(
            _JOURNAL_INSERT,
            (
                {
                    "op": op,
                    "table": table,
                    "row_id": row_id,
                    "action": "insert",
                    "before": None,
                    "after": encode(dict(zip(names, values, strict=True))),
                }
                for row_id, values in zip(ids, stored, strict=True)
            ),
        )
        return list(ids)

    def update_many(self, table: str, row_ids: Sequence[int], changes: Mapping[str, Any]) -> int:
        """``update`` of the same ``changes`` to many rows (``bill`` marking a month of
        entries): the same stored rows and journal rows, in a few statements per
        thousand rows (the rows read, updated and read back by id, their journal rows
        written by one ``executemany``, as ``insert_many`` writes them). Rows already so
        are left alone, unjournaled, as ``update`` does; returns how many rows changed."""
        _check(table)
        ids = sorted({int(i) for i in row_ids})
        if not ids or not changes:
            return 0
        sets = ", ".join(f"{c} = :{c}" for c in changes)
        changed = 0
        encode = _row_encoder().encode
        for at in range(0, len(ids), _IDS_PER_STATEMENT):
            # ids come from the program (ints), written as literals: no parameter limit.
            within = ", ".join(str(i) for i in ids[at : at + _IDS_PER_STATEMENT])
            before = [
                row
                for row in self.db.rows(f"SELECT * FROM {table} WHERE id IN ({within}) ORDER BY id")
                if any(row.get(k) != v for k, v in changes.items())
            ]
            if not before:
                continue
            touched = ", ".join(str(int(r["id"])) for r in before)
            self.db.run(f"UPDATE {table} SET {sets} WHERE id IN ({touched})", changes)
            after = self.db.rows(f"SELECT * FROM {table} WHERE id IN ({touched}) ORDER BY id")
            op = self._operation()
            _run_many(
                self.db,
                _JOURNAL_INSERT,
                [
                    {
                        "op": op,
                        "table": table,
                        "row_id": int(new["id"]),
                        "action": "update",
                        "before": encode(dict(old)),
                        "after": encode(dict(new)),
                    }
                    for old, new in zip(before, after, strict=True)
                ],
            )
            changed += len(before)
        return changed

    # -- the journal -------------------------------------------------------------
    def _operation(self) -> int:
        """The id of this writer's operation row, made with its first change."""
        if self.operation_id is None:
            self.operation_id = int(
                self.db.rows(
                    "INSERT INTO operation (at_utc, person, command, undo_of) "
                    "VALUES (:at, :person, :command, :undo_of) RETURNING id",
                    {
                        "at": self.now,
                        "person": self.person,
                        "command": self.command,
                        "undo_of": self.undo_of,
                    },
                )[0]["id"]
            )
        return self.operation_id

    def _journal(
        self, table: str, row_id: int, action: str, before: Row | None, after: Row | None
    ) -> None:
        self.db.run(
            _JOURNAL_INSERT,
            {
                "op": self._operation(),
                "table": table,
                "row_id": row_id,
                "action": action,
                "before": row_json(before),
                "after": row_json(after),
            },
        )


#: Rows per statement of ``update_many``.
_IDS_PER_STATEMENT = 1000

_JOURNAL_INSERT = (
    "INSERT INTO journal (operation_id, table_name, row_id, action, before_json, after_json)"
    " VALUES (:op, :table, :row_id, :action, :before, :after)"
)


def _run_many(db: Db, sql: str, params: list[dict[str, Any]]) -> None:
    """One statement run with each of ``params``, in one call: ``executemany`` of the
    quick path's ``sqlite3`` connection, or of a SQLAlchemy one (a list of parameters
    is its executemany); row by row on any other ``Db``."""
    conn = getattr(db, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        conn.executemany(sql, params)
        return
    if "sqlalchemy" in sys.modules:
        from sqlalchemy import Connection, text

        if isinstance(conn, Connection):
            conn.execute(text(sql), params)
            return
    for one_row in params:
        db.run(sql, one_row)


def _row_encoder() -> JSONEncoder:
    """The encoder ``row_json`` uses (``json.dumps`` with its arguments makes one per call)."""
    import json

    return json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    """The id SQLite gives the next row of ``table``: past the largest there is and, for
    a table that never reuses ids (AUTOINCREMENT), past the largest there ever was."""
    (largest,) = conn.execute(f"SELECT MAX(id) FROM {table}").fetchone()
    ever = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    return max(largest or 0, ever[0] if ever else 0) + 1


def _check(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"not a journaled table: {table}")
