"""Undo: replay the journal of a person's last operations backwards.

Each undo step takes the person's latest operation that is neither undone nor an
undo itself, and reverses its journal rows last to first: an insert is deleted,
an update gets its old values back, a delete is inserted again with its own id.
Before touching a row it checks that the row is exactly as the operation left it;
if anything changed it since, nothing is undone and the user is told why. The
undo is itself an operation (``undo_of``), and the original is marked
``undone_by``: undoing is journaled like any other change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from mansioni.errors import ConflictError
from mansioni.i18n import _
from mansioni.store.db import one
from mansioni.store.writer import Writer, row_json

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db


#: How each journaled table is named to a user.
TABLE_LABEL = {
    "entry": lambda: _("entry"),
    "client": lambda: _("client"),
    "task": lambda: _("task"),
    "task_event": lambda: _("event"),
    "imported": lambda: _("import record"),
}


#: What each command did, in words, as the object of "Undone: ..." or "Cannot undo ...";
#: an import names its source (``import watson``).
OPERATION_LABEL = {
    "start": lambda: _("starting a timer"),
    "stop": lambda: _("stopping a timer"),
    "cancel": lambda: _("throwing a timer away"),
    "add": lambda: _("adding an entry"),
    "edit": lambda: _("changing an entry"),
    "delete": lambda: _("deleting an entry"),
    "estimate": lambda: _("recording the client's estimate"),
    "change": lambda: _("recording a change to a task"),
    "decide": lambda: _("recording the client's decision"),
    "client add": lambda: _("adding a client"),
    "client edit": lambda: _("changing a client"),
    "task add": lambda: _("adding a task"),
    "task edit": lambda: _("changing a task"),
}


def operation_words(command: str) -> str:
    """The operation ``command`` recorded, said in words (``deleting an entry``)."""
    label = OPERATION_LABEL.get(command)
    if label is not None:
        return label()
    if command.startswith("import "):
        return _("importing from {source}").format(source=command.removeprefix("import "))
    return _("the command {command!r}").format(command=command)


@dataclass(frozen=True)
class Undone:
    operation_id: int
    command: str
    at: int
    changes: list[tuple[str, int, str]]  # (table, row id, action that was undone)


def _latest(db: Db, person: str) -> dict | None:
    return one(
        db,
        "SELECT id, command, at_utc FROM operation WHERE person = :person AND undo_of IS NULL "
        "AND undone_by IS NULL ORDER BY id DESC LIMIT 1",
        {"person": person},
    )


def _undo_one(db: Db, op: dict, *, person: str, now: int) -> Undone:
    journal = db.rows(
        "SELECT table_name, row_id, action, before_json, after_json FROM journal "
        "WHERE operation_id = :op ORDER BY id DESC",
        {"op": op["id"]},
    )
    writer = Writer(db, person=person, command="undo", now=now)
    writer.undo_of = int(op["id"])
    changes = []
    for row in journal:
        table, row_id, action = row["table_name"], int(row["row_id"]), row["action"]
        current = row_json(writer.get(table, row_id))
        if current != row["after_json"]:
            raise ConflictError(
                _(
                    "Cannot undo {operation}: {table} {id} was changed since. Nothing was undone."
                ).format(
                    operation=operation_words(op["command"]), table=TABLE_LABEL[table](), id=row_id
                ),
                hint=_("Change it back by hand with mansioni edit, or leave it as it is."),
            )
        if action == "insert":
            writer.delete(table, row_id)
        elif action == "update":
            before = json.loads(row["before_json"])
            writer.update(table, row_id, {k: v for k, v in before.items() if k != "id"})
        else:
            writer.restore(table, json.loads(row["before_json"]))
        changes.append((table, row_id, action))
    if writer.operation_id is not None:
        db.run(
            "UPDATE operation SET undone_by = :undo WHERE id = :op",
            {"undo": writer.operation_id, "op": op["id"]},
        )
    return Undone(int(op["id"]), op["command"], int(op["at_utc"]), changes)


def undo(store: Store, *, person: str, now: int, steps: int = 1) -> list[Undone]:
    """Undo the last ``steps`` operations of ``person``, all in one transaction."""
    done: list[Undone] = []
    with store.write() as db:
        for _step in range(steps):
            op = _latest(db, person)
            if op is None:
                break
            done.append(_undo_one(db, op, person=person, now=now))
    if not done:
        raise ConflictError(
            _("There is nothing to undo."), hint=_("See what you did with: mansioni log --today")
        )
    return done
