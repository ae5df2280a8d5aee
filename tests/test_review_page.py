"""The client's review page (``review --format html``) and its Markdown (``--format md``).

Most tests read the demo's store (eleven duties showing every verdict, one changed
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
from datetime import date, timedelta

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
    # The same tasks in the same order as the review (those to renegotiate first); the
    # tasks handed back stay on the page too, with their decision.
    reviewed = [html.esc(r["task"]) for r in found]
    assert [t for t in by_task if t in reviewed] == reviewed
    for extra in set(by_task) - set(reviewed):
        assert "Decision recorded on " in by_task[extra]
    summary = page.split('<section class="task')[0]
    assert summary.count("<tr>") == len(by_task) + 1  # a header, then a row per task
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
        assert part.count('<rect class="occ in-window"') == min(8, r["window_occurrences"])
        assert part.count('<path class="estimate"') == 1  # every demo phase has an estimate
        key = re.search(r'class="estimate-label"[^>]*>your estimate: ([^<]*) min<', part)
        assert key and key.group(1).split(" → ")[-1] == say.minutes(r["estimate_seconds"])
        assert "<title id=" in part and "<desc id=" in part
    inbox = by_task["Caffè Ôrso/Inbox"]
    assert "8 of the last 8 took longer than your estimate." in inbox
    assert "p = " not in page  # no p-value for the client
    assert "Each hour delegating frees for you costs €78.13." in inbox
    assert "Phase 1, from 26 Sept to 27 Nov 2026: estimate 10 minutes each time" in inbox
    # The duty changed mid-way shows both phases and the change between them.
    fatture = by_task["Studio Rossi/Fatture"]
    assert "Phase 1, " in fatture and "Phase 2, " in fatture
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
    assert (
        "| Task | Verdict | Usual time | Your estimate | Against your estimate | Timings "
        "| Time in the period | Amount |"
    ) in lines
    assert "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" in lines
    headings = [line for line in lines if line.startswith("## ") and "/" in line]
    expected = [("## ⚑ " if r["flagged"] else "## ") + markdown.escape(r["task"]) for r in found]
    assert [h for h in headings if h in expected] == expected  # handed-back ones besides
    for r in found:
        assert any(line.startswith("| ") and markdown.escape(r["task"]) in line for line in lines)
        quote = next(
            lines[i + 4]
            for i, line in enumerate(lines)
            if line.endswith(markdown.escape(r["task"])) and line.startswith("## ")
        )
        assert quote == "> " + " ".join(markdown.escape(s) for s in r["explanation"])
    assert "<" not in text.replace(r"\<", "")  # no HTML in the email
    assert "- **Phase 2, " in text and "Major change: now also sends the payment reminders" in text


def test_written_to_a_file_whole(cli, demo, tmp_path):
    target = tmp_path / "out" / "rossi.html"
    target.parent.mkdir()
    result = cli("review", "--client", "rossi", "--format", "html", "-o", str(target))
    assert result.stdout == ""  # what it wrote is said on stderr (test_output_messages)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "Prepared for Studio Rossi" in page and "Caffè Ôrso" not in page
    assert os.listdir(target.parent) == ["rossi.html"]  # no half-written file left
    note = tmp_path / "out" / "inbox.md"
    cli("review", "caffe/inbox", "--format", "MD", "--output", str(note))
    text = note.read_text(encoding="utf-8")
    assert text.count("\n## ") == 2 and "## ⚑ Caffè Ôrso/Inbox" in text  # and how to read


def test_as_of_a_day_tells_that_days_story(cli, demo):
    cli("change", "rossi/news", "now also the social posts", "--estimate", "60m")
    today = cli("review", "rossi/news", "--format", "html").output
    assert "Major change: now also the social posts" in today and "Phase 2, " in today
    before = (NOW - timedelta(days=1)).date().isoformat()
    then = cli("review", "rossi/news", "--format", "html", "--as-of", before).output
    assert "now also the social posts" not in then and "Phase 2, " not in then
    assert "Phase 1, from 2 Sept to 26 Nov 2026:" in then
    assert "As of 26 Nov 2026" in then


def test_a_minor_change_opens_a_new_window_in_the_chart(cli, demo):
    cli(
        "change", "rossi/fatt", "also the PEC", "--minor", "--estimate", "30m", "--at", "2026-11-15"
    )
    [found] = reviews(cli, "rossi/fatt")
    part = cli("review", "rossi/fatt", "--format", "html").output
    assert found["verdict"] == "not_enough_data" and found["occurrences"] == 7
    for sentence in found["explanation"]:
        assert html.esc(sentence) in part
    assert "Since 15 Nov 2026 (minor change)" in part
    assert part.count('<rect class="occ') == 7
    assert part.count('<rect class="occ in-window"') == 4  # only those since the change
    assert "15 Nov 2026</span>Minor change: also the PEC (new estimate 30 minutes" in part


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
    assert page.count("Not timed in this phase yet.") == sum(1 for i in range(30) if not i % 6)
    assert page.count('<rect class="occ') == sum(i % 6 for i in range(30))
    text = cli("review", "--format", "md").output
    assert text.count("\n## ") == 31  # how to read, then the tasks


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
        level="usual time",
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
        estimates=[estimate] * n,
        window=(min(window_from, n), n),
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
        y = float(re.search(r'<path class="estimate" d="M[\d.]+ ([\d.]+)H', drawn).group(1))
        assert svg.TOP <= y < bottom
    assert "<script" not in drawn and "http" not in drawn


def test_the_chart_names_itself_for_screen_readers():
    drawn = svg.occurrence_chart(
        [600, 900, 1200],
        estimates=[900] * 3,
        window=(0, 3),
        level=900,
        ident="x-1",
        labels=labels(3),
    )
    assert 'aria-labelledby="x-1-title x-1-desc"' in drawn
    assert '<title id="x-1-title">t</title>' in drawn and '<desc id="x-1-desc">d</desc>' in drawn
    assert re.findall(r'class="y-tick"[^>]*>(\d+)<', drawn)[:2] == ["0", "5"]


# -- what the client reads -----------------------------------------------------------


@given(st.integers(1, 2000))
def test_the_x_axis_numbers_are_readable(n):
    """Every occurrence numbered while the numbers fit, else every k-th from k on (5, 10,
    15...): never "1, 2, 4, 6", which reads as if numbers were skipped."""
    numbers = svg.x_numbers(n)
    step = svg.x_step_for(n)
    if step == 1:
        assert numbers == list(range(1, n + 1))
    else:
        assert numbers == list(range(step, n + 1, step))
    assert svg.PLOT_W / n * step >= svg.X_LABEL_ROOM  # the numbers never overlap
    if n <= 21:
        assert step == 1


def test_the_small_charts_number_every_bar():
    drawn = svg.occurrence_chart(
        [60 * m for m in range(1, 17)],
        estimates=[600] * 16,
        window=(8, 16),
        level=600,
        ident="c",
        labels=labels(16),
    )
    assert re.findall(r'class="x-tick"[^>]*>(\d+)<', drawn) == [str(i) for i in range(1, 17)]


def test_level_and_estimate_each_have_a_colour_a_pattern_and_a_key():
    drawn = svg.occurrence_chart(
        [1500, 1600, 1400, 1500, 1550],
        estimates=[600] * 5,
        window=(0, 5),
        level=1500,
        ident="c",
        labels=labels(5),
    )

    def attributes(css: str) -> dict[str, str]:
        tag = re.search(rf'<(?:line|path) class="{css}"([^>]*)>', drawn)
        assert tag, css
        return dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(1)))

    level, estimate = attributes("level"), attributes("estimate")
    assert level["stroke"] != estimate["stroke"]
    assert level["stroke-dasharray"] != estimate["stroke-dasharray"]
    for css, line in (("level-key", level), ("estimate-key", estimate)):
        key = attributes(css)  # the key above the plot draws the line as it is
        assert (key["stroke"], key["stroke-dasharray"]) == (
            line["stroke"],
            line["stroke-dasharray"],
        )
        assert float(key["y1"]) < svg.TOP
    assert 'class="level-label"' in drawn and 'class="estimate-label"' in drawn


def renegotiated(cli, at) -> None:
    """A duty timed six times against 2 h, renegotiated on 9 Nov at 2 h 15 min, then
    timed three times more."""
    at("2026-10-01 09:00")
    cli("client", "add", "Avv. Lucia Mazzà", "--rate", "30", "--hour-value", "90")
    cli("task", "add", "mazza/pec", "--estimate", "2h")
    at(NOW)
    for day in ("2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-06"):
        cli("add", "mazza/pec", f"{day} 09:00 2h")
    cli(
        "decide",
        "mazza/pec",
        "renegotiated",
        "--estimate",
        "2h15m",
        "--at",
        "2026-11-09",
        "--early",
    )
    for day in ("2026-11-12", "2026-11-19", "2026-11-26"):
        cli("add", "mazza/pec", f"{day} 09:00 2h10m")


def test_each_bar_is_drawn_against_its_own_estimate(cli, at, isolated_home):
    renegotiated(cli, at)
    [found] = reviews(cli)
    page = cli("review", "--format", "html").output
    bars = [tuple(map(float, m)) for m in BAR.findall(page)]
    assert len(bars) == 9
    path = re.search(r'<path class="estimate" d="([^"]*)"', page).group(1)
    # One level per comparison window, each over the bars compared with it.
    runs = re.findall(r"(?:M([\d.]+) |V)([\d.]+)H([\d.]+)", path)
    assert len(runs) == 2, path
    (x0, y_old, x1), (_none, y_new, x2) = runs
    assert float(y_new) < float(y_old)  # the new estimate is higher, drawn higher
    segments = found["segments"]
    assert [f["estimate_seconds"] for f in segments] == [7200, 8100]
    assert [f["occurrences"] for f in segments] == [6, 3]
    for i, (x, _y, width, _h) in enumerate(bars):
        left_edge, right_edge = (float(x0), float(x1)) if i < 6 else (float(x1), float(x2))
        assert left_edge <= x and x + width <= right_edge
    # The judged window framed: the three timings since the decision.
    assert page.count('<rect class="occ in-window"') == 3
    assert page.count('<line class="boundary"') == 1
    assert "your estimate: 120 → 135 min" in page
    # Each window said, with the figures of review --json.
    part = sections(page)["Avv. Lucia Mazzà/pec"]
    assert "Comparison windows" in part
    assert "From 1 Oct to 9 Nov 2026, against an estimate of 2 h: 6 timings, about 2 h each" in part
    assert "Since 9 Nov 2026 (renegotiation), against an estimate of 2 h 15 min" in part
    assert "Decision: renegotiated" in part
    assert "timed 0 times" not in page.lower()
    text = cli("review", "--format", "md").output
    assert "- 120 120 120 120 120 120 (your estimate: 120 min)" in text
    assert "- •130 •130 •130 (your estimate: 135 min)" in text
    assert "From 1 Oct to 9 Nov 2026, against an estimate of 2 h: 6 timings" in text


def test_who_prepared_it_for_whom_as_of_when_and_the_period(cli, at, isolated_home):
    renegotiated(cli, at)
    page = cli("review", "--format", "html").output
    assert "Prepared by" not in page  # no name set: no line for it
    cli("config", "set", "name", "Vera Bianchi")
    cli("config", "set", "contact", "vera@example.org, +39 333 123 4567")
    page = cli("review", "--format", "html").output
    head = page.split("</header>")[0]
    assert "Prepared for Avv. Lucia Mazzà" in head
    assert "Prepared by Vera Bianchi (vera@example.org, +39 333 123 4567)" in head
    assert "As of 27 Nov 2026" in head
    assert "Period: from 1 Oct to 27 Nov 2026" in head  # the phase's start to the day
    assert "How to read this page" in page
    text = cli("review", "--format", "md").output
    assert "Prepared by Vera Bianchi (vera@example.org, +39 333 123 4567)  " in text
    assert "Period: from 1 Oct to 27 Nov 2026  " in text
    assert "## How to read this page" in text


def test_the_period_hours_and_amounts_are_the_reports(cli, demo):
    """The page's figures are those of review --json and of report --format json for
    the same tasks, period and day: the page sums nothing itself."""
    from mansioni.report.period import amount_text
    from mansioni.report.review_page import short

    found = {r["task"]: r for r in reviews(cli)}
    page = cli("review", "--format", "html").output
    first = min(r["phase_start"] for r in found.values())
    head = page.split("</header>")[0]
    report = json.loads(
        cli("report", "--from", first, "--to", "2026-11-27", "--format", "json").output
    )
    by_task = sections(page)
    summary = page.split('<section class="task')[0]
    rows = {
        html.esc(re.sub(r"<[^>]+>", "", row[0]).replace("⚑ ", "")): row
        for row in (re.findall(r"<td[^>]*>(.*?)</td>", tr) for tr in summary.split("<tr>")[2:])
    }
    assert say.span(date.fromisoformat(first), date(2026, 11, 27)) in head
    for t in report["tasks"]:
        name = html.esc(t["task"])
        if name not in by_task:
            continue  # archived or handed back before: not on the page
        time, amount = (
            short(t["seconds"]),
            amount_text(t["amount_cents"], t["currency"], t["unpriced_seconds"]),
        )
        assert html.esc(f"In the period: {time} of work, {amount}.") in by_task[name]
        assert rows[name][6:8] == [html.esc(time), html.esc(amount)]
        r = found.get(t["task"])
        if r is not None:  # the verdict's figures, as review --json gives them
            assert rows[name][2] == html.esc(short(r["level_seconds"]))
            assert rows[name][3] == html.esc(short(r["estimate_seconds"]))
            if r["variance_seconds"] is not None:
                assert rows[name][4] == html.esc(say.balance(r["variance_seconds"]))


def test_no_statistics_jargon_for_the_client(cli, demo, monkeypatch):
    for lang in ("en", "it"):
        monkeypatch.setenv("MANSIONI_LANG", lang)
        set_language(None)
        page = cli("review", "--format", "html").output
        text = re.sub(r"<[^>]+>", " ", page.split("</header>")[1])
        assert "p = " not in text
        assert "<th" not in page or ">Index<" not in page and ">Indice<" not in page
        # "index" only ever comes with the words that explain it.
        for found in re.finditer(r"(?i)\bindice?\b", text):
            around = text[found.start() : found.start() + 80]
            assert ":" in around, around
        text = cli("review", "--format", "md").output
        assert "p = " not in text and "| Index |" not in text


def test_dates_as_the_language_writes_them(cli, at, isolated_home, monkeypatch):
    renegotiated(cli, at)
    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    page = cli("review", "--format", "html").output
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page.split("</head>")[1])  # never ISO
    assert re.search(r'class="first-day"[^>]*>5 ott 2026<', page)  # the chart's axis too
    # The period and the phase, "dal … al …" (the article as the day's number is said).
    assert html_text(page).count("dall'1 ott al 27 nov 2026") >= 2
    text = cli("review", "--format", "md").output
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def html_text(page: str) -> str:
    import html as std

    return std.unescape(page)


def test_print_keeps_each_card_whole():
    """Each card is kept on one printed page (the browser test prints and checks)."""
    css = html.STYLE.replace("\n", " ")
    assert re.search(r"section\.task \{[^}]*break-inside: avoid", css)
    assert "@page { size: A4;" in css
