"""A period's pieces priced and summed into a report's rows, tasks and statistics.

Pure: it is handed counts of pieces (``store.queries.periods``) and the few entries
that are not plain, and applies the rules to them: each piece billed and priced by
``domain.billing``, occurrences made by ``domain.occurrences``, the estimate in force
by ``domain.phases``, the median by ``domain.stats``. Money is exact until it is
rounded once per row (the exact amount of a sum is the sum of the exact amounts, so
each group of pieces is priced once).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain.billing import (
    Piece,
    RateTimeline,
    Tally,
    TaskTerms,
    billed_seconds,
    bills_exactly,
    hourly_rate,
    pieces,
)
from mansioni.domain.calendar import key_day, period_spans
from mansioni.domain.entries import Entry
from mansioni.domain.intervals import Cuts
from mansioni.domain.names import TaskName, fold
from mansioni.domain.occurrences import occurrences
from mansioni.domain.period import ClientTotal, Figures, Line, TaskSummary, Total
from mansioni.domain.phases import Event, estimate_timeline
from mansioni.domain.stats import median_of_counts
from mansioni.domain.verdict import Verdict


@dataclass(frozen=True)
class PieceCount:
    """``pieces`` plain pieces (one entry each) of one task, ``seconds`` long in all, in
    one row of the report (``row``: the row's interval, or the person), rate interval
    and estimate interval (0 for what was not asked). ``length``: the seconds of each,
    where the pieces were counted by length (else None)."""

    task_id: int
    row: int | str
    rate_interval: int
    estimate_interval: int
    length: int | None
    pieces: int
    seconds: int
    invoiced: bool = False  # counted apart: pieces on an invoice (``mansioni bill``)


class RowCuts:
    """The report's rows in time (by day or week): their cuts and their first days."""

    def __init__(
        self, first: date, last: date, by: str, tz: ZoneInfo, *, week_start: int = 0
    ) -> None:
        self.by = by
        self.cuts: Cuts | None = Cuts()
        self.days: list[date] = []
        if by in ("day", "week"):
            spans = period_spans(first, last, by, tz, week_start=week_start)
            self.cuts = Cuts(tuple(a for a, _b, _key in spans[1:]))
            self.days = [key_day(key, by, week_start=week_start) for _a, _b, key in spans]
        elif by == "who":
            self.cuts = None  # a row per person

    def key(self, row: int | str, task: TaskName) -> object:
        """What names a row: the task, the first day of the day or week, the person."""
        if self.by == "task":
            return task
        if self.by == "who":
            return row
        return self.days[int(row)]


@dataclass(frozen=True)
class EstimateCuts:
    """A task's estimate over time, as the statistics of the period use it: ``values[i]``
    (seconds; None: no estimate for the task's basis) in interval ``i`` of ``cuts``."""

    basis: str  # the basis in force at the end of the period (else the task's)
    estimate: int | None  # the estimate in force at the end of the period
    cuts: Cuts
    values: tuple[int | None, ...]

    @classmethod
    def of(cls, events: list[Event], task_basis: str, hi: int, created: int) -> EstimateCuts:
        spans = estimate_timeline(events, created=created)
        _a, _b, at_end, end_basis = next(s for s in spans if s[0] <= hi - 1 < s[1])
        basis = end_basis or task_basis
        return cls(
            basis=basis,
            estimate=at_end,
            cuts=Cuts(tuple(a for a, _b, _e, _basis in spans[1:])),
            values=tuple(
                seconds if (its or task_basis) == basis else None for _a, _b, seconds, its in spans
            ),
        )

    def at(self, instant: int) -> int | None:
        return self.values[self.cuts.index(instant)]


class Statistics:
    """One task's occurrences in the period, added up as they come."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}  # seconds: how many typical occurrences
        self.atypical = 0
        self.estimated = 0
        self.sum_e = 0
        self.sum_t = 0

    def add(self, seconds: int, n: int, estimate: int | None) -> None:
        self.counts[seconds] = self.counts.get(seconds, 0) + n
        if estimate:
            self.estimated += n
            self.sum_e += n * estimate
            self.sum_t += n * seconds


class PeriodSums:
    """The period's pieces priced and summed into rows, tasks and their statistics."""

    def __init__(
        self,
        by: str,
        infos: dict[int, TaskTerms],
        rates: dict[int, RateTimeline],
        estimates: dict[int, EstimateCuts],
        rows: RowCuts,
    ) -> None:
        self.by, self.infos, self.rates, self.estimates, self.rows = (
            by,
            infos,
            rates,
            estimates,
            rows,
        )
        # Per (row, task, rate interval, invoiced): seconds, billed seconds, pieces,
        # entries; priced once each (the exact amount of a sum is the sum of the exact
        # amounts).
        self.groups: dict[tuple[int | str, int, int, bool], list[int]] = {}
        self.stats: dict[int, Statistics] = {}

    @property
    def task_ids(self) -> list[int]:
        return sorted(self.stats)

    def _bill(
        self,
        row: int | str,
        task_id: int,
        interval: int,
        *,
        seconds: int,
        billed: int,
        pieces: int,
        entries: int,
        invoiced: bool = False,
    ) -> None:
        group = self.groups.setdefault((row, task_id, interval, invoiced), [0, 0, 0, 0])
        group[0] += seconds
        group[1] += billed
        group[2] += pieces
        group[3] += entries
        if task_id not in self.stats:
            self.stats[task_id] = Statistics()

    def _billed(self, task_id: int, length: int) -> int:
        terms = self.infos[task_id].terms
        return billed_seconds(
            length, rounding_minutes=terms.rounding_minutes, minimum_minutes=terms.minimum_minutes
        )

    def _tallies(
        self,
    ) -> tuple[
        dict[tuple[object, str], Tally],
        dict[int, Tally],
        dict[int, Tally],
        dict[int, dict[int, int | None]],
    ]:
        """The groups priced, and summed into the rows, the tasks and the tasks'
        invoiced parts."""
        lines: dict[tuple[object, str], Tally] = {}
        tasks: dict[int, Tally] = {}
        invoiced: dict[int, Tally] = {}
        applied: dict[int, dict[int, int | None]] = {}
        for (row, task_id, interval, on_invoice), (
            seconds,
            billed,
            n,
            entries,
        ) in self.groups.items():
            info = self.infos[task_id]
            price = hourly_rate(self.rates[task_id].rates[interval], info.terms.rate_cents)
            figures = {"seconds": seconds, "billed": billed, "pieces": n, "entries": entries}
            key = self.rows.key(row, info.name)
            lines.setdefault((key, info.terms.currency), Tally()).add(**figures, rate_cents=price)
            tasks.setdefault(task_id, Tally()).add(**figures, rate_cents=price)
            if on_invoice:
                invoiced.setdefault(task_id, Tally()).add(**figures, rate_cents=price)
            applied.setdefault(task_id, {})[interval] = price
        return lines, tasks, invoiced, applied

    def add_plain(self, count: PieceCount, *, bill: bool, statistics: bool) -> None:
        """Plain pieces, counted by the database: each one entry, one typical occurrence.

        Billed (``bill``) by length, or in a sum where the task bills exactly
        (``domain.billing.bills_exactly``); counted in the statistics (``statistics``,
        by length) for a duty estimated per occurrence."""
        if bill:
            if count.length is None:
                assert bills_exactly(self.infos[count.task_id].terms), "a sum of pieces"
                billed = count.seconds
            else:
                billed = self._billed(count.task_id, count.length) * count.pieces
            self._bill(
                count.row,
                count.task_id,
                count.rate_interval,
                seconds=count.seconds,
                billed=billed,
                pieces=count.pieces,
                entries=count.pieces,
                invoiced=count.invoiced,
            )
        cuts = self.estimates[count.task_id]
        if statistics and cuts.basis == "occurrence":
            assert count.length is not None, "the statistics need each length"
            self.stats[count.task_id].add(
                count.length, count.pieces, cuts.values[count.estimate_interval]
            )

    def add_special(
        self, entries: list[Entry], tz: ZoneInfo, invoiced: Collection[int] = ()
    ) -> None:
        """The entries that are not plain: grouped into pieces and occurrences here
        (``invoiced``: the ids of those on an invoice)."""
        self.add_pieces(pieces(entries, invoiced))
        by_task: dict[int, list[Entry]] = {}
        for entry in entries:
            by_task.setdefault(entry.task_id, []).append(entry)
        for task_id, its in by_task.items():
            cuts = self.estimates[task_id]
            if cuts.basis != "occurrence":
                continue
            for occurrence in occurrences(its, basis="occurrence", zone=tz):
                if occurrence.atypical:
                    self.stats[task_id].atypical += 1
                else:
                    seconds = int(occurrence.seconds)
                    self.stats[task_id].add(seconds, 1, cuts.at(occurrence.start))

    def add_pieces(self, found: Iterable[Piece]) -> None:
        """Pieces of work, each billed on its own (``domain.billing.billed_seconds``) in
        its row, at the rate in force at its start; not in the statistics."""
        for piece in found:
            row: int | str = piece.person
            if self.rows.cuts is not None:
                row = self.rows.cuts.index(piece.start)
            interval = self.rates[piece.task_id].segment(piece.start)
            self._bill(
                row,
                piece.task_id,
                interval,
                seconds=piece.seconds,
                billed=self._billed(piece.task_id, piece.seconds),
                pieces=1,
                entries=piece.entries,
                invoiced=piece.invoiced,
            )

    def add_unit(self, task_id: int, first: int, seconds: int, atypical: bool) -> None:
        """A calendar week or month of a weekly or monthly duty: one occurrence."""
        if atypical:
            self.stats[task_id].atypical += 1
        else:
            self.stats[task_id].add(seconds, 1, self.estimates[task_id].at(first))

    def result(
        self, verdicts: dict[int, Verdict]
    ) -> tuple[list[Line], list[TaskSummary], list[Total]]:
        rows, tasks, invoiced, applied = self._tallies()
        lines = [
            _line(key, currency, tally)
            for (key, currency), tally in sorted(
                rows.items(), key=lambda item: (*_row_order(item[0][0]), item[0][1])
            )
        ]
        summaries = [
            self._summary(
                task_id,
                tasks[task_id],
                invoiced.get(task_id),
                applied[task_id],
                verdicts.get(task_id),
            )
            for task_id in sorted(tasks, key=lambda t: _row_order(self.infos[t].name))
        ]
        return lines, summaries, currency_totals((s.currency, s) for s in summaries)

    def totals(self) -> list[Total]:
        """The figures of what was added, per currency, as :meth:`result` totals them
        (each task priced and rounded once, then summed), without the statistics."""
        _rows, tasks, _invoiced, _applied = self._tallies()
        return currency_totals(
            (self.infos[t].terms.currency, _figures(tally)) for t, tally in tasks.items()
        )

    def _summary(
        self,
        task_id: int,
        tally: Tally,
        invoiced: Tally | None,
        applied: dict[int, int | None],
        verdict: Verdict | None,
    ) -> TaskSummary:
        info, st = self.infos[task_id], self.stats[task_id]
        cuts = self.estimates[task_id]
        n = sum(st.counts.values())
        total = sum(s * k for s, k in st.counts.items())
        return TaskSummary(
            **_figures(tally).parts(),
            task=info.name,
            state=info.state,
            currency=info.terms.currency,
            rates_cents=_changes_only([applied[k] for k in sorted(applied)]),
            basis=cuts.basis,
            occurrences=n,
            atypical=st.atypical,
            median_seconds=median_of_counts(st.counts) if n else None,
            mean_seconds=total / n if n else None,
            estimate_seconds=cuts.estimate,
            estimated_occurrences=st.estimated,
            time_index=st.sum_e / st.sum_t if st.estimated and st.sum_t else None,
            verdict=verdict,
            invoiced=_figures(invoiced) if invoiced is not None else Figures(),
        )


def _figures(tally: Tally) -> Figures:
    """A tally's figures: its money rounded once, here (``Tally.cents``)."""
    return Figures(
        seconds=tally.seconds,
        billed_seconds=tally.billed,
        pieces=tally.pieces,
        entries=tally.entries,
        amount_cents=tally.cents,
        unpriced_seconds=tally.unpriced,
    )


def subtotals(summaries: list[TaskSummary]) -> list[ClientTotal]:
    """A subtotal per client (and currency: a client has one), in client order: the
    sums of its tasks' figures, never priced a second time."""
    found: dict[tuple[str, str], list[Figures]] = {}
    for t in summaries:
        its = found.setdefault((t.task.client, t.currency), [Figures(), Figures()])
        its[0] += t
        its[1] += t.invoiced
    return [
        ClientTotal(client=client, currency=currency, figures=whole, invoiced=invoiced)
        for (client, currency), (whole, invoiced) in sorted(
            found.items(), key=lambda item: (fold(item[0][0]), item[0][0], item[0][1])
        )
    ]


def _changes_only(rates: list[int | None]) -> tuple[int | None, ...]:
    """The rates in time order, each one once where it stayed the same (``28 → 28``)."""
    return tuple(r for i, r in enumerate(rates) if i == 0 or rates[i - 1] != r)


def _row_order(key: object) -> tuple[object, ...]:
    if isinstance(key, TaskName):
        return (fold(key.client), fold(key.name))
    if isinstance(key, date):
        return (key.isoformat(),)
    return (fold(str(key)), str(key))


def _line(key: object, currency: str, tally: Tally) -> Line:
    if isinstance(key, TaskName):
        text = key.full
    elif isinstance(key, date):
        text = key.isoformat()
    else:
        text = str(key)
    return Line(
        **_figures(tally).parts(),
        key=text,
        currency=currency,
        task=key if isinstance(key, TaskName) else None,
        day=key if isinstance(key, date) else None,
    )


def currency_totals(parts: Iterable[tuple[str, Figures]]) -> list[Total]:
    """The totals per currency (in currency order) of figures each in one currency,
    summed by ``Figures.__add__``: never priced or rounded a second time."""
    by_currency: dict[str, Figures] = {}
    for currency, figures in parts:
        by_currency[currency] = by_currency.get(currency, Figures()) + figures
    return [Total(**whole.parts(), currency=c) for c, whole in sorted(by_currency.items())]
