"""What the periodic report reads: the tasks' terms, the period's time counted by
piece, the events and running timers dated in it.

The figures are counted, never judged, here: how many pieces of work of each length
(a histogram), per row of the report, task, rate and estimate in force; the report
prices and rounds them with ``domain.billing`` and takes their median with
``domain.stats``. Which row, rate or estimate a piece falls in is given as instants
where each changes (``domain.intervals.Cuts``, worked out by the domain); the database only finds
the interval an instant is in (:func:`interval_sql`).

Most pieces are one plain entry: typical, resuming none and resumed by none. Those are
counted by the database, through the index on ``(task_id, start_utc)``, without
grouping entries. The few others (entries that resumed an occurrence, the entries
they resumed, atypical ones) are read as entries (:func:`special_entries`) and
grouped into pieces by the domain's rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from mansioni.domain.billing import ClientTerms, TaskTerms
from mansioni.domain.entries import Entry
from mansioni.domain.intervals import Cuts
from mansioni.domain.names import TaskName
from mansioni.domain.period_sums import PieceCount
from mansioni.store import records

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping

    from mansioni.store.db import Db, Row


def task_terms(db: Db) -> dict[int, TaskTerms]:
    """Every task, with its client's billing terms, by id."""
    rows = db.rows(
        "SELECT task.id AS id, task.name AS name, task.state AS state, task.rate_cents AS rate,"
        " task.estimate_basis AS basis, task.client_id AS client_id, client.name AS client,"
        " task.created_utc AS created,"
        " client.currency AS currency, client.rate_cents AS client_rate,"
        " client.rounding_minutes AS rounding, client.minimum_minutes AS minimum"
        " FROM task JOIN client ON client.id = task.client_id"
    )
    return {
        int(r["id"]): TaskTerms(
            name=TaskName(int(r["id"]), r["client"], r["name"]),
            client_id=int(r["client_id"]),
            state=r["state"],
            rate_cents=r["rate"],
            basis=r["basis"],
            terms=ClientTerms(
                r["client"], r["currency"], r["client_rate"], r["rounding"], r["minimum"]
            ),
            created=int(r["created"]),
        )
        for r in rows
    }


@dataclass(frozen=True)
class Scope:
    """The entries a report covers: ``[lo, hi)`` by start, of one task, of one client's
    tasks, or of all (both None)."""

    lo: int
    hi: int
    task_id: int | None = None
    client_id: int | None = None

    def where(self, alias: str) -> str:
        """The SQL condition on ``alias`` (an ``entry`` or a ``task_event``) beyond time."""
        if self.task_id is not None:
            return f" AND {alias}.task_id = :task"
        if self.client_id is not None:
            return f" AND {alias}.task_id IN (SELECT id FROM task WHERE client_id = :client)"
        return ""

    @property
    def params(self) -> dict[str, object]:
        found: dict[str, object] = {"lo": self.lo, "hi": self.hi}
        if self.task_id is not None:
            found["task"] = self.task_id
        elif self.client_id is not None:
            found["client"] = self.client_id
        return found


def interval_sql(column: str, cuts: Cuts) -> str:
    """SQL giving :meth:`Cuts.index` of ``column``: a balanced tree of ``CASE``, so a row
    meets about log2(len(cuts)) comparisons.

    The instants are worked out by the program, never typed by a user; written as
    integer literals they need no parameter (SQLite allows only so many), and a join on
    a table of them would compare every row with every bound.
    """

    def tree(lo: int, hi: int) -> str:  # the index, knowing it lies in [lo, hi]
        if lo == hi:
            return str(lo)
        mid = (lo + hi) // 2  # cuts[mid] separates index mid from mid + 1
        return (
            f"(CASE WHEN {column} < {int(cuts.cuts[mid])} THEN {tree(lo, mid)}"
            f" ELSE {tree(mid + 1, hi)} END)"
        )

    return tree(0, len(cuts.cuts))


#: The finished entries of task ``{task}`` in the period that resumed an occurrence (its
#: entries are all of that task: an entry moved to another task leaves its occurrence).
_RESUMING = (
    "SELECT r.occurrence_id FROM entry r WHERE r.task_id = {task} AND r.start_utc >= :lo"
    " AND r.start_utc < :hi AND r.end_utc IS NOT NULL AND r.occurrence_id IS NOT NULL"
)
#: Statements per compound statement (SQLite allows 500 SELECTs in one).
_TASKS_PER_QUERY = 100


def _per_task(task_ids: list[int]) -> Iterator[list[int]]:
    ids = sorted({int(t) for t in task_ids})
    for at in range(0, len(ids), _TASKS_PER_QUERY):
        yield ids[at : at + _TASKS_PER_QUERY]


def plain_piece_counts(
    db: Db,
    scope: Scope,
    task_ids: list[int],
    *,
    rows: Cuts | None = None,
    by_person: bool = False,
    rates: Mapping[int, Cuts] | None = None,
    estimates: Mapping[int, Cuts] | None = None,
    by_length: Collection[int] = (),
    invoiced: Collection[int] = (),
) -> Iterator[PieceCount]:
    """How many plain pieces the tasks have in the scope's time, and their seconds:
    finished entries that are typical, resume no occurrence and that no finished entry
    of the period resumes.

    Counted apart per interval of ``rows`` (by a piece's start) or per person
    (``by_person``), per interval of each task's ``rates`` and ``estimates`` cuts, and,
    for the tasks in ``by_length``, per length; for the tasks in ``invoiced`` (whose
    client has an invoice in the period), on an invoice or not. One grouping per task,
    each read through the index on ``(task_id, start_utc)``: several small sorts cost
    less than one of every entry. An interval that cannot vary (no cuts) is no part of a grouping.
    """
    params = {"lo": scope.lo, "hi": scope.hi}

    def select(task: int) -> str:
        row = "e.person" if by_person else interval_sql("e.start_utc", rows or Cuts())
        rate = interval_sql("e.start_utc", (rates or {}).get(task, Cuts()))
        estimate = interval_sql("e.start_utc", (estimates or {}).get(task, Cuts()))
        seconds = "e.end_utc - e.start_utc"
        length = seconds if task in by_length else "NULL"
        billed = "(CASE WHEN e.invoice_id IS NULL THEN 0 ELSE 1 END)" if task in invoiced else "0"
        # by their place in the select list: each interval's CASE tree is written once
        varying = (row, rate, estimate, length, billed)
        group = [str(i + 2) for i, x in enumerate(varying) if x not in ("0", "NULL")]
        return (
            f"SELECT {task} AS task_id, {row} AS row_key, {rate} AS rate_interval,"
            f" {estimate} AS estimate_interval, {length} AS length, {billed} AS invoiced,"
            " COUNT(*) AS pieces,"
            f" CAST(SUM({seconds}) AS BIGINT) AS seconds"
            f" FROM entry e WHERE e.task_id = {task} AND e.start_utc >= :lo"
            " AND e.start_utc < :hi AND e.end_utc IS NOT NULL AND e.occurrence_id IS NULL"
            f" AND NOT e.atypical AND e.id NOT IN ({_RESUMING.format(task=task)})"
            + (f" GROUP BY {', '.join(group)}" if group else "")
        )

    # One statement per task: a report by day holds a CASE tree of every day of the
    # period, which SQLite would otherwise compile once for every task at once.
    for task in sorted(set(task_ids)):
        for r in db.rows(select(task), params):
            if not r["pieces"]:
                continue  # no grouping, no entry: one row of nothing
            yield PieceCount(
                task_id=int(r["task_id"]),
                row=r["row_key"] if by_person else int(r["row_key"]),
                rate_interval=int(r["rate_interval"]),
                estimate_interval=int(r["estimate_interval"]),
                length=None if r["length"] is None else int(r["length"]),
                pieces=int(r["pieces"]),
                seconds=int(r["seconds"]),
                invoiced=bool(r["invoiced"]),
            )


def special_entries(
    db: Db, scope: Scope, task_ids: list[int], invoiced: set[int] | None = None
) -> list[Entry]:
    """The tasks' finished entries in the scope's time that are not plain (see
    :func:`plain_piece_counts`): those that resumed an occurrence, those they resumed,
    the atypical ones; in start order. ``invoiced``, if given, gets the ids of those
    on an invoice."""
    found: list[Entry] = []
    for chunk in _per_task(task_ids):
        sql = " UNION ALL ".join(
            "SELECT e.id AS id, e.task_id AS task_id, e.person AS person,"
            " e.start_utc AS start_utc, e.end_utc AS end_utc, e.zone AS zone, e.note AS note,"
            " e.occurrence_id AS occurrence_id, e.atypical AS atypical,"
            " e.invoice_id AS invoice_id FROM entry e"
            f" WHERE e.task_id = {task} AND e.start_utc >= :lo AND e.start_utc < :hi"
            " AND e.end_utc IS NOT NULL AND (e.occurrence_id IS NOT NULL OR e.atypical"
            f" OR e.id IN ({_RESUMING.format(task=task)}))"
            for task in chunk
        )
        for r in db.rows(sql, {"lo": scope.lo, "hi": scope.hi}):
            found.append(records.to_entry(r))
            if invoiced is not None and r["invoice_id"] is not None:
                invoiced.add(int(r["id"]))
    found.sort(key=lambda e: (e.start, e.id))
    return found


@dataclass(frozen=True)
class UnitSum:
    """A task's finished time in one calendar unit (interval ``unit`` of the cuts)."""

    task_id: int
    unit: int
    first: int
    seconds: int
    entries: int
    atypical: bool


def unit_sums(db: Db, scope: Scope, task_ids: list[int], units: Cuts) -> list[UnitSum]:
    """Per task and calendar unit (the intervals of ``units`` inside the scope's time):
    its finished entries' first start, time, count, and whether any is atypical."""
    if not task_ids:
        return []
    unit = interval_sql("e.start_utc", units)
    ids = ", ".join(str(int(t)) for t in sorted(task_ids))
    # One calendar unit makes the key a constant, which GROUP BY would read as a column
    # number: group by the task alone then.
    group = "e.task_id" if not units.cuts else f"e.task_id, {unit}"
    sql = (
        f"SELECT e.task_id AS task_id, {unit} AS unit, MIN(e.start_utc) AS first,"
        " CAST(SUM(e.end_utc - e.start_utc) AS BIGINT) AS seconds, COUNT(*) AS entries,"
        " MAX(CASE WHEN e.atypical THEN 1 ELSE 0 END) AS atypical FROM entry e"
        " WHERE e.start_utc >= :lo AND e.start_utc < :hi AND e.end_utc IS NOT NULL"
        f"{scope.where('e')} AND e.task_id IN ({ids}) GROUP BY {group}"
    )
    return [
        UnitSum(
            task_id=int(r["task_id"]),
            unit=int(r["unit"]),
            first=int(r["first"]),
            seconds=int(r["seconds"]),
            entries=int(r["entries"]),
            atypical=bool(r["atypical"]),
        )
        for r in db.rows(sql, scope.params)
    ]


def events_in(db: Db, scope: Scope, *, skip_kind: str) -> list[Row]:
    """The task events dated in the scope's time (but those of ``skip_kind``), with their
    task's and client's names, in date order (ties: recording order)."""
    return db.rows(
        "SELECT ev.id AS id, ev.at_utc AS at, ev.kind AS kind, ev.text AS text, ev.major AS major,"
        " ev.estimate_seconds AS estimate, ev.estimate_basis AS basis, ev.rate_cents AS rate,"
        " ev.decision AS decision, ev.verdict AS verdict, ev.person AS person,"
        " task.id AS task_id, task.name AS task, client.name AS client, client.currency AS currency"
        " FROM task_event ev JOIN task ON task.id = ev.task_id"
        " JOIN client ON client.id = task.client_id"
        f" WHERE ev.at_utc >= :lo AND ev.at_utc < :hi{scope.where('ev')} AND ev.kind <> :skip"
        " ORDER BY ev.at_utc, ev.id",
        {**scope.params, "skip": skip_kind},
    )


def running_in(db: Db, scope: Scope) -> list[Row]:
    """The timers running that started in the scope's time: person, start, task."""
    return db.rows(
        "SELECT e.person AS person, e.start_utc AS start, task.id AS task_id, task.name AS task,"
        " client.name AS client FROM entry e JOIN task ON task.id = e.task_id"
        " JOIN client ON client.id = task.client_id"
        f" WHERE e.end_utc IS NULL AND e.start_utc >= :lo AND e.start_utc < :hi{scope.where('e')}",
        scope.params,
    )


# -- invoices --------------------------------------------------------------------------


def invoices_over(db: Db, scope: Scope) -> list[Row]:
    """The invoices whose period meets the scope's time, of the scope's client (of the
    scope's task's client; of any client), oldest first; with their client's name."""
    where = ""
    params: dict[str, object] = {"lo": scope.lo, "hi": scope.hi}
    if scope.task_id is not None:
        where = " AND i.client_id = (SELECT client_id FROM task WHERE id = :task)"
        params["task"] = scope.task_id
    elif scope.client_id is not None:
        where = " AND i.client_id = :client"
        params["client"] = scope.client_id
    return db.rows(
        "SELECT i.id AS id, i.client_id AS client_id, c.name AS client, i.first_day AS first_day,"
        " i.last_day AS last_day, i.lo_utc AS lo, i.hi_utc AS hi, i.person AS person,"
        " i.note AS note, i.created_utc AS created"
        " FROM invoice i JOIN client c ON c.id = i.client_id"
        f" WHERE i.lo_utc < :hi AND i.hi_utc > :lo{where} ORDER BY i.id",
        params,
    )


def invoice_counts(db: Db, scope: Scope, task_ids: list[int]) -> dict[int, int]:
    """How many of the tasks' entries in the scope's time each invoice holds, read
    through the index of a task's entries (which holds ``invoice_id``)."""
    found: dict[int, int] = {}
    for chunk in _per_task(task_ids):
        ids = ", ".join(str(t) for t in chunk)
        for r in db.rows(
            "SELECT e.invoice_id AS invoice, COUNT(*) AS n FROM entry e"
            f" WHERE e.task_id IN ({ids}) AND e.start_utc >= :lo AND e.start_utc < :hi"
            " AND e.invoice_id IS NOT NULL GROUP BY e.invoice_id",
            {"lo": scope.lo, "hi": scope.hi},
        ):
            found[int(r["invoice"])] = found.get(int(r["invoice"]), 0) + int(r["n"])
    return found


def entry_lines(db: Db, scope: Scope) -> list[Row]:
    """The finished entries in the scope, in start order, with their task's and
    client's names and the invoice each is on (what an invoice lists)."""
    return db.rows(
        "SELECT e.id AS id, e.task_id AS task_id, task.name AS task, client.name AS client,"
        " e.person AS person, e.start_utc AS start, e.end_utc AS end, e.note AS note,"
        " e.invoice_id AS invoice FROM entry e JOIN task ON task.id = e.task_id"
        " JOIN client ON client.id = task.client_id"
        " WHERE e.end_utc IS NOT NULL AND e.start_utc >= :lo AND e.start_utc < :hi"
        f"{scope.where('e')} ORDER BY e.start_utc, e.id",
        scope.params,
    )


def scope_entries(db: Db, scope: Scope) -> list[Row]:
    """Every entry of the scope's time, finished or running, with the invoice it is
    on: what ``mansioni bill`` marks, and what it leaves (``records.to_entry`` reads
    each as an entry)."""
    return db.rows(
        "SELECT e.id AS id, e.task_id AS task_id, e.person AS person,"
        " e.start_utc AS start_utc, e.end_utc AS end_utc, e.zone AS zone, e.note AS note,"
        " e.occurrence_id AS occurrence_id, e.atypical AS atypical,"
        " e.invoice_id AS invoice FROM entry e"
        f" WHERE e.start_utc >= :lo AND e.start_utc < :hi{scope.where('e')} ORDER BY e.id",
        scope.params,
    )
