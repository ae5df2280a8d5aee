"""What a periodic report says: its rows, its tasks' figures, totals, events, timers.

Built by ``services.report.period_report`` (figures summed by
``domain.period_sums``) and shown by every renderer in ``mansioni.report``: the
table, Markdown, CSV, JSON and HTML all read these objects, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mansioni.domain.billing import ClientTerms
from mansioni.domain.names import TaskName
from mansioni.domain.verdict import Verdict

#: The ways a report's rows can be grouped.
BY = ("task", "day", "week", "who")


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
