"""The periodic report as Rich renderables, for the terminal or a text file.

Two layouts, by the width of the terminal:

- **Wide** (:data:`COMPACT_BELOW` columns and more): tables, as the files have them.
  Numbers never wrap; a name wraps at its spaces, and a word too long for its column
  is shortened with an ellipsis, never split across lines.
- **Compact** (narrower): the client once as a heading, then one or two lines per
  duty: its name and its figures (or its verdict) on the first, the rest on the
  second, flowed at the separators. A name is shortened at a word boundary with an
  ellipsis (``domain.text.shorten``) only where nothing else fits.

Every text is a ``Text``, never read as Rich markup, its control characters shown
(``domain.text.shown``). The words and figures are those of ``report.period``, as for
every other format.
"""

from __future__ import annotations

from mansioni.domain.text import shorten, shown
from mansioni.i18n import _
from mansioni.report import period

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from mansioni.domain.period import PeriodReport, TaskSummary

#: Below this many columns, the compact layout.
COMPACT_BELOW = 100
#: The narrowest layout drawn; a narrower terminal gets lines this long.
NARROWEST = 40
#: The gap between a name and its figures.
GAP = 2


def renderable(r: PeriodReport, width: int = 120) -> Group:
    """The whole report for a terminal ``width`` columns wide: title, tables (or their
    compact lines), changes and notes, one below the other."""
    from rich.console import Group
    from rich.text import Text

    def plain(text: str, style: str = "") -> Text:
        return Text(shown(text), style=style)

    compact = width < COMPACT_BELOW
    parts: list[object] = [
        plain(period.title(r), style="bold"),
        plain(period.generated_text(r), style="dim"),
        plain(""),
    ]
    if not r.lines:
        parts.append(plain(period.empty_text()))
    elif compact:
        parts += _compact(r, max(width, NARROWEST) - 1)
    else:
        parts += _wide(r)
    if r.changes:
        parts += [plain(""), plain(_("Changes and decisions"), style="bold")]
        parts += [
            plain(f"{period.change_when(r, ch)}  {ch.task.full}: {period.change_text(ch)}")
            for ch in r.changes
        ]
    notes = period.notes(r)
    if notes:
        parts.append(plain(""))
        parts += [plain(line) for line in notes]
    return Group(*parts)


# -- wide: tables ----------------------------------------------------------------------


def _table(
    headers: list[str], rows: list[list[str]], numeric: frozenset[int], totals: int = 0
) -> Table:
    from rich.table import Table
    from rich.text import Text

    t = Table(box=None, header_style="bold", pad_edge=False)
    for i, header in enumerate(headers):
        if i in numeric:  # a heading may wrap at its spaces; a figure never does
            t.add_column(header, justify="right", no_wrap=True)
        else:  # wraps at spaces; a word longer than the column ends in an ellipsis
            t.add_column(header, overflow="ellipsis", ratio=1 if i == 0 else None)
    for n, row in enumerate(rows):
        t.add_row(
            *(Text(shown(cell)) for cell in row),
            style="bold" if n >= len(rows) - totals else None,
        )
    return t


def _wide(r: PeriodReport) -> list[object]:
    from rich.text import Text

    from mansioni.report.day_bars import day_bars

    parts: list[object] = [
        _table(period.main_headers(r), period.main_rows(r), period.main_numeric(r), len(r.totals)),
        *day_bars(r),  # by day: a bar per day under the day's rows, within the width
        Text(""),
        Text(_("Per client"), style="bold"),
        _table(period.subtotal_headers(), period.subtotal_rows(r), period.SUBTOTAL_NUMERIC),
    ]
    if r.by != "task":
        parts += [
            Text(""),
            Text(_("Per task"), style="bold"),
            _table(period.task_headers(), period.task_rows(r), period.TASK_NUMERIC),
        ]
    parts += [
        Text(""),
        Text(_("Estimate against actual"), style="bold"),
        _table(period.estimate_headers(), period.estimate_rows(r), period.ESTIMATE_NUMERIC),
    ]
    return parts


# -- compact: a heading per client, a line or two per duty -----------------------------


def line(name: str, right: str, width: int, indent: int = 0) -> list[str]:
    """``name`` and ``right`` on one line ``width`` wide, ``right`` flush right; the
    name shortened at a word boundary where it does not fit beside it, and ``right`` on
    a line of its own where not even a shortened name would."""
    pad = " " * indent
    name = shown(name)
    room = width - indent - len(right) - GAP
    if room >= min(len(name), 12):
        name = shorten(name, room)
        return [pad + name + " " * (width - indent - len(name) - len(right)) + right]
    return [pad + shorten(name, width - indent), " " * max(0, width - len(right)) + right]


def flow(parts: list[str], width: int, indent: int) -> list[str]:
    """``parts`` joined by `` · `` into lines at most ``width`` wide, a part never cut
    (one longer than a line is shortened at a word boundary)."""
    lines: list[str] = []
    current = ""
    room = width - indent
    for part in parts:
        part = shorten(shown(part), room)
        candidate = f"{current} · {part}" if current else part
        if len(candidate) <= room:
            current = candidate
        else:
            lines.append(current)
            current = part
    if current:
        lines.append(current)
    return [" " * indent + x for x in lines]


def _figures(seconds: int, billed: int, amount: str, widths: tuple[int, int] = (0, 0)) -> str:
    """Time, billed time and amount, each right-aligned in ``widths`` (the widest time
    and amount of the report), so that a column of them lines up under one another."""
    time, amount_width = widths
    return (
        f"{period.duration(seconds):>{time}} → {period.duration(billed):>{time}}"
        f"  {amount:>{amount_width}}"
    )


def _widths(r: PeriodReport) -> tuple[int, int]:
    """The widest time and the widest amount of the figures ``_compact`` shows."""
    rows = [(x, x.currency) for x in (*r.lines, *r.tasks, *r.totals)]
    rows += [(s.figures, s.currency) for s in r.subtotals]
    times = [period.duration(x.seconds) for x, _currency in rows]
    times += [period.duration(x.billed_seconds) for x, _currency in rows]
    amounts = [
        period.amount_text(x.amount_cents, currency, x.unpriced_seconds) for x, currency in rows
    ]
    return max(map(len, times), default=0), max(map(len, amounts), default=0)


def _by_client(r: PeriodReport) -> list[tuple[str, list[TaskSummary]]]:
    found: dict[str, list[TaskSummary]] = {}
    for t in r.tasks:
        found.setdefault(t.task.client, []).append(t)
    return list(found.items())


def _compact(r: PeriodReport, width: int) -> list[object]:
    from rich.text import Text

    from mansioni.report.day_bars import day_bars

    out: list[object] = []
    widths = _widths(r)

    def text(lines: list[str], style: str = "") -> None:
        out.extend(Text(x, style=style) for x in lines)

    # What the figures on the right are: the columns' headers, said once.
    text([_("Time → billed time, amount")], "dim")
    # The time and the money: by day, week or person first when asked, then per duty.
    if r.by != "task":
        text([period.BY_HEADER[r.by]()], "bold")
        for ln in r.lines:
            amount = period.amount_text(ln.amount_cents, ln.currency, ln.unpriced_seconds)
            text(
                line(
                    period.key_text(r, ln),
                    _figures(ln.seconds, ln.billed_seconds, amount, widths),
                    width,
                    2,
                )
            )
        out.extend(day_bars(r))  # by day: a bar per day under the day's rows
        text([""])
    subtotals = {s.client: s for s in r.subtotals}
    for client, tasks in _by_client(r):
        text([shorten(shown(client), width)], "bold")
        for t in tasks:
            amount = period.amount_text(t.amount_cents, t.currency, t.unpriced_seconds)
            text(line(t.task.name, _figures(t.seconds, t.billed_seconds, amount, widths), width, 2))
            text(
                flow(
                    [
                        _("Pieces") + f": {t.pieces}",
                        _("Rate") + f": {period.rates_text(t)}",
                    ],
                    width,
                    4,
                ),
                "dim",
            )
        s = subtotals.get(client)
        if s is not None:
            amount = period.amount_text(
                s.figures.amount_cents, s.currency, s.figures.unpriced_seconds
            )
            text(
                line(
                    _("Subtotal"),
                    _figures(s.figures.seconds, s.figures.billed_seconds, amount, widths),
                    width,
                    2,
                ),
                "bold",
            )
            if r.invoiced_any:
                text(
                    flow(
                        [
                            _("Invoiced") + f": {period.part_text(s.invoiced, s.currency)}",
                            _("To invoice") + f": {period.part_text(s.to_invoice, s.currency)}",
                        ],
                        width,
                        4,
                    )
                )
    for t in r.totals:
        label = (
            _("Total {currency}").format(currency=t.currency) if len(r.totals) > 1 else _("Total")
        )
        amount = period.amount_text(t.amount_cents, t.currency, t.unpriced_seconds)
        text(line(label, _figures(t.seconds, t.billed_seconds, amount, widths), width), "bold")
    # Estimates against actual time, and each duty's verdict.
    text(["", _("Estimate against actual")], "bold")
    for client, tasks in _by_client(r):
        text([shorten(shown(client), width)], "bold")
        for t in tasks:
            text(line(t.task.name, period.verdict_label(t), width, 2))
            text(
                flow(
                    [
                        _("Occ.") + f" {period.occurrences_text(t)}",
                        _("Median (min)") + f" {period.minutes(t.median_seconds)}",
                        _("Mean (min)") + f" {period.minutes(t.mean_seconds)}",
                        _("Estimate (min)") + f" {period.estimate_text(t)}",
                        _("Index") + f" {period.index_text(t.time_index)}",
                    ],
                    width,
                    4,
                ),
                "dim",
            )
    return out
