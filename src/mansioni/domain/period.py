"""What a periodic report says: its rows, its tasks' figures, totals, events, timers.

Built by ``services.report.period_report`` (figures summed by
``domain.period_sums``) and shown by every renderer in ``mansioni.report``: the
table, Markdown, CSV, JSON and HTML all read these objects, so they never disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from mansioni.domain.billing import ClientTerms, to_invoice
from mansioni.domain.names import TaskName
from mansioni.domain.verdict import Verdict

#: The ways a report's rows can be grouped.
BY = ("task", "day", "week", "who")


@dataclass(frozen=True)
class Figures:
    """Time and money of some work: a row, a task, a currency's total, a client's
    subtotal, or a part of one (what was invoiced, what is left to invoice).

    ``amount_cents`` is the priced part's amount (``None`` when nothing in it is
    priced); ``unpriced_seconds`` the billed time with no rate at all. Figures are
    summed by ``+`` alone (an amount is the sum of the amounts there are; none when none
    is priced), and split by ``-``.
    """

    seconds: int = 0  # raw time, as recorded
    billed_seconds: int = 0  # after the increment and the minimum, piece by piece
    pieces: int = 0
    entries: int = 0
    amount_cents: int | None = None
    unpriced_seconds: int = 0

    @property
    def figures(self) -> Figures:
        """These figures alone (of a row, a task or a total: without what names it)."""
        return Figures(**self.parts())

    def parts(self) -> dict[str, int | None]:
        """The figures by name, to make another object of them."""
        return {name: getattr(self, name) for name in _FIGURES}

    def __sub__(self, other: Figures) -> Figures:
        """What is left of these figures once ``other`` (a part of them) is taken out;
        money by ``domain.billing.to_invoice``, so the parts add up to the whole."""
        return Figures(
            seconds=self.seconds - other.seconds,
            billed_seconds=self.billed_seconds - other.billed_seconds,
            pieces=self.pieces - other.pieces,
            entries=self.entries - other.entries,
            amount_cents=to_invoice(self.amount_cents, other.amount_cents),
            unpriced_seconds=self.unpriced_seconds - other.unpriced_seconds,
        )

    def __add__(self, other: Figures) -> Figures:
        amounts = [a for a in (self.amount_cents, other.amount_cents) if a is not None]
        return Figures(
            seconds=self.seconds + other.seconds,
            billed_seconds=self.billed_seconds + other.billed_seconds,
            pieces=self.pieces + other.pieces,
            entries=self.entries + other.entries,
            amount_cents=sum(amounts) if amounts else None,
            unpriced_seconds=self.unpriced_seconds + other.unpriced_seconds,
        )


#: The names of the figures (``Figures``' own fields).
_FIGURES = tuple(asdict(Figures()))


@dataclass(frozen=True, kw_only=True)
class Line(Figures):
    """One row of the main table, in one currency: its figures, and what names it.

    ``key`` is the task's full name (``by="task"``), the day or the Monday of the
    week in ISO form (``day``, ``week``), or the person (``who``).
    """

    key: str
    currency: str
    task: TaskName | None = None  # by task
    day: date | None = None  # by day, or the Monday of the week


@dataclass(frozen=True, kw_only=True)
class TaskSummary(Figures):
    """One task's figures in the period, its statistics and its verdict."""

    task: TaskName
    state: str
    currency: str
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
    #: The part of it on an invoice (``mansioni bill``): pieces whose entries all are.
    invoiced: Figures = Figures()

    @property
    def to_invoice(self) -> Figures:
        return self.figures - self.invoiced


@dataclass(frozen=True)
class ClientTotal:
    """One client's subtotal: the sum of its tasks' figures (each task's amount rounded
    once, as in the totals), what of it is invoiced and what is left to invoice."""

    client: str
    currency: str
    figures: Figures
    invoiced: Figures

    @property
    def to_invoice(self) -> Figures:
        return self.figures - self.invoiced

    @property
    def partial(self) -> bool:
        return self.figures.unpriced_seconds > 0


@dataclass(frozen=True)
class EntryLine:
    """One finished entry of the period, as an invoice lists it."""

    id: int
    task: TaskName
    person: str
    start: int
    end: int
    note: str | None
    invoiced: bool


@dataclass(frozen=True)
class InvoiceMark:
    """A marking of ``mansioni bill``: a client's entries of a period, invoiced."""

    id: int
    client: str
    first: date
    last: date
    created: int
    person: str
    note: str | None
    entries: int  # how many entries carry it now


@dataclass(frozen=True, kw_only=True)
class Total(Figures):
    """One currency's totals: the sum of its tasks' figures (``Figures.__add__``)."""

    currency: str

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
    #: A subtotal per client with time in the period, in the order of ``clients``.
    subtotals: tuple[ClientTotal, ...] = ()
    #: The markings of ``mansioni bill`` that hold entries of the period.
    invoices: tuple[InvoiceMark, ...] = ()
    #: The period's finished entries, in start order: only for a one-client report
    #: (what an invoice lists); empty otherwise.
    entries: tuple[EntryLine, ...] = ()
    #: Who prepared it (the configuration's ``name`` and ``contact``), for an invoice.
    prepared_by: str | None = None
    contact: str | None = None

    @property
    def invoiced_any(self) -> bool:
        return any(s.invoiced.entries for s in self.subtotals)

    @property
    def empty(self) -> bool:
        return not self.lines and not self.changes and not self.running

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(t.currency for t in self.totals)
