"""The frame every HTML page of mansioni shares: one self-contained file.

A page is handed to a client, opened offline, printed on A4. So it carries
everything it needs and fetches nothing: inline CSS only, the system's own fonts,
no scripts, no external images, and a Content-Security-Policy that forbids any
request, so even a mistake in a renderer cannot make the page call out. Colour
is never the only carrier of meaning (a printer may drop it): flags are marked by
a border and a sign as well.

The renderers build the body from these pieces and the CSS classes below:

- ``<header class="page-head">`` with an ``<h1>`` and ``<p class="meta">`` lines;
- ``<section class="task">`` per task (kept on one printed page where it fits),
  with ``class="task flagged"`` for a task that needs attention;
- ``<p class="sentences">`` for a verdict said in words, ``<ul class="facts">``
  for the numbers, ``<ol class="phases">`` of ``<ol class="events">`` for a dated
  story (``<span class="when">`` for the day);
- ``<figure class="chart">`` around an inline SVG chart;
- tables from :func:`table` (``class="num"`` cells are right-aligned).
"""

from __future__ import annotations

from html import escape

from mansioni.domain.text import shown

#: Forbid every request: the page is whole in itself (inline styles, data: images).
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif'
)
MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace'

STYLE = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{
  margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 60rem;
  font-family: {FONTS}; font-size: 15px; line-height: 1.45; color: #1a1a1a; background: #fff;
}}
h1 {{ font-size: 1.6rem; margin: 0 0 .25rem; }}
h2 {{ font-size: 1.2rem; margin: 0 0 .35rem; }}
h3 {{ font-size: 1rem; margin: 1rem 0 .35rem; }}
p {{ margin: .35rem 0; }}
code, .mono {{ font-family: {MONO}; font-size: .92em; }}
.page-head {{ border-bottom: 2px solid #1a1a1a; padding-bottom: .6rem; margin-bottom: 1.2rem; }}
.meta {{ color: #444; margin: .1rem 0; }}
.muted {{ color: #555; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .93em; }}
th, td {{ text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #bbb; }}
thead th {{ border-bottom: 2px solid #1a1a1a; font-weight: 600; }}
th.num, td.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
th.num {{ white-space: normal; }}
tbody tr:nth-child(even) td {{ background: #f6f6f6; }}
section.task {{
  border: 1px solid #999; border-radius: 4px; padding: .8rem 1rem; margin: 0 0 1.2rem;
  break-inside: avoid; page-break-inside: avoid;
}}
section.task.flagged {{ border: 1px solid #8a1c1c; border-left: 6px double #8a1c1c; }}
.flag {{ color: #8a1c1c; font-weight: 700; }}
.verdict {{ font-weight: 600; }}
.sentences {{ font-size: 1.05em; border-left: 3px solid #1a1a1a; padding-left: .7rem; }}
ul.facts, ol.events {{ margin: .3rem 0 .6rem; padding-left: 1.3rem; }}
ol.phases {{ list-style: none; margin: .3rem 0 .6rem; padding-left: 0; }}
ol.phases > li > p {{ margin: .5rem 0 .1rem; }}
ol.events {{ list-style: none; padding-left: .3rem; }}
ol.events li {{ margin: .15rem 0; }}
ol.events .when {{ font-variant-numeric: tabular-nums; color: #444; margin-right: .5rem; }}
.period {{ font-weight: 600; }}
ul.windows {{ margin: .3rem 0 .6rem; padding-left: 1.3rem; }}
section.how {{ margin: 0 0 1rem; break-inside: avoid; page-break-inside: avoid; }}
ul.how {{ margin: .3rem 0 0; padding-left: 1.3rem; color: #333; }}
ul.how li {{ margin: .1rem 0; }}
figure.chart {{ margin: .6rem 0 0; }}
figure.chart svg {{ display: block; width: 100%; height: auto; max-width: 100%; }}
figure.chart figcaption {{ font-size: .88em; color: #444; }}
h2, h3, .page-head {{ break-after: avoid; page-break-after: avoid; }}
thead {{ display: table-header-group; }}
tr, figure {{ break-inside: avoid; page-break-inside: avoid; }}
@page {{ size: A4; margin: 14mm 12mm 16mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; line-height: 1.35; }}
  section.task {{ border-radius: 0; padding: .5rem .8rem; margin-bottom: .8rem; }}
  ul.facts, ul.windows, ol.events {{ margin: .2rem 0 .3rem; }}
  h3 {{ margin: .5rem 0 .2rem; }}
  figure.chart svg {{ width: auto; height: 62mm; }}
  tbody tr:nth-child(even) td {{ background: none; }}
  a {{ color: inherit; text-decoration: none; }}
}}
""".strip()


def esc(value: object) -> str:
    """``value`` as HTML text, quotes included (safe in an attribute too); a control
    character (not allowed in HTML) or a direction override is written visibly, as
    on the terminal (``domain.text.shown``); tabs and line breaks are kept."""
    return escape(shown(str(value), lines=True), quote=True)


def page(*, title: str, lang: str, body: str) -> str:
    """A whole HTML5 document around ``body`` (already HTML), fetching nothing."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="mansioni">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        f"{body}\n"
        "</body>\n"
        "</html>\n"
    )


def table(
    headers: list[str], rows: list[list[object]], *, numeric: frozenset[int] = frozenset()
) -> str:
    """A table; every cell is escaped, the columns in ``numeric`` right-aligned."""

    def cell(tag: str, index: int, value: object) -> str:
        attributes = ' scope="col"' if tag == "th" else ""
        if index in numeric:
            attributes += ' class="num"'
        return f"<{tag}{attributes}>{esc(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "\n".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
