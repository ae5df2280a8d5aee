"""The report's terminal tables fit the terminal: at 80, 100, 120 and 160 columns, in
English and in Italian, on the demo store, no line is wider than the terminal, no word
is split across lines, and every duty's verdict is shown (issue: "the report's tables
wrap 'apprendiment o'")."""

from __future__ import annotations

import json

import pytest

from mansioni.i18n import _

WIDTHS = (80, 100, 120, 160)


def _tokens(text: str) -> set[str]:
    return set(text.split())


def _report(cli, monkeypatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    return cli("report", *args).output


@pytest.fixture(params=["en", "it"])
def language(request, monkeypatch):
    from mansioni.i18n import set_language

    monkeypatch.setenv("MANSIONI_LANG", request.param)
    set_language(None)
    return request.param


@pytest.mark.parametrize("args", [("--month",), ("--month", "--by", "week")])
def test_the_report_fits_every_width_without_splitting_a_word(
    cli, demo, monkeypatch, language, args
):
    from mansioni.report import period_table

    # Every word the report can say, laid out where nothing needs to wrap: the tables,
    # and the compact lines.
    known = _tokens(_report(cli, monkeypatch, 1000, *args))
    with monkeypatch.context() as m:
        m.setattr(period_table, "COMPACT_BELOW", 10_000)
        known |= _tokens(_report(cli, monkeypatch, 1000, *args))
    verdicts = {
        t["task"]: t["verdict"]
        for t in json.loads(cli("report", *args, "--format", "json").output)["tasks"]
    }
    assert verdicts
    for width in WIDTHS:
        out = _report(cli, monkeypatch, width, *args)
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= width, width
        for token in _tokens(out):
            if token in known:
                continue
            # A name shortened where nothing else fits: a word boundary, then "…".
            assert token.endswith("…") and any(k.startswith(token[:-1]) for k in known), (
                width,
                token,
            )
        if width < 100:  # the compact layout: one line names a duty and its verdict
            assert lines[3] == _("Time → billed time, amount")  # what the figures are, once
            assert lines[4][:1] != " " and lines[5].startswith("  ")  # a heading, then duties
            for task in verdicts:
                client, name = task.split("/", 1)
                assert any(line.strip().startswith(name) for line in lines), (width, name)


def test_the_compact_layout_is_used_below_100_columns(cli, demo, monkeypatch):
    narrow = _report(cli, monkeypatch, 80, "--month")
    wide = _report(cli, monkeypatch, 120, "--month")
    assert "Subtotal" in narrow and "Per client" not in narrow  # a heading per client
    assert "Per client" in wide
    # The 48-character task column of the wide table never squeezes the figures.
    assert all(len(line) <= 80 for line in narrow.splitlines())


def test_the_compact_layout_shortens_a_long_name_at_a_word_boundary():
    from mansioni.report.period_table import flow, line

    name = "Invio delle PEC ai clienti dello studio"
    [one] = line(name, "3:00 → 3:00  €87.50", 50, 2)
    assert len(one) <= 50
    shortened = one.strip().split("…")[0]
    assert one.strip().startswith(shortened + "…") and name[len(shortened)] == " "
    # Too narrow for both: the figures go on their own line, whole.
    two = line("apprendimento", "123:00 → 123:00  €1,131.55 *", 36, 2)
    assert all(len(x) <= 36 for x in two) and two[-1].endswith("€1,131.55 *")
    assert flow(["Occ. 4", "Median (min) 36", "Index 1.37"], 24, 4) == [
        "    Occ. 4",
        "    Median (min) 36",
        "    Index 1.37",
    ]
