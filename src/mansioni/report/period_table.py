"""The periodic report as Rich renderables, for the terminal or a text file.

Names fold inside their column, numbers never wrap, so a narrow terminal keeps every
figure whole. Every text is a ``Text``, never read as Rich markup, its control
characters shown (``domain.text.shown``). The words and figures are those of
``report.period``, as for every other format.
"""

from __future__ import annotations

from mansioni.domain.text import shown
from mansioni.i18n import _
from mansioni.report import period

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from mansioni.domain.period import PeriodReport


def renderable(r: PeriodReport) -> Group:
    """The whole report: title, tables, changes and notes, one below the other."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    def plain(text: str, style: str = "") -> Text:
        return Text(shown(text), style=style)

    def table(
        headers: list[str], rows: list[list[str]], numeric: frozenset[int], totals: int = 0
    ) -> Table:
        t = Table(box=None, header_style="bold", pad_edge=False)
        for i, header in enumerate(headers):
            if i in numeric:  # a heading may wrap at its spaces; a figure never does
                t.add_column(header, justify="right")
            else:
                t.add_column(header, overflow="fold", ratio=1 if i == 0 else None)
        for n, row in enumerate(rows):
            t.add_row(*map(plain, row), style="bold" if n >= len(rows) - totals else None)
        return t

    parts: list[object] = [
        plain(period.title(r), style="bold"),
        plain(period.generated_text(r), style="dim"),
        plain(""),
    ]
    if not r.lines:
        parts.append(plain(period.empty_text()))
    else:
        parts.append(
            table(
                period.main_headers(r),
                period.main_rows(r),
                period.main_numeric(r),
                totals=len(r.totals),
            )
        )
        if r.by != "task":
            parts += [
                plain(""),
                plain(_("Per task"), style="bold"),
                table(period.task_headers(), period.task_rows(r), period.TASK_NUMERIC),
            ]
        parts += [
            plain(""),
            plain(_("Estimate against actual"), style="bold"),
            table(period.estimate_headers(), period.estimate_rows(r), period.ESTIMATE_NUMERIC),
        ]
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
