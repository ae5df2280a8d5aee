"""A subtotal per client in every format of the report, from the one computation;
and one rounding rule for money (half up to the cent) in the report and the review."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

import pytest

import test_report
from mansioni.report.spreadsheet import BOM
from test_report import report_json

#: November's store (``tests/test_report.py``), shared.
november_db = test_report.november_db
november = test_report.november

MIN = 60


def _italian(monkeypatch):
    from mansioni.i18n import set_language

    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)


def test_every_client_has_a_subtotal_that_adds_up_its_tasks(cli, november):
    data = report_json(cli, "--month", "2026-11")
    subtotals = {s["client"]: s for s in data["subtotals"]}
    assert list(subtotals) == ["Acme Corp", "Ferri", "Studio Rossi"]
    for client, s in subtotals.items():
        tasks = [t for t in data["tasks"] if t["client"] == client]
        for key in ("seconds", "billed_seconds", "pieces", "entries", "unpriced_seconds"):
            assert s[key] == sum(t[key] for t in tasks), (client, key)
        priced = [t["amount_cents"] for t in tasks if t["amount_cents"] is not None]
        assert s["amount_cents"] == (sum(priced) if priced else None)
    assert subtotals["Studio Rossi"]["amount_cents"] == 8750 + 4000
    assert subtotals["Ferri"]["amount_cents"] is None and subtotals["Ferri"]["partial"]
    assert (subtotals["Acme Corp"]["currency"], subtotals["Acme Corp"]["amount_cents"]) == (
        "USD",
        200,
    )
    # The subtotals of a currency add up to its total.
    for total in data["totals"]:
        its = [s for s in data["subtotals"] if s["currency"] == total["currency"]]
        assert sum(s["billed_seconds"] for s in its) == total["billed_seconds"]
        assert sum(s["amount_cents"] or 0 for s in its) == total["amount_cents"]


@pytest.mark.parametrize("by", ["task", "day", "week", "who"])
def test_every_view_has_the_same_subtotals(cli, november, by):
    assert (
        report_json(cli, "--month", "2026-11", "--by", by)["subtotals"]
        == report_json(cli, "--month", "2026-11")["subtotals"]
    )


def test_the_subtotals_in_the_table_markdown_html_and_csv(cli, november, monkeypatch):
    table = cli("report", "--month", "2026-11").output
    assert "Per client" in table
    rossi = next(line for line in table.splitlines() if line.startswith("Studio Rossi "))
    assert rossi.split()[2:4] == ["3:03", "4:15"] and "€127.50" in rossi
    md = cli("report", "--month", "2026-11", "--format", "md").output
    assert "| Studio Rossi | 3:03 | 4:15 | €127.50 | - | €127.50 |" in md
    assert "| Ferri | 0:20 | 0:20 | - | - | 0:20 |" in md
    html = cli("report", "--month", "2026-11", "--format", "html").output
    assert "<h2>Per client</h2>" in html and "US$2.00" in html
    rows = list(csv.reader(io.StringIO(cli("report", "--month", "--format", "csv").output[1:])))
    subtotal = {r[0]: r for r in rows if r[1] == "Subtotal"}
    assert set(subtotal) == {"Acme Corp", "Ferri", "Studio Rossi"}
    assert subtotal["Studio Rossi"][8] == "127.50" and subtotal["Studio Rossi"][6] == "15300"
    _italian(monkeypatch)
    md = cli("report", "--month", "2026-11", "--format", "md").output
    assert "127,50\xa0€" in md


def test_a_one_client_report_is_ready_to_attach_to_an_invoice(cli, november, monkeypatch):
    cli("config", "set", "name", "Vera Bianchi")
    cli("config", "set", "contact", "vera@example.org")
    _italian(monkeypatch)
    for fmt in ("md", "html"):
        text = cli("report", "--client", "rossi", "--month", "2026-11", "--format", fmt).output
        for said in (
            "Vera Bianchi",
            "vera@example.org",
            "Studio Rossi",
            "1–30 nov 2026",
            "127,50\xa0€",
            "23,625",  # the rounding rule, with its example
            "4:15",
        ):
            assert said in text, (fmt, said)
        assert text.count("2 nov 2026") >= 1  # the entries, by day
    raw = cli("report", "--client", "rossi", "--month", "2026-11", "--format", "csv").output
    assert raw.startswith(BOM)
    rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))
    labels = {r[0]: r[1:] for r in rows if r}
    assert labels["Cliente"][0] == "Studio Rossi"
    # the hours and the amount, each on a row of its own, each labelled
    assert labels["Ore fatturabili"] == ["4,25"] and labels["Importo"] == ["EUR", "127,50"]
    assert any(r[:1] == ["2026-11-02"] for r in rows)  # an entry's day
    data = report_json(cli, "--client", "rossi", "--month", "2026-11")
    assert data["prepared_by"] == {"name": "Vera Bianchi", "contact": "vera@example.org"}
    assert sum(e["seconds"] for e in data["entries"]) == data["totals"][0]["seconds"]
    # A report of every client lists no entries.
    assert report_json(cli, "--month", "2026-11")["entries"] == []


# -- one rounding rule ---------------------------------------------------------------------


def test_money_is_rounded_half_up_everywhere(monkeypatch):
    from mansioni.domain.billing import cents
    from mansioni.report import period, verdict_text

    assert cents(Fraction(47250, 20)) == 2363  # 23.625
    assert cents(2362.5) == 2363 and cents(27787.5) == 27788 and cents(2362.49) == 2362
    # The review's amounts (floats of cents) and the report's (whole cents) agree.
    assert verdict_text.money(2362.5, "EUR") == period.money_text(2363, "EUR") == "€23.63"
    _italian(monkeypatch)
    assert verdict_text.money(2362.5, "EUR") == "23,63\xa0€"
    assert verdict_text.money(27787.5, "EUR") == "277,88\xa0€"
    assert period.money_text(113155, "EUR") == "1.131,55\xa0€"


def test_the_review_and_the_report_show_the_same_amount(cli, at, monkeypatch):
    """28.35 an hour for 50 minutes is exactly 23.625: 23.63 in the report, on the
    review's page and in the review's own money."""
    at("2026-11-01 09:00")
    cli("client", "add", "Studio Rossi", "--rate", "28.35")
    cli("task", "add", "rossi/Fatture", "--estimate", "40m")
    at("2026-11-27 15:00")
    cli("add", "rossi/fatture", "2026-11-03 09:00-09:50")
    task = report_json(cli, "--month", "2026-11")["tasks"][0]
    assert task["amount_cents"] == 2363
    assert "€23.63" in cli("report", "--month", "2026-11").output
    page = cli("review", "--client", "rossi", "--format", "md").output
    assert "€23.63" in page and "€23.62" not in page
    _italian(monkeypatch)
    assert "23,63\xa0€" in cli("report", "--month", "2026-11", "--format", "md").output
    assert "23,63\xa0€" in cli("review", "--client", "rossi", "--format", "md").output
    json.loads(cli("review", "--json").output)  # the review itself is unchanged in shape
