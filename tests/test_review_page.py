"""The client's review page (``review --format html``) and its Markdown (``--format md``).

Most tests read the demo's store (eight duties showing every verdict, one changed
mid-way), built once through ``mansioni.services.demo`` and copied into each test's
own home; the page is checked against what ``review --json`` says of the same store.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW
from helpers import db_file
from mansioni.domain.verdict import Verdict
from mansioni.i18n import set_language
from mansioni.report import html, markdown, svg
from mansioni.report import verdict_text as say

ZONE = "Europe/Rome"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#: Anything that could make a page fetch or run something.
FORBIDDEN = ("http://", "https://", "//", "<script", "<link", "@import", "url(", "<iframe")
FORBIDDEN += ("<img", "<object", "<embed", "src=", "href=", "<base", "javascript:")


def reviews(cli, *args: str) -> list[dict]:
    return json.loads(cli("review", *args, "--json").output)


def sections(page: str) -> dict[str, str]:
    """Each task's section of the page, by task name (as the page shows it, escaped)."""
    found = {}
    for part in page.split('<section class="task')[1:]:
        heading = re.search(r"<h2 [^>]*>(?:<span class=\"flag\"[^>]*>⚑</span> )?(.*?)</h2>", part)
        assert heading, part[:300]
        found[heading.group(1)] = part.split("</section>")[0]
    return found


def test_every_task_with_its_verdict_sentences_numbers_and_chart(cli, demo):
    found = reviews(cli)
    page = cli("review", "--format", "html").output
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    by_task = sections(page)
    # The same tasks in the same order as the review: those to renegotiate first.
    assert list(by_task) == [html.esc(r["task"]) for r in found]
    assert len(found) == 8
    summary = page.split('<section class="task')[0]
    assert summary.count("<tr>") == len(found) + 1  # a header, then a row per task
    for r in found:
        part = by_task[html.esc(r["task"])]
        label = say.label(Verdict(r["verdict"]))
        assert html.esc(label) in summary and html.esc(r["task"]) in summary
        assert html.esc(f"Verdict: {label}") in part
        for sentence in r["explanation"]:
            assert html.esc(sentence) in part
        assert part.startswith(' flagged"' if r["flagged"] else '" id=')
        assert (f"⚑ {html.esc(r['task'])}" in summary) == r["flagged"]
        # The chart: one bar per occurrence of the phase, the estimate, the window.
        assert part.count("<svg") == 1 and 'role="img"' in part
        assert part.count('<rect class="occ') == r["occurrences"]
        assert part.count('<rect class="occ in-window"') == min(8, r["occurrences"])
        assert part.count('<line class="estimate"') == 1  # every demo phase has an estimate
        assert f"your estimate: {say.minutes(r['estimate_seconds'])} min" in part
        assert "<title id=" in part and "<desc id=" in part
    inbox = by_task["Caffè Ôrso/Inbox"]
    assert "8 of the last 8 took longer than your estimate (p = 0.004)." in inbox
    assert "Time index over the phase: 0.39 (251 minutes over)." in inbox
    assert "Each hour delegating frees for you costs €78.12." in inbox
    assert "Phase 1: 26 Sept 2026 to 27 Nov 2026; estimate 10 min per occurrence" in inbox
    # The duty changed mid-way shows both phases and the change between them.
    fatture = by_task["Studio Rossi/Fatture"]
    assert "Phase 1: " in fatture and "Phase 2: " in fatture
    assert "Major change: now also sends the payment reminders" in fatture
    assert "Previous phase: about" in fatture


def test_the_page_fetches_and_runs_nothing(cli, demo):
    page = cli("review", "--format", "html").output
    for needle in FORBIDDEN:
        assert needle not in page.lower(), needle
    assert f'<meta http-equiv="Content-Security-Policy" content="{html.esc(CSP)}">' in page
    assert "xmlns" not in page  # inline SVG needs no namespace URL
    assert "@page { size: A4;" in page and "@media print" in page


def test_user_text_is_escaped_everywhere(cli, at, tmp_path):
    at(NOW - timedelta(days=30))
    cli("client", "add", 'Ugo & "Figli" <b>', "--hour-value", "50", "--rate", "25")
    cli("task", "add", "ugo/<script>alert(1)", "--estimate", "30m")
    at(NOW - timedelta(days=20))
    cli("change", "ugo/script", "<img src=x onerror=alert(1)> & 'more'", "--minor")
    at(NOW)
    for day in range(1, 7):
        cli("add", "ugo/script", f"{(NOW - timedelta(days=day)).date()} 09:00 25m")
    page = cli("review", "--format", "html").output
    for raw in ("<script", "<img", '"Figli"', "<b>", "onerror=alert(1)>"):
        assert raw not in page
    full = "Ugo &amp; &quot;Figli&quot; &lt;b&gt;/&lt;script&gt;alert(1)"
    assert "<h2 " in page and full in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &#x27;more&#x27;" in page
    assert page.count(full) == 3  # the summary, the heading, the chart's title
    assert "<title>Trial-period review — Ugo &amp; &quot;Figli&quot; &lt;b&gt; — " in page
    markdown = cli("review", "--format", "md").output
    assert r"Ugo \& \"Figli\" \<b\>/\<script\>alert(1)" not in markdown  # quotes stay plain
    assert r'Ugo \& "Figli" \<b\>/\<script\>alert(1)' in markdown
    assert "<" not in markdown.replace(r"\<", "")  # every angle bracket escaped
    assert r"\<img src=x onerror=alert(1)\> \& 'more'" in markdown


def test_italian_page(cli, demo, monkeypatch):
    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    found = reviews(cli)
    page = cli("review", "--format", "html").output
    assert '<html lang="it">' in page
    by_task = sections(page)
    for r in found:
        part = by_task[html.esc(r["task"])]
        assert html.esc("Esito: " + say.label(Verdict(r["verdict"]))) in part
        for sentence in r["explanation"]:
            assert html.esc(sentence) in part
    assert "riprendere in carico" in page and "dati insufficienti" in page
    assert "27 nov 2026" in page  # dates as Italian writes them
    assert "0,39" in page  # and numbers
    markdown = cli("review", "--format", "md").output
    assert "| Mansione |" in markdown


def test_markdown_for_an_email(cli, demo):
    found = reviews(cli)
    text = cli("review", "--format", "md").output
    lines = text.splitlines()
    assert lines[0] == "# Trial-period review"
    assert "| Task | Verdict | Level (min) | Estimate | Index | Occ. |" in lines
    assert "| --- | --- | ---: | ---: | ---: | ---: |" in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        ("## ⚑ " if r["flagged"] else "## ") + markdown.escape(r["task"]) for r in found
    ]
    for r in found:
        assert any(line.startswith("| ") and markdown.escape(r["task"]) in line for line in lines)
        quote = next(
            lines[i + 4]
            for i, line in enumerate(lines)
            if line.endswith(markdown.escape(r["task"])) and line.startswith("## ")
        )
        assert quote == "> " + " ".join(markdown.escape(s) for s in r["explanation"])
    assert "<" not in text.replace(r"\<", "")  # no HTML in the email
    assert "- **Phase 2: " in text and "Major change: now also sends the payment reminders" in text


def test_written_to_a_file_whole(cli, demo, tmp_path):
    target = tmp_path / "out" / "rossi.html"
    target.parent.mkdir()
    result = cli("review", "--client", "rossi", "--format", "html", "-o", str(target))
    assert result.output == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "Client: Studio Rossi" in page and "Caffè Ôrso" not in page
    assert os.listdir(target.parent) == ["rossi.html"]  # no half-written file left
    note = tmp_path / "out" / "inbox.md"
    cli("review", "caffe/inbox", "--format", "MD", "--output", str(note))
    text = note.read_text(encoding="utf-8")
    assert text.count("\n## ") == 1 and "## ⚑ Caffè Ôrso/Inbox" in text


def test_as_of_a_day_tells_that_days_story(cli, demo):
    cli("change", "rossi/news", "now also the social posts", "--estimate", "60m")
    today = cli("review", "rossi/news", "--format", "html").output
    assert "Major change: now also the social posts" in today and "Phase 2: " in today
    before = (NOW - timedelta(days=1)).date().isoformat()
    then = cli("review", "rossi/news", "--format", "html", "--as-of", before).output
    assert "now also the social posts" not in then and "Phase 2: " not in then
    assert "Phase 1: 2 Sept 2026 to 26 Nov 2026;" in then
    assert "As of 26 Nov 2026" in then


def test_a_minor_change_opens_a_new_window_in_the_chart(cli, demo):
    cli(
        "change", "rossi/fatt", "also the PEC", "--minor", "--estimate", "30m", "--at", "2026-11-15"
    )
    [found] = reviews(cli, "rossi/fatt")
    part = cli("review", "rossi/fatt", "--format", "html").output
    assert found["verdict"] == "not_enough_data" and found["occurrences"] == 7
    assert "timed 4 times since 15 Nov 2026" in part
    assert part.count('<rect class="occ') == 7
    assert part.count('<rect class="occ in-window"') == 4  # only those since the change
    assert "15 Nov 2026</span>Minor change: also the PEC (new estimate 30 min" in part


def add_entries(store, ref: str, minutes: list[int], *, hour: int, offset: int) -> None:
    from mansioni.services import timer

    for j, length in enumerate(minutes):
        day = (NOW - timedelta(days=2 + 3 * j + offset)).replace(hour=hour, minute=0)
        begin = int(day.timestamp())
        timer.add(
            store,
            task=ref,
            person="vera",
            now=int(NOW.timestamp()),
            zone=ZONE,
            begin=begin,
            end=begin + length * 60,
        )


def test_thirty_tasks_make_one_page_with_a_summary(cli, isolated_home):
    from mansioni.services import catalog
    from mansioni.store.orm.engine import AlchemyStore

    isolated_home.mkdir(parents=True, exist_ok=True)
    store = AlchemyStore(f"sqlite:///{db_file(isolated_home)}")
    opened = int((NOW - timedelta(days=100)).timestamp())
    try:
        catalog.add_client(
            store,
            values={"name": "Studio Rossi", "hour_value_cents": 9000, "rate_cents": 2800},
            person="vera",
            now=opened,
        )
        for i in range(30):
            ref = f"Studio Rossi/Duty {i + 1:02d}"
            values = {"estimate_seconds": (20 + i) * 60, "estimate_basis": "occurrence"}
            catalog.add_task(
                store, ref, values={**values, "trial_days": 60}, person="vera", now=opened
            )
            add_entries(
                store, ref, [25 + (i + j) % 7 for j in range(i % 6)], hour=7 + i // 3, offset=i % 3
            )
    finally:
        store.dispose()
    page = cli("review", "--format", "html").output
    assert page.count("<html") == 1 and page.count("<table>") == 1
    assert len(sections(page)) == 30
    summary = page.split('<section class="task')[0]
    assert summary.count("<tr>") == 31
    assert page.count("<svg") == sum(1 for i in range(30) if i % 6)  # untimed: no chart
    assert page.count("No occurrence timed in this phase yet.") == sum(
        1 for i in range(30) if not i % 6
    )
    assert page.count('<rect class="occ') == sum(i % 6 for i in range(30))
    text = cli("review", "--format", "md").output
    assert text.count("\n## ") == 30


def test_bad_format_and_bad_combinations(cli, demo, tmp_path):
    result = cli("review", "--format", "pdf", ok=False)
    assert result.exit_code == 2 and "not a format" in result.output
    result = cli("review", "--format", "md", "--json", ok=False)
    assert result.exit_code == 2 and "--json" in result.output
    target = tmp_path / "table.txt"
    result = cli("review", "-o", str(target), ok=False)
    assert result.exit_code == 2 and not target.exists()
    result = cli("review", "--format", "html", "-o", str(tmp_path / "no" / "such.html"), ok=False)
    assert result.exit_code == 2 and "There is no folder" in result.output
    # --json still works, and can go to a file too.
    data = tmp_path / "review.json"
    cli("review", "--json", "-o", str(data))
    assert json.loads(data.read_text(encoding="utf-8")) == reviews(cli)


def test_html_is_refused_on_a_terminal(demo):
    """A page printed on a terminal is only markup: the command asks for -o instead."""
    main, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mansioni", "review", "--format", "html"],
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "MANSIONI_HOME": str(demo)},
        )
    finally:
        os.close(secondary)
        os.close(main)
    assert done.returncode == 2
    assert "write it to a file" in done.stderr and "-o rossi-review.html" in done.stderr


# -- the pieces --------------------------------------------------------------------


def test_the_frame():
    assert html.esc('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"
    table = html.table(["Task", "Min"], [["<b>", 5], ['"q"', 12]], numeric=frozenset({1}))
    assert '<th scope="col" class="num">Min</th>' in table
    assert '<td>&lt;b&gt;</td><td class="num">5</td>' in table
    assert "<td>&quot;q&quot;</td>" in table
    page = html.page(title="<T>", lang="it", body="<p>ciao</p>")
    assert page.startswith('<!DOCTYPE html>\n<html lang="it">')
    assert '<meta charset="utf-8">' in page and 'name="viewport"' in page
    assert f'content="{html.esc(CSP)}"' in page
    assert "<title>&lt;T&gt;</title>" in page and "<p>ciao</p>" in page
    for needle in FORBIDDEN:
        assert needle not in page.lower(), needle


BAR = re.compile(
    r'<rect class="occ[^"]*" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"'
)


def labels(n: int) -> svg.Labels:
    return svg.Labels(
        title="t",
        description="d",
        y_axis="minutes",
        x_axis="occurrences",
        estimate="your estimate",
        window="window",
        first_day="a",
        last_day="b",
        bars=[str(i) for i in range(n)],
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 20 * 3600), min_size=1, max_size=300),
    st.one_of(st.none(), st.integers(60, 10 * 3600)),
    st.integers(0, 300),
)
def test_the_chart_scales_from_one_to_hundreds(seconds, estimate, window_from):
    n = len(seconds)
    drawn = svg.occurrence_chart(
        seconds,
        estimate=estimate,
        window_from=min(window_from, n),
        level=None,
        ident="c",
        labels=labels(n),
    )
    bars = [tuple(map(float, m)) for m in BAR.findall(drawn)]
    assert len(bars) == n
    bottom = svg.TOP + svg.PLOT_H
    xs = [x for x, _y, _w, _h in bars]
    assert xs == sorted(xs)  # in time order
    for x, y, width, height in bars:
        assert svg.LEFT <= x and x + width <= svg.LEFT + svg.PLOT_W + 0.01
        assert svg.TOP - 0.01 <= y and abs(y + height - bottom) < 0.02
    # Taller bars for longer occurrences.
    order = sorted(range(n), key=lambda i: seconds[i])
    heights = [bars[i][3] for i in order]
    assert heights == sorted(heights)
    assert drawn.count('class="estimate"') == (1 if estimate else 0)
    assert drawn.count('<rect class="occ in-window"') == n - min(window_from, n)
    if estimate:
        y = float(re.search(r'<line class="estimate" x1="\d+" y1="([\d.]+)"', drawn).group(1))
        assert svg.TOP <= y < bottom
    assert "<script" not in drawn and "http" not in drawn


def test_the_chart_names_itself_for_screen_readers():
    drawn = svg.occurrence_chart(
        [600, 900, 1200], estimate=900, window_from=0, level=900, ident="x-1", labels=labels(3)
    )
    assert 'aria-labelledby="x-1-title x-1-desc"' in drawn
    assert '<title id="x-1-title">t</title>' in drawn and '<desc id="x-1-desc">d</desc>' in drawn
    assert re.findall(r'class="y-tick"[^>]*>(\d+)<', drawn)[:2] == ["0", "5"]
