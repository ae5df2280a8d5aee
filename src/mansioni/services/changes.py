"""A task's story: estimates, changes, decisions, and its history split into phases.

Each write is one transaction, journaled like every other change. After each event
the task row is brought in line with its current phase (estimate, basis, rate,
state), so lists show what is in force now; the events remain the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from mansioni.domain.display import local_date
from mansioni.domain.entries import Entry, check_note
from mansioni.domain.names import TaskName, resolve_task
from mansioni.domain.occurrences import Occurrence
from mansioni.domain.phases import Event, Phase, phases
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.store import records
from mansioni.store.db import one
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db, Row

#: Far enough in the future to mean "everything recorded".
FOREVER = 2**62


def load_events(db: Db, task_id: int) -> list[Event]:
    return [
        Event(
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
        for r in db.rows(
            "SELECT * FROM task_event WHERE task_id = :id ORDER BY at_utc, id", {"id": task_id}
        )
    ]


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
        events=load_events(db, task_id),
        until=until,
    )


def entries_between(db: Db, task_id: int, lo: int, hi: int | None) -> list[Entry]:
    """Every person's entries of the task starting in ``[lo, hi)``: the duty, whoever did it."""
    sql = (
        "SELECT id, task_id, person, start_utc, end_utc, zone, note, occurrence_id, atypical"
        " FROM entry WHERE task_id = :task AND start_utc >= :lo"
    )
    params: dict[str, object] = {"task": task_id, "lo": lo}
    if hi is not None:
        sql += " AND start_utc < :hi"
        params["hi"] = hi
    return [records.to_entry(r) for r in db.rows(sql + " ORDER BY start_utc, id", params)]


def task_occurrences(
    db: Db, task_id: int, lo: int, hi: int, *, basis: str, zone: ZoneInfo
) -> list[Occurrence]:
    """The task's occurrences whose entries start in ``[lo, hi)``, finished ones only.

    Per-occurrence duties are grouped by the database (one row per occurrence, not per
    entry); calendar weeks and months by the database too, one row per stretch of time
    that lies in one week or month on the user's clock (:func:`calendar_spans`). Tests
    hold both ways equal to ``mansioni.domain.occurrences``.
    """
    if basis != "occurrence":
        return _calendar_occurrences(db, task_id, lo, hi, basis=basis, zone=zone)
    rows = db.rows(
        "SELECT COALESCE(occurrence_id, id) AS occ, MIN(start_utc) AS first,"
        " SUM(end_utc - start_utc) AS seconds, COUNT(*) AS entries,"
        " MAX(CASE WHEN atypical THEN 1 ELSE 0 END) AS atypical"
        " FROM entry WHERE task_id = :task AND start_utc >= :lo AND start_utc < :hi"
        " AND end_utc IS NOT NULL GROUP BY COALESCE(occurrence_id, id)",
        {"task": task_id, "lo": lo, "hi": hi},
    )
    found = [
        Occurrence(
            key=(int(r["occ"]),),
            start=int(r["first"]),
            day=local_date(int(r["first"]), zone),
            seconds=int(r["seconds"]),
            entries=int(r["entries"]),
            atypical=bool(r["atypical"]),
        )
        for r in rows
    ]
    found.sort(key=lambda o: (o.start, o.key))
    return found


# -- calendar weeks and months, grouped by the database ------------------------------------

#: How far apart the zone's UTC offset is sampled; a change is then found to the second.
_OFFSET_STEP = 6 * 3600
_EPOCH = date(1970, 1, 1)
_DAY = 86_400
#: Stretches of time per statement (SQLite allows 500 SELECTs in a compound one).
_SPANS_PER_QUERY = 100


def _offset(zone: ZoneInfo, instant: int) -> int:
    offset = datetime.fromtimestamp(instant, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@lru_cache(maxsize=512)
def _offset_changes(zone: ZoneInfo, year: int) -> tuple[tuple[int, int], ...]:
    """Every change of the zone's UTC offset in ``(start of year, start of next year]``
    (UTC years): the instant it takes effect and the offset from then on.

    The offset is sampled every ``_OFFSET_STEP`` and each change bisected to the second:
    exact for any offset (whole hours or not, seconds of local mean time included), as
    long as no two changes fall within one step of each other (none in the tz database).
    """
    a = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    b = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    found: list[tuple[int, int]] = []
    t, off = a, _offset(zone, a)
    while t < b:
        u = min(t + _OFFSET_STEP, b)
        while _offset(zone, u) != off:
            low, high = t, u  # the offset is ``off`` at ``low`` and not at ``high``
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(zone, mid) == off:
                    low = mid
                else:
                    high = mid
            t, off = high, _offset(zone, high)
            found.append((t, off))
        t = u
    return tuple(found)


def _offset_runs(zone: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """``[lo, hi)`` cut where the zone's offset changes: ``(start, end, offset)`` each."""
    runs = []
    t, off = lo, _offset(zone, lo)
    first, last = (datetime.fromtimestamp(x, UTC).year for x in (lo, hi - 1))
    for year in range(first - 1, last + 1):
        for at, new in _offset_changes(zone, year):
            if lo < at < hi:
                runs.append((t, at, off))
                t, off = at, new
    runs.append((t, hi, off))
    return runs


def _bucket(day: date, basis: str) -> tuple[tuple[int, int], date]:
    """The week or month ``day`` is in (its key, as ``domain.occurrences`` makes it) and
    the first day of the next one."""
    if basis == "week":
        year, week, _weekday = day.isocalendar()
        return (year, week), day + timedelta(days=7 - day.weekday())
    if basis == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return (day.year, day.month), following
    raise ValueError(f"unknown basis: {basis}")


def calendar_spans(
    zone: ZoneInfo, lo: int, hi: int, basis: str
) -> list[tuple[int, int, tuple[int, int]]]:
    """``[lo, hi)`` cut into stretches that each lie in one calendar week or month on the
    clock of ``zone``: ``(start, end, key)``, in time order.

    Within a run of constant offset the local day of an instant is a plain division, so
    the cuts are exact to the second in any zone. Where the clock goes back across
    midnight a week or month can come back: its key then appears in two stretches.
    """
    spans: list[tuple[int, int, tuple[int, int]]] = []
    for a, b, off in _offset_runs(zone, lo, hi):
        t = a
        while t < b:
            key, following = _bucket(_EPOCH + timedelta(days=(t + off) // _DAY), basis)
            end = min(b, (following - _EPOCH).days * _DAY - off)
            if spans and spans[-1][2] == key and spans[-1][1] == t:
                spans[-1] = (spans[-1][0], end, key)
            else:
                spans.append((t, end, key))
            t = end
    return spans


def _calendar_occurrences(
    db: Db, task_id: int, lo: int, hi: int, *, basis: str, zone: ZoneInfo
) -> list[Occurrence]:
    """One occurrence per calendar week or month, each summed up by the database."""
    used = one(
        db,
        "SELECT MIN(start_utc) AS first, MAX(start_utc) AS last FROM entry"
        " WHERE task_id = :task AND start_utc >= :lo AND start_utc < :hi",
        {"task": task_id, "lo": lo, "hi": hi},
    )
    if used is None or used["first"] is None:
        return []
    spans = calendar_spans(zone, int(used["first"]), int(used["last"]) + 1, basis)
    merged: dict[tuple[int, int], list[int]] = {}  # key: [first, seconds, entries, atypical]
    for at in range(0, len(spans), _SPANS_PER_QUERY):
        chunk = spans[at : at + _SPANS_PER_QUERY]
        # The bounds are integers made here, written into the text: one statement, with
        # one aggregate per stretch, each read through the (task_id, start_utc) index.
        sql = " UNION ALL ".join(
            f"SELECT {i} AS span, COUNT(*) AS entries, MIN(start_utc) AS first,"
            " SUM(end_utc - start_utc) AS seconds,"
            " MAX(CASE WHEN atypical THEN 1 ELSE 0 END) AS atypical"
            f" FROM entry WHERE task_id = :task AND start_utc >= {int(a)}"
            f" AND start_utc < {int(b)} AND end_utc IS NOT NULL"
            for i, (a, b, _key) in enumerate(chunk)
        )
        for r in db.rows(sql, {"task": task_id}):
            if not r["entries"]:
                continue
            key = chunk[int(r["span"])][2]
            first, seconds = int(r["first"]), int(r["seconds"])
            entries, atypical = int(r["entries"]), int(r["atypical"])
            if key in merged:
                m = merged[key]
                m[0] = min(m[0], first)
                m[1] += seconds
                m[2] += entries
                m[3] = max(m[3], atypical)
            else:
                merged[key] = [first, seconds, entries, atypical]
    found = [
        Occurrence(
            key=key,
            start=first,
            day=local_date(first, zone),
            seconds=seconds,
            entries=entries,
            atypical=bool(atypical),
        )
        for key, (first, seconds, entries, atypical) in merged.items()
    ]
    found.sort(key=lambda o: (o.start, o.key))
    return found


# -- what a review needs of a phase, without listing it ------------------------------------


@dataclass(frozen=True)
class PhaseFigures:
    """The figures the review of a phase needs, read without listing its occurrences.

    ``count`` typical occurrences start in the phase, lasting ``seconds`` in all;
    ``left_out`` atypical ones; ``since`` typical ones start at or after the instant
    asked about (a re-baseline). ``recent``: the last typical ones, ``first_after``: the
    first typical ones on or after the day asked about, ``previous``: the last typical
    ones of the phase before; each in time order.
    """

    count: int
    seconds: int
    left_out: int
    since: int
    recent: list[Occurrence]
    first_after: list[Occurrence]
    previous: list[Occurrence]


def phase_figures(
    db: Db,
    task_id: int,
    *,
    lo: int,
    start: int,
    hi: int,
    basis: str,
    zone: ZoneInfo,
    since: int,
    recent: int,
    after: date | None,
    first: int,
    previous: int,
) -> PhaseFigures:
    """What the review needs of the phase starting at ``start``, as of ``hi`` (exclusive).

    ``lo`` is the start of the phase before (``start`` when there is none): as in
    :func:`task_occurrences` over ``[lo, hi)``, an occurrence belongs to the phase its
    first entry starts in, even when it was resumed after the next one began. ``since``
    (at or after ``start``): the instant ``PhaseFigures.since`` counts from. ``recent``,
    ``first`` (on or after the day ``after``; none when it is None) and ``previous``:
    how many occurrences to list of each kind.

    Nothing the size of the phases reaches Python. For a per-occurrence duty the
    database sums the entries of the two phases in one pass through the index on
    ``(task_id, start_utc)``, groups the entries that resumed an occurrence or are
    atypical (when there are any) and hands over a few rows; the lists are read newest
    or oldest first, with a limit. Calendar weeks and months are few: the database sums
    each up (:func:`task_occurrences`) and they are counted here.
    """
    if basis != "occurrence":
        everything = task_occurrences(db, task_id, lo, hi, basis=basis, zone=zone)
        return _figures_of(
            everything,
            start=start,
            since=since,
            recent=recent,
            after=after,
            first=first,
            previous=previous,
        )
    return _occurrence_figures(
        db,
        task_id,
        lo=lo,
        start=start,
        hi=hi,
        zone=zone,
        since=since,
        recent=recent,
        after=after,
        first=first,
        previous=previous,
    )


def _figures_of(
    everything: list[Occurrence],
    *,
    start: int,
    since: int,
    recent: int,
    after: date | None,
    first: int,
    previous: int,
) -> PhaseFigures:
    """:class:`PhaseFigures` counted from a list of the occurrences in time order."""
    mine = [o for o in everything if o.start >= start]
    typical = [o for o in mine if not o.atypical]
    before = [o for o in everything if o.start < start and not o.atypical]
    return PhaseFigures(
        count=len(typical),
        seconds=sum(o.seconds for o in typical),
        left_out=len(mine) - len(typical),
        since=sum(1 for o in typical if o.start >= since),
        recent=typical[-recent:] if recent else [],
        first_after=[] if after is None else [o for o in typical if o.day >= after][:first],
        previous=before[-previous:] if previous else [],
    )


#: Finished entries of the task starting in [lo, hi).
_FINISHED = "task_id = :task AND start_utc >= :lo AND start_utc < :hi AND end_utc IS NOT NULL"
#: Entries that resumed an occurrence, or are atypical: the only ones grouped.
_SPECIAL = "(occurrence_id IS NOT NULL OR atypical)"

#: The occurrences that are more than one plain entry: the entries that resumed one or
#: are atypical, grouped as ``task_occurrences`` groups them, each with the plain entry
#: that began it (``head``, found by its id) added in. ``taken_*``: what its entries
#: add to the first pass's sums (by each entry's own start).
_GROUPS = """
WITH s AS (
  SELECT COALESCE(occurrence_id, id) AS occ, MIN(start_utc) AS first,
         SUM(end_utc - start_utc) AS seconds, COUNT(*) AS entries,
         MAX(CASE WHEN atypical THEN 1 ELSE 0 END) AS atypical,
         MAX(CASE WHEN occurrence_id IS NULL THEN 1 ELSE 0 END) AS has_head,
         SUM(CASE WHEN start_utc >= :start THEN 1 ELSE 0 END) AS taken_n,
         SUM(CASE WHEN start_utc >= :start THEN end_utc - start_utc ELSE 0 END) AS taken_s,
         SUM(CASE WHEN start_utc >= :since THEN 1 ELSE 0 END) AS taken_since
  FROM entry
  WHERE task_id = :task AND start_utc >= :special AND start_utc < :hi
    AND end_utc IS NOT NULL AND (occurrence_id IS NOT NULL OR atypical)
  GROUP BY COALESCE(occurrence_id, id)
), g AS (
  SELECT s.occ AS occ, h.id AS head, s.atypical AS atypical,
         CASE WHEN h.start_utc < s.first THEN h.start_utc ELSE s.first END AS first,
         s.seconds + COALESCE(h.end_utc - h.start_utc, 0) AS seconds,
         s.entries + CASE WHEN h.id IS NULL THEN 0 ELSE 1 END AS entries,
         s.taken_n + CASE WHEN h.start_utc >= :start THEN 1 ELSE 0 END AS taken_n,
         s.taken_s + CASE WHEN h.start_utc >= :start THEN h.end_utc - h.start_utc ELSE 0 END
           AS taken_s,
         s.taken_since + CASE WHEN h.start_utc >= :since THEN 1 ELSE 0 END AS taken_since
  FROM s LEFT JOIN entry h
    ON h.id = s.occ AND s.has_head = 0 AND h.task_id = :task AND h.occurrence_id IS NULL
   AND h.start_utc >= :lo AND h.start_utc < :hi AND h.end_utc IS NOT NULL
)
"""
#: Their sums: what the entries take from the first pass's, and what they add back as
#: occurrences of the phase (typical ones, those from ``since``, atypical ones).
_GROUP_SUMS = """
SELECT 'sums' AS part, SUM(taken_n) AS a, SUM(taken_s) AS b, SUM(taken_since) AS c,
       SUM(CASE WHEN atypical = 0 AND first >= :start THEN 1 ELSE 0 END) AS d,
       SUM(CASE WHEN atypical = 0 AND first >= :start THEN seconds ELSE 0 END) AS e,
       SUM(CASE WHEN atypical = 0 AND first >= :since THEN 1 ELSE 0 END) AS f,
       SUM(CASE WHEN atypical = 1 AND first >= :start THEN 1 ELSE 0 END) AS l
FROM g
"""


def _group_list(part: str, lo: str, hi: str, order: str, limit: str) -> str:
    """Typical groups starting in ``[lo, hi)``, the first ``limit`` in ``order``."""
    return (
        f"SELECT * FROM (SELECT '{part}' AS part, occ AS a, first AS b, seconds AS c,"
        " entries AS d, 0 AS e, 0 AS f, 0 AS l FROM g"
        f" WHERE atypical = 0 AND first >= {lo} AND first < {hi}"
        f" ORDER BY first {order}, occ {order} LIMIT {limit}) AS {part}_g"
    )


def _single_list(part: str, lo: str, hi: str, order: str, limit: str, groups: bool) -> str:
    """Occurrences of one plain entry starting in ``[lo, hi)``, the first ``limit`` in
    ``order``: typical, resuming none, and (with ``groups``) beginning no group."""
    not_head = " AND id NOT IN (SELECT head FROM g WHERE head IS NOT NULL)" if groups else ""
    return (
        f"SELECT * FROM (SELECT '{part}' AS part, id AS a, start_utc AS b,"
        " end_utc - start_utc AS c, 1 AS d, 0 AS e, 0 AS f, 0 AS l FROM entry"
        f" WHERE task_id = :task AND start_utc >= {lo} AND start_utc < {hi}"
        " AND end_utc IS NOT NULL AND occurrence_id IS NULL AND NOT atypical"
        f"{not_head} ORDER BY start_utc {order}, id {order} LIMIT {limit}) AS {part}_s"
    )


def _first_instant(day: date, zone: ZoneInfo) -> int:
    """The first instant whose day on the clock of ``zone`` is ``day`` or later: local
    midnight, or where the clock jumps past it."""
    guess = int(datetime.combine(day, time(0), tzinfo=zone).timestamp())
    if local_date(guess - 1, zone) < day <= local_date(guess, zone):
        return guess
    low, high = guess - 2 * _DAY, guess + 2 * _DAY  # a day before, a day after
    while high - low > 1:
        mid = (low + high) // 2
        if local_date(mid, zone) >= day:
            high = mid
        else:
            low = mid
    return high


def _occurrence_figures(
    db: Db,
    task_id: int,
    *,
    lo: int,
    start: int,
    hi: int,
    zone: ZoneInfo,
    since: int,
    recent: int,
    after: date | None,
    first: int,
    previous: int,
) -> PhaseFigures:
    """:class:`PhaseFigures` of a per-occurrence duty, in two statements.

    Most occurrences are one plain entry: typical, resumed by no later one. The first
    statement sums every finished entry of the phase (by its own start), in one pass
    through the index. The second, only when that pass met entries that resumed an
    occurrence or are atypical, groups those by ``COALESCE(occurrence_id, id)`` as
    :func:`task_occurrences` does, with the plain entry each group began; taking the
    groups' entries out of the sums leaves the plain single entries, each an occurrence
    of its own, and adding the groups back as occurrences gives the phase's figures. The
    same statement lists, with a limit, the newest and the oldest of both kinds. Only
    those few rows reach Python.
    """
    params: dict[str, object] = {
        "task": task_id,
        "lo": lo,
        "hi": hi,
        "start": start,
        "since": since,
        "recent": recent,
        "previous": previous if lo < start else 0,
        "first": first if after is not None else 0,
        "after": max(start, _first_instant(after, zone)) if after is not None else hi,
    }
    sums = one(
        db,
        "SELECT SUM(CASE WHEN start_utc >= :start THEN 1 ELSE 0 END) AS n,"
        " SUM(CASE WHEN start_utc >= :start THEN end_utc - start_utc ELSE 0 END) AS seconds,"
        " SUM(CASE WHEN start_utc >= :since THEN 1 ELSE 0 END) AS since,"
        f" MIN(CASE WHEN {_SPECIAL} THEN start_utc END) AS special"
        f" FROM entry WHERE {_FINISHED}",
        params,
    )
    assert sums is not None
    count = int(sums["n"] or 0)
    seconds = int(sums["seconds"] or 0)
    counted_since = int(sums["since"] or 0)
    left_out = 0
    groups = sums["special"] is not None
    lists = [
        ("recent", ":start", ":hi", "DESC", ":recent"),
        ("previous", ":lo", ":start", "DESC", ":previous"),
        ("after", ":after", ":hi", "ASC", ":first"),
    ]
    parts = [_single_list(*spec, groups) for spec in lists]
    if groups:
        params["special"] = int(sums["special"])
        parts = [_GROUP_SUMS, *(_group_list(*spec) for spec in lists), *parts]
    found: dict[str, list[Occurrence]] = {"recent": [], "previous": [], "after": []}
    sql = (_GROUPS if groups else "") + " UNION ALL ".join(parts)
    for r in db.rows(sql, params):
        if r["part"] == "sums":
            # the groups' entries out, the groups in
            count += int(r["d"] or 0) - int(r["a"] or 0)
            seconds += int(r["e"] or 0) - int(r["b"] or 0)
            counted_since += int(r["f"] or 0) - int(r["c"] or 0)
            left_out = int(r["l"] or 0)
            continue
        begun = int(r["b"])
        found[r["part"]].append(
            Occurrence(
                key=(int(r["a"]),),
                start=begun,
                day=local_date(begun, zone),
                seconds=int(r["c"]),
                entries=int(r["d"]),
                atypical=False,
            )
        )

    def in_order(kind: str) -> list[Occurrence]:
        return sorted(found[kind], key=lambda o: (o.start, o.key))

    return PhaseFigures(
        count=count,
        seconds=seconds,
        left_out=left_out,
        since=counted_since,
        recent=in_order("recent")[-recent:] if recent else [],
        first_after=in_order("after")[:first] if after is not None else [],
        previous=in_order("previous")[-previous:] if previous else [],
    )


def _when(db: Db, task_id: int, at: int | None, now: int, zone: str) -> int:
    """The instant an event takes effect: now, or a date no earlier than the task itself."""
    if at is None:
        return now
    if at > now:
        raise InputError(
            _("That date is in the future."),
            hint=_("Date it today or earlier, e.g. --at yesterday"),
        )
    # Events are dated from the task's creation on (its first phase may reach further
    # back, to work recorded before the task was set up).
    begun = int(task_row(db, task_id)["created_utc"])
    if at < begun:
        raise InputError(
            _("The task did not exist yet on that date."),
            hint=_("Date it on or after {day}, e.g. --at {day}").format(
                day=local_date(begun, ZoneInfo(zone)).isoformat()
            ),
        )
    return at


def _sync_task(db: Db, writer: Writer, task_id: int, now: int, changes: dict[str, object]) -> None:
    """Bring the task row in line with its current phase, plus ``changes``."""
    current = task_phases(db, task_id, until=FOREVER)[-1]
    task = task_row(db, task_id)
    update: dict[str, object] = {
        "estimate_seconds": current.estimate_seconds,
        "estimate_basis": current.estimate_basis or task["estimate_basis"],
        **changes,
    }
    writer.update("task", task_id, update)


def _event(writer: Writer, task_id: int, at: int, kind: str, **values: object) -> int:
    return writer.insert(
        "task_event",
        {
            "task_id": task_id,
            "kind": kind,
            "at_utc": at,
            "person": writer.person,
            "text": values.get("text"),
            "major": values.get("major"),
            "estimate_seconds": values.get("estimate_seconds"),
            "estimate_basis": values.get("estimate_basis"),
            "rate_cents": values.get("rate_cents"),
            "decision": values.get("decision"),
            "verdict": values.get("verdict"),
            "created_utc": writer.now,
        },
    )


def record_estimate(writer: Writer, task_id: int, seconds: int, basis: str | None, at: int) -> None:
    """An ``estimate`` event (used by ``task add`` and ``task edit`` too)."""
    _event(writer, task_id, at, "estimate", estimate_seconds=seconds, estimate_basis=basis)


def estimate(
    store: Store,
    task: str,
    *,
    seconds: int,
    basis: str | None,
    at: int | None,
    person: str,
    now: int,
    zone: str,
) -> tuple[TaskName, str]:
    """Record or revise the client's estimate for the task's current phase; return the
    task and the basis the estimate is for."""
    with store.write() as db:
        target = resolve_task(task, records.task_names(db))
        when = _when(db, target.id, at, now, zone)
        writer = Writer(db, person=person, command="estimate", now=now)
        record_estimate(writer, target.id, seconds, basis, when)
        _sync_task(db, writer, target.id, now, {})
        return target, str(task_row(db, target.id)["estimate_basis"])


def change(
    store: Store,
    task: str,
    *,
    text: str,
    minor: bool,
    estimate_seconds: int | None,
    rate_cents: int | None,
    at: int | None,
    person: str,
    now: int,
    zone: str,
) -> tuple[TaskName, Phase]:
    """Record a change to the duty; a major one opens a new phase with a new trial."""
    if not text.strip():
        raise InputError(
            _("Say what changed."),
            hint=_('For example: mansioni change rossi/newsletter "now also schedules the posts"'),
        )
    check_note(
        text,
        field=_("The description of the change"),
        example='mansioni change rossi/newsletter "now also schedules the posts"',
    )
    with store.write() as db:
        target = resolve_task(task, records.task_names(db))
        when = _when(db, target.id, at, now, zone)
        writer = Writer(db, person=person, command="change", now=now)
        basis = task_row(db, target.id)["estimate_basis"] if estimate_seconds else None
        _event(
            writer,
            target.id,
            when,
            "change",
            text=text.strip(),
            major=not minor,
            estimate_seconds=estimate_seconds,
            estimate_basis=basis,
            rate_cents=rate_cents,
        )
        changes: dict[str, object] = {}
        if rate_cents is not None:
            changes["rate_cents"] = rate_cents
        if not minor and task_row(db, target.id)["state"] in ("active", "trial"):
            changes["state"] = "trial"
        _sync_task(db, writer, target.id, now, changes)
        return target, task_phases(db, target.id)[-1]


def record_decision(
    db: Db,
    target: TaskName,
    *,
    decision: str,
    verdict: str,
    note: str | None,
    rate_cents: int | None,
    estimate_seconds: int | None,
    person: str,
    now: int,
) -> None:
    """Write a decision taken on ``verdict``; the review service checks there is one."""
    check_note(
        note,
        field=_("The decision's note"),
        example="mansioni decide rossi/newsletter keep --note 'client keeps delegating at 30/h'",
    )
    writer = Writer(db, person=person, command="decide", now=now)
    basis = task_row(db, target.id)["estimate_basis"] if estimate_seconds else None
    _event(
        writer,
        target.id,
        now,
        "decision",
        text=note,
        decision=decision,
        verdict=verdict,
        rate_cents=rate_cents,
        estimate_seconds=estimate_seconds,
        estimate_basis=basis,
    )
    changes: dict[str, object] = {"state": "handed_back" if decision == "hand_back" else "active"}
    if rate_cents is not None:
        changes["rate_cents"] = rate_cents
    _sync_task(db, writer, target.id, now, changes)


@dataclass(frozen=True)
class PhaseStory:
    phase: Phase
    occurrences: list[Occurrence]

    @property
    def typical(self) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.atypical]

    @property
    def seconds(self) -> int:
        return sum(o.seconds for o in self.occurrences)


@dataclass(frozen=True)
class History:
    task: TaskName
    created: int
    basis: str
    currency: str  # the client's, for the rates in the events
    phases: list[PhaseStory]


def history(store: Store, task: str, *, zone: str) -> History:
    """The whole story of a task: its phases, their events, occurrences and time."""
    tz = ZoneInfo(zone)
    with store.read() as db:
        target = resolve_task(task, records.task_names(db, include_archived=True))
        row = task_row(db, target.id)
        client = one(db, "SELECT currency FROM client WHERE id = :id", {"id": row["client_id"]})
        assert client is not None
        stories = [
            PhaseStory(
                phase,
                task_occurrences(
                    db,
                    target.id,
                    phase.start,
                    FOREVER if phase.end is None else phase.end,
                    basis=phase.estimate_basis or row["estimate_basis"],
                    zone=tz,
                ),
            )
            for phase in task_phases(db, target.id)
        ]
    return History(
        target, int(row["created_utc"]), row["estimate_basis"], client["currency"], stories
    )
