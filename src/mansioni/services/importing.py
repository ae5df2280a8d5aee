"""Bringing entries in from another time tracker, in one transaction.

``run`` takes what a source reader yields (``SourceEntry`` or ``BadRow``) and:

1. reads it all, placing each entry on a ``client/task`` (``sources.mapping``) and
   checking its times; a running timer is set aside to be reported, not imported;
2. in one write transaction, creates the clients and tasks it lacks, and inserts
   each entry not imported before (the ``imported`` table remembers each source
   key), journaled like every change, so ``undo`` takes the whole import back.

A bad row (unreadable, unplaceable, impossible times, or overlapping another entry
of the same person) stops the import with its file, line and reason, and nothing
is written; with ``skip_invalid`` it is listed and the rest goes in. A dry run does
all of this and then rolls the transaction back, so it shows exactly what the
import would do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mansioni.domain.entries import FUTURE_TOLERANCE, MAX_ENTRY_SECONDS, overlap
from mansioni.domain.names import ClientName, fold, resolve_client
from mansioni.errors import InputError, NotFoundError
from mansioni.i18n import _
from mansioni.sources import mapping as mapper
from mansioni.sources.record import BadRow, SourceEntry
from mansioni.store import records
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.sources.mapping import Mapping
    from mansioni.store.base import Store
    from mansioni.store.db import Db

Step = Callable[[int], object]


@dataclass
class TaskTotal:
    """What an import brings to one task."""

    client: str
    task: str
    entries: int = 0
    seconds: int = 0
    new: bool = False

    @property
    def full(self) -> str:
        return f"{self.client}/{self.task}"


@dataclass
class Summary:
    """What an import did (or, for a dry run, would do)."""

    source: str
    dry_run: bool
    imported: int = 0
    already: int = 0
    skipped: list[BadRow] = field(default_factory=list)
    running: list[SourceEntry] = field(default_factory=list)
    new_clients: list[str] = field(default_factory=list)
    totals: dict[tuple[str, str], TaskTotal] = field(default_factory=dict)

    @property
    def new_tasks(self) -> list[str]:
        return [t.full for t in self.totals.values() if t.new]


@dataclass(frozen=True)
class _Planned:
    entry: SourceEntry
    place: mapper.Place
    person: str


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction, to roll it back."""


def run(
    store: Store,
    rows: Iterable[SourceEntry | BadRow],
    *,
    source: str,
    mapping: Mapping,
    client: str | None,
    person: str,
    zone: str,
    now: int,
    skip_invalid: bool = False,
    allow_overlap: bool = False,
    dry_run: bool = False,
    on_read: Step | None = None,
    on_write: Callable[[int, int], object] | None = None,
) -> Summary:
    """Import ``rows`` from ``source``; see the module docstring.

    ``on_read(n)`` counts rows read; ``on_write(done, total)`` the entries written.
    """
    summary = Summary(source, dry_run)
    with store.read() as db:
        clients = [
            ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")
        ]
    if client is not None:
        client = _known_client(clients, client)
    known = frozenset(fold(c.name) for c in clients)
    planned = _plan(rows, summary, mapping, client, known, person, now, skip_invalid, on_read)
    try:
        with store.write() as db:
            _write(
                db,
                planned,
                summary,
                source,
                zone,
                person,
                now,
                skip_invalid,
                allow_overlap,
                on_write,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


def _known_client(clients: list[ClientName], typed: str) -> str:
    """``--client`` as elsewhere: any unambiguous part of a client's name; a name that
    matches no client is a new client's."""
    try:
        return resolve_client(typed, clients).name
    except NotFoundError:
        return typed


def _refuse(bad: BadRow) -> InputError:
    return InputError(
        _("{file}, line {line}: {reason}").format(file=bad.file, line=bad.line, reason=bad.reason),
        hint=_(
            "Nothing was imported. Fix the row, or pass --skip-invalid to import the rest "
            "and list what was skipped."
        ),
    )


def _reject(bad: BadRow, summary: Summary, skip_invalid: bool) -> None:
    if not skip_invalid:
        raise _refuse(bad)
    summary.skipped.append(bad)


def _plan(
    rows: Iterable[SourceEntry | BadRow],
    summary: Summary,
    mapping: Mapping,
    client: str | None,
    clients: frozenset[str],
    default_person: str,
    now: int,
    skip_invalid: bool,
    on_read: Step | None,
) -> list[_Planned]:
    planned = []
    for row in rows:
        if on_read is not None:
            on_read(1)
        if isinstance(row, BadRow):
            _reject(row, summary, skip_invalid)
            continue
        if row.end is None:
            summary.running.append(row)
            continue
        problem = _times_problem(row, now)
        if problem is None:
            try:
                place = mapper.place(row, mapping, client=client, clients=clients)
            except mapper.Unplaced as exc:
                problem = str(exc)
        if problem is not None:
            _reject(BadRow(row.file, row.line, problem), summary, skip_invalid)
            continue
        who = mapper.person(row, mapping, default=default_person)
        planned.append(_Planned(row, place, who))
    return planned


def _times_problem(entry: SourceEntry, now: int) -> str | None:
    """Why an entry's times cannot be stored (the rules of ``domain.entries``), or None."""
    if entry.end <= entry.start:
        return _("its end does not come after its start.")
    if entry.end - entry.start > MAX_ENTRY_SECONDS:
        return _("it lasts more than 7 days, the longest an entry may last.")
    if entry.end > now + FUTURE_TOLERANCE:
        return _("it ends in the future.")
    return None


class _Catalog:
    """The store's clients and tasks by folded name, creating what is missing."""

    def __init__(self, db: Db, writer: Writer, planned: list[_Planned], now: int) -> None:
        self.writer = writer
        self.now = now
        self.clients = {
            fold(r["name"]): (int(r["id"]), r["name"])
            for r in db.rows("SELECT id, name FROM client")
        }
        self.tasks = {
            (int(r["client_id"]), fold(r["name"])): (int(r["id"]), r["name"])
            for r in db.rows("SELECT id, client_id, name FROM task")
        }
        # A new client or task dates from its first imported entry, so its history
        # (and a review --as-of, or a change --at) reaches back that far.
        self.first: dict[str, int] = {}
        for item in planned:
            for key in (
                fold(item.place.client),
                fold(item.place.client) + "/" + fold(item.place.task),
            ):
                self.first[key] = min(self.first.get(key, now), item.entry.start)

    def client(self, name: str, summary: Summary) -> tuple[int, str]:
        key = fold(name)
        if key not in self.clients:
            row = {
                "name": name,
                "currency": "EUR",
                "archived": False,
                "created_utc": min(self.now, self.first.get(key, self.now)),
            }
            self.clients[key] = (self.writer.insert("client", row), name)
            summary.new_clients.append(name)
        return self.clients[key]

    def task(self, client_id: int, client_key: str, name: str) -> tuple[int, str, bool]:
        key = (client_id, fold(name))
        if key in self.tasks:
            return (*self.tasks[key], False)
        row = {
            "client_id": client_id,
            "name": name,
            "estimate_basis": "occurrence",
            "oversight_seconds": 0,
            "trial_days": 90,
            "state": "trial",
            "created_utc": min(self.now, self.first.get(client_key + "/" + fold(name), self.now)),
        }
        self.tasks[key] = (self.writer.insert("task", row), name)
        return (*self.tasks[key], True)


def _write(
    db: Db,
    planned: list[_Planned],
    summary: Summary,
    source: str,
    zone: str,
    default_person: str,
    now: int,
    skip_invalid: bool,
    allow_overlap: bool,
    on_write: Callable[[int, int], object] | None,
) -> None:
    writer = Writer(db, person=default_person, command=f"import {source}", now=now)
    catalog = _Catalog(db, writer, planned, now)
    known = {
        r["source_key"]
        for r in db.rows("SELECT source_key FROM imported WHERE source = :s", {"s": source})
    }
    for done, item in enumerate(planned, 1):
        entry = item.entry
        if entry.key in known:
            summary.already += 1
        else:
            problem = None if allow_overlap else _overlap_problem(db, item)
            if problem is not None:
                _reject(BadRow(entry.file, entry.line, problem), summary, skip_invalid)
            else:
                _insert(writer, catalog, summary, item, source, zone, now)
                known.add(entry.key)
        if on_write is not None:
            on_write(done, len(planned))


def _overlap_problem(db: Db, item: _Planned) -> str | None:
    entry = item.entry
    for other in records.touching(db, item.person, entry.start, entry.end):
        if overlap(entry.start, entry.end, other.start, other.end):
            task = records.task_name(db, other.task_id)
            return _("it overlaps entry {id} ({task}); pass --overlap if both are right.").format(
                id=other.id, task=task.full
            )
    return None


def _insert(
    writer: Writer,
    catalog: _Catalog,
    summary: Summary,
    item: _Planned,
    source: str,
    zone: str,
    now: int,
) -> None:
    entry = item.entry
    client_id, client_name = catalog.client(item.place.client, summary)
    task_id, task_name, new = catalog.task(client_id, fold(client_name), item.place.task)
    entry_id = writer.insert(
        "entry",
        {
            "task_id": task_id,
            "person": item.person,
            "start_utc": entry.start,
            "end_utc": entry.end,
            "zone": entry.zone or zone,
            "note": mapper.note(entry),
            "occurrence_id": None,
            "atypical": False,
            "created_utc": now,
        },
    )
    writer.insert(
        "imported",
        {"source": source, "source_key": entry.key, "entry_id": entry_id, "created_utc": now},
    )
    total = summary.totals.setdefault(
        (client_name, task_name), TaskTotal(client_name, task_name, new=new)
    )
    total.entries += 1
    total.seconds += entry.end - entry.start
    summary.imported += 1
