"""The words and cells every format of the periodic report shares.

Each function is pure, of a ``PeriodReport`` (``domain.period``): the same report
always gives the same text, in the language in use. The terminal table
(``report.period_table``), the files (``report.period_files``: Markdown, CSV, JSON)
and the HTML page (``report.period_html``) take their headings, cells and notes from
here, so the formats never disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from mansioni.domain.display import format_duration
from mansioni.i18n import _, dates, ngettext
from mansioni.report import verdict_text
from mansioni.report.labels import BASIS_LABEL, event_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import (
        ChangeLine,
        ClientTerms,
        Figures,
        Line,
        PeriodReport,
        TaskSummary,
        Total,
    )

BY_HEADER = {
    "task": lambda: _("Task"),
    "day": lambda: _("Day"),
    "week": lambda: _("Week"),
    "who": lambda: _("Who"),
}


# -- words and cells shared by every format ------------------------------------------


def day_text(day: date) -> str:
    return verdict_text.day(day)


def period_text(r: PeriodReport) -> str:
    return span_text(r.first, r.last)


def span_text(first: date, last: date) -> str:
    """``1–30 Nov 2026``: the report's period (``i18n.dates.interval``)."""
    return dates.interval(first, last)


def scope_text(r: PeriodReport) -> str:
    if r.task is not None:
        return r.task.full
    if r.client is not None:
        return r.client
    return _("all clients")


def title(r: PeriodReport) -> str:
    return _("Report: {scope}, {period}").format(scope=scope_text(r), period=period_text(r))


def key_text(r: PeriodReport, line: Line) -> str:
    """The first cell of a main-table row, as people read it."""
    if line.day is not None:
        day = dates.weekday(line.day)
        # "week of Mon 2 Nov 2026": with its weekday, no article to agree with the day.
        return _("week of {day}").format(day=day) if r.by == "week" else day
    return line.key


def duration(seconds: int) -> str:
    """``h:mm``, as everywhere in mansioni (whole minutes, truncated)."""
    return format_duration(seconds)


def money_text(cents: int | None, currency: str) -> str:
    """An amount in the language's way (``1.131,55 €`` in Italian); ``-`` for none."""
    return verdict_text.money(cents, currency)


def amount_text(cents: int | None, currency: str, unpriced: int) -> str:
    """The amount, ``-`` when nothing had a rate, a ``*`` when part had none."""
    text = verdict_text.money(cents, currency)
    return text + " *" if unpriced and cents is not None else text


def minutes(seconds: float | None) -> str:
    return verdict_text.minutes(seconds)


def index_text(value: float | None) -> str:
    return "-" if value is None else verdict_text.number(value, 2)


def occurrences_text(t: TaskSummary) -> str:
    return f"{t.occurrences} (+{t.atypical})" if t.atypical else str(t.occurrences)


def estimate_text(t: TaskSummary) -> str:
    if t.estimate_seconds is None:
        return "-"
    if t.basis == "occurrence":
        return verdict_text.minutes(t.estimate_seconds)
    return f"{verdict_text.minutes(t.estimate_seconds)} ({BASIS_LABEL[t.basis]()})"


def verdict_label(t: TaskSummary) -> str:
    return "-" if t.verdict is None else verdict_text.label(t.verdict)


def rates_text(t: TaskSummary) -> str:
    """The hourly rates applied, in time order: ``€28.00 → €30.00``."""
    return " → ".join(verdict_text.money(c, t.currency) for c in t.rates_cents) or "-"


def task_headers() -> list[str]:
    return [_("Task"), _("Time"), _("Billed"), _("Pieces"), _("Rate"), _("Amount")]


#: The columns of ``task_headers`` that hold numbers (right-aligned).
TASK_NUMERIC = frozenset({1, 2, 3, 5})


def task_rows(r: PeriodReport) -> list[list[str]]:
    return [
        [
            t.task.full,
            duration(t.seconds),
            duration(t.billed_seconds),
            str(t.pieces),
            rates_text(t),
            amount_text(t.amount_cents, t.currency, t.unpriced_seconds),
        ]
        for t in r.tasks
    ]


def main_headers(r: PeriodReport) -> list[str]:
    if r.by == "task":
        return task_headers()
    return [BY_HEADER[r.by](), _("Time"), _("Billed"), _("Pieces"), _("Amount")]


def main_numeric(r: PeriodReport) -> frozenset[int]:
    return TASK_NUMERIC if r.by == "task" else frozenset({1, 2, 3, 4})


def main_rows(r: PeriodReport) -> list[list[str]]:
    """The main table's rows, then one total row per currency."""
    if r.by == "task":
        rows = task_rows(r)
    else:
        rows = [
            [
                key_text(r, line),
                duration(line.seconds),
                duration(line.billed_seconds),
                str(line.pieces),
                amount_text(line.amount_cents, line.currency, line.unpriced_seconds),
            ]
            for line in r.lines
        ]
    return rows + [total_row(r, t) for t in r.totals]


def total_row(r: PeriodReport, t: Total) -> list[str]:
    label = _("Total {currency}").format(currency=t.currency) if len(r.totals) > 1 else _("Total")
    row = [label, duration(t.seconds), duration(t.billed_seconds), str(t.pieces)]
    if r.by == "task":
        row.append("")
    return row + [amount_text(t.amount_cents, t.currency, t.unpriced_seconds)]


def estimate_headers() -> list[str]:
    return [
        _("Task"),
        _("Occ."),
        _("Median (min)"),
        _("Mean (min)"),
        _("Estimate (min)"),
        _("Index"),
        _("Verdict"),
    ]


#: The columns of ``estimate_headers`` that hold numbers.
ESTIMATE_NUMERIC = frozenset({1, 2, 3, 4, 5})


def estimate_rows(r: PeriodReport) -> list[list[str]]:
    return [
        [
            t.task.full,
            occurrences_text(t),
            minutes(t.median_seconds),
            minutes(t.mean_seconds),
            estimate_text(t),
            index_text(t.time_index),
            verdict_label(t),
        ]
        for t in r.tasks
    ]


def change_when(r: PeriodReport, change: ChangeLine) -> str:
    return verdict_text.day(datetime.fromtimestamp(change.at, ZoneInfo(r.zone)).date())


def change_text(change: ChangeLine) -> str:
    """What happened, as ``mansioni history`` says it, to follow the task's name and a
    colon (``Newsletter: major change, “...”``)."""
    return event_text(change, change.currency, after_name=True)


def terms_text(terms: ClientTerms) -> str:
    """How a client is billed, in one sentence."""
    if terms.rounding_minutes:
        rounding = ngettext(
            "each piece of work rounded up to {n} minute",
            "each piece of work rounded up to {n} minutes",
            terms.rounding_minutes,
        ).format(n=terms.rounding_minutes)
    else:
        rounding = _("each piece of work billed to the second")
    parts = [rounding]
    if terms.minimum_minutes:
        parts.append(
            ngettext("at least {n} minute", "at least {n} minutes", terms.minimum_minutes).format(
                n=terms.minimum_minutes
            )
        )
    return _("{client}: {terms}; amounts in {currency}.").format(
        client=terms.name, terms=", ".join(parts), currency=terms.currency
    )


def notes(r: PeriodReport) -> list[str]:
    """The lines under the tables: billing terms, the rounding rule, partial amounts,
    what is invoiced, running timers."""
    lines = [terms_text(t) for t in r.clients]
    if r.lines:
        lines.append(rounding_text())
    lines += invoiced_text(r)
    for t in r.totals:
        if t.partial:
            lines.append(
                _(
                    "* {time} of billed time in {currency} has no hourly rate: the amount is partial. Set one with mansioni client edit CLIENT --rate 28"
                ).format(time=duration(t.unpriced_seconds), currency=t.currency)
            )
    if r.running:
        tz = ZoneInfo(r.zone)
        lines.append(
            ngettext(
                "Not counted: {n} timer still running ({timers}).",
                "Not counted: {n} timers still running ({timers}).",
                len(r.running),
            ).format(
                n=len(r.running),
                timers="; ".join(
                    _("{person}, {task}, started on {day} at {time}").format(
                        person=t.person,
                        task=t.task.full,
                        day=verdict_text.day(datetime.fromtimestamp(t.start, tz).date()),
                        time=datetime.fromtimestamp(t.start, tz).strftime("%H:%M"),
                    )
                    for t in r.running
                ),
            )
        )
    return lines


def empty_text() -> str:
    return _("No time recorded in this period.")


def generated_text(r: PeriodReport) -> str:
    moment = datetime.fromtimestamp(r.now, ZoneInfo(r.zone))
    return _("Made on {day} at {time}; times on the clock of {zone}.").format(
        day=verdict_text.day(moment.date()), time=moment.strftime("%H:%M"), zone=r.zone
    )


# -- a subtotal per client -------------------------------------------------------------


def subtotal_headers() -> list[str]:
    return [_("Client"), _("Time"), _("Billed"), _("Amount"), _("Invoiced"), _("To invoice")]


#: The columns of ``subtotal_headers`` that hold numbers.
SUBTOTAL_NUMERIC = frozenset({1, 2, 3, 4, 5})


def part_text(figures: Figures, currency: str) -> str:
    """What part of a subtotal is (or is not yet) invoiced: its amount, or its billed
    time where nothing in it has a rate; ``-`` for nothing."""
    if not figures.entries:
        return "-"
    if figures.amount_cents is None:
        return duration(figures.billed_seconds)
    return money_text(figures.amount_cents, currency)


def subtotal_rows(r: PeriodReport) -> list[list[str]]:
    return [
        [
            s.client,
            duration(s.figures.seconds),
            duration(s.figures.billed_seconds),
            amount_text(s.figures.amount_cents, s.currency, s.figures.unpriced_seconds),
            part_text(s.invoiced, s.currency),
            part_text(s.to_invoice, s.currency),
        ]
        for s in r.subtotals
    ]


def rounding_text() -> str:
    """The one rounding rule for money, in a sentence with its example in the
    language's numbers."""
    return _(
        "Money is rounded half up to the cent, once per task ({exact} becomes {rounded});"
        " subtotals and totals add up the rounded amounts."
    ).format(exact=verdict_text.number(23.625, 3), rounded=verdict_text.number(23.63, 2))


def invoiced_text(r: PeriodReport) -> list[str]:
    """The markings of ``mansioni bill`` that hold entries of the report."""
    tz = ZoneInfo(r.zone)
    lines = []
    for i in r.invoices:
        made = verdict_text.day(datetime.fromtimestamp(i.created, tz).date())
        line = ngettext(
            "Invoiced on {day}: {client}, {period}, {n} entry.",
            "Invoiced on {day}: {client}, {period}, {n} entries.",
            i.entries,
        ).format(day=made, client=i.client, period=span_text(i.first, i.last), n=i.entries)
        if i.note:
            line += " " + _("Note: {note}").format(note=i.note)
        lines.append(line)
    return lines


# -- what an invoice says (a one-client report) ----------------------------------------


def sender_lines(r: PeriodReport) -> list[str]:
    """Who prepared the report and how to reach her (the configuration's ``name`` and
    ``contact``); nothing where neither is set."""
    lines = []
    if r.prepared_by:
        lines.append(_("Prepared by {name}").format(name=r.prepared_by))
    if r.contact:
        lines.append(_("Contact: {contact}").format(contact=r.contact))
    return lines


def invoice_head(r: PeriodReport) -> list[str]:
    """The lines above an invoice's tables: sender, client, period."""
    lines = sender_lines(r)
    if r.client is not None:
        lines.append(_("Client: {client}").format(client=r.client))
    lines.append(_("Period: {period}").format(period=period_text(r)))
    return lines


def invoice_amount_lines(r: PeriodReport) -> list[str]:
    """The amount of the report, per currency, with its hours: the invoice's bottom line."""
    return [
        _("Amount: {amount} for {hours} billed ({entries}).").format(
            amount=amount_text(t.amount_cents, t.currency, t.unpriced_seconds),
            hours=duration(t.billed_seconds),
            entries=ngettext("{n} entry", "{n} entries", t.entries).format(n=t.entries),
        )
        for t in r.totals
    ]


def several_people(r: PeriodReport) -> bool:
    return len({e.person for e in r.entries}) > 1


def entry_headers(r: PeriodReport) -> list[str]:
    heads = [_("Day"), _("Times"), _("Task")]
    if several_people(r):
        heads.append(_("Who"))
    return heads + [_("Time"), _("Invoiced"), _("Note")]


def entry_numeric(r: PeriodReport) -> frozenset[int]:
    return frozenset({4 if several_people(r) else 3})


def entry_rows(r: PeriodReport) -> list[list[str]]:
    tz = ZoneInfo(r.zone)
    who = several_people(r)
    rows = []
    for e in r.entries:
        start = datetime.fromtimestamp(e.start, tz)
        end = datetime.fromtimestamp(e.end, tz)
        times = f"{start:%H:%M}–{end:%H:%M}"
        if end.date() != start.date():
            times += f" ({verdict_text.day(end.date())})"
        row = [verdict_text.day(start.date()), times, e.task.name]
        if who:
            row.append(e.person)
        row += [duration(e.end - e.start), _("yes") if e.invoiced else _("no"), e.note or ""]
        rows.append(row)
    return rows
