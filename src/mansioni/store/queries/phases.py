"""What the review needs of a phase, summed by the database without listing it.

A phase can last years: the review reads its counts and sums, and only the few
occurrences it shows or judges one by one (the latest, the first after a day, the
last of the phase before). Occurrences are grouped as ``store.queries.occurrences``
groups them; tests hold the figures equal to those of the full list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import day_start, local_date
from mansioni.domain.occurrences import Occurrence
from mansioni.store.db import one
from mansioni.store.queries.occurrences import OCCURRENCE, task_occurrences

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.db import Db


@dataclass(frozen=True)
class PhaseFigures:
    """The figures the review of a phase needs, read without listing its occurrences.

    ``count`` typical occurrences start in the phase, lasting ``seconds`` in all;
    ``left_out`` atypical ones; ``since`` typical ones start at or after the instant
    asked about (the start of a comparison window), lasting ``since_seconds``. ``recent``: the last typical ones, ``first_after``: the
    first typical ones on or after the day asked about, ``previous``: the last typical
    ones of the phase before; each in time order.
    """

    count: int
    seconds: int
    left_out: int
    since: int
    since_seconds: int
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
    upto: int | None = None,
) -> PhaseFigures:
    """What the review needs of the phase (or comparison window) starting at ``start``
    and ending at ``hi`` (exclusive), with the entries recorded up to ``upto`` (default
    ``hi``: the day asked about).

    ``lo`` is the start of the phase before (``start`` when there is none): as in
    :func:`task_occurrences` over ``[lo, upto)``, an occurrence belongs, whole, to the
    phase or window its first entry starts in, even when it was resumed after the next
    one began (its later entries, up to ``upto``, count with it). ``since``
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
    upto = hi if upto is None else upto
    if basis != "occurrence":
        everything = task_occurrences(db, task_id, lo, upto, basis=basis, zone=zone)
        return _figures_of(
            everything,
            start=start,
            hi=hi,
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
        upto=upto,
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
    hi: int,
    since: int,
    recent: int,
    after: date | None,
    first: int,
    previous: int,
) -> PhaseFigures:
    """:class:`PhaseFigures` counted from a list of the occurrences in time order."""
    mine = [o for o in everything if start <= o.start < hi]
    typical = [o for o in mine if not o.atypical]
    before = [o for o in everything if o.start < start and not o.atypical]
    return PhaseFigures(
        count=len(typical),
        seconds=sum(o.seconds for o in typical),
        left_out=len(mine) - len(typical),
        since=sum(1 for o in typical if o.start >= since),
        since_seconds=sum(o.seconds for o in typical if o.start >= since),
        recent=typical[-recent:] if recent else [],
        first_after=[] if after is None else [o for o in typical if o.day >= after][:first],
        previous=before[-previous:] if previous else [],
    )


#: Finished entries of the task starting in [lo, upto).
_FINISHED = "task_id = :task AND start_utc >= :lo AND start_utc < :upto AND end_utc IS NOT NULL"
#: Entries that resumed an occurrence, or are atypical: the only ones grouped.
_SPECIAL = "(occurrence_id IS NOT NULL OR atypical)"

#: The occurrences that are more than one plain entry: the entries that resumed one or
#: are atypical, grouped as ``task_occurrences`` groups them, each with the plain entry
#: that began it (``head``, found by its id) added in. ``taken_*``: what its entries
#: add to the first pass's sums (by each entry's own start).
_GROUPS = f"""
WITH s AS (
  SELECT {OCCURRENCE} AS occ, MIN(start_utc) AS first,
         SUM(end_utc - start_utc) AS seconds, COUNT(*) AS entries,
         MAX(CASE WHEN atypical THEN 1 ELSE 0 END) AS atypical,
         MAX(CASE WHEN occurrence_id IS NULL THEN 1 ELSE 0 END) AS has_head,
         SUM(CASE WHEN start_utc >= :start AND start_utc < :hi THEN 1 ELSE 0 END) AS taken_n,
         SUM(CASE WHEN start_utc >= :start AND start_utc < :hi
             THEN end_utc - start_utc ELSE 0 END) AS taken_s,
         SUM(CASE WHEN start_utc >= :since AND start_utc < :hi THEN 1 ELSE 0 END)
           AS taken_since,
         SUM(CASE WHEN start_utc >= :since AND start_utc < :hi
             THEN end_utc - start_utc ELSE 0 END) AS taken_since_s
  FROM entry
  WHERE task_id = :task AND start_utc >= :special AND start_utc < :upto
    AND end_utc IS NOT NULL AND (occurrence_id IS NOT NULL OR atypical)
  GROUP BY {OCCURRENCE}
), g AS (
  SELECT s.occ AS occ, h.id AS head, s.atypical AS atypical,
         CASE WHEN h.start_utc < s.first THEN h.start_utc ELSE s.first END AS first,
         s.seconds + COALESCE(h.end_utc - h.start_utc, 0) AS seconds,
         s.entries + CASE WHEN h.id IS NULL THEN 0 ELSE 1 END AS entries,
         s.taken_n + CASE WHEN h.start_utc >= :start THEN 1 ELSE 0 END AS taken_n,
         s.taken_s + CASE WHEN h.start_utc >= :start THEN h.end_utc - h.start_utc ELSE 0 END
           AS taken_s,
         s.taken_since + CASE WHEN h.start_utc >= :since THEN 1 ELSE 0 END AS taken_since,
         s.taken_since_s
           + CASE WHEN h.start_utc >= :since THEN h.end_utc - h.start_utc ELSE 0 END
           AS taken_since_s
  FROM s LEFT JOIN entry h
    ON h.id = s.occ AND s.has_head = 0 AND h.task_id = :task AND h.occurrence_id IS NULL
   AND h.start_utc >= :lo AND h.start_utc < :hi AND h.end_utc IS NOT NULL
)
"""
#: Their sums: what the entries take from the first pass's, and what they add back as
#: occurrences of the phase (typical ones, those from ``since``, atypical ones).
_GROUP_SUMS = """
SELECT SUM(taken_n) AS taken_n, SUM(taken_s) AS taken_seconds,
       SUM(taken_since) AS taken_since, SUM(taken_since_s) AS taken_since_s,
       SUM(CASE WHEN atypical = 0 AND first >= :start AND first < :hi THEN 1 ELSE 0 END)
         AS typical,
       SUM(CASE WHEN atypical = 0 AND first >= :start AND first < :hi THEN seconds ELSE 0 END)
         AS typical_seconds,
       SUM(CASE WHEN atypical = 0 AND first >= :since AND first < :hi THEN 1 ELSE 0 END)
         AS typical_since,
       SUM(CASE WHEN atypical = 0 AND first >= :since AND first < :hi THEN seconds ELSE 0 END)
         AS typical_since_s,
       SUM(CASE WHEN atypical = 1 AND first >= :start AND first < :hi THEN 1 ELSE 0 END)
         AS atypical
FROM g
"""


def _group_list(part: str, lo: str, hi: str, order: str, limit: str) -> str:
    """Typical groups starting in ``[lo, hi)``, the first ``limit`` in ``order``."""
    return (
        f"SELECT * FROM (SELECT '{part}' AS part, occ AS occ, first AS first,"
        " seconds AS seconds, entries AS entries FROM g"
        f" WHERE atypical = 0 AND first >= {lo} AND first < {hi}"
        f" ORDER BY first {order}, occ {order} LIMIT {limit}) AS {part}_g"
    )


def _single_list(part: str, lo: str, hi: str, order: str, limit: str, groups: bool) -> str:
    """Occurrences of one plain entry starting in ``[lo, hi)``, the first ``limit`` in
    ``order``: typical, resuming none, and (with ``groups``) beginning no group."""
    not_head = " AND id NOT IN (SELECT head FROM g WHERE head IS NOT NULL)" if groups else ""
    return (
        f"SELECT * FROM (SELECT '{part}' AS part, id AS occ, start_utc AS first,"
        " end_utc - start_utc AS seconds, 1 AS entries FROM entry"
        f" WHERE task_id = :task AND start_utc >= {lo} AND start_utc < {hi}"
        " AND end_utc IS NOT NULL AND occurrence_id IS NULL AND NOT atypical"
        f"{not_head} ORDER BY start_utc {order}, id {order} LIMIT {limit}) AS {part}_s"
    )


def _sums(conditions: list[str]) -> tuple[str, str]:
    """How many entries, and their seconds, meet ``conditions`` (all of them: none)."""
    if not conditions:
        return "COUNT(*)", "SUM(end_utc - start_utc)"
    test = " AND ".join(conditions)
    return (
        f"SUM(CASE WHEN {test} THEN 1 ELSE 0 END)",
        f"SUM(CASE WHEN {test} THEN end_utc - start_utc ELSE 0 END)",
    )


def _occurrence_figures(
    db: Db,
    task_id: int,
    *,
    lo: int,
    start: int,
    hi: int,
    upto: int,
    zone: ZoneInfo,
    since: int,
    recent: int,
    after: date | None,
    first: int,
    previous: int,
) -> PhaseFigures:
    """:class:`PhaseFigures` of a per-occurrence duty, in two to three statements.

    Most occurrences are one plain entry: typical, resumed by no later one. The first
    statement sums every finished entry of the phase (by its own start), in one pass
    through the index. Only when that pass met entries that resumed an occurrence or
    are atypical, a second groups those by :data:`OCCURRENCE` as
    :func:`task_occurrences` does, with the plain entry each group began, and sums the
    groups up; taking the groups' entries out of the first sums leaves the plain single
    entries, each an occurrence of its own, and adding the groups back as occurrences
    gives the phase's figures. The last statement lists, with a limit, the newest and
    the oldest occurrences of both kinds. Only those few rows reach Python.
    """
    params: dict[str, object] = {
        "task": task_id,
        "lo": lo,
        "hi": hi,
        "upto": upto,
        "start": start,
        "since": since,
        "recent": recent,
        "previous": previous if lo < start else 0,
        "first": first if after is not None else 0,
        "after": max(start, day_start(after, zone)) if after is not None else hi,
    }
    # Where the phase is the whole range (no phase before it), ends where the entries
    # read end, and counts from its start (no re-baseline), the sums need no condition
    # on each entry. Entries after ``hi`` are read only for the occurrences they resume.
    cut = [] if upto == hi else ["start_utc < :hi"]
    in_phase = ([] if lo == start else ["start_utc >= :start"]) + cut
    n, duration = _sums(in_phase)
    counted, counted_s = (n, duration) if since == start else _sums(["start_utc >= :since", *cut])
    sums = one(
        db,
        f"SELECT {n} AS n, {duration} AS seconds, {counted} AS since,"
        f" {counted_s} AS since_s,"
        f" MIN(CASE WHEN {_SPECIAL} THEN start_utc END) AS special"
        f" FROM entry WHERE {_FINISHED}",
        params,
    )
    assert sums is not None
    count = int(sums["n"] or 0)
    seconds = int(sums["seconds"] or 0)
    counted_since = int(sums["since"] or 0)
    since_seconds = int(sums["since_s"] or 0)
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
        group_sums = one(db, _GROUPS + _GROUP_SUMS, params)
        assert group_sums is not None
        # the groups' entries out, the groups in
        count += int(group_sums["typical"] or 0) - int(group_sums["taken_n"] or 0)
        seconds += int(group_sums["typical_seconds"] or 0) - int(group_sums["taken_seconds"] or 0)
        counted_since += int(group_sums["typical_since"] or 0) - int(group_sums["taken_since"] or 0)
        since_seconds += int(group_sums["typical_since_s"] or 0) - int(
            group_sums["taken_since_s"] or 0
        )
        left_out = int(group_sums["atypical"] or 0)
        parts = [*(_group_list(*spec) for spec in lists), *parts]
    found: dict[str, list[Occurrence]] = {"recent": [], "previous": [], "after": []}
    sql = (_GROUPS if groups else "") + " UNION ALL ".join(parts)
    for r in db.rows(sql, params):
        begun = int(r["first"])
        found[r["part"]].append(
            Occurrence(
                key=(int(r["occ"]),),
                start=begun,
                day=local_date(begun, zone),
                seconds=int(r["seconds"]),
                entries=int(r["entries"]),
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
        since_seconds=since_seconds,
        recent=in_order("recent")[-recent:] if recent else [],
        first_after=in_order("after")[:first] if after is not None else [],
        previous=in_order("previous")[-previous:] if previous else [],
    )
