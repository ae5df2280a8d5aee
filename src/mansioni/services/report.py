"""The periodic report: time, billing, estimates and decisions over a span of days.

What it promises (``docs/howto/periodic-reports.md`` says it to users):

- **The period.** Days ``first`` to ``last`` inclusive, on the user's clock
  (``domain.calendar``). An entry belongs to the period when it *starts* in it (as
  ``mansioni log`` counts), whoever recorded it: collaborators record under their own
  ``MANSIONI_USER`` and their work is the duty's too. Running timers are never
  billed; they are listed apart.
- **A piece of work** is billed on its own, at the rate in force at its start, and
  money is rounded once per row (``domain.billing``).
- **A subtotal per client** sums its tasks' figures (never priced again); what of it
  is on an invoice (``mansioni bill``) is counted apart, and what is left to invoice
  is the rest (``domain.billing.to_invoice``).
- **A one-client report** also lists the period's entries, each marked invoiced or
  not: what an invoice lists.
- **The statistics** of a task are over its occurrences in the period
  (``domain.occurrences``): for a weekly or monthly estimate, only the weeks or months
  wholly inside it, so a unit cut by the period's edge does not set part of its time
  against a whole unit's estimate (its time is billed all the same). The estimate of
  an occurrence is the one in force at its start (``domain.phases``); the median is
  ``domain.stats``'s.

How it stays fast on a long history: the database counts the period's plain pieces by
length (``store.queries.periods``), a few thousand rows at most, and hands over the
few entries that are not plain; every rule is then applied here, by the domain, to
those counts. Outside the period it reads only each task's events and its current
verdict (``review_one``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from mansioni.domain.billing import FIRST_RATE, bills_exactly, rate_timeline
from mansioni.domain.calendar import calendar_spans, day_start, days_bounds, next_unit, whole_units
from mansioni.domain.intervals import Cuts
from mansioni.domain.names import TaskName, fold, resolve_client, resolve_task
from mansioni.domain.period import (
    BY,
    ChangeLine,
    EntryLine,
    InvoiceMark,
    PeriodReport,
    RunningTimer,
)
from mansioni.domain.period_sums import EstimateCuts, PeriodSums, RowCuts, subtotals
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.services.review import review_one
from mansioni.store.queries.events import rate_events, story_events
from mansioni.store.queries.periods import (
    Scope,
    entry_lines,
    events_in,
    invoice_counts,
    invoices_over,
    plain_piece_counts,
    running_in,
    special_entries,
    task_terms,
    unit_sums,
)
from mansioni.store.records import client_names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

    from mansioni.domain.billing import RateTimeline, TaskTerms
    from mansioni.domain.verdict import Verdict
    from mansioni.store.base import Store
    from mansioni.store.db import Db, Row

__all__ = ["BY", "PeriodReport", "period_report"]


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
    week_start: int = 0,
    prepared_by: str | None = None,
    contact: str | None = None,
) -> PeriodReport:
    """The report of days ``first`` to ``last`` (inclusive) on the clock of ``zone``;
    by week, its weeks start on ``week_start`` (0: Monday, as ``date.weekday()``).

    ``progress``, if given, is an ``advance(n, *, total=None)`` (``cli.progress``): it
    hears of the period's figures, then of each task whose verdict has been worked
    out (the part that reads each task's history). ``prepared_by`` and ``contact``
    (the configuration's ``name`` and ``contact``) are what an invoice says of its
    sender.
    """
    from zoneinfo import ZoneInfo

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
    lo, hi = days_bounds(first, last, tz)
    today = datetime.fromtimestamp(now, tz).date()
    with store.read() as db:
        infos = task_terms(db)
        client_name, task_name, scope = _scope(db, infos, client, task, lo, hi)
        in_scope = [
            i
            for i, info in infos.items()
            if (task_name is None or i == task_name.id)
            and (client_name is None or info.terms.name == client_name)
        ]
        rates = {
            t: rate_timeline(events, infos[t].rate_cents)
            for t, events in rate_events(db, in_scope).items()
        }
        estimates = {
            t: EstimateCuts.of(events, infos[t].basis, hi, infos[t].created)
            for t, events in story_events(db, in_scope).items()
        }
        rows = RowCuts(first, last, by, tz, week_start=week_start)
        sums = PeriodSums(by, infos, rates, estimates, rows)
        invoice_rows = invoices_over(db, scope)
        billed_clients = {int(r["client_id"]) for r in invoice_rows}
        split = {t for t in in_scope if infos[t].client_id in billed_clients}
        _count_plain(db, scope, in_scope, infos, rows, rates, estimates, sums, split)
        on_invoice: set[int] = set()
        sums.add_special(special_entries(db, scope, in_scope, on_invoice), tz, on_invoice)
        for basis in ("week", "month"):
            ids = [t for t in sums.task_ids if estimates[t].basis == basis]
            _unit_statistics(db, scope, first, last, basis, tz, ids, sums)
        with_time = sums.task_ids
        if progress is not None:
            progress(1, total=1 + len(with_time))
        verdicts: dict[int, Verdict] = {}
        for task_id in with_time:
            verdicts[task_id] = review_one(
                db, infos[task_id].name, as_of=today, zone=zone
            ).result.verdict
            if progress is not None:
                progress(1)
        changes = _changes(db, scope)
        running = _running(db, scope)
        invoices = _invoices(invoice_rows, invoice_counts(db, scope, sorted(split)))
        entries = _entries(db, scope) if client_name is not None else []
    lines, summaries, totals = sums.result(verdicts)
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
        subtotals=tuple(subtotals(summaries)),
        invoices=tuple(invoices),
        entries=tuple(entries),
        prepared_by=prepared_by,
        contact=contact,
    )


def _count_plain(
    db: Db,
    scope: Scope,
    task_ids: list[int],
    infos: dict[int, TaskTerms],
    rows: RowCuts,
    rates: dict[int, RateTimeline],
    estimates: dict[int, EstimateCuts],
    sums: PeriodSums,
    invoiced: set[int],
) -> None:
    """The plain pieces, counted by the database: by length only where a rule needs
    each length (an increment or a minimum to bill, a median to take); on an invoice
    or not for the tasks in ``invoiced``."""
    by_length = {t for t in task_ids if not bills_exactly(infos[t].terms)}
    statistics = {t: e.cuts for t, e in estimates.items() if e.basis == "occurrence"}
    rate_cuts = {t: r.cuts for t, r in rates.items()}
    if rows.by == "task":  # one pass: a row per task, its lengths serve both
        for count in plain_piece_counts(
            db,
            scope,
            task_ids,
            rates=rate_cuts,
            estimates=statistics,
            by_length=by_length | set(statistics),
            invoiced=invoiced,
        ):
            sums.add_plain(count, bill=True, statistics=True)
        return
    for count in plain_piece_counts(
        db,
        scope,
        task_ids,
        rows=rows.cuts,
        by_person=rows.by == "who",
        rates=rate_cuts,
        by_length=by_length,
        invoiced=invoiced,
    ):
        sums.add_plain(count, bill=True, statistics=False)
    for count in plain_piece_counts(
        db, scope, sorted(statistics), estimates=statistics, by_length=set(statistics)
    ):
        sums.add_plain(count, bill=False, statistics=True)


def _scope(
    db: Db,
    infos: dict[int, TaskTerms],
    client: str | None,
    task: str | None,
    lo: int,
    hi: int,
) -> tuple[str | None, TaskName | None, Scope]:
    """The client and task asked for, and the entries they make the report cover."""
    chosen_client = chosen_task = None
    if client is not None:
        chosen_client = resolve_client(client, client_names(db))
    if task is not None:
        names = [i.name for i in infos.values()]
        if chosen_client is not None:
            names = [n for n in names if infos[n.id].client_id == chosen_client.id]
        chosen_task = resolve_task(task, names)
    client_name = chosen_client.name if chosen_client else None
    if chosen_task is not None:
        return client_name, chosen_task, Scope(lo, hi, task_id=chosen_task.id)
    if chosen_client is not None:
        return client_name, None, Scope(lo, hi, client_id=chosen_client.id)
    return None, None, Scope(lo, hi)


def _unit_statistics(
    db: Db,
    scope: Scope,
    first: date,
    last: date,
    basis: str,
    tz: ZoneInfo,
    task_ids: list[int],
    sums: PeriodSums,
) -> None:
    """The occurrences of weekly (monthly) duties: the weeks (months) wholly inside the
    period, each summed up by the database, cut where the date changes
    (``domain.calendar.calendar_spans``) and merged here where a unit comes back."""
    units = whole_units(first, last, basis)
    if not task_ids or not units:
        return
    lo = day_start(units[0][0], tz)
    hi = day_start(next_unit(units[-1][0], basis), tz)
    spans = calendar_spans(tz, lo, hi, basis)
    cuts = Cuts(tuple(a for a, _b, _key in spans[1:]))
    merged: dict[tuple[int, tuple[int, ...]], list[int]] = {}  # first, seconds, atypical
    for s in unit_sums(db, replace(scope, lo=lo, hi=hi), task_ids, cuts):
        key = (s.task_id, spans[s.unit][2])
        if key in merged:
            m = merged[key]
            m[0], m[1], m[2] = min(m[0], s.first), m[1] + s.seconds, max(m[2], int(s.atypical))
        else:
            merged[key] = [s.first, s.seconds, int(s.atypical)]
    for (task_id, _key), (begun, seconds, atypical) in merged.items():
        sums.add_unit(task_id, begun, seconds, bool(atypical))


def _changes(db: Db, scope: Scope) -> list[ChangeLine]:
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
        for r in events_in(db, scope, skip_kind=FIRST_RATE)
    ]


def _running(db: Db, scope: Scope) -> list[RunningTimer]:
    found = [
        RunningTimer(
            r["person"], TaskName(int(r["task_id"]), r["client"], r["task"]), int(r["start"])
        )
        for r in running_in(db, scope)
    ]
    return sorted(found, key=lambda t: (t.start, fold(t.person)))


def _invoices(rows: list[Row], counts: dict[int, int]) -> list[InvoiceMark]:
    """The invoices holding entries of the report (an invoice whose entries all went
    elsewhere holds none: it is not the report's)."""
    return [
        InvoiceMark(
            id=int(r["id"]),
            client=r["client"],
            first=date.fromisoformat(r["first_day"]),
            last=date.fromisoformat(r["last_day"]),
            created=int(r["created"]),
            person=r["person"],
            note=r["note"],
            entries=counts[int(r["id"])],
        )
        for r in rows
        if counts.get(int(r["id"]))
    ]


def _entries(db: Db, scope: Scope) -> list[EntryLine]:
    return [
        EntryLine(
            id=int(r["id"]),
            task=TaskName(int(r["task_id"]), r["client"], r["task"]),
            person=r["person"],
            start=int(r["start"]),
            end=int(r["end"]),
            note=r["note"],
            invoiced=r["invoice"] is not None,
        )
        for r in entry_lines(db, scope)
    ]
