"""Time entries after the fact: the log, editing and deleting an entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni.domain.entries import Entry, check_interval, check_note
from mansioni.domain.names import ClientName, TaskName, resolve_client, resolve_task
from mansioni.domain.timeparse import parse_instant
from mansioni.errors import InputError, NotFoundError
from mansioni.i18n import _
from mansioni.services.billing import check_not_invoiced
from mansioni.services.timer import check_no_overlap
from mansioni.store import records
from mansioni.store.db import MAX_INTEGER
from mansioni.store.writer import Writer

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db


@dataclass(frozen=True)
class LogLine:
    entry: Entry
    task: TaskName


def log(
    store: Store,
    *,
    person: str,
    lo: int | None,
    hi: int | None,
    client: str | None = None,
    task: str | None = None,
) -> list[LogLine]:
    """Entries of ``person`` starting in ``[lo, hi)``, oldest first."""
    sql = (
        "SELECT entry.id, entry.task_id, entry.person, entry.start_utc, entry.end_utc, entry.zone,"
        " entry.note, entry.occurrence_id, entry.atypical,"
        " client.name AS client_name, task.name AS task_name"
        " FROM entry JOIN task ON task.id = entry.task_id JOIN client ON client.id = task.client_id"
        " WHERE entry.person = :person"
    )
    params: dict[str, object] = {"person": person}
    if lo is not None:
        sql += " AND entry.start_utc >= :lo"
        params["lo"] = lo
    if hi is not None:
        sql += " AND entry.start_utc < :hi"
        params["hi"] = hi
    with store.read() as db:
        if task is not None:
            sql += " AND entry.task_id = :task"
            params["task"] = resolve_task(task, records.task_names(db, include_archived=True)).id
        if client is not None:
            clients = [
                ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")
            ]
            sql += " AND task.client_id = :client"
            params["client"] = resolve_client(client, clients).id
        sql += " ORDER BY entry.start_utc, entry.id"
        return [
            LogLine(
                records.to_entry(row),
                TaskName(int(row["task_id"]), row["client_name"], row["task_name"]),
            )
            for row in db.rows(sql, params)
        ]


def _get(db: Db, entry_id: int, person: str) -> Entry:
    """An entry of ``person``: someone else's entries are not hers to change. An id no
    store can hold (0, negative, beyond 64 bits) names no entry: it is not looked up."""
    row = Writer.get_row(db, "entry", entry_id) if 0 < entry_id <= MAX_INTEGER else None
    if row is None or row["person"] != person:
        raise NotFoundError(
            _("There is no entry {id}.").format(id=entry_id),
            hint=_("See the ids with: mansioni log --week"),
        )
    return records.to_entry(row)


def edit(
    store: Store,
    entry_id: int,
    *,
    person: str,
    now: int,
    start: str | None = None,
    end: str | None = None,
    task: str | None = None,
    note: str | None = None,
    atypical: bool | None = None,
    allow_overlap: bool = False,
    force: bool = False,
) -> LogLine:
    """Change an entry's times, task, note or atypical flag; times are read in its own zone
    and on its own day (``--start 9:05`` keeps the date)."""
    with store.write() as db:
        entry = _get(db, entry_id, person)
        check_not_invoiced(db, entry_id, force=force)  # an invoiced one needs --force
        zone = ZoneInfo(entry.zone)
        day = datetime.fromtimestamp(entry.start, zone).date()
        moment = datetime.fromtimestamp(now, zone)
        changes: dict[str, object] = {}
        new_start, new_end = entry.start, entry.end
        if start is not None:
            new_start = int(parse_instant(start, now=moment, zone=zone, day=day).timestamp())
            changes["start_utc"] = new_start
        if end is not None:
            end_day = datetime.fromtimestamp(entry.end or now, zone).date()
            new_end = int(parse_instant(end, now=moment, zone=zone, day=end_day).timestamp())
            changes["end_utc"] = new_end
        if task is not None:
            changes["task_id"] = resolve_task(task, records.task_names(db)).id
        if note is not None:
            changes["note"] = check_note(note) or None
        if atypical is not None:
            changes["atypical"] = atypical
        if not changes:
            raise InputError(
                _("Nothing to change."),
                hint=_("For example: mansioni edit {id} --start 9:05").format(id=entry_id),
            )
        check_interval(new_start, new_end, now, command="edit")
        if not allow_overlap and ("start_utc" in changes or "end_utc" in changes):
            check_no_overlap(db, entry.person, new_start, new_end, {entry.id})
        writer = Writer(db, person=person, command="edit", now=now)
        if changes.get("task_id", entry.task_id) != entry.task_id:
            # Moved to another task: it leaves its occurrence and begins one of its own.
            _hand_over_occurrence(db, writer, entry)
            changes["occurrence_id"] = None
        row = writer.update("entry", entry_id, changes)
        updated = records.to_entry(row)
        return LogLine(updated, records.task_name(db, updated.task_id))


def _hand_over_occurrence(db: Db, writer: Writer, entry: Entry) -> None:
    """If ``entry`` began an occurrence that later entries resumed, the next of them
    begins it now, so the occurrence survives the entry leaving it.

    An occurrence's entries are all of one task: they are looked for among the task's
    entries, through the index on ``(task_id, start_utc)``, not in the whole history."""
    followers = db.rows(
        "SELECT id FROM entry WHERE task_id = :task AND occurrence_id = :id ORDER BY start_utc, id",
        {"task": entry.task_id, "id": entry.id},
    )
    if followers:
        head = int(followers[0]["id"])
        writer.update("entry", head, {"occurrence_id": None})
        for row in followers[1:]:
            writer.update("entry", int(row["id"]), {"occurrence_id": head})


def delete(
    store: Store, entry_ids: int | Sequence[int], *, person: str, now: int, force: bool = False
) -> list[LogLine]:
    """Delete entries (one id, or several), all in one transaction and one operation: one
    ``undo`` brings them all back. Each one's occurrence survives it. An id that names
    none of her entries refuses the whole command, nothing deleted."""
    ids = [entry_ids] if isinstance(entry_ids, int) else list(dict.fromkeys(entry_ids))
    with store.write() as db:
        entries = [_get(db, entry_id, person) for entry_id in ids]
        for entry in entries:
            check_not_invoiced(db, entry.id, force=force, deleting=True)
        writer = Writer(db, person=person, command="delete", now=now)
        lines = []
        for entry in entries:
            _hand_over_occurrence(db, writer, entry)
            lines.append(LogLine(entry, records.task_name(db, entry.task_id)))
            writer.delete("entry", entry.id)
        return lines
