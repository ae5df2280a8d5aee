"""Undo and redo: replay the journal of a person's last operations, backwards or again.

Each undo step takes the person's latest operation that is neither undone nor an
undo or a redo itself, and reverses its journal rows last to first: an insert is
deleted, an update gets its old values back, a delete is inserted again with its own
id. Before touching a row it checks that the row is exactly as the operation left it;
if anything changed it since, nothing is undone and the user is told why. The undo is
itself an operation (``undo_of`` names the operation it undid), and the original is
marked ``undone_by``: undoing is journaled like any other change.

Redo takes the person's latest undo that is not redone yet, provided she made no new
change since (an operation that is neither an undo nor a redo), and reverses *the
undo's* journal the same way, with the same checks: the rows are then exactly as the
original operation left them. The redo is an operation too (``undo_of`` names the
undo, which is marked ``undone_by`` the redo), and the original is in effect again
(its ``undone_by`` is cleared), so a later undo takes it back once more: undo, redo,
undo, redo... each step restores exactly the rows of the step before the last.

What each step changed is returned as :class:`Change` rows (the row before and after,
as the journal stores them) with the names they refer to (:class:`Names`), for the
command line to say in words; nothing here names a row by its id.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from mansioni.errors import ConflictError
from mansioni.i18n import _, ngettext
from mansioni.store import operations
from mansioni.store.writer import Writer, row_json

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from collections.abc import Callable

    from mansioni.store.base import Store
    from mansioni.store.db import Db

#: An operation that changed more rows than this (an import) is told by counts, and the
#: names its rows refer to are not looked up.
LISTED = 12

#: What each command did, in words, as the object of "Undone: ..." or "Cannot undo ...";
#: an import names its source (``import watson``). Another command that journals its
#: changes adds its own words here.
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
    "bill": lambda: _("marking a period as invoiced"),
}


def operation_words(command: str, rows: int = 1) -> str:
    """The operation ``command`` recorded, said in words (``deleting an entry``);
    ``rows``: how many rows it changed (a ``delete`` of several entries says so)."""
    if command == "delete" and rows > 1:
        return ngettext("deleting {n} entry", "deleting {n} entries", rows).format(n=rows)
    label = OPERATION_LABEL.get(command)
    if label is not None:
        return label()
    if command.startswith("import "):
        return _("importing from {source}").format(source=command.removeprefix("import "))
    return _("a change")


@dataclass(frozen=True)
class Change:
    """One row as a step left it: ``before`` and ``after`` as the journal stores them
    (JSON; ``None`` where the row did not exist)."""

    table: str
    before_json: str | None
    after_json: str | None

    @property
    def kind(self) -> str:
        """``back`` (the row is there again), ``gone`` or ``changed``."""
        if self.before_json is None:
            return "back"
        if self.after_json is None:
            return "gone"
        return "changed"

    @property
    def before(self) -> dict | None:
        return None if self.before_json is None else json.loads(self.before_json)

    @property
    def after(self) -> dict | None:
        return None if self.after_json is None else json.loads(self.after_json)


@dataclass(frozen=True)
class Names:
    """What rows refer to by id, by name: each task's ``Client/Task``, each client's name."""

    tasks: dict[int, str] = field(default_factory=dict)
    clients: dict[int, str] = field(default_factory=dict)

    def task(self, task_id: object) -> str | None:
        return self.tasks.get(task_id) if isinstance(task_id, int) else None

    def client(self, client_id: object) -> str | None:
        return self.clients.get(client_id) if isinstance(client_id, int) else None


@dataclass(frozen=True)
class Step:
    """One operation undone (or redone, or that would be): ``command`` and ``at`` are
    the original operation's, ``changes`` what this step did to each row, in order."""

    operation_id: int
    command: str
    at: int
    changes: list[Change]
    names: Names

    @property
    def words(self) -> str:
        entries = sum(1 for c in self.changes if c.table == "entry")
        return operation_words(self.command, entries)


def _generic(table: str, row: dict, names: Names) -> str:
    """How a row is named in a refusal when the caller gives no describer of its own
    (the command line gives one: ``the entry of ...``)."""
    return _("a record")


def _names(db: Db, changes: list[Change]) -> Names:
    """The names of the tasks and clients ``changes`` refer to, from the store and, for
    those no longer there, from the rows themselves. A long operation is told by counts:
    only the rows of a table it changed once are named (a ``bill``'s invoice)."""
    if len(changes) > LISTED:
        once = Counter(change.table for change in changes)
        changes = [change for change in changes if once[change.table] == 1]
    task_rows: dict[int, tuple[int, str]] = {}  # task id -> (client id, name)
    client_names: dict[int, str] = {}
    task_ids: set[int] = set()
    client_ids: set[int] = set()  # those rows of other tables name (an invoice's client)
    for change in changes:
        for row in (change.before, change.after):
            if row is None:
                continue
            if change.table == "task":
                task_rows[int(row["id"])] = (int(row["client_id"]), row["name"])
            elif change.table == "client":
                client_names[int(row["id"])] = row["name"]
            else:
                if isinstance(row.get("task_id"), int):
                    task_ids.add(row["task_id"])
                if isinstance(row.get("client_id"), int):
                    client_ids.add(row["client_id"])
    task_rows.update(operations.tasks_by_id(db, task_ids - set(task_rows)))
    wanted = (client_ids | {client for client, _name in task_rows.values()}) - set(client_names)
    client_names.update(operations.client_names_by_id(db, wanted))
    tasks = {
        task_id: _full(client_names.get(client_id), name)
        for task_id, (client_id, name) in task_rows.items()
    }
    return Names(tasks, client_names)


def _full(client: str | None, task: str) -> str:
    return f"{client}/{task}" if client is not None else task


def _reverse(
    db: Db,
    op: dict,
    *,
    command: str,
    person: str,
    now: int,
    refusal: Callable[[str], str],
    describe: Callable[[str, dict, Names], str],
) -> tuple[list[Change], int | None]:
    """Reverse ``op``'s journal rows, last to first, as a new operation ``command`` (an
    undo or a redo, ``undo_of`` ``op``), and mark ``op`` taken back by it; what each row
    became, and the new operation's id (None if nothing was written). A row changed since
    ``op`` left it stops everything (``refusal(what)``)."""
    writer = Writer(db, person=person, command=command, now=now)
    writer.undo_of = int(op["id"])
    changes = []
    for row in operations.journal_of(db, int(op["id"])):
        table, row_id, action = row["table_name"], int(row["row_id"]), row["action"]
        current = row_json(writer.get(table, row_id))
        if current != row["after_json"]:
            left = row["after_json"] or current
            assert left is not None
            shown = Change(table, None, left)
            raise ConflictError(
                refusal(describe(table, json.loads(left), _names(db, [shown]))),
                hint=_("Change it back by hand, or leave it as it is."),
            )
        if action == "insert":
            writer.delete(table, row_id)
            changes.append(Change(table, current, None))
        elif action == "update":
            before = json.loads(row["before_json"])
            after = writer.update(table, row_id, {k: v for k, v in before.items() if k != "id"})
            changes.append(Change(table, current, row_json(after)))
        else:
            writer.restore(table, json.loads(row["before_json"]))
            changes.append(Change(table, None, row["before_json"]))
    if writer.operation_id is not None:
        operations.mark_undone(db, int(op["id"]), by=writer.operation_id)
    return changes, writer.operation_id


# --- undo ----------------------------------------------------------------------------------


def _undo_one(
    db: Db, op: dict, *, person: str, now: int, describe: Callable[[str, dict, Names], str]
) -> Step:
    words = operation_words(op["command"])
    changes, _made = _reverse(
        db,
        op,
        command="undo",
        person=person,
        now=now,
        refusal=lambda what: _(
            "Cannot undo {operation}: {what} was changed since. Nothing was undone."
        ).format(operation=words, what=what),
        describe=describe,
    )
    return Step(int(op["id"]), op["command"], int(op["at_utc"]), changes, _names(db, changes))


def undo(
    store: Store,
    *,
    person: str,
    now: int,
    steps: int = 1,
    dry_run: bool = False,
    describe: Callable[[str, dict, Names], str] = _generic,
) -> list[Step]:
    """Undo the last ``steps`` operations of ``person``, all in one transaction; with
    ``dry_run``, what that would do, nothing written."""

    def one_step(db: Db) -> Step | None:
        op = operations.latest_change(db, person)
        return None if op is None else _undo_one(db, op, person=person, now=now, describe=describe)

    done = _steps(store, one_step, steps, dry_run=dry_run)
    if not done:
        raise ConflictError(
            _("There is nothing to undo."), hint=_("See what you did with: mansioni log --today")
        )
    return done


# --- redo ----------------------------------------------------------------------------------


def _redo_one(
    db: Db, undo_op: dict, *, person: str, now: int, describe: Callable[[str, dict, Names], str]
) -> Step:
    words = operation_words(undo_op["command"])
    changes, made = _reverse(
        db,
        undo_op,
        command="redo",
        person=person,
        now=now,
        refusal=lambda what: _(
            "Cannot redo {operation}: {what} was changed since. Nothing was redone."
        ).format(operation=words, what=what),
        describe=describe,
    )
    if made is not None:
        # The original is in effect again: a later undo takes it back.
        operations.mark_undone(db, int(undo_op["original"]), by=None)
    return Step(
        int(undo_op["original"]),
        undo_op["command"],
        int(undo_op["at_utc"]),
        changes,
        _names(db, changes),
    )


def redo(
    store: Store,
    *,
    person: str,
    now: int,
    steps: int = 1,
    dry_run: bool = False,
    describe: Callable[[str, dict, Names], str] = _generic,
) -> list[Step]:
    """Do again what the last ``steps`` undos of ``person`` took back, the latest undo
    first, all in one transaction; only undos made after her last change count. With
    ``dry_run``, what that would do, nothing written."""
    boundary: list[int] = []

    def one_step(db: Db) -> Step | None:
        if not boundary:
            boundary.append(operations.last_change_id(db, person))
        undo_op = operations.latest_undo(db, person, after=boundary[0])
        if undo_op is None:
            return None
        return _redo_one(db, undo_op, person=person, now=now, describe=describe)

    done = _steps(store, one_step, steps, dry_run=dry_run)
    if not done:
        with store.read() as db:
            # An undo left behind by a new change, with no undo or redo since that change
            # (after them, every undo made since the change was simply redone already).
            last_change = operations.last_change_id(db, person)
            superseded = operations.latest_undo(
                db, person, after=0
            ) is not None and not operations.undone_or_redone_after(db, person, after=last_change)
        if superseded:
            raise ConflictError(
                _("There is nothing to redo: you made a new change after the last undo."),
                hint=_("What undo took back before a new change stays undone; record it again."),
            )
        raise ConflictError(
            _("There is nothing to redo."),
            hint=_("Redo does again what undo took back: see mansioni undo --help"),
        )
    return done


# --- one transaction, or none --------------------------------------------------------------


class _Rollback(Exception):
    """Leaves a dry run's transaction without writing anything."""

    def __init__(self, done: list[Step]) -> None:
        super().__init__("dry run")
        self.done = done


def _steps(
    store: Store, one_step: Callable[[Db], Step | None], steps: int, *, dry_run: bool
) -> list[Step]:
    """Up to ``steps`` of ``one_step``, in one transaction; rolled back with ``dry_run``."""
    done: list[Step] = []
    try:
        with store.write() as db:
            for _step in range(steps):
                step = one_step(db)
                if step is None:
                    break
                done.append(step)
            if dry_run:
                raise _Rollback(done)
    except _Rollback as rollback:
        return rollback.done
    return done
