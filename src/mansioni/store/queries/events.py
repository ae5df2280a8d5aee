"""A task's row and its events, as read from the store."""

from __future__ import annotations

from mansioni.domain.billing import FIRST_RATE, RateEvent
from mansioni.domain.phases import FOREVER, Event, Phase, phases, story_start
from mansioni.store.db import one

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from mansioni.store.db import Db, Row


def _event(r: Row) -> Event:
    return Event(
        id=int(r["id"]),
        kind=r["kind"],
        at=int(r["at_utc"]),
        text=r["text"],
        major=None if r["major"] is None else bool(r["major"]),
        estimate_seconds=r["estimate_seconds"],
        estimate_basis=r["estimate_basis"],
        rate_cents=r["rate_cents"],
        decision=r["decision"],
        verdict=r["verdict"],
        person=r["person"],
    )


def load_events(db: Db, task_id: int) -> list[Event]:
    """The task's story: its estimates, changes and decisions, in date order (ties: in
    recording order). Its first rate (``domain.billing``) is no part of it."""
    return story_events(db, [task_id])[task_id]


def task_row(db: Db, task_id: int) -> Row:
    row = one(db, "SELECT * FROM task WHERE id = :id", {"id": task_id})
    assert row is not None
    return row


def first_entry(db: Db, task_id: int) -> int | None:
    row = one(db, "SELECT MIN(start_utc) AS first FROM entry WHERE task_id = :id", {"id": task_id})
    return None if row is None or row["first"] is None else int(row["first"])


def task_phases(db: Db, task_id: int, *, until: int = FOREVER) -> list[Phase]:
    task = task_row(db, task_id)
    return phases(
        created=int(task["created_utc"]),
        first_entry=first_entry(db, task_id),
        since=task["since_utc"],
        events=load_events(db, task_id),
        until=until,
    )


def task_start(db: Db, task_id: int) -> int:
    """Where the task's story starts (``domain.phases.story_start``)."""
    return story_starts(db, task_id)[task_id]


def latest_decision(db: Db, task_id: int) -> int | None:
    """When the task's latest decision took effect (None: none was recorded)."""
    row = one(
        db,
        "SELECT MAX(at_utc) AS at FROM task_event WHERE task_id = :task AND kind = 'decision'",
        {"task": task_id},
    )
    return None if row is None or row["at"] is None else int(row["at"])


def rate_events(db: Db, task_ids: Iterable[int]) -> dict[int, list[RateEvent]]:
    """Per task, the events that set its rate (``domain.billing.RateEvent``), in date
    order (ties: recording order)."""
    ids = sorted({int(i) for i in task_ids})
    found: dict[int, list[RateEvent]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.rows(
        "SELECT id, task_id, at_utc, rate_cents FROM task_event"
        f" WHERE task_id IN ({', '.join(str(i) for i in ids)})"
        " AND (kind = :first_rate OR rate_cents IS NOT NULL) ORDER BY at_utc, id",
        {"first_rate": FIRST_RATE},
    )
    for r in rows:
        found[int(r["task_id"])].append(
            RateEvent(id=int(r["id"]), at=int(r["at_utc"]), rate_cents=r["rate_cents"])
        )
    return found


def story_events(db: Db, task_ids: Iterable[int]) -> dict[int, list[Event]]:
    """:func:`load_events` of several tasks in one statement."""
    ids = sorted({int(i) for i in task_ids})
    found: dict[int, list[Event]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.rows(
        "SELECT * FROM task_event"
        f" WHERE task_id IN ({', '.join(str(i) for i in ids)}) AND kind <> :first_rate"
        " ORDER BY at_utc, id",
        {"first_rate": FIRST_RATE},
    )
    for r in rows:
        found[int(r["task_id"])].append(_event(r))
    return found


def story_starts(db: Db, task_id: int | None = None) -> dict[int, int]:
    """Where each task's story starts (``domain.phases.story_start``), by id; of one
    task only with ``task_id``."""
    rows = db.rows(
        "SELECT task.id AS id, task.created_utc AS created, task.since_utc AS since,"
        " (SELECT MIN(entry.start_utc) FROM entry WHERE entry.task_id = task.id) AS first,"
        " (SELECT MIN(ev.at_utc) FROM task_event ev WHERE ev.task_id = task.id"
        "  AND ev.kind <> :rate) AS event"
        " FROM task" + ("" if task_id is None else " WHERE task.id = :id"),
        {"rate": FIRST_RATE, "id": task_id},
    )
    return {
        int(r["id"]): story_start(
            created=int(r["created"]),
            first_entry=None if r["first"] is None else int(r["first"]),
            since=r["since"],
            first_event=None if r["event"] is None else int(r["event"]),
        )
        for r in rows
    }
