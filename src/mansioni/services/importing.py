"""Bringing entries in from another time tracker, in one transaction.

``run`` takes what a source reader yields (``SourceEntry`` or ``BadRow``) and:

1. reads it all (``import_plan``): an entry imported before (the ``imported`` table
   remembers each source key) is counted and left alone, whatever its names map to
   now; a running timer is set aside to be reported; an entry of no length (a timer
   stopped the second it started) is counted and left out; every other entry is
   placed on a ``client/task`` (``sources.mapping``) and its times are checked;
2. in one write transaction, creates the clients and tasks it lacks and inserts
   each new entry, journaled like every change, so ``undo`` takes the whole import
   back. A new client or task dates from the first entry imported into it, so its
   history (and a ``review --as-of`` or a ``change --at``) reaches back that far.

A bad row (unreadable, unplaceable, impossible times, the same as an earlier row, or
overlapping another entry of the same person) stops the import with its file, line
and reason, and nothing is written; with ``skip_invalid`` it is listed and the rest
goes in. A dry run does all of this and then rolls the transaction back, so it shows
exactly what the import would do.

An import may bring hundreds of thousands of entries: the rows are read as they
come, each new entry is kept as a few numbers (``import_plan.Planned``), and the
entries go into the store a batch at a time (``Writer.insert_many``: the same rows
and journal as one by one, in a few statements per batch).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mansioni.domain.entries import MAX_ENTRY_SECONDS, overlap
from mansioni.domain.names import ClientName, check_name, fold, resolve_client
from mansioni.errors import NotFoundError
from mansioni.i18n import _
from mansioni.services.import_plan import (
    KEY_LENGTH,
    Plan,
    Planned,
    imported_among,
    reject,
    stored_key,
)
from mansioni.sources.record import BadRow, SourceEntry
from mansioni.store import records
from mansioni.store.sqlite_setup import lean_page_cache
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.sources.mapping import Mapping
    from mansioni.store.base import Store
    from mansioni.store.db import Db

Step = Callable[[int], object]

# The source keys' rule is the first pass's (``import_plan``); it is named here too.
__all__ = ["KEY_LENGTH", "Summary", "TaskTotal", "run", "stored_key"]

#: Entries written to the store per batch.
BATCH = 1000


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
    empty: int = 0
    skipped: list[BadRow] = field(default_factory=list)
    running: list[SourceEntry] = field(default_factory=list)
    new_clients: list[str] = field(default_factory=list)
    totals: dict[tuple[str, str], TaskTotal] = field(default_factory=dict)

    @property
    def new_tasks(self) -> list[str]:
        return [t.full for t in self.totals.values() if t.new]


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
    unique_keys: bool = False,
    on_read: Step | None = None,
    on_write: Callable[[int, int], object] | None = None,
) -> Summary:
    """Import ``rows`` from ``source``; see the module docstring.

    ``client`` is ``--client`` (else the mapping's ``client``): any unambiguous part
    of a client's name, or a new client's name. ``unique_keys`` says that the reader
    itself refuses a key it has yielded before (Watson's reader, a frame id used again),
    so the import need not keep every key to look for one. ``on_read(n)`` counts rows
    read; ``on_write(done, total)`` the entries written.
    """
    summary = Summary(source, dry_run)
    with store.read() as db:
        clients = [
            ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")
        ]
        default = client or mapping.client
        if default is not None:
            default = _known_client(clients, default)
        folded = frozenset(fold(c.name) for c in clients)
        plan = Plan(summary, mapping, default, folded, person, now)
        plan.read(db, rows, skip_invalid, unique_keys, on_read)
    try:
        with store.write() as db:
            lean_page_cache(db)
            writer = Writer(db, person=person, command=f"import {source}", now=now)
            _Import(db, writer, summary, zone, now).write(
                plan.planned, skip_invalid, allow_overlap, on_write
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    summary.skipped.sort(key=lambda bad: (bad.file, bad.line))
    return summary


def _known_client(clients: list[ClientName], typed: str) -> str:
    """``--client`` as elsewhere: any unambiguous part of a client's name; a name that
    matches no client is a new client's (and must be a valid name)."""
    try:
        return resolve_client(typed, clients).name
    except NotFoundError:
        return check_name(typed, what=_("client"))


class _Alone:
    """Overlap checks, in memory, for the people who have no entry in the store over the
    import's span (the usual first import): their only possible overlaps are with
    entries of this import, which cannot overlap one another (each was checked), so
    the one that starts last before an entry's end is the only one that could.

    For each such person, the entries of this import checked so far, in the order of
    their starts: ``starts``, ``ends`` and, for messages, ``rows`` (indexes into the
    ``Planned`` columns)."""

    def __init__(self, db: Db, planned: Planned) -> None:
        self.people: set[str] = set()
        self.starts: dict[str, array[int]] = {}
        self.ends: dict[str, array[int]] = {}
        self.rows: dict[str, array[int]] = {}
        if not len(planned):
            return
        lo = min(planned.starts) - MAX_ENTRY_SECONDS
        hi = max(planned.ends)
        for person in {shape.person for shape in planned.shapes}:
            found = db.rows(
                "SELECT id FROM entry WHERE person = :person AND"
                " (start_utc >= :lo AND start_utc < :hi OR end_utc IS NULL) LIMIT 1",
                {"person": person, "lo": lo, "hi": hi},
            )
            if not found:
                self.people.add(person)
                self.starts[person], self.ends[person] = array("q"), array("q")
                self.rows[person] = array("q")

    def overlapping(self, person: str, start: int, end: int) -> int | None:
        """The row of the entry ``[start, end)`` would overlap, if any."""
        at = bisect_left(self.starts[person], end)
        if at and self.ends[person][at - 1] > start:
            return self.rows[person][at - 1]
        return None

    def add(self, person: str, start: int, end: int, row: int) -> None:
        at = bisect_left(self.starts[person], start)
        self.starts[person].insert(at, start)
        self.ends[person].insert(at, end)
        self.rows[person].insert(at, row)


class _Import:
    """The second pass, inside the write transaction: the catalog and the entries."""

    def __init__(self, db: Db, writer: Writer, summary: Summary, zone: str, now: int) -> None:
        self.db = db
        self.writer = writer
        self.summary = summary
        self.zone = zone
        self.now = now
        self.clients = {
            fold(r["name"]): (int(r["id"]), r["name"])
            for r in db.rows("SELECT id, name FROM client")
        }
        self.tasks = {
            (int(r["client_id"]), fold(r["name"])): (int(r["id"]), r["name"])
            for r in db.rows("SELECT id, client_id, name FROM task")
        }
        self.planned = Planned()
        self.alone = _Alone(db, self.planned)
        self.checking = True
        #: Where each entry inserted by this import came from, for overlap messages: only
        #: those of people whose overlaps are looked for in the store.
        self.origin: dict[int, tuple[str, int]] = {}
        #: For each client and task this import created: its stored ``created_utc`` and
        #: the first start imported into it so far.
        self.created: dict[tuple[str, int], tuple[int, int]] = {}
        #: For each place (an index into ``planned.places``) entries were inserted into:
        #: the client's id and name, the task's id and name, whether the task is new.
        self.placed: dict[int, tuple[int, str, int, str, bool]] = {}
        #: The entries to insert with the next batch, and their rows in ``planned``.
        self.pending: list[dict[str, object]] = []
        self.pending_rows: list[int] = []

    def write(
        self,
        planned: Planned,
        skip_invalid: bool,
        allow_overlap: bool,
        on_write: Callable[[int, int], object] | None,
    ) -> None:
        self.planned = planned
        self.checking = not allow_overlap
        if self.checking:
            self.alone = _Alone(self.db, planned)
        total = len(planned)
        for first in range(0, total, BATCH):
            # Imported by another shell since the first pass: none, most often. (Each key
            # comes once in ``planned``: the first pass, or the reader, refused it again.)
            keys = planned.keys[first : first + BATCH]
            imported = imported_among(self.db, self.summary.source, keys)
            for row in range(first, first + len(keys)):
                if planned.keys[row] in imported:
                    self.summary.already += 1
                else:
                    problem = self._overlap(row) if self.checking else None
                    if problem is not None:
                        reject(
                            BadRow(planned.shape(row).file, planned.lines[row], problem),
                            self.summary,
                            skip_invalid,
                        )
                    else:
                        self._insert(row)
                if on_write is not None:
                    on_write(row + 1, total)
        self._flush()
        # Sources list entries oldest first, mostly: a row is dated again only when an
        # entry imported after its creation started earlier.
        for (table, row_id), (stored, first) in self.created.items():
            if first < stored:
                self.writer.update(table, row_id, {"created_utc": first})

    def _overlap(self, row: int) -> str | None:
        planned = self.planned
        person, start, end = planned.shape(row).person, planned.starts[row], planned.ends[row]
        if person in self.alone.people:
            other_row = self.alone.overlapping(person, start, end)
            if other_row is None:
                self.alone.add(person, start, end, row)
                return None
            return _("it overlaps line {line} of {file}; pass --overlap if both are right.").format(
                line=planned.lines[other_row], file=planned.shape(other_row).file
            )
        self._flush()  # the entries this import has brought so far are among those to find
        for other in records.touching(self.db, person, start, end):
            if not overlap(start, end, other.start, other.end):
                continue
            if other.id in self.origin:
                file, line = self.origin[other.id]
                return _(
                    "it overlaps line {line} of {file}; pass --overlap if both are right."
                ).format(line=line, file=file)
            task = records.task_name(self.db, other.task_id)
            return _("it overlaps entry {id} ({task}); pass --overlap if both are right.").format(
                id=other.id, task=task.full
            )
        return None

    def _client(self, name: str, start: int) -> tuple[int, str]:
        key = fold(name)
        if key not in self.clients:
            first = min(self.now, start)
            row = {"name": name, "currency": "EUR", "archived": False, "created_utc": first}
            client_id = self.writer.insert("client", row)
            self.clients[key] = (client_id, name)
            self.created[("client", client_id)] = (first, first)
            self.summary.new_clients.append(name)
        client_id, stored = self.clients[key]
        self._first("client", client_id, start)
        return client_id, stored

    def _task(self, client_id: int, name: str, start: int) -> tuple[int, str, bool]:
        key = (client_id, fold(name))
        new = key not in self.tasks
        if new:
            row = {
                "client_id": client_id,
                "name": name,
                "estimate_basis": "occurrence",
                "oversight_seconds": 0,
                "trial_days": 90,
                "state": "trial",
                "created_utc": min(self.now, start),
            }
            task_id = self.writer.insert("task", row)
            self.tasks[key] = (task_id, name)
            self.created[("task", task_id)] = (row["created_utc"], row["created_utc"])
        task_id, stored = self.tasks[key]
        self._first("task", task_id, start)
        return task_id, stored, new

    def _first(self, table: str, row_id: int, start: int) -> None:
        """Keep the first start of a client or task this import created."""
        slot = (table, row_id)
        if slot in self.created and start < self.created[slot][1]:
            self.created[slot] = (self.created[slot][0], start)

    def _insert(self, row: int) -> None:
        planned = self.planned
        start, end = planned.starts[row], planned.ends[row]
        shape = planned.shape(row)
        where = shape.place
        known = self.placed.get(where)
        if known is None:
            place = planned.places[where]
            client_id, client_name = self._client(place.client, start)
            task_id, task_name, new = self._task(client_id, place.task, start)
            known = self.placed[where] = (client_id, client_name, task_id, task_name, new)
        else:
            client_id, client_name, task_id, task_name, new = known
            self._first("client", client_id, start)
            self._first("task", task_id, start)
        self.pending.append(
            {
                "task_id": task_id,
                "person": shape.person,
                "start_utc": start,
                "end_utc": end,
                "zone": shape.zone or self.zone,
                "note": shape.note,
                "occurrence_id": None,
                "atypical": False,
                "created_utc": self.now,
            }
        )
        self.pending_rows.append(row)
        total = self.summary.totals.setdefault(
            (client_name, task_name), TaskTotal(client_name, task_name, new=new)
        )
        total.entries += 1
        total.seconds += end - start
        self.summary.imported += 1
        if len(self.pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        """Insert the pending entries, each with its ``imported`` row."""
        if not self.pending:
            return
        planned, rows = self.planned, self.pending_rows
        entry_ids = self.writer.insert_many("entry", self.pending)
        self.writer.insert_many(
            "imported",
            [
                {
                    "source": self.summary.source,
                    "source_key": planned.keys[row],
                    "entry_id": entry_id,
                    "created_utc": self.now,
                }
                for entry_id, row in zip(entry_ids, rows, strict=True)
            ],
        )
        if self.checking:
            for entry_id, row in zip(entry_ids, rows, strict=True):
                shape = planned.shape(row)
                if shape.person not in self.alone.people:
                    self.origin[entry_id] = (shape.file, planned.lines[row])
        self.pending = []
        self.pending_rows = []
