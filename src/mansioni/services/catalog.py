"""Clients and their tasks: add, list, show, edit, archive.

Each function is one transaction over a ``Store`` (``mansioni.store.base``): on a
SQLite store at this program's schema the standard ``sqlite3`` module, as the quick
commands use; else SQLAlchemy, which also creates or upgrades the store. Reads go
through ``mansioni.store.queries.catalog``; every write goes through the journaled
``Writer``, so ``undo`` can take it back.
"""

from __future__ import annotations

from collections.abc import Mapping

from mansioni.domain.entries import check_note
from mansioni.domain.names import (
    ClientName,
    TaskName,
    check_name,
    fold,
    resolve_client,
    resolve_task,
)
from mansioni.domain.states import HIDDEN_STATES
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.store import records
from mansioni.store.queries.catalog import (
    ClientRecord,
    TaskRecord,
    TaskTotals,
    all_clients,
    client_by_id,
    task_by_id,
    task_totals,
    tasks_of_client,
    tasks_with_clients,
)
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mansioni.store.base import Store
    from mansioni.store.db import Db

CLIENT_FIELDS = (
    "name",
    "currency",
    "hour_value_cents",
    "rate_cents",
    "rounding_minutes",
    "minimum_minutes",
    "archived",
    "since_utc",
)
TASK_FIELDS = (
    "name",
    "description",
    "estimate_seconds",
    "estimate_basis",
    "rate_cents",
    "oversight_seconds",
    "trial_days",
    "state",
    "since_utc",
)


def _check_description(text: str | None) -> None:
    """A task's description is a note: tabs and line breaks, no other control character."""
    check_note(
        text,
        field=_("The task's description"),
        example="mansioni task edit rossi/newsletter --note 'weekly, Mailchimp'",
    )


def _check_client_unique(db: Db, name: str, *, except_id: int | None = None) -> None:
    for other in all_clients(db):
        if fold(other.name) == fold(name) and other.id != except_id:
            raise InputError(
                _("A client named {name!r} already exists.").format(name=other.name),
                hint=_("Choose another name, or edit it: mansioni client edit {name!r}").format(
                    name=other.name
                ),
            )


def add_client(store: Store, *, values: Mapping[str, Any], person: str, now: int) -> ClientRecord:
    name = check_name(values["name"], what=_("client"))
    with store.write() as db:
        _check_client_unique(db, name)
        row = {
            "name": name,
            "currency": values.get("currency") or "EUR",
            "hour_value_cents": values.get("hour_value_cents"),
            "rate_cents": values.get("rate_cents"),
            "rounding_minutes": values.get("rounding_minutes"),
            "minimum_minutes": values.get("minimum_minutes"),
            "archived": False,
            "created_utc": now,
            "since_utc": values.get("since_utc"),
        }
        client_id = Writer(db, person=person, command="client add", now=now).insert("client", row)
        return ClientRecord.from_row({**row, "id": client_id})


def list_clients(store: Store, *, include_archived: bool = False) -> list[ClientRecord]:
    with store.read() as db:
        found = all_clients(db, include_archived=include_archived)
    # Sorted here, not by SQL: the order must not depend on the database's collation.
    return sorted(found, key=lambda c: fold(c.name))


def find_client(db: Db, query: str) -> ClientRecord:
    """The one client ``query`` names (any unambiguous part of its name), or an ``InputError``."""
    found = all_clients(db)
    chosen = resolve_client(query, [ClientName(c.id, c.name) for c in found])
    return next(c for c in found if c.id == chosen.id)


def _by_name(tasks: list[TaskRecord]) -> list[TaskRecord]:
    return sorted(tasks, key=lambda t: fold(t.name))


def show_client(store: Store, query: str) -> tuple[ClientRecord, list[TaskRecord]]:
    with store.read() as db:
        client = find_client(db, query)
        return client, _by_name(tasks_of_client(db, client.id))


def edit_client(
    store: Store, query: str, *, changes: Mapping[str, Any], person: str, now: int
) -> ClientRecord:
    with store.write() as db:
        client = find_client(db, query)
        update = {k: v for k, v in changes.items() if k in CLIENT_FIELDS}
        if "name" in update:
            update["name"] = check_name(update["name"], what=_("client"))
            _check_client_unique(db, update["name"], except_id=client.id)
        if not update:
            raise InputError(
                _("Nothing to change."),
                hint=_("For example: mansioni client edit rossi --rate 30"),
            )
        row = Writer(db, person=person, command="client edit", now=now).update(
            "client", client.id, update
        )
        return ClientRecord.from_row(row)


def archive_client(store: Store, query: str, *, person: str, now: int) -> ClientRecord:
    return edit_client(store, query, changes={"archived": True}, person=person, now=now)


# -- tasks -------------------------------------------------------------------------


def _split_task_ref(ref: str) -> tuple[str, str]:
    if "/" not in ref:
        raise InputError(
            _("Name the new task with its client, as client/task."),
            hint=_("For example: mansioni task add rossi/newsletter --estimate 45m"),
        )
    client_q, name = (part.strip() for part in ref.split("/", 1))
    return client_q, name


def add_task(
    store: Store, ref: str, *, values: Mapping[str, Any], person: str, now: int
) -> tuple[TaskRecord, ClientRecord]:
    client_q, raw_name = _split_task_ref(ref)
    name = check_name(raw_name, what=_("task"))
    _check_description(values.get("description"))
    with store.write() as db:
        client = find_client(db, client_q)
        if client.archived:
            raise InputError(
                _("{client} is archived.").format(client=client.name),
                hint=_("Bring it back first: mansioni client edit {name!r} --active").format(
                    name=client.name
                ),
            )
        for other in tasks_of_client(db, client.id):
            if fold(other.name) == fold(name):
                raise InputError(
                    _("{client} already has a task named {name!r}.").format(
                        client=client.name, name=other.name
                    ),
                    hint=_("Choose another name, or edit it: mansioni task edit {ref!r}").format(
                        ref=f"{client.name}/{other.name}"
                    ),
                )
        row = {
            "client_id": client.id,
            "name": name,
            "description": values.get("description"),
            "estimate_seconds": values.get("estimate_seconds"),
            "estimate_basis": values.get("estimate_basis") or "occurrence",
            "rate_cents": values.get("rate_cents"),
            "oversight_seconds": values.get("oversight_seconds") or 0,
            "trial_days": values.get("trial_days") or 90,
            "state": values.get("state") or "trial",
            "created_utc": now,
            "since_utc": values.get("since_utc"),
        }
        writer = Writer(db, person=person, command="task add", now=now)
        task_id = writer.insert("task", row)
        if row["estimate_seconds"] is not None:
            _record_estimate(writer, task_id, row, now)
        return TaskRecord.from_row({**row, "id": task_id}), client


def _record_estimate(writer: Writer, task_id: int, row: Mapping[str, Any], now: int) -> None:
    """The task's estimate as a dated event of its story, like the ``estimate`` command's.

    The story's module (phases, billing) is imported here, by the two commands that
    give an estimate, not by every listing."""
    from mansioni.services.changes import record_estimate

    record_estimate(writer, task_id, row["estimate_seconds"], row["estimate_basis"], now)


def _find_task(db: Db, query: str) -> TaskName:
    return resolve_task(query, records.task_names(db, include_archived=True))


def _listed(task: TaskRecord, client: ClientRecord) -> bool:
    """Whether lists show the task without ``--all``."""
    return task.state not in HIDDEN_STATES and not client.archived


def list_tasks(
    store: Store, *, client: str | None = None, include_archived: bool = False
) -> list[tuple[TaskRecord, ClientRecord]]:
    with store.read() as db:
        client_id = None if client is None else find_client(db, client).id
        found = tasks_with_clients(db, client_id=client_id)
    if not include_archived:
        found = [(t, c) for t, c in found if _listed(t, c)]
    return sorted(found, key=lambda pair: (fold(pair[1].name), fold(pair[0].name)))


def show_task(store: Store, query: str) -> tuple[TaskRecord, ClientRecord, TaskTotals]:
    """The task, its client, and its totals: entries, occurrences, seconds."""
    with store.read() as db:
        task = task_by_id(db, _find_task(db, query).id)
        return task, client_by_id(db, task.client_id), task_totals(db, task.id)


def edit_task(
    store: Store, query: str, *, changes: Mapping[str, Any], person: str, now: int
) -> tuple[TaskRecord, ClientRecord]:
    with store.write() as db:
        ref = _find_task(db, query)
        task = task_by_id(db, ref.id)
        update = {k: v for k, v in changes.items() if k in TASK_FIELDS}
        _check_description(update.get("description"))
        if "name" in update:
            update["name"] = check_name(update["name"], what=_("task"))
            siblings = tasks_of_client(db, task.client_id)
            if any(fold(t.name) == fold(update["name"]) and t.id != task.id for t in siblings):
                raise InputError(
                    _("{client} already has a task named {name!r}.").format(
                        client=ref.client, name=update["name"]
                    ),
                    hint=_("Choose another name."),
                )
        if not update:
            raise InputError(
                _("Nothing to change."),
                hint=_("For example: mansioni task edit rossi/newsletter --estimate 50m"),
            )
        writer = Writer(db, person=person, command="task edit", now=now)
        row = writer.update("task", ref.id, update)
        if "estimate_seconds" in update or "estimate_basis" in update:
            _record_estimate(writer, ref.id, row, now)  # a revised estimate is dated too
        return TaskRecord.from_row(row), client_by_id(db, task.client_id)


def archive_task(
    store: Store, query: str, *, person: str, now: int
) -> tuple[TaskRecord, ClientRecord]:
    return edit_task(store, query, changes={"state": "archived"}, person=person, now=now)
