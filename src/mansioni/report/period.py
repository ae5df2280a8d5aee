"""The periodic report as Markdown, CSV and JSON, and the words every format shares.

Each renderer is a pure function of a ``PeriodReport`` (``services.report``): the
same report always gives the same text, in the language in use. The HTML page is in
``report.period_html`` and the terminal table in ``cli.report``; both take their
headings, cells and notes from here, so the formats never disagree.

The JSON shape is versioned and documented in ``docs/reference/report-json.md``:
seconds and cents are integers, dates ISO 8601, and a change to the shape that
could break a reader raises ``JSON_VERSION``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from mansioni.domain.display import format_duration
from mansioni.domain.text import json_text
from mansioni.i18n import _, babel_locale, language, ngettext
from mansioni.report import markdown
from mansioni.report import verdict_text as say
from mansioni.report.labels import BASIS_LABEL, event_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.report import (
        ChangeLine,
        ClientTerms,
        Line,
        PeriodReport,
        TaskSummary,
        Total,
    )

JSON_FORMAT = "mansioni-report"
JSON_VERSION = 1

BY_HEADER = {
    "task": lambda: _("Task"),
    "day": lambda: _("Day"),
    "week": lambda: _("Week"),
    "who": lambda: _("Who"),
}


# -- words and cells shared by every format ------------------------------------------


def day_text(day: date) -> str:
    return say.day(day)


def period_text(r: PeriodReport) -> str:
    """``1–30 Nov 2026`` in English, ``01–30 nov 2026`` in Italian."""
    from babel.dates import format_interval

    if r.first == r.last:
        return say.day(r.first)
    return format_interval(r.first, r.last, "yMMMd", locale=babel_locale())


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
    if line.day is not None and r.by == "week":
        return _("week of {day}").format(day=say.day(line.day))
    if line.day is not None:
        from babel.dates import format_date

        return format_date(line.day, "EEE d MMM y", locale=babel_locale())
    return line.key


def duration(seconds: int) -> str:
    """``h:mm``, as everywhere in mansioni (whole minutes, truncated)."""
    return format_duration(seconds)


def amount_text(cents: int | None, currency: str, unpriced: int) -> str:
    """The amount, ``-`` when nothing had a rate, a ``*`` when part had none."""
    text = say.money(cents, currency)
    return text + " *" if unpriced and cents is not None else text


def minutes(seconds: float | None) -> str:
    return say.minutes(seconds)


def index_text(value: float | None) -> str:
    return "-" if value is None else say.number(value, 2)


def occurrences_text(t: TaskSummary) -> str:
    return f"{t.occurrences} (+{t.atypical})" if t.atypical else str(t.occurrences)


def estimate_text(t: TaskSummary) -> str:
    if t.estimate_seconds is None:
        return "-"
    if t.basis == "occurrence":
        return say.minutes(t.estimate_seconds)
    return f"{say.minutes(t.estimate_seconds)} ({BASIS_LABEL[t.basis]()})"


def verdict_label(t: TaskSummary) -> str:
    return "-" if t.verdict is None else say.label(t.verdict)


def rates_text(t: TaskSummary) -> str:
    """The hourly rates applied, in time order: ``€28.00 → €30.00``."""
    return " → ".join(say.money(c, t.currency) for c in t.rates_cents) or "-"


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
    return say.day(datetime.fromtimestamp(change.at, ZoneInfo(r.zone)).date())


def change_text(change: ChangeLine) -> str:
    """What happened, as ``mansioni history`` says it (without the task and the day)."""
    return event_text(change, change.currency)


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
    """The lines under the tables: billing terms, partial amounts, running timers."""
    lines = [terms_text(t) for t in r.clients]
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
                    _("{person}, {task}, since {when}").format(
                        person=t.person,
                        task=t.task.full,
                        when=datetime.fromtimestamp(t.start, tz).strftime("%Y-%m-%d %H:%M"),
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
        day=say.day(moment.date()), time=moment.strftime("%H:%M"), zone=r.zone
    )


# -- Markdown --------------------------------------------------------------------------


def to_markdown(r: PeriodReport) -> str:
    """The report for an e-mail: headings, pipe tables, every name escaped."""
    out = [f"# {markdown.escape(title(r))}", "", markdown.escape(generated_text(r)), ""]
    if not r.lines:
        out += [markdown.escape(empty_text()), ""]
    else:
        out += ["## " + markdown.escape(_("Time and billing")), ""]
        out += markdown.table(main_headers(r), main_rows(r), numeric=main_numeric(r))
        out.append("")
        if r.by != "task":
            out += ["## " + markdown.escape(_("Per task")), ""]
            out += markdown.table(task_headers(), task_rows(r), numeric=TASK_NUMERIC)
            out.append("")
        out += ["## " + markdown.escape(_("Estimate against actual")), ""]
        out += markdown.table(estimate_headers(), estimate_rows(r), numeric=ESTIMATE_NUMERIC)
        out.append("")
    if r.changes:
        out += ["## " + markdown.escape(_("Changes and decisions")), ""]
        out += [
            f"- {markdown.escape(change_when(r, ch))}, {markdown.escape(ch.task.full)}: "
            f"{markdown.escape(change_text(ch))}"
            for ch in r.changes
        ]
        out.append("")
    extra = notes(r)
    if extra:
        out += ["## " + markdown.escape(_("Notes")), ""]
        out += [f"- {markdown.escape(line)}" for line in extra]
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
    first = [_("Client"), _("Task")] if r.by == "task" else [BY_HEADER[r.by]()]
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
    """One row per main-table row, then a total row per currency, for a spreadsheet."""
    from mansioni.report.spreadsheet import to_csv as document

    return document(csv_headers(r), csv_rows(r), language=language())


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
        data.update(
            currency=x.currency,
            seconds=x.seconds,
            billed_seconds=x.billed_seconds,
            pieces=x.pieces,
            entries=x.entries,
            amount_cents=x.amount_cents,
            unpriced_seconds=x.unpriced_seconds,
        )
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
            }
            for t in r.tasks
        ],
        "totals": [
            {
                "currency": t.currency,
                "seconds": t.seconds,
                "billed_seconds": t.billed_seconds,
                "pieces": t.pieces,
                "entries": t.entries,
                "amount_cents": t.amount_cents,
                "unpriced_seconds": t.unpriced_seconds,
                "partial": t.partial,
            }
            for t in r.totals
        ],
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
    }


def to_json(r: PeriodReport) -> str:
    return json_text(to_json_data(r)) + "\n"
