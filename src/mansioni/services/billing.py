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
- **Bulk.** The entries are marked by ``Writer.update_many``: a month of a client is
  a few statements, whatever the size of the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mansioni.domain.entries import check_note
from mansioni.domain.names import resolve_client
from mansioni.domain.text import shown
from mansioni.errors import ConflictError, InputError
from mansioni.i18n import _
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db


@dataclass(frozen=True)
class Billed:
    """What ``bill`` did: the invoice made (None: nothing new to mark), the client, the
    period, how many entries it marked, how many were on an invoice already, how many
    timers run in the period unmarked."""

    invoice_id: int | None
    client: str
    first: date
    last: date
    marked: int
    already: int
    running: int


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
    from mansioni.store.queries.periods import Scope, client_names, scope_entries

    if last < first:
        raise InputError(
            _("--to must not come before --from."),
            hint=_("For example: mansioni bill --client rossi --from 2026-11-01 --to 2026-11-15"),
        )
    text = check_note(note, field="--note", example="mansioni bill --client rossi --note 'n. 14'")
    lo, hi = days_bounds(first, last, ZoneInfo(zone))
    with store.write() as db:
        chosen = resolve_client(client, client_names(db))
        rows = scope_entries(db, Scope(lo, hi, client_id=chosen.id))
        running = sum(1 for r in rows if r["end"] is None)
        already = sum(1 for r in rows if r["end"] is not None and r["invoice"] is not None)
        todo = [int(r["id"]) for r in rows if r["end"] is not None and r["invoice"] is None]
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
        return Billed(invoice_id, chosen.name, first, last, marked, already, running)


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
