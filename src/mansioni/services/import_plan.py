"""The first pass of an import: each row read, checked and placed, before anything is written.

``Plan.read`` takes the rows as a reader yields them, one at a time, and keeps what
the second pass (``mansioni.services.importing``) needs of each new entry in
``Planned``: columns of numbers and shared strings, not an object for each entry,
since an import may bring hundreds of thousands. Which rows were imported before is
asked of the store a batch of rows at a time (``imported_among``), never read whole.

A row that cannot be imported is refused (``reject``): it stops the import, or, with
``skip_invalid``, it is listed in the summary and the rest goes on.
"""

from __future__ import annotations

from array import array
from collections import namedtuple
from collections.abc import Iterable
from itertools import islice

from mansioni.domain.entries import FUTURE_TOLERANCE, MAX_ENTRY_SECONDS
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.sources.mapping import Catalog, Place, Unplaced, note, person, placer
from mansioni.sources.record import BadRow, SourceEntry, content_key
from mansioni.store import records

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mansioni.services.importing import Summary
    from mansioni.sources.mapping import Mapping
    from mansioni.store.db import Db

    Step = Callable[[int], object]

#: The longest source key stored as it is; a longer one is stored as its hash.
KEY_LENGTH = 100

#: Rows read between two looks into ``imported``.
ROWS_PER_LOOK = 1000

#: Keys looked for in one statement (SQLite takes 999 parameters and more).
KEYS_ASKED = 500


Shape = namedtuple("Shape", "person zone note file place")
Shape.__doc__ = """What many entries of an import have alike: who, the zone, the note, the
file and the place (an index into ``Planned.places``)."""


class Planned:
    """The new entries the first pass found, in their order, as columns: entry ``i`` is
    ``starts[i]``, ``ends[i]``, ``lines[i]``, ``keys[i]`` and ``shape(i)``. An import may
    bring hundreds of thousands: a few numbers each, not an object each."""

    def __init__(self) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.lines = array("I")
        self.keys: list[str] = []
        self.shape_of = array("I")
        self.shapes: list[Shape] = []
        self.places: list[Place] = []
        self._shape_index: dict[Shape, int] = {}
        self._place_index: dict[Place, int] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def shape(self, row: int) -> Shape:
        return self.shapes[self.shape_of[row]]

    def add(self, entry: SourceEntry, key: str, place: Place, who: str) -> None:
        self.starts.append(entry.start)
        self.ends.append(entry.end)
        self.lines.append(entry.line)
        self.keys.append(key)
        where = self._place_index.setdefault(place, len(self.places))
        if where == len(self.places):
            self.places.append(place)
        shape = Shape(who, entry.zone, note(entry), entry.file, where)
        index = self._shape_index.setdefault(shape, len(self.shapes))
        if index == len(self.shapes):
            self.shapes.append(shape)
        self.shape_of.append(index)


def stored_key(entry: SourceEntry) -> str:
    """The key kept in ``imported.source_key``: the source's, or its hash if too long."""
    return entry.key if len(entry.key) <= KEY_LENGTH else content_key("long key", entry.key)


def imported_among(db: Db, source: str, keys: list[str]) -> set[str]:
    """Those of ``keys`` that ``source`` brought in before: asked a few hundred at a time
    (the store may hold a million), by the index of ``imported``."""
    found: set[str] = set()
    for at in range(0, len(keys), KEYS_ASKED):
        part = keys[at : at + KEYS_ASKED]
        params: dict[str, object] = {f"k{n}": key for n, key in enumerate(part)}
        params["source"] = source
        marks = ", ".join(f":k{n}" for n in range(len(part)))
        found.update(
            r["source_key"]
            for r in db.rows(
                "SELECT source_key FROM imported"
                f" WHERE source = :source AND source_key IN ({marks})",
                params,
            )
        )
    return found


def _refuse(bad: BadRow) -> InputError:
    return InputError(
        _("{file}, line {line}: {reason}").format(file=bad.file, line=bad.line, reason=bad.reason),
        hint=_(
            "Nothing was imported. Fix the row, or pass --skip-invalid to import the rest "
            "and list what was skipped."
        ),
    )


def reject(bad: BadRow, summary: Summary, skip_invalid: bool) -> None:
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


class Plan:
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
        self.person = person
        self.now = now
        self.client = client
        self.clients = clients
        #: Places each entry; made by the first ``read``, with the store's clients and tasks.
        self.place: Callable[[SourceEntry], Place] | None = None
        self.planned = Planned()
        #: Where each key was first read: its line, or (file, line) if not in the file read
        #: first (most sources read one file: no tuple for each of their entries).
        self.first_line: dict[str, int | tuple[str, int]] = {}
        self.first_file = ""

    def read(
        self,
        db: Db,
        rows: Iterable[SourceEntry | BadRow],
        skip_invalid: bool,
        unique_keys: bool,
        on_read: Step | None,
    ) -> None:
        """Read ``rows`` a batch at a time: which keys of a batch were imported before is
        one look into the store (``db``, a read transaction), not a set of all of them.

        Each entry's names are matched against the clients and tasks in the store as the
        commands match what is typed (``sources.mapping.Catalog``), read here once."""
        if self.place is None:
            clients = records.client_names(db)
            tasks = records.task_names(db, include_archived=True)
            catalog = Catalog(tuple(clients), tuple(tasks))
            self.place = placer(
                self.mapping, client=self.client, clients=self.clients, catalog=catalog
            )
        rest = iter(rows)
        while batch := list(islice(rest, ROWS_PER_LOOK)):
            keys = [stored_key(r) for r in batch if not isinstance(r, BadRow) and not r.running]
            imported = imported_among(db, self.summary.source, keys)
            for row in batch:
                if on_read is not None:
                    on_read(1)
                self._row(row, imported, skip_invalid, unique_keys)

    def _row(
        self, row: SourceEntry | BadRow, imported: set[str], skip_invalid: bool, unique_keys: bool
    ) -> None:
        summary = self.summary
        if isinstance(row, BadRow):
            reject(row, summary, skip_invalid)
            return
        if row.end is None:
            summary.running.append(row)
            return
        key = stored_key(row)
        if key in imported:
            summary.already += 1
            return
        if not unique_keys:
            if key in self.first_line:
                seen = self.first_line[key]
                file, line = seen if isinstance(seen, tuple) else (self.first_file, seen)
                reason = _("it is the same entry as line {line} of {file}.").format(
                    line=line, file=file
                )
                reject(BadRow(row.file, row.line, reason), summary, skip_invalid)
                return
            self.first_file = self.first_file or row.file
            same_file = row.file == self.first_file
            self.first_line[key] = row.line if same_file else (row.file, row.line)
        problem = _times_problem(row, self.now)
        if problem is None and row.end == row.start:
            summary.empty += 1
            return
        if problem is None:
            try:
                assert self.place is not None  # made by read()
                where = self.place(row)
            except Unplaced as exc:
                problem = str(exc)
        if problem is not None:
            reject(BadRow(row.file, row.line, problem), summary, skip_invalid)
            return
        who = person(row, self.mapping, default=self.person)
        self.planned.add(row, key, where, who)
