"""The day and the week work counts on: one rule for every view by day.

**Work counts, whole, on the day it begins, on the user's clock** (the zone her periods
are read in, ``domain.calendar``). An entry from Friday 17:00 to Sunday 14:37 is
Friday's, all 45:37 of it; Saturday and Sunday get none of it. ``mansioni log`` sums
its day and week totals this way (:func:`by_day`, :func:`by_week`), and
``mansioni report --by day`` puts each piece of work in the row of the day it begins
(``domain.period_sums.RowCuts``: a piece's start picks its row), so the two show the
same figure for a day; the day bars draw the report's figures. (Two differences are
not of the rule but of what is counted: the report holds everyone's entries, ``log``
the user's own; and the report bills an occurrence resumed on a later day as one piece,
on the day it began, where ``log`` lists each entry on its own day.)

Why an entry is not split at midnight:

- a period takes an entry whole when the entry *starts* in it (``log``, ``report``,
  ``review``): an invoice for November bills the night of 30 November whole, never
  half of it in December; day totals that split at midnight would no longer add up to
  the period's total (the last day would lose its night, the first day would lack the
  night before, which belongs to the previous period);
- ``report --by day`` is a billing table: a piece of work is rounded up and given its
  minimum once (``domain.billing``), so it cannot be shared between two rows without
  inventing how its rounding divides;
- the total of a day is then the sum of the durations listed under it, which is what
  a person checks by eye.

One view counts otherwise, on purpose: ``status``'s "Today" is the time worked since
midnight (``store.records.client_totals`` clips at it), as a clock on the wall would
say, so a timer running since last night counts only its part of today there.

An entry across midnight is never hidden by this: ``log`` (and every view that names an
entry: ``edit``, ``delete``, ``undo``) writes its end with its day
(``17:00 → Sun 6 Dec 14:37``), so a forgotten timer reads as what it is.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import local_date, unit_start

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import TypeVar

    T = TypeVar("T")


def day_of(start: int, zone: ZoneInfo) -> date:
    """The day work that begins at the instant ``start`` counts on, on the clock of ``zone``."""
    return local_date(start, zone)


def by_day(
    items: Sequence[T], start: Callable[[T], int], zone: ZoneInfo
) -> list[tuple[date, list[T]]]:
    """``items`` grouped by the day each counts on (``start`` gives its first instant):
    the days in order, each with its items in the order given."""
    found: dict[date, list[T]] = {}
    for item in items:
        found.setdefault(day_of(start(item), zone), []).append(item)
    return sorted(found.items(), key=lambda pair: pair[0])


def by_week(days: Iterable[date], *, week_start: int = 0) -> list[tuple[date, list[date]]]:
    """``days`` grouped by calendar week (from its ``week_start``: 0 is Monday, as
    ``date.weekday()``): each week's first day, with its days in order."""
    found: dict[date, list[date]] = {}
    for day in sorted(set(days)):
        found.setdefault(unit_start(day, "week", week_start=week_start), []).append(day)
    return sorted(found.items(), key=lambda pair: pair[0])


def ends_on_another_day(start: int, end: int, zone: ZoneInfo) -> bool:
    """True when something from ``start`` to ``end`` (excluded) runs past midnight on the
    clock of ``zone``: its last second is on a later day than its first. One that ends
    exactly at midnight ends as its day does and did not run into the next day's work
    (``23:00-00:00`` in every view; not a forgotten timer); one that ends a second
    later did."""
    return end - 1 > start and local_date(end - 1, zone) != local_date(start, zone)
