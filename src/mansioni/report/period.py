"""The words and cells every format of the periodic report shares.

Each function is pure, of a ``PeriodReport`` (``domain.period``): the same report
always gives the same text, in the language in use. The terminal table
(``report.period_table``), the files (``report.period_files``: Markdown, CSV, JSON)
and the HTML page (``report.period_html``) take their headings, cells and notes from
here, so the formats never disagree.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mansioni.domain.display import format_duration
from mansioni.i18n import _, babel_locale, ngettext
from mansioni.report import verdict_text
from mansioni.report.labels import BASIS_LABEL, event_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import (
        ChangeLine,
        ClientTerms,
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
    """``1–30 Nov 2026``, ``19 Oct – 16 Nov 2026``, as each language writes a span of
    days; never a padded day (CLDR's Italian would write ``01–30 nov 2026``)."""
    from babel.dates import format_interval

    if r.first == r.last:
        return verdict_text.day(r.first)
    text = format_interval(r.first, r.last, "yMMMd", locale=babel_locale())
    return re.sub(r"(?<!\d)0(\d)(?!\d)", r"\1", text)  # only days are numbers below 10


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
        from babel.dates import format_date

        day = format_date(line.day, "EEE d MMM y", locale=babel_locale())
        # "week of Mon 2 Nov 2026": with its weekday, no article to agree with the day.
        return _("week of {day}").format(day=day) if r.by == "week" else day
    return line.key


def duration(seconds: int) -> str:
    """``h:mm``, as everywhere in mansioni (whole minutes, truncated)."""
    return format_duration(seconds)


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
