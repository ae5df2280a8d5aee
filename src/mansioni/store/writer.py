"""Every change to stored data goes through here, and is journaled with it.

A command opens one ``Writer`` inside its transaction. The first change creates
an ``operation`` row (who, when, which command); every insert, update and delete
then writes a ``journal`` row with the row before and after, as JSON, in the same
transaction: either the change and its journal are both stored, or neither is.
``undo`` replays an operation's journal backwards (see ``mansioni.store.undo``).
Table and column names here always come from code, never from user input.
"""

from __future__ import annotations

from collections.abc import Mapping

from mansioni.store.db import one

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from typing import Any

    from mansioni.store.db import Db, Row

TABLES = ("client", "task", "entry", "task_event", "imported")


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

    # -- the journal -------------------------------------------------------------
    def _journal(
        self, table: str, row_id: int, action: str, before: Row | None, after: Row | None
    ) -> None:
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
        self.db.run(
            "INSERT INTO journal (operation_id, table_name, row_id, action, before_json, after_json)"
            " VALUES (:op, :table, :row_id, :action, :before, :after)",
            {
                "op": self.operation_id,
                "table": table,
                "row_id": row_id,
                "action": action,
                "before": row_json(before),
                "after": row_json(after),
            },
        )


def _check(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"not a journaled table: {table}")
