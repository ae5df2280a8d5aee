"""Time cut into intervals at given instants: the rows of a report, a task's rates,
its estimates. Which interval an instant is in is found here (and, for many rows at
once, by the database: ``store.queries.periods.interval_sql``, held equal by a test)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Cuts:
    """Instants that cut time into intervals: interval ``i`` runs from ``cuts[i - 1]``
    (inclusive) to ``cuts[i]``; interval 0 is everything before the first cut."""

    cuts: tuple[int, ...] = ()

    def index(self, instant: int) -> int:
        return bisect_right(self.cuts, instant)
