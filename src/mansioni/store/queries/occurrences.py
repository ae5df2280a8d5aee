"""A task's occurrences, summed by the database.

What an occurrence is (``mansioni.domain.occurrences``): an entry and the entries that
resume it, or a calendar week or month of the task's time (``domain.calendar``).
:data:`OCCURRENCE` is the same grouping in SQL, the only place it is written; tests
hold every query here equal to the domain's ``occurrences()`` over the same entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import calendar_spans, local_date
from mansioni.domain.entries import Entry
from mansioni.domain.occurrences import Occurrence
from mansioni.store import records
from mansioni.store.db import one

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.db import Db

#: The occurrence an entry belongs to: ``Entry.occurrence`` in SQL.
OCCURRENCE = "COALESCE(occurrence_id, id)"
#: Stretches of time per statement (SQLite allows 500 SELECTs in a compound one).
_SPANS_PER_QUERY = 100


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
        f"SELECT {OCCURRENCE} AS occ, MIN(start_utc) AS first,"
        " SUM(end_utc - start_utc) AS seconds, COUNT(*) AS entries,"
        " MAX(CASE WHEN atypical THEN 1 ELSE 0 END) AS atypical"
        " FROM entry WHERE task_id = :task AND start_utc >= :lo AND start_utc < :hi"
        f" AND end_utc IS NOT NULL GROUP BY {OCCURRENCE}",
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
    merged: dict[tuple[int, ...], list[int]] = {}  # key: [first, seconds, entries, atypical]
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


@dataclass(frozen=True)
class OccurrenceTotals:
    """How many occurrences, how many of them atypical, and their seconds in all."""

    occurrences: int
    atypical: int
    seconds: int


def occurrence_totals(
    db: Db, task_id: int, lo: int, hi: int, *, basis: str, zone: ZoneInfo
) -> OccurrenceTotals:
    """What :func:`task_occurrences` over ``[lo, hi)`` adds up to, without listing them:
    for a duty done per occurrence, counted by the database (an occurrence is atypical
    when any of its entries is)."""
    if basis != "occurrence":  # a few weeks or months, summed by the database already
        found = task_occurrences(db, task_id, lo, hi, basis=basis, zone=zone)
        return OccurrenceTotals(
            occurrences=len(found),
            atypical=sum(1 for o in found if o.atypical),
            seconds=int(sum(o.seconds for o in found)),
        )
    row = one(
        db,
        f"SELECT COUNT(DISTINCT {OCCURRENCE}) AS n,"
        f" COUNT(DISTINCT CASE WHEN atypical THEN {OCCURRENCE} END) AS odd,"
        " CAST(SUM(end_utc - start_utc) AS BIGINT) AS seconds FROM entry"
        " WHERE task_id = :task AND start_utc >= :lo AND start_utc < :hi"
        " AND end_utc IS NOT NULL",
        {"task": task_id, "lo": lo, "hi": hi},
    )
    assert row is not None  # an aggregate always gives one row
    return OccurrenceTotals(
        occurrences=int(row["n"] or 0),
        atypical=int(row["odd"] or 0),
        seconds=int(row["seconds"] or 0),
    )
