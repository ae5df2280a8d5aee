"""Clients and their tasks: add, list, show, edit, archive.

Each function is one transaction. Reads use the SQLModel tables; every write goes
through the journaled ``Writer``, so ``undo`` can take it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import col, select

from mansioni.domain.entries import check_note
from mansioni.domain.names import (
    ClientName,
    TaskName,
    check_name,
    fold,
    resolve_client,
    resolve_task,
)
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.services import changes as story
from mansioni.store import records
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.orm.models import Client, Task
from mansioni.store.writer import Writer

CLIENT_FIELDS = (
    "name",
    "currency",
    "hour_value_cents",
    "rate_cents",
    "rounding_minutes",
    "minimum_minutes",
    "archived",
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
)


def _client_names(session, *, include_archived: bool = True) -> list[ClientName]:  # noqa: ANN001
    query = select(Client)
    if not include_archived:
        query = query.where(col(Client.archived).is_(False))
    return [ClientName(c.id, c.name) for c in session.exec(query)]  # type: ignore[arg-type]


def _check_description(text: str | None) -> None:
    """A task's description is a note: tabs and line breaks, no other control character."""
    check_note(
        text,
        field=_("The task's description"),
        example="mansioni task edit rossi/newsletter --note 'weekly, Mailchimp'",
    )


def _check_client_unique(session, name: str, *, except_id: int | None = None) -> None:  # noqa: ANN001
    for other in _client_names(session):
        if fold(other.name) == fold(name) and other.id != except_id:
            raise InputError(
                _("A client named {name!r} already exists.").format(name=other.name),
                hint=_("Choose another name, or edit it: mansioni client edit {name!r}").format(
                    name=other.name
                ),
            )


def add_client(store: AlchemyStore, *, values: Mapping[str, Any], person: str, now: int) -> Client:
    name = check_name(values["name"], what=_("client"))
    with store.session(write=True) as (session, db):
        _check_client_unique(session, name)
        row = {
            "name": name,
            "currency": values.get("currency") or "EUR",
            "hour_value_cents": values.get("hour_value_cents"),
            "rate_cents": values.get("rate_cents"),
            "rounding_minutes": values.get("rounding_minutes"),
            "minimum_minutes": values.get("minimum_minutes"),
            "archived": False,
            "created_utc": now,
        }
        client_id = Writer(db, person=person, command="client add", now=now).insert("client", row)
        return Client.model_validate({**row, "id": client_id})


def list_clients(store: AlchemyStore, *, include_archived: bool = False) -> list[Client]:
    with store.session() as (session, _db):
        query = select(Client)
        if not include_archived:
            query = query.where(col(Client.archived).is_(False))
        found = [Client.model_validate(c.model_dump()) for c in session.exec(query)]
    # Sorted here, not by SQL: the order must not depend on the database's collation.
    return sorted(found, key=lambda c: fold(c.name))


def find_client(session, query: str) -> Client:  # noqa: ANN001
    chosen = resolve_client(query, _client_names(session))
    client = session.get(Client, chosen.id)
    assert client is not None
    return client


def show_client(store: AlchemyStore, query: str) -> tuple[Client, list[Task]]:
    with store.session() as (session, _db):
        client = find_client(session, query)
        tasks = session.exec(select(Task).where(Task.client_id == client.id))
        return Client.model_validate(client.model_dump()), sorted(
            (Task.model_validate(t.model_dump()) for t in tasks), key=lambda t: fold(t.name)
        )


def edit_client(
    store: AlchemyStore, query: str, *, changes: Mapping[str, Any], person: str, now: int
) -> Client:
    with store.session(write=True) as (session, db):
        client = find_client(session, query)
        update = {k: v for k, v in changes.items() if k in CLIENT_FIELDS}
        if "name" in update:
            update["name"] = check_name(update["name"], what=_("client"))
            _check_client_unique(session, update["name"], except_id=client.id)
        if not update:
            raise InputError(
                _("Nothing to change."),
                hint=_("For example: mansioni client edit rossi --rate 30"),
            )
        row = Writer(db, person=person, command="client edit", now=now).update(
            "client",
            client.id,
            update,  # type: ignore[arg-type]
        )
        return Client.model_validate(row)


def archive_client(store: AlchemyStore, query: str, *, person: str, now: int) -> Client:
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
    store: AlchemyStore, ref: str, *, values: Mapping[str, Any], person: str, now: int
) -> tuple[Task, Client]:
    client_q, raw_name = _split_task_ref(ref)
    name = check_name(raw_name, what=_("task"))
    _check_description(values.get("description"))
    with store.session(write=True) as (session, db):
        client = find_client(session, client_q)
        if client.archived:
            raise InputError(
                _("{client} is archived.").format(client=client.name),
                hint=_("Bring it back first: mansioni client edit {name!r} --active").format(
                    name=client.name
                ),
            )
        siblings = session.exec(select(Task).where(Task.client_id == client.id))
        for other in siblings:
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
        }
        writer = Writer(db, person=person, command="task add", now=now)
        task_id = writer.insert("task", row)
        if row["estimate_seconds"] is not None:
            story.record_estimate(
                writer, task_id, row["estimate_seconds"], row["estimate_basis"], now
            )
        return Task.model_validate({**row, "id": task_id}), Client.model_validate(
            client.model_dump()
        )


def _find_task(db, query: str) -> TaskName:  # noqa: ANN001
    return resolve_task(query, records.task_names(db, include_archived=True))


def list_tasks(
    store: AlchemyStore, *, client: str | None = None, include_archived: bool = False
) -> list[tuple[Task, Client]]:
    with store.session() as (session, _db):
        query = select(Task, Client).join(Client)
        if client is not None:
            query = query.where(Client.id == find_client(session, client).id)
        if not include_archived:
            query = query.where(col(Task.state).not_in(("archived", "handed_back")))
            query = query.where(col(Client.archived).is_(False))
        found = [
            (Task.model_validate(t.model_dump()), Client.model_validate(c.model_dump()))
            for t, c in session.exec(query)
        ]
    return sorted(found, key=lambda pair: (fold(pair[1].name), fold(pair[0].name)))


def show_task(store: AlchemyStore, query: str) -> tuple[Task, Client, dict[str, int]]:
    """The task, its client, and its totals: entries, occurrences, seconds."""
    with store.session() as (session, db):
        ref = _find_task(db, query)
        task = session.get(Task, ref.id)
        assert task is not None
        client = session.get(Client, task.client_id)
        assert client is not None
        totals = db.rows(
            "SELECT COUNT(*) AS entries, "
            "COUNT(DISTINCT COALESCE(occurrence_id, id)) AS occurrences, "
            "COALESCE(SUM(end_utc - start_utc), 0) AS seconds "
            "FROM entry WHERE task_id = :id AND end_utc IS NOT NULL",
            {"id": task.id},
        )[0]
        return (
            Task.model_validate(task.model_dump()),
            Client.model_validate(client.model_dump()),
            {k: int(v) for k, v in totals.items()},
        )


def edit_task(
    store: AlchemyStore, query: str, *, changes: Mapping[str, Any], person: str, now: int
) -> tuple[Task, Client]:
    with store.session(write=True) as (session, db):
        ref = _find_task(db, query)
        task = session.get(Task, ref.id)
        assert task is not None
        update = {k: v for k, v in changes.items() if k in TASK_FIELDS}
        _check_description(update.get("description"))
        if "name" in update:
            update["name"] = check_name(update["name"], what=_("task"))
            siblings = session.exec(select(Task).where(Task.client_id == task.client_id))
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
            # A revised estimate is a dated event of the task's story, like `estimate`.
            story.record_estimate(
                writer, ref.id, row["estimate_seconds"], row["estimate_basis"], now
            )
        client = session.get(Client, task.client_id)
        assert client is not None
        return Task.model_validate(row), Client.model_validate(client.model_dump())


def archive_task(store: AlchemyStore, query: str, *, person: str, now: int) -> tuple[Task, Client]:
    return edit_task(store, query, changes={"state": "archived"}, person=person, now=now)
