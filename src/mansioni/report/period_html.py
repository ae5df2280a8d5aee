"""The periodic report as one self-contained HTML page, to send to a client or print.

A pure function of a ``PeriodReport``. The frame (inline CSS, print stylesheet, a
policy that forbids every request) is ``report.html``'s; the words and cells are
``report.period``'s, so the page says exactly what the other formats say. Every
text that comes from the store is escaped (``html.table`` escapes its cells).
"""

from __future__ import annotations

from mansioni.i18n import _, language
from mansioni.report import html, period

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.domain.period import PeriodReport


def to_html(r: PeriodReport) -> str:
    head = [
        '<header class="page-head">',
        f"<h1>{html.esc(period.title(r))}</h1>",
        *(
            f'<p class="meta">{html.esc(line)}</p>'
            for line in (period.invoice_head(r) if r.client is not None else [])
        ),
        f'<p class="meta">{html.esc(period.generated_text(r))}</p>',
        "</header>",
    ]
    body: list[str] = []
    if not r.lines:
        body.append(f"<p>{html.esc(period.empty_text())}</p>")
    else:
        body += [
            "<h2>" + html.esc(_("Time and billing")) + "</h2>",
            html.table(
                period.main_headers(r), _rows(period.main_rows(r)), numeric=period.main_numeric(r)
            ),
            "<h2>" + html.esc(_("Per client")) + "</h2>",
            html.table(
                period.subtotal_headers(),
                _rows(period.subtotal_rows(r)),
                numeric=period.SUBTOTAL_NUMERIC,
            ),
        ]
        if r.by != "task":
            body += [
                "<h2>" + html.esc(_("Per task")) + "</h2>",
                html.table(
                    period.task_headers(), _rows(period.task_rows(r)), numeric=period.TASK_NUMERIC
                ),
            ]
        body += [
            "<h2>" + html.esc(_("Estimate against actual")) + "</h2>",
            html.table(
                period.estimate_headers(),
                _rows(period.estimate_rows(r)),
                numeric=period.ESTIMATE_NUMERIC,
            ),
        ]
    if r.changes:
        items = "\n".join(
            f'<li><span class="when">{html.esc(period.change_when(r, ch))}</span>'
            f"{html.esc(ch.task.full)}: {html.esc(period.change_text(ch))}</li>"
            for ch in r.changes
        )
        body += [
            "<h2>" + html.esc(_("Changes and decisions")) + "</h2>",
            f'<ol class="events">\n{items}\n</ol>',
        ]
    if r.entries:
        body += [
            "<h2>" + html.esc(_("Entries")) + "</h2>",
            html.table(
                period.entry_headers(r),
                _rows(period.entry_rows(r)),
                numeric=period.entry_numeric(r),
            ),
        ]
    notes = period.notes(r)
    if notes:
        items = "\n".join(f"<li>{html.esc(line)}</li>" for line in notes)
        body += ["<h2>" + html.esc(_("Notes")) + "</h2>", f'<ul class="facts">\n{items}\n</ul>']
    if r.client is not None and r.lines:
        body += [
            f'<p class="amount"><strong>{html.esc(line)}</strong></p>'
            for line in period.invoice_amount_lines(r)
        ]
    return html.page(title=period.title(r), lang=language(), body="\n".join(head + body))


def _rows(rows: list[list[str]]) -> list[list[object]]:
    return [list(row) for row in rows]
