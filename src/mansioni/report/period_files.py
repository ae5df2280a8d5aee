"""The periodic report as a file: Markdown for an e-mail, CSV for a spreadsheet, JSON
for a script. Words and cells are ``report.period``'s, as in every other format.

The JSON shape is versioned and documented in ``docs/reference/report-json.md``:
seconds and cents are integers, dates ISO 8601, and a change to the shape that
could break a reader raises ``JSON_VERSION``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from mansioni.domain.text import json_text
from mansioni.i18n import _, language
from mansioni.report import markdown, period

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import Figures, Line, PeriodReport

JSON_FORMAT = "mansioni-report"
JSON_VERSION = 1


# -- Markdown --------------------------------------------------------------------------


def to_markdown(r: PeriodReport) -> str:
    """The report for an e-mail: headings, pipe tables, every name escaped."""
    out = [f"# {markdown.escape(period.title(r))}", ""]
    if r.client is not None:  # what an invoice says of whom, for whom, and when
        out += [f"{markdown.escape(line)}  " for line in period.invoice_head(r)]
    out += [markdown.escape(period.generated_text(r)), ""]
    if not r.lines:
        out += [markdown.escape(period.empty_text()), ""]
    else:
        out += ["## " + markdown.escape(_("Time and billing")), ""]
        out += markdown.table(
            period.main_headers(r), period.main_rows(r), numeric=period.main_numeric(r)
        )
        out.append("")
        out += ["## " + markdown.escape(_("Per client")), ""]
        out += markdown.table(
            period.subtotal_headers(), period.subtotal_rows(r), numeric=period.SUBTOTAL_NUMERIC
        )
        out.append("")
        if r.by != "task":
            out += ["## " + markdown.escape(_("Per task")), ""]
            out += markdown.table(
                period.task_headers(), period.task_rows(r), numeric=period.TASK_NUMERIC
            )
            out.append("")
        out += ["## " + markdown.escape(_("Estimate against actual")), ""]
        out += markdown.table(
            period.estimate_headers(), period.estimate_rows(r), numeric=period.ESTIMATE_NUMERIC
        )
        out.append("")
    if r.changes:
        out += ["## " + markdown.escape(_("Changes and decisions")), ""]
        out += [
            f"- {markdown.escape(period.change_when(r, ch))}, {markdown.escape(ch.task.full)}: "
            f"{markdown.escape(period.change_text(ch))}"
            for ch in r.changes
        ]
        out.append("")
    if r.entries:
        out += ["## " + markdown.escape(_("Entries")), ""]
        out += markdown.table(
            period.entry_headers(r), period.entry_rows(r), numeric=period.entry_numeric(r)
        )
        out.append("")
    extra = period.notes(r)
    if extra:
        out += ["## " + markdown.escape(_("Notes")), ""]
        out += [f"- {markdown.escape(line)}" for line in extra]
        out.append("")
    if r.client is not None and r.lines:
        out += [f"**{markdown.escape(line)}**" for line in period.invoice_amount_lines(r)]
        out.append("")
    return "\n".join(out)


# -- CSV -------------------------------------------------------------------------------


def hours(seconds: int) -> Decimal:
    """Seconds as decimal hours, to the ten-thousandth, without trailing zeros."""
    value = (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return value.normalize() if value else Decimal(0)


def units(cents: int | None) -> Decimal | None:
    """Cents as a decimal amount of the currency: ``1250`` -> ``12.50``."""
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def csv_headers(r: PeriodReport) -> list[str]:
    first = [_("Client"), _("Task")] if r.by == "task" else [period.BY_HEADER[r.by]()]
    return first + [
        _("Currency"),
        _("Hours"),
        _("Seconds"),
        _("Billed hours"),
        _("Billed seconds"),
        _("Pieces"),
        _("Amount"),
        _("Unpriced seconds"),
    ]


def csv_rows(r: PeriodReport) -> list[list[object]]:
    def figures(
        currency: str, seconds: int, billed: int, pieces: int, cents: int | None, unpriced: int
    ) -> list[object]:
        return [
            currency,
            hours(seconds),
            seconds,
            hours(billed),
            billed,
            pieces,
            units(cents),
            unpriced,
        ]

    rows: list[list[object]] = []
    for line in r.lines:
        if r.by == "task":
            assert line.task is not None
            first: list[object] = [line.task.client, line.task.name]
        elif line.day is not None:
            first = [line.day.isoformat()]
        else:
            first = [line.key]
        rows.append(
            first
            + figures(
                line.currency,
                line.seconds,
                line.billed_seconds,
                line.pieces,
                line.amount_cents,
                line.unpriced_seconds,
            )
        )
    for s in r.subtotals:
        for label, part in (
            (_("Subtotal"), s.figures),
            (_("Invoiced"), s.invoiced),
            (_("To invoice"), s.to_invoice),
        ):
            if label != _("Subtotal") and not r.invoiced_any:
                continue  # nothing invoiced: the subtotal says it all
            if r.by == "task":
                first = [s.client, label]
            else:
                first = [_("{what}: {client}").format(what=label, client=s.client)]
            rows.append(
                first
                + figures(
                    s.currency,
                    part.seconds,
                    part.billed_seconds,
                    part.pieces,
                    part.amount_cents,
                    part.unpriced_seconds,
                )
            )
    for t in r.totals:
        first = [_("Total"), ""] if r.by == "task" else [_("Total")]
        rows.append(
            first
            + figures(
                t.currency,
                t.seconds,
                t.billed_seconds,
                t.pieces,
                t.amount_cents,
                t.unpriced_seconds,
            )
        )
    return rows


def to_csv(r: PeriodReport) -> str:
    """One row per main-table row, a subtotal row per client (with what of it is
    invoiced and what is left, once anything is), then a total row per currency, for a
    spreadsheet. A one-client report goes on, after an empty row, with its entries and
    what an invoice says (who prepared it, the client, the period, the rounding rule,
    the amount), each a label and its value."""
    from mansioni.report import spreadsheet

    rows = csv_rows(r)
    if r.client is not None:
        rows += [[]] + _csv_invoice(r)
    return spreadsheet.to_csv(csv_headers(r), rows, language=language())


def _csv_invoice(r: PeriodReport) -> list[list[object]]:
    rows: list[list[object]] = []
    if r.entries:
        tz = ZoneInfo(r.zone)
        rows.append(
            [_("Day"), _("Start"), _("End"), _("Task"), _("Who"), _("Hours"), _("Seconds")]
            + [_("Invoiced"), _("Note")]
        )
        for e in r.entries:
            start = datetime.fromtimestamp(e.start, tz)
            end = datetime.fromtimestamp(e.end, tz)
            rows.append(
                [
                    start.date().isoformat(),
                    start.strftime("%H:%M"),
                    end.strftime("%H:%M"),
                    e.task.name,
                    e.person,
                    hours(e.end - e.start),
                    e.end - e.start,
                    e.invoiced,
                    e.note or "",
                ]
            )
        rows.append([])
    if r.prepared_by:
        rows.append([_("Prepared by"), r.prepared_by])
    if r.contact:
        rows.append([_("Contact"), r.contact])
    rows.append([_("Client"), r.client])
    rows.append([_("Period"), r.first.isoformat(), r.last.isoformat()])
    rows.append([_("Rounding"), period.rounding_text()])
    for t in r.totals:
        rows.append([_("Billed hours"), hours(t.billed_seconds)])
        rows.append([_("Amount"), t.currency, units(t.amount_cents)])
    return rows


# -- JSON ------------------------------------------------------------------------------


def to_json_data(r: PeriodReport) -> dict[str, object]:
    """The report as plain JSON data (``docs/reference/report-json.md``)."""
    tz = ZoneInfo(r.zone)

    def instant(value: int) -> str:
        return datetime.fromtimestamp(value, tz).isoformat()

    def line(x: Line) -> dict[str, object]:
        data: dict[str, object] = {"key": x.key}
        if r.by == "task":
            assert x.task is not None
            data.update(task=x.task.full, client=x.task.client)
        elif r.by == "day":
            data["day"] = x.key
        elif r.by == "week":
            data["week_start"] = x.key
        else:
            data["person"] = x.key
        data.update(currency=x.currency, **x.parts())
        return data

    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "period": {"from": r.first.isoformat(), "to": r.last.isoformat()},
        "zone": r.zone,
        "generated": instant(r.now),
        "scope": {
            "client": r.client,
            "task": r.task.full if r.task is not None else None,
        },
        "by": r.by,
        "clients": [
            {
                "name": c.name,
                "currency": c.currency,
                "rate_cents": c.rate_cents,
                "rounding_minutes": c.rounding_minutes,
                "minimum_minutes": c.minimum_minutes,
            }
            for c in r.clients
        ],
        "rows": [line(x) for x in r.lines],
        "tasks": [
            {
                "task": t.task.full,
                "client": t.task.client,
                "state": t.state,
                "currency": t.currency,
                "seconds": t.seconds,
                "billed_seconds": t.billed_seconds,
                "pieces": t.pieces,
                "entries": t.entries,
                "rates_cents": list(t.rates_cents),
                "amount_cents": t.amount_cents,
                "unpriced_seconds": t.unpriced_seconds,
                "basis": t.basis,
                "occurrences": t.occurrences,
                "atypical": t.atypical,
                "median_seconds": t.median_seconds,
                "mean_seconds": t.mean_seconds,
                "estimate_seconds": t.estimate_seconds,
                "estimated_occurrences": t.estimated_occurrences,
                "time_index": t.time_index,
                "verdict": t.verdict.value if t.verdict is not None else None,
                "invoiced": _figures(t.invoiced),
            }
            for t in r.tasks
        ],
        "totals": [{"currency": t.currency, **t.parts(), "partial": t.partial} for t in r.totals],
        "changes": [
            {
                "at": instant(c.at),
                "task": c.task.full,
                "client": c.task.client,
                "kind": c.kind,
                "text": c.text,
                "major": c.major,
                "estimate_seconds": c.estimate_seconds,
                "estimate_basis": c.estimate_basis,
                "rate_cents": c.rate_cents,
                "currency": c.currency,
                "decision": c.decision,
                "verdict": c.verdict,
                "person": c.person,
            }
            for c in r.changes
        ],
        "running": [
            {
                "person": t.person,
                "task": t.task.full,
                "client": t.task.client,
                "start": instant(t.start),
            }
            for t in r.running
        ],
        "subtotals": [
            {
                "client": s.client,
                "currency": s.currency,
                **_figures(s.figures),
                "partial": s.partial,
                "invoiced": _figures(s.invoiced),
                "to_invoice": _figures(s.to_invoice),
            }
            for s in r.subtotals
        ],
        "invoices": [
            {
                "client": i.client,
                "period": {"from": i.first.isoformat(), "to": i.last.isoformat()},
                "created": instant(i.created),
                "person": i.person,
                "note": i.note,
                "entries": i.entries,
            }
            for i in r.invoices
        ],
        "entries": [
            {
                "id": e.id,
                "task": e.task.full,
                "person": e.person,
                "start": instant(e.start),
                "end": instant(e.end),
                "seconds": e.end - e.start,
                "note": e.note,
                "invoiced": e.invoiced,
            }
            for e in r.entries
        ],
        "prepared_by": {"name": r.prepared_by, "contact": r.contact},
    }


def _figures(f: Figures) -> dict[str, object]:
    return dict(f.parts())


def to_json(r: PeriodReport) -> str:
    return json_text(to_json_data(r)) + "\n"
