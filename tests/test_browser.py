"""The client's review page in a real headless Chromium: drawn, whole, printable, offline.

Chromium comes from a system package or ``MANSIONI_CHROMIUM`` (``tests/browser.py``);
where there is none these tests are skipped with the reason, and with
``MANSIONI_TEST_REQUIRE_ALL=1`` (``.ci/run`` sets it and installs Chromium) they fail.
The page is the demo's review, written by the command as a user would; the screenshot
and the PDF are kept in ``tests/artifacts/`` (or ``$MANSIONI_TEST_ARTIFACTS``) for a
person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import browser
from mansioni.i18n import set_language
from mansioni.report import html

pytestmark = pytest.mark.requires("chromium")

WIDTH, HEIGHT = 900, 2600
BAR = (0x2F, 0x4F, 0x7F)  # svg.BAR: a bar in the comparison window
ESTIMATE = (0x8A, 0x1C, 0x1C)  # svg.ESTIMATE: the client's estimate line


@pytest.fixture
def written(cli, demo, tmp_path) -> tuple[Path, list[dict]]:  # noqa: F811
    """The demo's review page, written by the command, and its reviews as JSON."""
    page = tmp_path / "review.html"
    cli("review", "--format", "html", "-o", str(page))
    return page, json.loads(cli("review", "--json").output)


class Outline(HTMLParser):
    """What a rendered DOM holds: task headings, SVG charts and the bars in each."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.bars: list[int] = []  # per chart
        self.estimates = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "h2" and (found.get("id") or "").endswith("-name"):
            self._heading = []
        elif tag == "svg":
            self.bars.append(0)
        elif tag == "rect" and (found.get("class") or "").split()[:1] == ["occ"]:
            self.bars[-1] += 1
        elif tag == "path" and found.get("class") == "estimate":
            self.estimates += 1

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self.headings.append("".join(self._heading).replace("⚑", "").strip())
            self._heading = None


def test_drawn_offline_with_every_task_and_chart(written, tmp_path):
    page, reviews = written
    url = page.as_uri()
    shot = tmp_path / "review.png"
    run = browser.run(
        url, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", workdir=tmp_path
    )
    # No request on behalf of the page: nothing fetched, nothing even tried.
    assert browser.page_requests(run.net_log) == []
    for request in browser.url_requests(run.net_log):
        assert "file://" not in request.get("network_isolation_key", ""), request
    # A real picture of the page: the right size, not blank, the charts drawn.
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    png = browser.read_png(data)
    assert (png.width, png.height) == (WIDTH, HEIGHT)
    colours: dict[tuple[int, ...], int] = {}
    for y in range(0, png.height, 2):
        for x in range(0, png.width, 2):
            pixel = png.pixel(x, y)
            colours[pixel] = colours.get(pixel, 0) + 1
    sampled = sum(colours.values())
    white = colours.get((255, 255, 255), 0)
    assert len(colours) > 50, "a nearly single-colour screenshot"
    assert 0.02 < 1 - white / sampled < 0.8, "too little or too much ink for the page"
    assert sum(n for c, n in colours.items() if near(c, BAR)) > 500, "no chart bars drawn"
    assert sum(n for c, n in colours.items() if near(c, ESTIMATE)) > 20, "no estimate line"
    kept = browser.artifacts() / "review-page.png"
    shutil.copyfile(shot, kept)
    (browser.artifacts() / "chromium-version.txt").write_text(browser.version() + "\n")
    assert kept.stat().st_size == len(data)
    assert len(reviews) >= 8  # the demo: a duty for every verdict


def near(colour: tuple[int, ...], target: tuple[int, int, int], slack: int = 6) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, target, strict=True))


def test_the_rendered_dom_has_every_task_and_chart(written, tmp_path):
    page, reviews = written
    run = browser.run(page.as_uri(), "--dump-dom", workdir=tmp_path)
    assert browser.page_requests(run.net_log) == []
    outline = Outline()
    outline.feed(run.stdout)
    tasks = [h for h in outline.headings if "/" in h]  # after "How to read this page"
    reviewed = [r["task"] for r in reviews]
    assert [t for t in tasks if t in reviewed] == reviewed  # handed-back ones besides
    bars = dict(zip(tasks, outline.bars, strict=True))  # one chart each, a bar per time
    assert [bars[r["task"]] for r in reviews] == [r["occurrences"] for r in reviews]
    assert outline.estimates == len(tasks)
    assert "<script" not in run.stdout.lower()


def print_pdf(page: Path, tmp_path: Path) -> bytes:
    pdf = tmp_path / f"{page.stem}.pdf"
    run = browser.run(
        page.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer", workdir=tmp_path
    )
    assert browser.page_requests(run.net_log) == []
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    return data


@pytest.mark.parametrize("language", ["en", "it"])
def test_it_prints_on_a4_with_no_card_cut(cli, demo, tmp_path, monkeypatch, language):
    """Printed on A4, each task's card (and the "how to read" box) lies whole on one
    page: a card that does not fit where it would start begins on the next page.
    Chromium tags what it prints, so each card's pages are read from the PDF itself."""
    monkeypatch.setenv("MANSIONI_LANG", language)
    set_language(None)
    page = tmp_path / f"review-{language}.html"
    cli("review", "--format", "html", "-o", str(page))
    cards = page.read_text(encoding="utf-8").count('<section class="task')
    data = print_pdf(page, tmp_path)
    boxes = {
        tuple(round(float(v)) for v in box.split())
        for box in re.findall(rb"/MediaBox\s*\[([\d.\s]+)\]", data)
    }
    assert boxes == {(0, 0, 595, 842)}, boxes  # A4, in points
    pages, blocks = browser.headed_blocks(data)
    assert len(blocks) == cards + 1, "the PDF is not tagged as expected"  # + how to read
    assert pages <= cards + 2
    for heading, where in blocks.items():
        assert len(where) == 1, f"a card is cut across pages {sorted(where)} (heading {heading})"
    shot = tmp_path / f"review-{language}.png"
    browser.run(
        page.as_uri(), f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", workdir=tmp_path
    )
    suffix = "" if language == "en" else f"-{language}"
    shutil.copyfile(shot, browser.artifacts() / f"review-page{suffix}.png")
    (browser.artifacts() / f"review-page{suffix}.pdf").write_bytes(data)


def test_a_card_too_long_for_a_page_is_seen_cut(tmp_path):
    """The check above is not vacuous: a card longer than a page shows on several."""
    lines = "".join(f"<p>line {i}</p>" for i in range(150))
    body = (
        f'<section class="task"><h2>Too long</h2>{lines}</section>'
        '<section class="task"><h2>Short</h2><p>one line</p></section>'
    )
    page = tmp_path / "tall.html"
    page.write_text(html.page(title="t", lang="en", body=body), encoding="utf-8")
    pages, blocks = browser.headed_blocks(print_pdf(page, tmp_path))
    assert sorted(len(where) for where in blocks.values()) == [1, pages]
    assert pages > 2


def test_the_net_log_would_see_a_page_that_fetches(tmp_path):
    """The check above is not vacuous: a page that does fetch (with no policy to stop
    it) shows its request in the net log. The host resolves to nothing: no traffic."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html><body><img src="http://mansioni-test.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    run = browser.run(leaky.as_uri(), "--dump-dom", workdir=tmp_path)
    assert browser.page_requests(run.net_log) == ["http://mansioni-test.invalid/x.png"]


def test_the_frame_forbids_what_a_renderer_might_slip_in(tmp_path):
    """Even markup that asks for outside resources fetches nothing inside ``html.page``."""
    body = (
        '<img src="http://mansioni-test.invalid/a.png">'
        '<link rel="stylesheet" href="https://mansioni-test.invalid/b.css">'
        '<p style="background: url(http://mansioni-test.invalid/c.png)">x</p>'
        '<script src="http://mansioni-test.invalid/d.js"></script>'
    )
    page = tmp_path / "framed.html"
    page.write_text(html.page(title="t", lang="en", body=body), encoding="utf-8")
    run = browser.run(page.as_uri(), "--dump-dom", workdir=tmp_path)
    assert browser.page_requests(run.net_log) == []
