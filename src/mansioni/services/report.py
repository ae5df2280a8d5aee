"""The periodic report: time, billing, estimates and decisions over a span of days.

What it promises (``docs/howto/periodic-reports.md`` says it to users):

- **The period.** Days ``first`` to ``last`` inclusive, on the user's clock. An entry
  belongs to the period when it *starts* in it (as ``mansioni log`` counts), whoever
  recorded it: collaborators record under their own ``MANSIONI_USER`` and their work
  is the duty's too. Running timers are never billed; they are listed apart.
- **A piece of work** is the finished entries of one task and one person inside the
  period that share ``COALESCE(occurrence_id, id)``: an entry and the entries that
  resume it (``start --resume``). Each piece is billed on its own: its time rounded
  *up* to the client's increment (``rounding_minutes``; none: to the second), then
  raised to the client's minimum (``minimum_minutes``; none: no minimum).
- **The rate** of a piece is the one in force for its task at the piece's start: the
  latest ``task_event`` carrying a rate dated at or before that start (ties: the one
  recorded last); before the task's first such event, the rate the task had before
  any was recorded (the ``before_json`` of the task's journal row in the operation
  that recorded the earliest one: events and the task update are written by one
  ``Writer``, in one operation; see ``services.changes``); with no rate events, the
  task's own rate; where the task has none, its client's rate as it is now.
- **Money** is kept exact (a fraction of a cent) until it is rounded, half up, to the
  cent once per task; a currency's total is the sum of its tasks' rounded amounts.
  Rows of other views (per day, week, person) are rounded once per row the same
  way, so they may differ from the total by a cent or so. Billed time without any
  rate has no amount: it is counted in ``unpriced_seconds`` and makes the total
  partial. Money of different currencies is never added up.

How it stays fast on a long history: every figure is aggregated by SQL over the
period's entries only (``ix_entry_start``, or ``ix_entry_task_start`` for one task),
grouped by piece, then by the rows asked for: a few rows come back, and no Python
object is made per entry. Day, week and month boundaries (in the user's zone) and the
instants a rate or an estimate changes are worked out here and written into the query
as integers, in balanced ``CASE`` trees (a join on a table of them would compare every
piece with every bound). Outside the period it reads only each task's events, the
journal rows of the operation that recorded its first rate (found through indexes),
and each task's current verdict (``review_one``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from mansioni.domain.display import day_bounds
from mansioni.domain.names import ClientName, TaskName, fold, resolve_client, resolve_task
from mansioni.domain.verdict import Verdict
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.services import review as reviews
from mansioni.services.changes import FOREVER
from mansioni.store.db import one

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from mansioni.store.base import Store
    from mansioni.store.db import Db, Row

BY = ("task", "day", "week", "who")
#: Far enough in the past to mean "before everything".
NEVER = -(2**62)
#: How many operations around the expected one to look at before searching them all.
_OPERATION_WINDOW = 2000


@dataclass(frozen=True)
class ClientTerms:
    """How a client is billed, as stored now."""

    name: str
    currency: str
    rate_cents: int | None
    rounding_minutes: int | None
    minimum_minutes: int | None


@dataclass(frozen=True)
class Line:
    """One row of the main table, in one currency.

    ``key`` is the task's full name (``by="task"``), the day or the Monday of the
    week in ISO form (``day``, ``week``), or the person (``who``).
    """

    key: str
    currency: str
    seconds: int  # raw time, as recorded
    billed_seconds: int  # after the increment and the minimum, piece by piece
    pieces: int
    entries: int
    amount_cents: int | None  # of the priced part; None when nothing in it is priced
    unpriced_seconds: int  # billed time with no rate at all
    task: TaskName | None = None  # by task
    day: date | None = None  # by day, or the Monday of the week


@dataclass(frozen=True)
class TaskSummary:
    task: TaskName
    state: str
    currency: str
    seconds: int
    billed_seconds: int
    pieces: int
    entries: int
    amount_cents: int | None
    unpriced_seconds: int
    rates_cents: tuple[int | None, ...]  # the hourly rates applied, in time order
    basis: str  # what an occurrence is: occurrence, week or month
    occurrences: int  # typical occurrences in the period (the statistics' sample)
    atypical: int  # atypical occurrences, counted in the time, not in the statistics
    median_seconds: float | None
    mean_seconds: float | None
    estimate_seconds: int | None  # in force at the end of the period
    estimated_occurrences: int  # typical occurrences that had an estimate in force
    time_index: float | None  # sum(E) / sum(t) over those occurrences
    verdict: Verdict | None  # the task's current verdict (today)


@dataclass(frozen=True)
class Total:
    """One currency's totals."""

    currency: str
    seconds: int
    billed_seconds: int
    pieces: int
    entries: int
    amount_cents: int | None  # the sum of its tasks' amounts; None when none is priced
    unpriced_seconds: int

    @property
    def partial(self) -> bool:
        return self.unpriced_seconds > 0


@dataclass(frozen=True)
class ChangeLine:
    """A ``task_event`` dated in the period: an estimate, a change or a decision."""

    id: int
    at: int
    task: TaskName
    currency: str
    kind: str
    text: str | None
    major: bool | None
    estimate_seconds: int | None
    estimate_basis: str | None
    rate_cents: int | None
    decision: str | None
    verdict: str | None
    person: str


@dataclass(frozen=True)
class RunningTimer:
    person: str
    task: TaskName
    start: int


@dataclass(frozen=True)
class PeriodReport:
    first: date
    last: date
    zone: str
    by: str
    now: int
    client: str | None  # the client asked for, by its full name
    task: TaskName | None  # the task asked for
    clients: tuple[ClientTerms, ...]  # the clients with time in the period
    lines: tuple[Line, ...]
    tasks: tuple[TaskSummary, ...]
    totals: tuple[Total, ...]
    changes: tuple[ChangeLine, ...]
    running: tuple[RunningTimer, ...]

    @property
    def empty(self) -> bool:
        return not self.lines and not self.changes and not self.running

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(t.currency for t in self.totals)


# -- billing arithmetic (pure) ---------------------------------------------------------


def billed_seconds(
    seconds: int, *, rounding_minutes: int | None, minimum_minutes: int | None
) -> int:
    """A piece's billed time: rounded up to the increment, then raised to the minimum.

    The SQL in :func:`period_report` computes exactly this; a test holds them equal.
    """
    step = (rounding_minutes or 0) * 60
    up = -(-seconds // step) * step if step > 0 else seconds
    return max(up, (minimum_minutes or 0) * 60)


def cents(exact: Fraction) -> int:
    """An exact amount in cents, rounded half up to a whole cent (amounts are never negative)."""
    return int(exact + Fraction(1, 2)) if exact >= 0 else -int(-exact + Fraction(1, 2))


def amount(billed: int, rate_cents: int) -> Fraction:
    """The exact price, in cents, of ``billed`` seconds at ``rate_cents`` an hour."""
    return Fraction(billed * rate_cents, 3600)


# -- the period ------------------------------------------------------------------------


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _buckets(first: date, last: date, by: str, tz: ZoneInfo) -> list[tuple[int, int, date]]:
    """``(lo, hi, label day)`` per day or week of the period, clipped to it."""
    lo_all, hi_all = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
    found = []
    day = first if by == "day" else week_start(first)
    step = timedelta(days=1 if by == "day" else 7)
    while day <= last:
        lo = max(day_bounds(day, tz)[0], lo_all)
        hi = min(day_bounds(day + step - timedelta(days=1), tz)[1], hi_all)
        found.append((lo, hi, day))
        day += step
    return found


def _calendar(first: date, last: date, basis: str, tz: ZoneInfo) -> list[tuple[int, int]]:
    """The calendar weeks or months touching the period, as ``[lo, hi)`` instants."""
    spans = []
    if basis == "week":
        day = week_start(first)
        while day <= last:
            spans.append((day_bounds(day, tz)[0], day_bounds(day + timedelta(days=6), tz)[1]))
            day += timedelta(days=7)
    else:
        day = first.replace(day=1)
        while day <= last:
            following = (day + timedelta(days=32)).replace(day=1)
            spans.append((day_bounds(day, tz)[0], day_bounds(following, tz)[0]))
            day = following
    return spans


def _piecewise(x: str, cuts: list[int], results: list[str]) -> str:
    """SQL for ``results[i]`` where ``cuts[i-1] <= x < cuts[i]`` (``cuts`` increasing,
    one more result than cuts): a balanced tree of ``CASE``, so a row meets about
    log2(len(cuts)) comparisons.

    The numbers are computed here, never typed by a user; written as literals, they need
    no parameter (SQLite allows only so many) and a join on a table of them would
    compare every row with every bound.
    """
    if not cuts:
        return results[0]
    mid = len(cuts) // 2
    below = _piecewise(x, cuts[:mid], results[: mid + 1])
    above = _piecewise(x, cuts[mid + 1 :], results[mid + 1 :])
    return f"(CASE WHEN {x} < {int(cuts[mid])} THEN {below} ELSE {above} END)"


def _per_task(task: str, cases: dict[int, str], otherwise: str) -> str:
    """SQL choosing ``cases[task id]`` by the task, ``otherwise`` for the others."""
    if not cases:
        return otherwise
    whens = " ".join(f"WHEN {int(t)} THEN {sql}" for t, sql in sorted(cases.items()))
    return f"(CASE {task} {whens} ELSE {otherwise} END)"


#: A typed NULL: PostgreSQL takes a bare one in a result column for text.
NO_NUMBER = "CAST(NULL AS BIGINT)"


def _literal(value: int | None) -> str:
    return NO_NUMBER if value is None else str(int(value))


# -- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _TaskInfo:
    name: TaskName
    client_id: int
    state: str
    rate_cents: int | None
    basis: str
    terms: ClientTerms


def _task_infos(db: Db) -> dict[int, _TaskInfo]:
    rows = db.rows(
        "SELECT task.id AS id, task.name AS name, task.state AS state, task.rate_cents AS rate,"
        " task.estimate_basis AS basis, task.client_id AS client_id, client.name AS client,"
        " client.currency AS currency, client.rate_cents AS client_rate,"
        " client.rounding_minutes AS rounding, client.minimum_minutes AS minimum"
        " FROM task JOIN client ON client.id = task.client_id"
    )
    return {
        int(r["id"]): _TaskInfo(
            name=TaskName(int(r["id"]), r["client"], r["name"]),
            client_id=int(r["client_id"]),
            state=r["state"],
            rate_cents=r["rate"],
            basis=r["basis"],
            terms=ClientTerms(
                r["client"], r["currency"], r["client_rate"], r["rounding"], r["minimum"]
            ),
        )
        for r in rows
    }


def _scope(
    db: Db, infos: dict[int, _TaskInfo], client: str | None, task: str | None
) -> tuple[str | None, TaskName | None, str, dict[str, object]]:
    """The client and task asked for, and the SQL condition on ``entry e`` they make."""
    chosen_client = chosen_task = None
    if client is not None:
        clients = [
            ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")
        ]
        chosen_client = resolve_client(client, clients)
    if task is not None:
        names = [i.name for i in infos.values()]
        if chosen_client is not None:
            names = [n for n in names if infos[n.id].client_id == chosen_client.id]
        chosen_task = resolve_task(task, names)
    if chosen_task is not None:
        return (
            chosen_client.name if chosen_client else None,
            chosen_task,
            " AND e.task_id = :task",
            {"task": chosen_task.id},
        )
    if chosen_client is not None:
        return (
            chosen_client.name,
            None,
            " AND e.task_id IN (SELECT id FROM task WHERE client_id = :client)",
            {"client": chosen_client.id},
        )
    return None, None, "", {}


@dataclass(frozen=True)
class _Event:
    id: int
    task_id: int
    kind: str
    at: int
    created: int
    person: str
    major: bool | None
    estimate_seconds: int | None
    estimate_basis: str | None
    rate_cents: int | None


def _events(db: Db, task_ids: Iterable[int]) -> dict[int, list[_Event]]:
    """Every event of these tasks, by task, in date order (ties: recording order)."""
    ids = sorted(set(task_ids))
    found: dict[int, list[_Event]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.rows(
        "SELECT id, task_id, kind, at_utc, created_utc, person, major, estimate_seconds,"
        " estimate_basis, rate_cents FROM task_event"
        f" WHERE task_id IN ({', '.join(str(int(i)) for i in ids)}) ORDER BY at_utc, id"
    )
    for r in rows:
        found[int(r["task_id"])].append(
            _Event(
                id=int(r["id"]),
                task_id=int(r["task_id"]),
                kind=r["kind"],
                at=int(r["at_utc"]),
                created=int(r["created_utc"]),
                person=r["person"],
                major=None if r["major"] is None else bool(r["major"]),
                estimate_seconds=r["estimate_seconds"],
                estimate_basis=r["estimate_basis"],
                rate_cents=r["rate_cents"],
            )
        )
    return found


def _operation_of(db: Db, event: _Event) -> int | None:
    """The operation that recorded ``event``: the one whose journal inserted it.

    Its ``at_utc`` is the event's ``created_utc`` (one ``Writer``). Operations are
    numbered in the order they were written, and their times nearly always grow with
    the number, so a binary search finds the neighbourhood through the primary key;
    the journal (indexed by operation) confirms the one. If clocks were so far off
    that the search misses, every operation of that second is tried.
    """

    def recorded_it(op_id: int) -> bool:
        return (
            one(
                db,
                "SELECT id FROM journal WHERE operation_id = :op AND table_name = 'task_event'"
                " AND row_id = :event AND action = 'insert'",
                {"op": op_id, "event": event.id},
            )
            is not None
        )

    # Two subqueries: SQLite reads a lone MIN or MAX off the index, but scans for both.
    span = one(
        db,
        "SELECT (SELECT MIN(id) FROM operation) AS lo, (SELECT MAX(id) FROM operation) AS hi",
    )
    if span is None or span["lo"] is None:
        return None
    lo, hi = int(span["lo"]), int(span["hi"]) + 1
    while lo < hi:  # the first id whose time is not before the event's
        mid = (lo + hi) // 2
        probe = one(
            db,
            "SELECT id, at_utc FROM operation WHERE id >= :mid ORDER BY id LIMIT 1",
            {"mid": mid},
        )
        if probe is not None and int(probe["at_utc"]) < event.created:
            lo = int(probe["id"]) + 1
        else:
            hi = mid
    near = db.rows(
        "SELECT id FROM operation WHERE id >= :a AND id <= :b AND at_utc = :at"
        " AND person = :person ORDER BY id",
        {
            "a": lo - _OPERATION_WINDOW,
            "b": lo + _OPERATION_WINDOW,
            "at": event.created,
            "person": event.person,
        },
    )
    for row in near:
        if recorded_it(int(row["id"])):
            return int(row["id"])
    everywhere = db.rows(
        "SELECT id FROM operation WHERE at_utc = :at AND person = :person ORDER BY id",
        {"at": event.created, "person": event.person},
    )
    for row in everywhere:
        if recorded_it(int(row["id"])):
            return int(row["id"])
    return None


def _rate_before_events(db: Db, events: list[_Event]) -> int | None:
    """The task's own rate before its first recorded rate event (``None``: it had none).

    From the ``before_json`` of the task's update in that event's operation. With no
    such row the operation left the task's rate as it was, so it already had the
    event's rate; if the journal cannot tell (it should), the event's rate is kept.
    """
    import json

    earliest = min((e for e in events if e.rate_cents is not None), key=lambda e: e.id)
    op_id = _operation_of(db, earliest)
    if op_id is None:
        return earliest.rate_cents
    row = one(
        db,
        "SELECT before_json FROM journal WHERE operation_id = :op AND table_name = 'task'"
        " AND row_id = :task AND action = 'update' ORDER BY id LIMIT 1",
        {"op": op_id, "task": earliest.task_id},
    )
    if row is None or row["before_json"] is None:
        return earliest.rate_cents
    before = json.loads(row["before_json"])
    return before.get("rate_cents")


def _estimates(
    events: list[_Event], until: int
) -> tuple[list[tuple[int, int, int | None, str | None]], int | None, str | None]:
    """The estimate in force over time, as ``(lo, hi, seconds, basis)`` intervals, and
    the estimate and basis in force at ``until``.

    As ``domain.phases`` has it: the latest estimate given, and none from a major change
    until one is given with it or after it.
    """
    spans: list[tuple[int, int, int | None, str | None]] = []
    estimate: int | None = None
    basis: str | None = None
    start = NEVER
    at_until: tuple[int | None, str | None] = (None, None)
    for event in events:
        if event.at > start:
            spans.append((start, event.at, estimate, basis))
            start = event.at
        if event.kind == "change" and event.major:
            estimate = None
        if event.estimate_seconds is not None:
            estimate = event.estimate_seconds
            basis = event.estimate_basis or basis
        if event.at <= until:
            at_until = (estimate, basis)
    spans.append((start, FOREVER, estimate, basis))
    return spans, at_until[0], at_until[1]


# -- the report ------------------------------------------------------------------------


def period_report(
    store: Store,
    *,
    first: date,
    last: date,
    zone: str,
    now: int,
    by: str = "task",
    client: str | None = None,
    task: str | None = None,
    progress: Callable[..., None] | None = None,
) -> PeriodReport:
    """The report of days ``first`` to ``last`` (inclusive) on the clock of ``zone``.

    ``progress``, if given, is an ``advance(n, *, total=None)`` (``cli.progress``): it
    hears of the period's figures, then of each task whose verdict has been worked
    out (the part that reads each task's history).
    """
    if by not in BY:
        raise InputError(
            _("{text!r} is not a way to group the report; choose one of: {choices}.").format(
                text=by, choices=", ".join(BY)
            ),
            hint=_("For example: mansioni report --month --by day"),
        )
    if last < first:
        raise InputError(
            _("--to must not come before --from."),
            hint=_("For example: mansioni report --from 2026-11-01 --to 2026-11-15"),
        )
    tz = ZoneInfo(zone)
    lo, hi = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
    today = datetime.fromtimestamp(now, tz).date()
    with store.read() as db:
        infos = _task_infos(db)
        client_name, task_name, where, params = _scope(db, infos, client, task)
        params = {**params, "lo": lo, "hi": hi}
        in_scope = [
            i
            for i, info in infos.items()
            if (task_name is None or i == task_name.id)
            and (client_name is None or info.terms.name == client_name)
        ]
        events = _events(db, in_scope)
        groups = _billing_groups(db, by, first, last, tz, where, params, events)
        with_time = sorted({int(g["task_id"]) for g in groups})
        base_rates = {}
        for task_id in with_time:
            info = infos[task_id]
            if any(e.rate_cents is not None for e in events[task_id]):
                if any(g["task_id"] == task_id and g["seg"] < 0 for g in groups):
                    base_rates[task_id] = _rate_before_events(db, events[task_id])
            else:
                base_rates[task_id] = info.rate_cents
        stats = _occurrence_stats(db, first, last, tz, hi, where, params, infos, events, with_time)
        if progress is not None:
            progress(1, total=1 + len(with_time))
        verdicts: dict[int, Verdict] = {}
        for task_id in with_time:
            verdicts[task_id] = reviews.review_one(
                db, infos[task_id].name, as_of=today, zone=zone
            ).result.verdict
            if progress is not None:
                progress(1)
        changes = _changes(db, where, params)
        running = _running(db, where, params)
    rated = _rated_events(events)

    def rate(task_id: int, seg: int) -> int | None:
        own = rated[task_id][seg].rate_cents if seg >= 0 else base_rates.get(task_id)
        return own if own is not None else infos[task_id].terms.rate_cents

    lines, summaries, totals = _money(by, groups, infos, rate, stats, verdicts)
    clients = sorted({infos[t].terms for t in with_time}, key=lambda c: fold(c.name))
    return PeriodReport(
        first=first,
        last=last,
        zone=zone,
        by=by,
        now=now,
        client=client_name,
        task=task_name,
        clients=tuple(clients),
        lines=tuple(lines),
        tasks=tuple(summaries),
        totals=tuple(totals),
        changes=tuple(changes),
        running=tuple(running),
    )


def _rated_events(events: dict[int, list[_Event]]) -> dict[int, list[_Event]]:
    return {t: [e for e in evs if e.rate_cents is not None] for t, evs in events.items()}


#: A piece's time rounded up to the increment (``step`` seconds; 0: none), in SQL.
ROUND_UP_SQL = (
    "CASE WHEN {step} > 0 THEN (({seconds} + {step} - 1) / {step}) * {step} ELSE {seconds} END"
)
#: Then raised to the minimum (``least`` seconds; 0: none).
AT_LEAST_SQL = "CASE WHEN {up} >= {least} THEN {up} ELSE {least} END"

_PIECES = """
piece AS (
  SELECT e.task_id AS task_id, e.person AS person, MIN(e.start_utc) AS first,
         CAST(SUM(e.end_utc - e.start_utc) AS BIGINT) AS seconds, COUNT(*) AS entries
  FROM entry e
  WHERE e.start_utc >= :lo AND e.start_utc < :hi AND e.end_utc IS NOT NULL{where}
  GROUP BY e.task_id, e.person, COALESCE(e.occurrence_id, e.id)
),
terms AS (
  SELECT task.id AS task_id, COALESCE(client.rounding_minutes, 0) * 60 AS step,
         COALESCE(client.minimum_minutes, 0) * 60 AS least
  FROM task JOIN client ON client.id = task.client_id
),
rounded AS (
  SELECT piece.task_id AS task_id, piece.person AS person, piece.first AS first,
         piece.seconds AS seconds, piece.entries AS entries, terms.least AS least,
         {round_up} AS up
  FROM piece JOIN terms ON terms.task_id = piece.task_id
),
billed AS (
  SELECT task_id, person, first, seconds, entries, {at_least} AS billed
  FROM rounded
)"""


def _rate_segments(events: dict[int, list[_Event]]) -> dict[int, tuple[list[int], list[str]]]:
    """Per task with rate events: the instants its rate changes at, and which event is in
    force from each (``-1`` before the first; on one instant, the one recorded last)."""
    found = {}
    for task_id, rated in _rated_events(events).items():
        if not rated:
            continue
        cuts: list[int] = []
        results = ["-1"]
        for k, event in enumerate(rated):
            if cuts and cuts[-1] == event.at:
                results[-1] = str(k)
            else:
                cuts.append(event.at)
                results.append(str(k))
        found[task_id] = (cuts, results)
    return found


def _billing_groups(
    db: Db,
    by: str,
    first: date,
    last: date,
    tz: ZoneInfo,
    where: str,
    params: dict[str, object],
    events: dict[int, list[_Event]],
) -> list[Row]:
    """Pieces summed per (row of the view, task, rate interval): a handful of rows."""
    ctes = [
        _PIECES.format(
            where=where,
            round_up=ROUND_UP_SQL.format(seconds="piece.seconds", step="terms.step"),
            at_least=AT_LEAST_SQL.format(up="up", least="least"),
        )
    ]
    key = "b.task_id"
    labels: list[date] = []
    if by in ("day", "week"):
        buckets = _buckets(first, last, by, tz)
        labels = [day for _lo, _hi, day in buckets]
        key = _piecewise(
            "b.first", [a for a, _b, _d in buckets[1:]], [str(k) for k in range(len(buckets))]
        )
    elif by == "who":
        key = "b.person"
    # Pieces before a task's first rate event (or of a task with none) are in no
    # interval: -1. (``seg`` is a column of the subquery, so grouping by it is grouping
    # by a column even where it is always -1; PostgreSQL needs it grouped.)
    segments = _rate_segments(events)
    seg = _per_task(
        "b.task_id",
        {t: _piecewise("b.first", cuts, results) for t, (cuts, results) in segments.items()},
        "-1",
    )
    group = ["row_key", "task_id", "seg"]
    sql = (
        "WITH "
        + ",\n".join(ctes)
        + "\nSELECT row_key AS key, task_id, seg, CAST(SUM(seconds) AS BIGINT) AS seconds,"
        " CAST(SUM(billed) AS BIGINT) AS billed, COUNT(*) AS pieces,"
        " CAST(SUM(entries) AS BIGINT) AS entries"
        f" FROM (SELECT {key} AS row_key, b.task_id AS task_id, {seg} AS seg, b.seconds AS seconds,"
        " b.billed AS billed, b.entries AS entries FROM billed b) AS g"
        f" GROUP BY {', '.join(group)}"
    )
    found = []
    for r in db.rows(sql, params):
        row = {k: (int(v) if k != "key" else v) for k, v in r.items()}
        if by in ("day", "week"):
            row["key"] = labels[int(r["key"])]
        found.append(row)
    return found


@dataclass(frozen=True)
class _Stats:
    basis: str
    occurrences: int = 0
    atypical: int = 0
    median: float | None = None
    mean: float | None = None
    estimate: int | None = None
    estimated: int = 0
    index: float | None = None


def _occurrence_stats(
    db: Db,
    first: date,
    last: date,
    tz: ZoneInfo,
    hi: int,
    where: str,
    params: dict[str, object],
    infos: dict[int, _TaskInfo],
    events: dict[int, list[_Event]],
    task_ids: list[int],
) -> dict[int, _Stats]:
    """Per task: its occurrences in the period, their median and mean, the estimate in
    force at each one's start, and the time index over those with one.

    An occurrence is what the review counts (``domain.occurrences``): an entry with
    those that resume it, or a calendar week or month of the task's time for a weekly
    or monthly estimate, here only the weeks or months wholly inside the period.
    Atypical ones are counted apart and kept out of the statistics.
    """
    bases: dict[str, list[int]] = {}
    in_force: dict[int, tuple[int | None, str]] = {}
    spans: dict[int, list[tuple[int, int, int | None, str | None]]] = {}
    for task_id in task_ids:
        found, estimate, basis = _estimates(events[task_id], hi - 1)
        basis = basis or infos[task_id].basis
        in_force[task_id] = (estimate, basis)
        spans[task_id] = found
        bases.setdefault(basis, []).append(task_id)
    result: dict[int, _Stats] = {}
    for basis, ids in bases.items():
        ctes = []
        id_list = ", ".join(str(int(i)) for i in ids)
        select = (
            "SELECT e.task_id AS task_id, MIN(e.start_utc) AS first,"
            " CAST(SUM(e.end_utc - e.start_utc) AS BIGINT) AS seconds,"
            " MAX(CASE WHEN e.atypical THEN 1 ELSE 0 END) AS atypical FROM entry e"
        )
        filters = (
            f" WHERE e.start_utc >= :lo AND e.start_utc < :hi AND e.end_utc IS NOT NULL{where}"
            f" AND e.task_id IN ({id_list})"
        )
        if basis == "occurrence":
            ctes.append(
                f"occ AS ({select}{filters} GROUP BY e.task_id, COALESCE(e.occurrence_id, e.id))"
            )
        else:
            # Only the weeks (months) wholly inside the period are occurrences: a week cut
            # by the period's edge would set part of its time against a whole week's
            # estimate. Its time is billed all the same.
            calendar = [
                (a, b)
                for a, b in _calendar(first, last, basis, tz)
                if a >= int(params["lo"]) and b <= hi  # type: ignore[call-overload]
            ]
            if calendar:
                whole = f" AND e.start_utc >= {calendar[0][0]} AND e.start_utc < {calendar[-1][1]}"
            else:
                whole = " AND 1 = 0"
            which = _piecewise(
                "e.start_utc",
                [a for a, _b in calendar[1:]],
                [str(k) for k in range(max(1, len(calendar)))],
            )
            # One calendar unit gives a constant, which GROUP BY would read as a column number.
            unit = f", {which}" if len(calendar) > 1 else ""
            ctes.append(f"occ AS ({select}{filters}{whole} GROUP BY e.task_id{unit})")
        # The estimate in force, over the period, for each task: most often one value
        # (``steady``), summed here; only where it changes inside the period does the
        # database look up each occurrence's.
        steady: dict[int, int | None] = {}
        varying: dict[int, str] = {}
        for task_id in ids:
            inside = [
                (a, b, est if (est_basis or infos[task_id].basis) == basis else None)
                for a, b, est, est_basis in spans[task_id]
                if a < b and a < hi and b > int(params["lo"])  # type: ignore[call-overload]
            ]
            if len({est for _a, _b, est in inside}) <= 1:
                steady[task_id] = inside[0][2] if inside else None
            else:
                varying[task_id] = _piecewise(
                    "occ.first",
                    [a for a, _b, _e in inside[1:]],
                    [_literal(e) for _a, _b, e in inside],
                )
        e = _per_task("occ.task_id", varying, NO_NUMBER)
        ctes.append(
            f"o AS (SELECT occ.task_id AS task_id, occ.seconds AS seconds, occ.atypical AS atypical,"
            f" {e} AS e,"
            # One window, sorted once: each occurrence's rank and its partition's size.
            " ROW_NUMBER() OVER w AS rn,"
            " COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n"
            " FROM occ WINDOW w AS (PARTITION BY occ.task_id, occ.atypical ORDER BY occ.seconds))"
        )
        sql = (
            "WITH "
            + ",\n".join(ctes)
            + "\nSELECT task_id, atypical, COUNT(*) AS n, CAST(SUM(seconds) AS BIGINT) AS total,"
            " CAST(SUM(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN seconds ELSE 0 END)"
            " AS BIGINT) AS mid_sum,"
            " SUM(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN 1 ELSE 0 END) AS mid_n,"
            " CAST(SUM(CASE WHEN e IS NULL THEN 0 ELSE e END) AS BIGINT) AS sum_e,"
            " CAST(SUM(CASE WHEN e IS NULL THEN 0 ELSE seconds END) AS BIGINT) AS sum_t,"
            " SUM(CASE WHEN e IS NULL THEN 0 ELSE 1 END) AS n_e"
            " FROM o GROUP BY task_id, atypical"
        )
        rows = db.rows(sql, params)
        for task_id in ids:
            estimate, _basis = in_force[task_id]
            typical = next(
                (r for r in rows if int(r["task_id"]) == task_id and not int(r["atypical"])), None
            )
            odd = next(
                (r for r in rows if int(r["task_id"]) == task_id and int(r["atypical"])), None
            )
            stats = _Stats(basis=basis, estimate=estimate, atypical=int(odd["n"]) if odd else 0)
            if typical is not None:
                n, total = int(typical["n"]), int(typical["total"])
                if task_id in steady:
                    constant = steady[task_id]
                    n_e, sum_e, sum_t = (n, n * constant, total) if constant else (0, 0, 0)
                else:
                    n_e, sum_e, sum_t = (int(typical[k]) for k in ("n_e", "sum_e", "sum_t"))
                stats = _Stats(
                    basis=basis,
                    estimate=estimate,
                    atypical=stats.atypical,
                    occurrences=n,
                    median=int(typical["mid_sum"]) / int(typical["mid_n"]),
                    mean=total / n,
                    estimated=n_e,
                    index=sum_e / sum_t if n_e and sum_t else None,
                )
            result[task_id] = stats
    return result


def _changes(db: Db, where: str, params: dict[str, object]) -> list[ChangeLine]:
    rows = db.rows(
        "SELECT ev.id AS id, ev.at_utc AS at, ev.kind AS kind, ev.text AS text, ev.major AS major,"
        " ev.estimate_seconds AS estimate, ev.estimate_basis AS basis, ev.rate_cents AS rate,"
        " ev.decision AS decision, ev.verdict AS verdict, ev.person AS person,"
        " task.id AS task_id, task.name AS task, client.name AS client, client.currency AS currency"
        " FROM task_event ev JOIN task ON task.id = ev.task_id"
        " JOIN client ON client.id = task.client_id"
        f" WHERE ev.at_utc >= :lo AND ev.at_utc < :hi{where.replace('e.task_id', 'ev.task_id')}"
        " ORDER BY ev.at_utc, ev.id",
        params,
    )
    return [
        ChangeLine(
            id=int(r["id"]),
            at=int(r["at"]),
            task=TaskName(int(r["task_id"]), r["client"], r["task"]),
            currency=r["currency"],
            kind=r["kind"],
            text=r["text"],
            major=None if r["major"] is None else bool(r["major"]),
            estimate_seconds=r["estimate"],
            estimate_basis=r["basis"],
            rate_cents=r["rate"],
            decision=r["decision"],
            verdict=r["verdict"],
            person=r["person"],
        )
        for r in rows
    ]


def _running(db: Db, where: str, params: dict[str, object]) -> list[RunningTimer]:
    rows = db.rows(
        "SELECT e.person AS person, e.start_utc AS start, task.id AS task_id, task.name AS task,"
        " client.name AS client FROM entry e JOIN task ON task.id = e.task_id"
        " JOIN client ON client.id = task.client_id"
        f" WHERE e.end_utc IS NULL AND e.start_utc >= :lo AND e.start_utc < :hi{where}",
        params,
    )
    found = [
        RunningTimer(
            r["person"], TaskName(int(r["task_id"]), r["client"], r["task"]), int(r["start"])
        )
        for r in rows
    ]
    return sorted(found, key=lambda t: (t.start, fold(t.person)))


class _Sum:
    """Time and exact money added up, group after group."""

    def __init__(self) -> None:
        self.seconds = self.billed = self.pieces = self.entries = self.unpriced = 0
        self.exact = Fraction(0)
        self.priced = False

    def add(self, group: Row, cents_an_hour: int | None) -> None:
        billed = int(group["billed"])
        self.seconds += int(group["seconds"])
        self.billed += billed
        self.pieces += int(group["pieces"])
        self.entries += int(group["entries"])
        if cents_an_hour is None:
            self.unpriced += billed
        else:
            self.exact += amount(billed, cents_an_hour)
            self.priced = True

    @property
    def cents(self) -> int | None:
        """Rounded once, here; ``None`` when nothing in it had a rate."""
        return cents(self.exact) if self.priced else None


def _changes_only(rates: list[int | None]) -> tuple[int | None, ...]:
    """The rates in time order, each one once where it stayed the same (``28 → 28``)."""
    return tuple(r for i, r in enumerate(rates) if i == 0 or rates[i - 1] != r)


def _row_order(by: str, key: object) -> tuple[object, ...]:
    if isinstance(key, TaskName):
        return (fold(key.client), fold(key.name))
    if isinstance(key, date):
        return (key.isoformat(),)
    return (fold(str(key)), str(key))


def _money(
    by: str,
    groups: list[Row],
    infos: dict[int, _TaskInfo],
    rate: Callable[[int, int], int | None],
    stats: dict[int, _Stats],
    verdicts: dict[int, Verdict],
) -> tuple[list[Line], list[TaskSummary], list[Total]]:
    """Prices the groups and sums them into rows, task summaries and totals."""
    rows: dict[tuple[object, str], _Sum] = {}
    per_task: dict[int, _Sum] = {}
    applied: dict[int, dict[int, int | None]] = {}
    for g in groups:
        task_id, seg = int(g["task_id"]), int(g["seg"])
        currency = infos[task_id].terms.currency
        price = rate(task_id, seg)
        key = infos[task_id].name if by == "task" else g["key"]
        rows.setdefault((key, currency), _Sum()).add(g, price)
        per_task.setdefault(task_id, _Sum()).add(g, price)
        applied.setdefault(task_id, {})[seg] = price
    lines = []
    for (key, currency), s in sorted(
        rows.items(), key=lambda item: (*_row_order(by, item[0][0]), item[0][1])
    ):
        if isinstance(key, TaskName):
            text = key.full
        elif isinstance(key, date):
            text = key.isoformat()
        else:
            text = str(key)
        lines.append(
            Line(
                key=text,
                currency=currency,
                seconds=s.seconds,
                billed_seconds=s.billed,
                pieces=s.pieces,
                entries=s.entries,
                amount_cents=s.cents,
                unpriced_seconds=s.unpriced,
                task=key if isinstance(key, TaskName) else None,
                day=key if isinstance(key, date) else None,
            )
        )
    summaries = []
    for task_id in sorted(per_task, key=lambda t: _row_order("task", infos[t].name)):
        s, info, st = per_task[task_id], infos[task_id], stats[task_id]
        summaries.append(
            TaskSummary(
                task=info.name,
                state=info.state,
                currency=info.terms.currency,
                seconds=s.seconds,
                billed_seconds=s.billed,
                pieces=s.pieces,
                entries=s.entries,
                amount_cents=s.cents,
                unpriced_seconds=s.unpriced,
                rates_cents=_changes_only([applied[task_id][k] for k in sorted(applied[task_id])]),
                basis=st.basis,
                occurrences=st.occurrences,
                atypical=st.atypical,
                median_seconds=st.median,
                mean_seconds=st.mean,
                estimate_seconds=st.estimate,
                estimated_occurrences=st.estimated,
                time_index=st.index,
                verdict=verdicts.get(task_id),
            )
        )
    by_currency: dict[str, list[TaskSummary]] = {}
    for summary in summaries:
        by_currency.setdefault(summary.currency, []).append(summary)
    totals = []
    for currency, its in sorted(by_currency.items()):
        priced = [t.amount_cents for t in its if t.amount_cents is not None]
        totals.append(
            Total(
                currency=currency,
                seconds=sum(t.seconds for t in its),
                billed_seconds=sum(t.billed_seconds for t in its),
                pieces=sum(t.pieces for t in its),
                entries=sum(t.entries for t in its),
                amount_cents=sum(priced) if priced else None,
                unpriced_seconds=sum(t.unpriced_seconds for t in its),
            )
        )
    return lines, summaries, totals
