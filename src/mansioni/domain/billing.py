"""How time is billed: a piece's billed time, its price, the rate in force, rounding.

- **A piece of work** is what one person did of one occurrence of a task in the
  period (an entry and the entries that resume it, ``domain.occurrences``). Each piece
  is billed on its own: its time rounded *up* to the client's increment
  (``rounding_minutes``; none: to the second), then raised to the client's minimum
  (``minimum_minutes``; none: no minimum).
- **The rate** of a piece is the one in force for its task at the piece's start
  (:func:`rate_in_force`).
- **Money** is kept exact (a fraction of a cent) until it is rounded, half up, to the
  cent (:func:`cents`), once per row of a report. This is the one rounding rule for
  money everywhere: every amount shown (a report, a review, an invoice) is rounded by
  :func:`cents` before it is formatted, so 23.625 is 23.63 wherever it appears
  (``docs/explanation/money.md``).
- **Invoiced** time is the part of a period's time whose entries were all marked by
  ``mansioni bill``; its amount is rounded once per task like any other, and what is
  left to invoice is the task's amount less the invoiced one (:func:`to_invoice`), so
  the two always add up to the amount.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from mansioni.domain.entries import Entry
from mansioni.domain.intervals import Cuts
from mansioni.domain.names import TaskName

#: The kind of the event that records the rate a task had before its first rate
#: change: in force from the beginning of its history (see :func:`rate_in_force`).
FIRST_RATE = "rate"


def billed_seconds(
    seconds: int, *, rounding_minutes: int | None, minimum_minutes: int | None
) -> int:
    """A piece's billed time: rounded up to the increment, then raised to the minimum."""
    step = (rounding_minutes or 0) * 60
    up = -(-seconds // step) * step if step > 0 else seconds
    return max(up, (minimum_minutes or 0) * 60)


def bills_exactly(terms: ClientTerms) -> bool:
    """Whether each piece is billed exactly its time (no increment, no minimum): then
    the billed time of many pieces is the sum of their times."""
    return not terms.rounding_minutes and not terms.minimum_minutes


def amount(billed: int, rate_cents: int) -> Fraction:
    """The exact price, in cents, of ``billed`` seconds at ``rate_cents`` an hour."""
    return Fraction(billed * rate_cents, 3600)


def cents(exact: Fraction | float | int) -> int:
    """An amount in cents, rounded half up to a whole cent (a negative one: half away
    from zero). A float is taken at its exact value (``2362.5`` is 23.625 of a currency,
    rounded to 2363), never through a decimal string or Python's ``round``, which
    rounds half to even."""
    exact = Fraction(exact)
    return int(exact + Fraction(1, 2)) if exact >= 0 else -int(-exact + Fraction(1, 2))


def to_invoice(amount_cents: int | None, invoiced_cents: int | None) -> int | None:
    """What is left to invoice of an amount: the amount less what was invoiced of it
    (both rounded already), so invoiced and to invoice add up to the amount."""
    if amount_cents is None:
        return None
    return amount_cents - (invoiced_cents or 0)


@dataclass(frozen=True)
class ClientTerms:
    """How a client is billed, as stored now."""

    name: str
    currency: str
    rate_cents: int | None
    rounding_minutes: int | None
    minimum_minutes: int | None


@dataclass(frozen=True)
class TaskTerms:
    """A task and how its time is billed: its own rate and basis as stored now."""

    name: TaskName
    client_id: int
    state: str
    rate_cents: int | None
    basis: str
    terms: ClientTerms
    created: int = 0  # when the task was set up (its first estimate counts from its start)


@dataclass(frozen=True)
class RateEvent:
    """An event of a task that sets its rate: its first rate (kind :data:`FIRST_RATE`,
    ``rate_cents`` None when the task had none of its own), or a change or decision
    carrying one."""

    id: int
    at: int
    rate_cents: int | None


@dataclass(frozen=True)
class RateTimeline:
    """A task's own hourly rate over time, as its rate events set it.

    ``rates[i]`` is in force in interval ``i`` of ``cuts`` (the instants the rate
    changes at).
    A rate of ``None`` is no rate of the task's own: its client's applies.
    """

    cuts: Cuts
    rates: tuple[int | None, ...]

    def segment(self, instant: int) -> int:
        """The index into ``rates`` of the rate in force at ``instant``."""
        return self.cuts.index(instant)


def rate_timeline(events: Sequence[RateEvent], own_rate: int | None) -> RateTimeline:
    """The rate in force over time. With no rate events, the task's own rate, always.

    Otherwise, at an instant: the latest event at or before it (on one instant, the one
    recorded last); before them all, the first one: the task's first rate is in force
    from the beginning of its history, work recorded before the task was set up included.
    """
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    if not ordered:
        return RateTimeline(Cuts(), (own_rate,))
    cuts: list[int] = []
    rates: list[int | None] = [ordered[0].rate_cents]
    for event in ordered:
        if cuts and cuts[-1] == event.at:
            rates[-1] = event.rate_cents
        else:
            cuts.append(event.at)
            rates.append(event.rate_cents)
    return RateTimeline(Cuts(tuple(cuts)), tuple(rates))


def hourly_rate(own_rate: int | None, client_rate: int | None) -> int | None:
    """The hourly rate a piece is priced at: its task's own in force at its start
    (:meth:`RateTimeline.segment`), else its client's (as it is now); ``None``: no rate."""
    return own_rate if own_rate is not None else client_rate


class Tally:
    """Time and exact money added up, piece after piece; rounded once, at the end."""

    def __init__(self) -> None:
        self.seconds = self.billed = self.pieces = self.entries = self.unpriced = 0
        self.exact = Fraction(0)
        self.priced = False

    def add(
        self, *, seconds: int, billed: int, pieces: int, entries: int, rate_cents: int | None
    ) -> None:
        """Add ``pieces`` pieces of ``seconds`` raw and ``billed`` billed time in all."""
        self.seconds += seconds
        self.billed += billed
        self.pieces += pieces
        self.entries += entries
        if rate_cents is None:
            self.unpriced += billed
        else:
            self.exact += amount(billed, rate_cents)
            self.priced = True

    @property
    def cents(self) -> int | None:
        """Rounded once, here; ``None`` when nothing in it had a rate."""
        return cents(self.exact) if self.priced else None


@dataclass(frozen=True)
class Piece:
    """A piece of work: the finished entries of one person that make (part of) one
    occurrence of a task. ``start`` is the earliest start of its entries."""

    task_id: int
    person: str
    start: int
    seconds: int
    entries: int
    invoiced: bool = False  # every entry of it is on an invoice


def pieces(entries: Iterable[Entry], invoiced: Collection[int] = ()) -> list[Piece]:
    """The pieces finished ``entries`` make, in order of their start; a piece is
    invoiced when every one of its entries is (their ids in ``invoiced``)."""
    groups: dict[tuple[int, str, int], list[Entry]] = {}
    for entry in entries:
        if entry.end is None:
            continue
        groups.setdefault((entry.task_id, entry.person, entry.occurrence), []).append(entry)
    found = [
        Piece(
            task_id=task_id,
            person=person,
            start=min(e.start for e in its),
            seconds=sum(e.end - e.start for e in its if e.end is not None),
            entries=len(its),
            invoiced=bool(invoiced) and all(e.id in invoiced for e in its),
        )
        for (task_id, person, _occurrence), its in groups.items()
    ]
    found.sort(key=lambda p: (p.start, p.task_id, p.person))
    return found
