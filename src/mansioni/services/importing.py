"""Bringing entries in from another time tracker, in one transaction.

``run`` takes what a source reader yields (``SourceEntry`` or ``BadRow``) and:

1. reads it all: an entry imported before (the ``imported`` table remembers each
   source key) is counted and left alone, whatever its names map to now; a
   running timer is set aside to be reported; an entry of no length (a timer
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
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mansioni.domain.entries import FUTURE_TOLERANCE, MAX_ENTRY_SECONDS, overlap
from mansioni.domain.names import ClientName, check_name, fold, resolve_client
from mansioni.errors import InputError, NotFoundError
from mansioni.i18n import _
from mansioni.sources import mapping as mapper
from mansioni.sources.record import BadRow, SourceEntry, content_key
from mansioni.store import records
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.sources.mapping import Mapping
    from mansioni.store.base import Store
    from mansioni.store.db import Db

Step = Callable[[int], object]

#: The longest source key stored as it is; a longer one is stored as its hash.
KEY_LENGTH = 100


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


@dataclass(frozen=True)
class _Planned:
    entry: SourceEntry
    key: str
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

    ``client`` is ``--client`` (else the mapping's ``client``): any unambiguous part
    of a client's name, or a new client's name. ``on_read(n)`` counts rows read;
    ``on_write(done, total)`` the entries written.
    """
    summary = Summary(source, dry_run)
    with store.read() as db:
        clients = [
            ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")
        ]
        imported = _imported_keys(db, source)
    default = client or mapping.client
    if default is not None:
        default = _known_client(clients, default)
    plan = _Plan(summary, mapping, default, frozenset(fold(c.name) for c in clients), person, now)
    plan.read(rows, imported, skip_invalid, on_read)
    try:
        with store.write() as db:
            writer = Writer(db, person=person, command=f"import {source}", now=now)
            _Import(db, writer, summary, zone, now).write(
                plan.planned, _imported_keys(db, source), skip_invalid, allow_overlap, on_write
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    summary.skipped.sort(key=lambda bad: (bad.file, bad.line))
    return summary


def stored_key(entry: SourceEntry) -> str:
    """The key kept in ``imported.source_key``: the source's, or its hash if too long."""
    return entry.key if len(entry.key) <= KEY_LENGTH else content_key("long key", entry.key)


def _imported_keys(db: Db, source: str) -> set[str]:
    return {
        r["source_key"]
        for r in db.rows("SELECT source_key FROM imported WHERE source = :s", {"s": source})
    }


def _known_client(clients: list[ClientName], typed: str) -> str:
    """``--client`` as elsewhere: any unambiguous part of a client's name; a name that
    matches no client is a new client's (and must be a valid name)."""
    try:
        return resolve_client(typed, clients).name
    except NotFoundError:
        return check_name(typed, what=_("client"))


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


def _times_problem(entry: SourceEntry, now: int) -> str | None:
    """Why an entry's times cannot be stored (the rules of ``domain.entries``), or None."""
    if entry.start < 0:
        return _("it starts before 1970.")
    if entry.end < entry.start:
        return _("its end does not come after its start.")
    if entry.end - entry.start > MAX_ENTRY_SECONDS:
        return _("it lasts more than 7 days, the longest an entry may last.")
    if entry.end > now + FUTURE_TOLERANCE:
        return _("it ends in the future.")
    return None


class _Plan:
    """The first pass: what each row is, and where each new entry goes."""

    def __init__(
        self,
        summary: Summary,
        mapping: Mapping,
        client: str | None,
        clients: frozenset[str],
        person: str,
        now: int,
    ) -> None:
        self.summary = summary
        self.mapping = mapping
        self.client = client
        self.clients = clients
        self.person = person
        self.now = now
        self.planned: list[_Planned] = []

    def read(
        self,
        rows: Iterable[SourceEntry | BadRow],
        imported: set[str],
        skip_invalid: bool,
        on_read: Step | None,
    ) -> None:
        summary = self.summary
        first_line: dict[str, tuple[str, int]] = {}
        for row in rows:
            if on_read is not None:
                on_read(1)
            if isinstance(row, BadRow):
                _reject(row, summary, skip_invalid)
                continue
            if row.end is None:
                summary.running.append(row)
                continue
            key = stored_key(row)
            if key in imported:
                summary.already += 1
                continue
            if key in first_line:
                file, line = first_line[key]
                reason = _("it is the same entry as line {line} of {file}.").format(
                    line=line, file=file
                )
                _reject(BadRow(row.file, row.line, reason), summary, skip_invalid)
                continue
            first_line[key] = (row.file, row.line)
            problem = _times_problem(row, self.now)
            if problem is None and row.end == row.start:
                summary.empty += 1
                continue
            if problem is None:
                try:
                    place = mapper.place(
                        row, self.mapping, client=self.client, clients=self.clients
                    )
                except mapper.Unplaced as exc:
                    problem = str(exc)
            if problem is not None:
                _reject(BadRow(row.file, row.line, problem), summary, skip_invalid)
                continue
            who = mapper.person(row, self.mapping, default=self.person)
            self.planned.append(_Planned(row, key, place, who))


class _Alone:
    """Overlap checks, in memory, for the people who have no entry in the store over the
    import's span (the usual first import): their only possible overlaps are with
    entries of this import, which cannot overlap one another (each was checked), so
    the one that starts last before an entry's end is the only one that could."""

    def __init__(self, db: Db, planned: list[_Planned]) -> None:
        self.people: set[str] = set()
        self.starts: dict[str, list[int]] = {}
        self.spans: dict[str, list[tuple[int, int, tuple[str, int]]]] = {}
        if not planned:
            return
        lo = min(item.entry.start for item in planned) - MAX_ENTRY_SECONDS
        hi = max(item.entry.end for item in planned)
        for person in {item.person for item in planned}:
            found = db.rows(
                "SELECT id FROM entry WHERE person = :person AND"
                " (start_utc >= :lo AND start_utc < :hi OR end_utc IS NULL) LIMIT 1",
                {"person": person, "lo": lo, "hi": hi},
            )
            if not found:
                self.people.add(person)
                self.starts[person], self.spans[person] = [], []

    def overlapping(self, person: str, start: int, end: int) -> tuple[str, int] | None:
        """The file and line of the entry ``[start, end)`` would overlap, if any."""
        at = bisect_left(self.starts[person], end)
        if at:
            _start, other_end, origin = self.spans[person][at - 1]
            if other_end > start:
                return origin
        return None

    def add(self, person: str, start: int, end: int, origin: tuple[str, int]) -> None:
        at = bisect_left(self.starts[person], start)
        self.starts[person].insert(at, start)
        self.spans[person].insert(at, (start, end, origin))


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
        self.alone = _Alone(db, [])
        #: Where each entry inserted by this import came from, for overlap messages.
        self.origin: dict[int, tuple[str, int]] = {}
        #: For each client and task this import created: its stored ``created_utc`` and
        #: the first start imported into it so far.
        self.created: dict[tuple[str, int], tuple[int, int]] = {}

    def write(
        self,
        planned: list[_Planned],
        imported: set[str],
        skip_invalid: bool,
        allow_overlap: bool,
        on_write: Callable[[int, int], object] | None,
    ) -> None:
        if not allow_overlap:
            self.alone = _Alone(self.db, planned)
        for done, item in enumerate(planned, 1):
            if item.key in imported:  # another shell imported it since the first pass
                self.summary.already += 1
            else:
                problem = None if allow_overlap else self._overlap(item)
                if problem is not None:
                    _reject(
                        BadRow(item.entry.file, item.entry.line, problem),
                        self.summary,
                        skip_invalid,
                    )
                else:
                    self._insert(item)
                    imported.add(item.key)
            if on_write is not None:
                on_write(done, len(planned))
        # Sources list entries oldest first, mostly: a row is dated again only when an
        # entry imported after its creation started earlier.
        for (table, row_id), (stored, first) in self.created.items():
            if first < stored:
                self.writer.update(table, row_id, {"created_utc": first})

    def _overlap(self, item: _Planned) -> str | None:
        entry = item.entry
        if item.person in self.alone.people:
            line = self.alone.overlapping(item.person, entry.start, entry.end)
            if line is None:
                self.alone.add(item.person, entry.start, entry.end, (entry.file, entry.line))
                return None
            return _("it overlaps line {line} of {file}; pass --overlap if both are right.").format(
                line=line[1], file=line[0]
            )
        for other in records.touching(self.db, item.person, entry.start, entry.end):
            if not overlap(entry.start, entry.end, other.start, other.end):
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

    def _insert(self, item: _Planned) -> None:
        entry = item.entry
        client_id, client_name = self._client(item.place.client, entry.start)
        task_id, task_name, new = self._task(client_id, item.place.task, entry.start)
        entry_id = self.writer.insert(
            "entry",
            {
                "task_id": task_id,
                "person": item.person,
                "start_utc": entry.start,
                "end_utc": entry.end,
                "zone": entry.zone or self.zone,
                "note": mapper.note(entry),
                "occurrence_id": None,
                "atypical": False,
                "created_utc": self.now,
            },
        )
        self.writer.insert(
            "imported",
            {
                "source": self.summary.source,
                "source_key": item.key,
                "entry_id": entry_id,
                "created_utc": self.now,
            },
        )
        self.origin[entry_id] = (entry.file, entry.line)
        total = self.summary.totals.setdefault(
            (client_name, task_name), TaskTotal(client_name, task_name, new=new)
        )
        total.entries += 1
        total.seconds += entry.end - entry.start
        self.summary.imported += 1
