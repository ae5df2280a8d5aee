"""``bill``: mark a client's entries of a period as invoiced.

What it promises (``docs/howto/bill-a-client.md`` says it to users):

- **What is marked.** The client's finished entries that *start* in the period (as
  the report counts them), whoever recorded them, that are on no invoice yet. A
  running timer is not marked (it is not billed either); entries outside the period
  are not touched.
- **One marking, one row.** An ``invoice`` row (client, period, who, when, a note)
  and the entries pointing to it, all in one journaled operation: ``undo`` takes the
  whole marking back.
- **Twice.** Billing a period whose entries are all invoiced already writes nothing
  and says so. Entries added to it since are marked by a new invoice of their own:
  what an invoice held never changes.
- **What it says it marked.** The time and money of the pieces of work this marking
  made invoiced (a piece: an entry and those resuming it, ``domain.billing.pieces``),
  priced and rounded exactly as the report prices its invoiced part
  (``domain.period_sums``): on a period billed once, it is the report's invoiced
  amount for the client and period. It is worked out from the period's entries alone
  (the client's tasks, their rates), in the marking's own transaction.
- **Bulk.** The entries are marked by ``Writer.update_many``: a month of a client is
  a few statements, whatever the size of the store.
- **The period.** ``last`` before ``first`` is a caller's mistake, refused with a
  ``ValueError``: the commands check the days the user typed (``cli.report.choose_period``
  says which flag is wrong, in the words of the command typed), so no user ever
  reaches this; a program that computes a period (the demo) is told at once instead
  of getting an invoice of no days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mansioni.domain.entries import check_note
from mansioni.domain.names import resolve_client
from mansioni.domain.text import shown
from mansioni.errors import ConflictError
from mansioni.i18n import _
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from mansioni.domain.entries import Entry
    from mansioni.domain.period import Total
    from mansioni.store.base import Store
    from mansioni.store.db import Db


@dataclass(frozen=True)
class Billed:
    """What ``bill`` did: the invoice made (None: nothing new to mark), the client, the
    period, how many entries it marked, how many were on an invoice already, how many
    timers run in the period unmarked, and the figures of what it marked, per currency
    (billed time, amount; see the module's doc)."""

    invoice_id: int | None
    client: str
    first: date
    last: date
    marked: int
    already: int
    running: int
    figures: tuple[Total, ...] = ()


def bill(
    store: Store,
    *,
    client: str,
    first: date,
    last: date,
    zone: str,
    person: str,
    now: int,
    note: str | None = None,
) -> Billed:
    """Mark ``client``'s finished entries starting in days ``first`` to ``last`` (on the
    clock of ``zone``) that are on no invoice, as one new invoice."""
    from zoneinfo import ZoneInfo

    from mansioni.domain.calendar import days_bounds
    from mansioni.store import records
    from mansioni.store.queries.periods import Scope, scope_entries
    from mansioni.store.records import client_names

    if last < first:
        raise ValueError(f"a period ends before it starts: {first} to {last}")
    text = check_note(note, field="--note", example="mansioni bill --client rossi --note 'n. 14'")
    tz = ZoneInfo(zone)
    lo, hi = days_bounds(first, last, tz)
    with store.write() as db:
        chosen = resolve_client(client, client_names(db))
        rows = scope_entries(db, Scope(lo, hi, client_id=chosen.id))
        entries = [records.to_entry(r) for r in rows]
        before = {int(r["id"]) for r in rows if r["invoice"] is not None}
        running = sum(1 for e in entries if e.end is None)
        already = sum(1 for e in entries if e.end is not None and e.id in before)
        todo = [e.id for e in entries if e.end is not None and e.id not in before]
        if not todo:
            return Billed(None, chosen.name, first, last, 0, already, running)
        writer = Writer(db, person=person, command="bill", now=now)
        invoice_id = writer.insert(
            "invoice",
            {
                "client_id": chosen.id,
                "first_day": first.isoformat(),
                "last_day": last.isoformat(),
                "lo_utc": lo,
                "hi_utc": hi,
                "zone": zone,
                "person": person,
                "note": text or None,
                "created_utc": now,
            },
        )
        marked = writer.update_many("entry", todo, {"invoice_id": invoice_id})
        figures = _marked_figures(db, entries, before, first, last, tz)
        return Billed(invoice_id, chosen.name, first, last, marked, already, running, figures)


def _marked_figures(
    db: Db, entries: list[Entry], before: set[int], first: date, last: date, tz: ZoneInfo
) -> tuple[Total, ...]:
    """The figures of the pieces of ``entries`` (every entry of the client's period)
    that the marking made invoiced: those not wholly on an invoice ``before`` it, since
    it marked every finished entry left. Priced by ``domain.period_sums`` as the
    report prices its pieces: each billed on its own, at the rate in force at its
    start, each task's money rounded once."""
    from mansioni.domain.billing import pieces, rate_timeline
    from mansioni.domain.period_sums import PeriodSums, RowCuts
    from mansioni.store.queries.events import rate_events
    from mansioni.store.queries.periods import task_terms

    new = [p for p in pieces(entries, before) if not p.invoiced]
    task_ids = sorted({p.task_id for p in new})
    infos = task_terms(db)
    rates = {
        t: rate_timeline(events, infos[t].rate_cents)
        for t, events in rate_events(db, task_ids).items()
    }
    sums = PeriodSums("task", infos, rates, {}, RowCuts(first, last, "task", tz))
    sums.add_pieces(new)
    return tuple(sums.totals())


def check_not_invoiced(db: Db, entry_id: int, *, force: bool, deleting: bool = False) -> None:
    """Refuse to change (``deleting``: to delete) an entry on an invoice, unless
    ``force``: the report would no longer say what was billed."""
    if force:
        return
    from mansioni.store.queries.invoices import invoice_of_entry

    found = invoice_of_entry(db, entry_id)
    if found is None:
        return
    from mansioni.i18n.dates import interval

    period = interval(date.fromisoformat(found["first_day"]), date.fromisoformat(found["last_day"]))
    if deleting:
        message = _(
            "Entry {id} is invoiced ({client}, {period}): deleting it would make the report"
            " differ from what was billed."
        )
        hint = _("To delete it all the same: mansioni delete {id} --force")
    else:
        message = _(
            "Entry {id} is invoiced ({client}, {period}): changing it would make the report"
            " differ from what was billed."
        )
        hint = _("Add --force to change it all the same.")
    raise ConflictError(
        message.format(id=entry_id, client=shown(found["client"]), period=period),
        hint=hint.format(id=entry_id),
    )
