"""``mansioni report``: the periodic report, its billing, its formats and its period.

Every amount below is worked out by hand from the billing rules in
``docs/howto/periodic-reports.md``; the store is built through the command line.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROME
from helpers import checkpoint, db_file, dump
from mansioni.domain.billing import billed_seconds, cents
from mansioni.report.spreadsheet import BOM, FORMULA_START

MIN = 60


@pytest.fixture(scope="module")
def november_db(tmp_path_factory):
    """``build_november``'s store, built once through the command line, then copied."""
    from datetime import datetime

    from typer.testing import CliRunner

    from mansioni import clock
    from mansioni.cli.app import app
    from mansioni.i18n import set_language

    home = tmp_path_factory.mktemp("november")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MANSIONI_DB", raising=False)
        for name, value in (
            ("MANSIONI_HOME", str(home)),
            ("MANSIONI_USER", "vera"),
            ("MANSIONI_TZ", "Europe/Rome"),
            ("MANSIONI_LANG", "en"),
            ("COLUMNS", "200"),
        ):
            patch.setenv(name, value)
        set_language(None)

        def cli(*args: str):
            result = runner.invoke(app, list(args), catch_exceptions=False)
            assert result.exit_code == 0, (args, result.output)
            return result

        def at(moment: str) -> None:
            instant = int(datetime.fromisoformat(moment).replace(tzinfo=ROME).timestamp())
            patch.setattr(clock, "now", lambda: instant)

        build_november(cli, at, patch)
    set_language(None)
    store = db_file(home)
    checkpoint(store)  # the whole store in its one file, to be copied
    return store


@pytest.fixture
def november(isolated_home, november_db, at):
    """This test's home holds a copy of November's store; the clock is at its end."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(november_db, db_file(isolated_home))


def build_november(cli, at, monkeypatch):
    """A month of work for three clients in two currencies, by two people.

    Studio Rossi (EUR, 28/h, 15-minute increments, at least 30 minutes a piece):
      Newsletter (no rate of its own): 2 Nov 40m -> 45m at 28 = 21.00;
        9 Nov 10m -> 30m at 28 = 14.00; rate 30 from 15 Nov;
        16 Nov 50m -> 60m at 30 = 30.00; 23 Nov giulia 31m -> 45m at 30 = 22.50.
        Raw 131m, billed 180m, 87.50.
      Fatture (32/h of its own): 4 Nov 20m, resumed for 25m: one piece of 45m -> 45m
        at 32 = 24.00; 20 Nov 7m -> 30m at 32 = 16.00. Raw 52m, billed 75m, 40.00.
    Ferri (EUR, no rate): Agenda 5 Nov 20m, billed 20m, no amount.
    Acme Corp (USD, 40/h, to the second): Inbox 6 Nov three pieces of 1m:
      0.6667 each, 2.00 for the task (rounded once, not 3 x 0.67).
    Outside November: Newsletter 31 Oct 23:30-00:10 (it starts in October).
    """
    at("2026-10-01 09:00")
    cli(
        "client", "add", "Studio Rossi", "--rate", "28", "--rounding", "15m", "--minimum", "30m"
    )  # fmt: skip
    cli("client", "add", "Ferri")
    cli("client", "add", "Acme Corp", "--currency", "USD", "--rate", "40")
    cli("task", "add", "rossi/Newsletter", "--estimate", "45m")
    cli("task", "add", "rossi/Fatture", "--rate", "32", "--estimate", "30m")
    cli("task", "add", "ferri/Agenda")
    cli("task", "add", "acme/Inbox", "--estimate", "2m")
    at("2026-11-04 09:00")
    cli("start", "rossi/fatt")
    at("2026-11-04 09:20")
    cli("stop")
    at("2026-11-04 10:00")
    cli("start", "rossi/fatt", "--resume")
    at("2026-11-04 10:25")
    cli("stop")
    at("2026-11-27 15:00")
    cli("add", "rossi/news", "2026-10-31 23:30-00:10")
    cli("add", "rossi/news", "2026-11-02 09:00-09:40")
    cli("add", "rossi/news", "2026-11-09 09:00-09:10")
    cli("add", "rossi/news", "2026-11-16 09:00-09:50")
    cli("add", "ferri/agenda", "2026-11-05 11:00-11:20")
    for hour in (10, 11, 12):
        cli("add", "acme/inbox", f"2026-11-06 {hour}:00-{hour}:01")
    cli("add", "rossi/fatt", "2026-11-20 14:00-14:07")
    cli("change", "rossi/news", "every Monday now", "--minor", "--rate", "30", "--at", "2026-11-15")
    monkeypatch.setenv("MANSIONI_USER", "giulia")
    cli("add", "rossi/news", "2026-11-23 09:00-09:31")
    monkeypatch.setenv("MANSIONI_USER", "vera")


def report_json(cli, *args):
    return json.loads(cli("report", *args, "--format", "json").output)


def by_key(rows, key="key"):
    return {(r[key], r["currency"]): r for r in rows}


# -- billing ---------------------------------------------------------------------------


def test_billing_by_task_worked_by_hand(cli, november):
    data = report_json(cli, "--month", "2026-11")
    tasks = {t["task"]: t for t in data["tasks"]}
    news = tasks["Studio Rossi/Newsletter"]
    assert (news["seconds"], news["billed_seconds"], news["pieces"]) == (
        131 * MIN,
        180 * MIN,
        4,
    )
    assert news["amount_cents"] == 2100 + 1400 + 3000 + 2250
    assert news["rates_cents"] == [2800, 3000]
    fatture = tasks["Studio Rossi/Fatture"]
    # The interrupted occurrence is one piece of 45 minutes: as two it would be 30 + 30.
    assert (fatture["seconds"], fatture["billed_seconds"], fatture["pieces"]) == (
        52 * MIN,
        75 * MIN,
        2,
    )
    assert fatture["entries"] == 3 and fatture["amount_cents"] == 2400 + 1600
    agenda = tasks["Ferri/Agenda"]
    assert agenda["amount_cents"] is None and agenda["unpriced_seconds"] == 20 * MIN
    inbox = tasks["Acme Corp/Inbox"]
    assert (inbox["billed_seconds"], inbox["amount_cents"]) == (3 * MIN, 200)
    totals = {t["currency"]: t for t in data["totals"]}
    assert set(totals) == {"EUR", "USD"}  # never one mixed sum
    eur = totals["EUR"]
    assert (eur["seconds"], eur["billed_seconds"]) == ((131 + 52 + 20) * MIN, (180 + 75 + 20) * MIN)
    assert eur["amount_cents"] == 8750 + 4000
    assert eur["partial"] is True and eur["unpriced_seconds"] == 20 * MIN
    usd = totals["USD"]
    assert (usd["amount_cents"], usd["partial"]) == (200, False)


def test_the_table_shows_billed_time_apart_and_says_what_is_partial(cli, november):
    out = cli("report", "--month", "2026-11").output
    assert "Report: all clients, 1\u2009–\u200930 Nov 2026" in out
    news = next(line for line in out.splitlines() if line.startswith("Studio Rossi/Newsletter"))
    assert news.split()[2:5] == ["2:11", "3:00", "4"]
    assert "€28.00 → €30.00" in news and news.endswith("€87.50")
    agenda = next(line for line in out.splitlines() if line.startswith("Ferri/Agenda"))
    assert agenda.rstrip().endswith("-")
    assert "Total EUR" in out and "€127.50 *" in out
    assert "Total USD" in out and "US$2.00" in out
    assert "0:20 of billed time in EUR has no hourly rate: the amount is partial." in out
    assert (
        "Studio Rossi: each piece of work rounded up to 15 minutes, at least 30 minutes; "
        "amounts in EUR." in out
    )
    assert "Acme Corp: each piece of work billed to the second; amounts in USD." in out


def test_a_rate_change_applies_from_its_date(cli, november):
    days = by_key(report_json(cli, "--month", "2026-11", "--by", "day")["rows"])
    assert days[("2026-11-09", "EUR")]["amount_cents"] == 1400  # 30 min at 28
    assert days[("2026-11-16", "EUR")]["amount_cents"] == 3000  # 60 min at 30


def test_the_rate_before_the_first_change_is_the_one_the_task_had(cli, at, november):
    """Fatture had 32/h of its own before a change to 35 dated 10 Nov."""
    cli("change", "rossi/fatt", "new procedure", "--minor", "--rate", "35", "--at", "2026-11-10")
    tasks = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}
    fatture = tasks["Studio Rossi/Fatture"]
    assert fatture["rates_cents"] == [3200, 3500]
    assert fatture["amount_cents"] == 2400 + 1750  # 45 min at 32, then 30 min at 35


def test_a_minimum_set_later_applies_to_the_report_and_undo_takes_it_back(cli, november):
    cli("client", "edit", "acme", "--minimum", "5m")
    inbox = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}[
        "Acme Corp/Inbox"
    ]
    assert (inbox["billed_seconds"], inbox["amount_cents"]) == (15 * MIN, 1000)
    cli("undo")
    inbox = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}[
        "Acme Corp/Inbox"
    ]
    assert inbox["billed_seconds"] == 3 * MIN
    assert json.loads(cli("client", "show", "acme", "--json").output)["minimum_minutes"] is None


def test_client_add_edit_show_and_list_carry_the_minimum(cli):
    cli("client", "add", "Studio Rossi", "--minimum", "30m", "--rounding", "15m")
    assert "Minimum per piece of work: 30 minutes" in cli("client", "show", "rossi").output
    cli("client", "edit", "rossi", "--minimum", "1h")
    listed = json.loads(cli("client", "list", "--json").output)
    assert listed[0]["minimum_minutes"] == 60 and listed[0]["rounding_minutes"] == 15
    assert "60 minutes" in cli("client", "list").output
    bad = cli("client", "edit", "rossi", "--minimum", "soon", ok=False)
    assert bad.exit_code == 2


# -- the views -------------------------------------------------------------------------


def test_by_day_week_and_who(cli, november):
    days = by_key(report_json(cli, "--month", "2026-11", "--by", "day")["rows"])
    assert set(days) == {
        ("2026-11-02", "EUR"),
        ("2026-11-04", "EUR"),
        ("2026-11-05", "EUR"),
        ("2026-11-06", "USD"),
        ("2026-11-09", "EUR"),
        ("2026-11-16", "EUR"),
        ("2026-11-20", "EUR"),
        ("2026-11-23", "EUR"),
    }
    assert (
        days[("2026-11-04", "EUR")]["pieces"] == 1 and days[("2026-11-04", "EUR")]["entries"] == 2
    )
    weeks = by_key(report_json(cli, "--month", "2026-11", "--by", "week")["rows"])
    first = weeks[("2026-11-02", "EUR")]  # 40 + 45 + 20 min; 45 + 45 + 20 billed
    assert (first["seconds"], first["billed_seconds"]) == (105 * MIN, 110 * MIN)
    assert (first["amount_cents"], first["unpriced_seconds"]) == (2100 + 2400, 20 * MIN)
    assert weeks[("2026-11-02", "USD")]["amount_cents"] == 200
    people = by_key(report_json(cli, "--month", "2026-11", "--by", "who")["rows"])
    giulia = people[("giulia", "EUR")]
    assert (giulia["seconds"], giulia["billed_seconds"], giulia["amount_cents"]) == (
        31 * MIN,
        45 * MIN,
        2250,
    )
    assert people[("vera", "EUR")]["seconds"] == (131 - 31 + 52 + 20) * MIN
    out = cli("report", "--month", "2026-11", "--by", "week").output
    assert "week of Mon 2 Nov 2026" in out and "Per task" in out


def test_every_view_adds_up_to_the_same_totals(cli, november):
    totals = None
    for by in ("task", "day", "week", "who"):
        data = report_json(cli, "--month", "2026-11", "--by", by)
        assert data["by"] == by
        for t in data["totals"]:
            rows = [r for r in data["rows"] if r["currency"] == t["currency"]]
            assert sum(r["seconds"] for r in rows) == t["seconds"]
            assert sum(r["billed_seconds"] for r in rows) == t["billed_seconds"]
        assert totals is None or data["totals"] == totals
        totals = data["totals"]


def test_one_client_one_task_and_italian_words_for_by(cli, november):
    data = report_json(cli, "--client", "rossi", "--month", "2026-11", "--by", "persona")
    assert data["scope"] == {"client": "Studio Rossi", "task": None}
    assert {t["currency"] for t in data["totals"]} == {"EUR"}
    assert {t["task"] for t in data["tasks"]} == {"Studio Rossi/Newsletter", "Studio Rossi/Fatture"}
    assert data["by"] == "who"
    one = report_json(cli, "--task", "rossi/fatt", "--month", "2026-11")
    assert [t["task"] for t in one["tasks"]] == ["Studio Rossi/Fatture"]
    assert one["changes"] == []


def test_estimate_against_actual_changes_and_verdicts(cli, november):
    data = report_json(cli, "--month", "2026-11")
    news = {t["task"]: t for t in data["tasks"]}["Studio Rossi/Newsletter"]
    # Occurrences 40, 10, 50, 31 minutes against 45.
    assert news["occurrences"] == 4 and news["atypical"] == 0
    assert news["median_seconds"] == 35.5 * MIN
    assert news["mean_seconds"] == 131 / 4 * MIN
    assert news["estimate_seconds"] == 45 * MIN
    assert news["time_index"] == pytest.approx(4 * 45 / 131)
    review = {r["task"]: r for r in json.loads(cli("review", "--json").output)}
    assert news["verdict"] == review["Studio Rossi/Newsletter"]["verdict"]
    [change] = data["changes"]
    assert change["kind"] == "change" and change["text"] == "every Monday now"
    assert (change["rate_cents"], change["major"]) == (3000, False)
    assert change["at"].startswith("2026-11-15T00:00")
    out = cli("report", "--month", "2026-11").output
    assert "minor change, “every Monday now” (rate €30.00)" in out
    assert "Estimate against actual" in out


def test_atypical_occurrences_stay_in_the_time_and_out_of_the_statistics(cli, november):
    entries = json.loads(cli("log", "--json", "--month").output)
    longest = next(e for e in entries if e["start"].startswith("2026-11-16"))
    cli("edit", str(longest["id"]), "--atypical")
    news = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}[
        "Studio Rossi/Newsletter"
    ]
    assert (news["occurrences"], news["atypical"]) == (3, 1)
    assert news["median_seconds"] == 31 * MIN and news["seconds"] == 131 * MIN


def test_running_timers_are_not_billed_and_are_mentioned(cli, at, november):
    cli("start", "rossi/news")
    at("2026-11-27 16:00")
    data = report_json(cli, "--month", "2026-11")
    assert data["running"] == [
        {
            "person": "vera",
            "task": "Studio Rossi/Newsletter",
            "client": "Studio Rossi",
            "start": "2026-11-27T15:00:00+01:00",
        }
    ]
    news = {t["task"]: t for t in data["tasks"]}["Studio Rossi/Newsletter"]
    assert news["seconds"] == 131 * MIN
    out = cli("report", "--month").output
    assert "Not counted: 1 timer still running (vera, Studio Rossi/Newsletter" in out


def test_an_empty_period(cli, november):
    out = cli("report", "--month", "2026-09").output
    assert "No time recorded in this period." in out
    data = report_json(cli, "--month", "2026-09")
    assert (data["rows"], data["tasks"], data["totals"], data["changes"]) == ([], [], [], [])
    assert data["period"] == {"from": "2026-09-01", "to": "2026-09-30"}


def test_an_empty_store_reports_nothing_calmly(cli):
    out = cli("report").output
    assert "No time recorded in this period." in out


# -- the period ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "period"),
    [
        ((), ("2026-11-01", "2026-11-30")),  # no period: this month
        (("--month",), ("2026-11-01", "2026-11-30")),
        (("--month", "2026-10"), ("2026-10-01", "2026-10-31")),
        (("--month", "2/2026"), ("2026-02-01", "2026-02-28")),
        (("--month", "nov", "2025"), ("2025-11-01", "2025-11-30")),
        (("--month", "novembre 2026"), ("2026-11-01", "2026-11-30")),
        (("--month", "Dicembre"), ("2025-12-01", "2025-12-31")),  # the latest December
        (("--month", "ottobre"), ("2026-10-01", "2026-10-31")),
        (("--month", "Sept. 2024"), ("2024-09-01", "2024-09-30")),
        (("--month", "2024 feb"), ("2024-02-01", "2024-02-29")),
        (("--week",), ("2026-11-23", "2026-11-29")),
        (("--from", "2026-11-02", "--to", "2026-11-08"), ("2026-11-02", "2026-11-08")),
        (("--from", "20/11/2026"), ("2026-11-20", "2026-11-27")),  # up to today
        (("--from", "monday", "--to", "today"), ("2026-11-23", "2026-11-27")),
    ],
)
def test_periods_people_write(cli, args, period):
    data = report_json(cli, *args)
    assert (data["period"]["from"], data["period"]["to"]) == period


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "13/2026"), "There is no such month as '13/2026'."),
        (("--month", "2026-00"), "There is no such month"),
        (("--month", "brumaio"), "Cannot understand the month 'brumaio'."),
        (("--month", "nov", "26"), "Cannot understand the month 'nov 26'."),
        (("--week", "--month"), "Choose one period"),
        (("--month", "2026-11", "--from", "2026-11-01"), "Choose one period"),
        (("--to", "2026-11-02"), "--to needs --from"),
        (("--from", "2026-11-10", "--to", "2026-11-02"), "--to must not come before --from."),
        (("--from", "2026-13-01"), "There is no such date as '2026-13-01'."),
        (("--from", "someday"), "Cannot understand the day 'someday'."),
        (("--from", "9999-12-30", "--to", "9999-12-31"), "That period is out of range."),
        (("--by", "client"), "'client' is not a way to group the report"),
        (("--format", "xls"), "'xls' is not a format here"),
        (("--client", "nobody"), "No client matches 'nobody'."),
        (("--task", "rossi/nothing"), "No task matches"),
    ],
)
def test_bad_input_is_refused_with_an_example_and_writes_nothing(
    cli, november, isolated_home, tmp_path, args, message
):
    before = dump(isolated_home)
    target = tmp_path / "out.html"
    result = cli("report", *args, "-o", str(target), ok=False)
    assert result.exit_code == 2, result.output
    assert message in result.output
    message_line, hint = result.output.strip().splitlines()[:2]
    assert message_line.startswith("Error: ") and hint.strip()  # what went wrong, what works
    assert "Traceback" not in result.output
    assert not target.exists()
    assert dump(isolated_home) == before


# -- the formats -----------------------------------------------------------------------


def parse_csv(text: str, language: str) -> list[list[str]]:
    assert text.startswith(BOM)
    delimiter = ";" if language == "it" else ","
    return list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=delimiter))


def number(cell: str, language: str) -> Decimal:
    return Decimal(cell.replace(",", ".") if language == "it" else cell)


@pytest.mark.parametrize("language", ["en", "it"])
def test_csv_parses_back_with_numbers_in_both_languages(cli, november, monkeypatch, language):
    monkeypatch.setenv("MANSIONI_LANG", language)
    from mansioni.i18n import set_language

    set_language(None)
    rows = parse_csv(cli("report", "--month", "2026-11", "--format", "csv").output, language)
    header, body = rows[0], rows[1:]
    assert len(header) == 10 and all(len(r) == 10 for r in body)
    table = {(r[0], r[1], r[2]): r for r in body}
    news = table[("Studio Rossi", "Newsletter", "EUR")]
    # Hours, seconds, billed hours, billed seconds, pieces, amount, unpriced seconds.
    assert [number(c, language) for c in news[3:10]] == [
        Decimal("2.1833"),
        131 * MIN,
        Decimal(3),
        180 * MIN,
        4,
        Decimal("87.50"),
        0,
    ]
    if language == "it":
        assert news[3] == "2,1833" and news[8] == "87,50"
    agenda = table[("Ferri", "Agenda", "EUR")]
    assert agenda[8] == "" and agenda[9] == str(20 * MIN)
    totals = [r for r in body if r[1] == "" and r[2] in ("EUR", "USD")]
    assert {r[2]: number(r[8], language) for r in totals} == {
        "EUR": Decimal("127.50"),
        "USD": Decimal("2.00"),
    }


PAYLOADS = ('=HYPERLINK("http://x","y")', "@SUM(A1)", "\t=1", "+1+1", "-2+3")


def test_csv_neutralises_formulas_in_names_and_notes(cli, at, monkeypatch):
    cli("client", "add", "--rate", "10", "--", "-Minus")
    cli("task", "add", "--", "-minus/@SUM(A1)")
    cli("task", "add", "--", "-minus/\t=1+2")  # the tab goes: names are tidied
    for n, note in enumerate(PAYLOADS):
        cli("add", "--note", note, "--", "-minus/@SUM", f"2026-11-0{n + 2} 09:00-09:30")
    monkeypatch.setenv("MANSIONI_USER", '=HYPERLINK("http://x","y")')
    cli("add", "--note", "\t=1", "--", "-minus/=1", "2026-11-10 09:00-09:15")
    for by in ("task", "who", "day"):
        rows = parse_csv(cli("report", "--month", "--format", "csv", "--by", by).output, "en")
        for row in rows:
            for value in row:
                assert not value.startswith(FORMULA_START), (by, value)
        if by == "task":
            names = {r[1] for r in rows[1:]}
            assert {"'@SUM(A1)", "'=1+2"} <= names
            assert {r[0] for r in rows[1:]} >= {"'-Minus"}
            seconds = [int(r[4]) for r in rows[1:] if r[0] == "'-Minus" and r[1] != "Subtotal"]
            assert sorted(seconds) == [15 * MIN, len(PAYLOADS) * 30 * MIN]
            subtotal = next(r for r in rows if r[:2] == ["'-Minus", "Subtotal"])
            assert int(subtotal[4]) == sum(seconds)
        if by == "who":
            assert '\'=HYPERLINK("http://x","y")' in {r[0] for r in rows}


def test_markdown_escapes_names_and_keeps_its_tables_whole(cli, at):
    at("2026-11-01 08:00")
    cli("client", "add", "Pipe | Co", "--rate", "20")
    cli("task", "add", "pipe/Pay|roll *now*")
    at("2026-11-27 15:00")
    cli("add", "pipe/pay", "2026-11-03 09:00-10:00")
    cli("change", "pipe/pay", "new | table", "--minor", "--at", "2026-11-05")
    out = cli("report", "--month", "--format", "md").output
    assert out.startswith("# Report: all clients, 1\u2009–\u200930 Nov 2026")
    assert "## Time and billing" in out and "## Estimate against actual" in out
    row = next(line for line in out.splitlines() if line.startswith("| Pipe"))
    assert row.startswith(r"| Pipe \| Co/Pay\|roll \*now\* | 1:00 |")
    assert row.replace(r"\|", "").count("|") == 7  # six cells
    assert "€20.00" in row
    assert r"minor change, “new \| table”" in out


def test_json_has_the_documented_shape(cli, november):
    data = report_json(cli, "--month", "2026-11")
    assert list(data) == [
        "format",
        "version",
        "period",
        "zone",
        "generated",
        "scope",
        "by",
        "clients",
        "rows",
        "tasks",
        "totals",
        "changes",
        "running",
        "subtotals",
        "invoices",
        "entries",
        "prepared_by",
    ]
    assert (data["format"], data["version"], data["zone"]) == ("mansioni-report", 1, "Europe/Rome")
    assert data["generated"] == "2026-11-27T15:00:00+01:00"
    assert set(data["rows"][0]) == {
        "key",
        "task",
        "client",
        "currency",
        "seconds",
        "billed_seconds",
        "pieces",
        "entries",
        "amount_cents",
        "unpriced_seconds",
    }
    assert set(data["tasks"][0]) >= {"rates_cents", "median_seconds", "time_index", "verdict"}
    rossi = next(c for c in data["clients"] if c["name"] == "Studio Rossi")
    assert rossi == {
        "name": "Studio Rossi",
        "currency": "EUR",
        "rate_cents": 2800,
        "rounding_minutes": 15,
        "minimum_minutes": 30,
    }
    for row in data["rows"] + data["totals"]:
        assert all(isinstance(row[k], int) for k in ("seconds", "billed_seconds", "pieces"))


class Page(HTMLParser):
    """Checks that tags nest and close, and gathers the text and every attribute."""

    VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_well_formed_page_with_every_task_and_no_request(cli, november, tmp_path):
    target = tmp_path / "rossi-nov.html"
    cli("report", "--month", "2026-11", "-o", str(target))
    page = Page()
    page.feed(target.read_text(encoding="utf-8"))
    page.close()
    assert page.stack == []
    text = " ".join(page.text)
    for name in (
        "Studio Rossi/Newsletter",
        "Studio Rossi/Fatture",
        "Ferri/Agenda",
        "Acme Corp/Inbox",
    ):
        assert name in text
    assert "Estimate against actual" in text and "Changes and decisions" in text
    assert not [t for t, _a in page.tags if t in ("script", "link", "img", "iframe", "object")]
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            assert name not in ("src", "href", "action", "srcset"), tag
            assert "http" not in (value or ""), (tag, name)


def test_html_escapes_what_the_store_holds(cli, at):
    at("2026-11-01 08:00")
    cli("client", "add", "Studio <b>", "--rate", "20")
    cli("task", "add", "studio/<img src=x onerror=alert(1)>")
    at("2026-11-27 15:00")
    cli("add", "studio/<img", "2026-11-03 09:00-10:00")
    out = cli("report", "--format", "html").output
    page = Page()
    page.feed(out)
    assert not [t for t, _a in page.tags if t in ("img", "b")]
    assert "Studio <b>/<img src=x onerror=alert(1)>" in " ".join(page.text)


def test_output_file_is_written_whole_and_its_name_chooses_the_format(cli, november, tmp_path):
    for name, start in (("r.csv", BOM), ("r.json", "{"), ("r.md", "# "), ("r.html", "<!DOCTYPE")):
        target = tmp_path / name
        result = cli("report", "--month", "2026-11", "-o", str(target))
        assert target.read_text(encoding="utf-8").startswith(start)
        assert "Wrote" in result.output and "Studio Rossi" not in result.output
    plain = tmp_path / "r.txt"
    cli("report", "--month", "2026-11", "-o", str(plain))
    text = plain.read_text(encoding="utf-8")
    assert "Studio Rossi/Newsletter" in text and "\x1b[" not in text
    forced = tmp_path / "r.out"
    cli("report", "--month", "2026-11", "--format", "json", "-o", str(forced))
    assert json.loads(forced.read_text(encoding="utf-8"))["format"] == "mansioni-report"


def test_a_missing_folder_for_the_output_is_refused(cli, november, tmp_path):
    result = cli("report", "-o", str(tmp_path / "nowhere" / "r.html"), ok=False)
    assert result.exit_code == 2 and "There is no folder" in result.output


def test_help_has_the_example(cli):
    out = cli("report", "--help").output
    assert "$ mansioni report --client rossi --month 2026-11 --format html -o rossi-nov.html" in out


# -- the rules, as properties ----------------------------------------------------------

INCREMENTS = st.one_of(st.none(), st.integers(min_value=1, max_value=240))


@given(
    seconds=st.integers(min_value=1, max_value=7 * 24 * 3600),
    rounding=INCREMENTS,
    minimum=INCREMENTS,
)
def test_billed_time_is_never_less_than_the_time_worked(seconds, rounding, minimum):
    billed = billed_seconds(seconds, rounding_minutes=rounding, minimum_minutes=minimum)
    assert billed >= seconds
    if minimum:
        assert billed >= minimum * MIN
    if rounding:
        assert billed % (rounding * MIN) == 0 or billed == minimum * MIN
        assert billed - seconds < max(rounding * MIN, (minimum or 0) * MIN)
    if not rounding and not minimum:
        assert billed == seconds


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=36000), st.integers(0, 20000)), max_size=30
    )
)
def test_money_is_rounded_once_half_up(pieces):
    from fractions import Fraction

    from mansioni.domain.billing import amount

    exact = sum((amount(b, r) for b, r in pieces), Fraction(0))
    rounded = cents(exact)
    assert abs(rounded - exact) <= Fraction(1, 2)
    assert rounded - exact != Fraction(-1, 2)  # a half goes up


def test_the_rate_before_is_found_when_the_clock_went_back(cli, at, november):
    """The operation that recorded a rate is found even when operation times do not grow
    with their numbers (a clock set back), by looking at every one of that second."""
    cli("change", "rossi/fatt", "new procedure", "--minor", "--rate", "35", "--at", "2026-11-10")
    at("2026-11-05 07:00")  # later operations, earlier times
    for minute in range(10, 50, 10):
        cli("add", "ferri/agenda", f"2026-11-05 06:{minute}-06:{minute + 5}")
    at("2026-11-27 15:00")
    fatture = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}[
        "Studio Rossi/Fatture"
    ]
    assert fatture["rates_cents"] == [3200, 3500]
    assert fatture["amount_cents"] == 2400 + 1750


def test_the_service_tells_its_progress(cli, november):
    from datetime import date

    from mansioni.services.report import period_report
    from mansioni.store.paths import sqlite_path, store_url
    from mansioni.store.quick import QuickStore

    heard: list[tuple[int, int | None]] = []

    def advance(n: int = 1, *, total: int | None = None) -> None:
        heard.append((n, total))

    store = QuickStore.open(sqlite_path(store_url()))
    assert store is not None
    report = period_report(
        store,
        first=date(2026, 11, 1),
        last=date(2026, 11, 30),
        zone="Europe/Rome",
        now=0,
        progress=advance,
    )
    assert heard[0] == (1, 1 + len(report.tasks)) and len(heard) == 1 + len(report.tasks)
    assert sum(n for n, _total in heard) == heard[0][1]


def test_each_occurrence_meets_the_estimate_in_force_and_weekly_duties_count_weeks(
    cli, at, november
):
    at("2026-11-01 08:00")
    cli("task", "add", "rossi/Social", "--estimate", "2h", "--basis", "week")
    at("2026-11-27 15:00")
    for when in ("2026-11-10 14:00-15:00", "2026-11-12 14:00-14:30", "2026-11-17 14:00-15:40"):
        cli("add", "rossi/social", when)
    cli(
        "change",
        "rossi/news",
        "longer issues",
        "--minor",
        "--estimate",
        "60m",
        "--at",
        "2026-11-12",
    )
    tasks = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}
    news = tasks["Studio Rossi/Newsletter"]
    # 40 and 10 minutes against 45, then 50 and 31 against 60.
    assert news["estimate_seconds"] == 60 * MIN and news["estimated_occurrences"] == 4
    assert news["time_index"] == pytest.approx((45 + 45 + 60 + 60) / 131)
    social = tasks["Studio Rossi/Social"]
    # Two calendar weeks: 60 + 30 minutes, then 100; each against 2 hours a week.
    assert (social["basis"], social["occurrences"]) == ("week", 2)
    assert social["median_seconds"] == social["mean_seconds"] == 95 * MIN
    assert social["time_index"] == pytest.approx(2 * 120 / 190)
    # Billed piece by piece all the same: 60, 30 and 100 -> 105 minutes at 28.
    assert (social["billed_seconds"], social["amount_cents"]) == (195 * MIN, 9100)
    assert "120 (per week)" in cli("report", "--month", "2026-11").output


def test_a_major_change_leaves_the_new_phase_without_an_estimate(cli, november):
    cli("change", "rossi/news", "new scope", "--at", "2026-11-12")
    news = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}[
        "Studio Rossi/Newsletter"
    ]
    assert news["estimate_seconds"] is None
    assert news["estimated_occurrences"] == 2  # only the two before the change had one
    assert news["time_index"] == pytest.approx(90 / 50)


# -- PostgreSQL ------------------------------------------------------------------------


VIEWS = [
    ("--by", "task"),
    ("--by", "day"),
    ("--by", "week"),
    ("--by", "who"),
    ("--client", "rossi", "--format", "csv"),
    ("--format", "md"),
]


def test_postgresql_gives_the_same_report(cli, at, monkeypatch, pg_server):
    def reports() -> list[str]:
        found = [
            cli("report", "--month", "2026-11", "--format", "json", *v[:2]).output
            for v in VIEWS[:4]
        ]
        found += [cli("report", "--month", "2026-11", *v).output for v in VIEWS[4:]]
        return found

    def story() -> list[list[str]]:
        """The reports before any dated rate change, and after one."""
        build_november(cli, at, monkeypatch)
        before = reports()
        cli(
            "change", "rossi/fatt", "new procedure", "--minor", "--rate", "35", "--at", "2026-11-10"
        )
        return [before, reports()]

    on_sqlite = story()
    name = pg_server.create_database()
    monkeypatch.setenv("MANSIONI_DB", pg_server.url(name))
    try:
        assert story() == on_sqlite
        assert "postgresql" in cli("info", "--json").output
    finally:
        monkeypatch.delenv("MANSIONI_DB")
        pg_server.drop_database(name)


def test_the_report_loads_no_orm(cli, november):
    """A current SQLite store is read through the standard sqlite3 module."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from mansioni.cli.app import run_app\n"
        "code = run_app(sys.argv[1:])\n"
        "assert code == 0, code\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel'})\n"
        "print('ORM:' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "report", "--month", "2026-11", "--format", "html"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ORM:"


def test_a_client_typed_without_client_is_pointed_at_the_option(cli, november):
    result = cli("report", "rossi", ok=False)
    assert result.exit_code == 2
    assert "'rossi' is not a month; a client or a task goes after --client or --task." in (
        result.output
    )
    assert "mansioni report --client rossi --month 2026-11" in result.output
    assert report_json(cli, "2026-10")["period"]["from"] == "2026-10-01"  # a month alone


def test_days_and_weeks_follow_the_local_clock_across_a_clock_change(cli, at):
    """Summer time ends on Sunday 25 October 2026 in Rome: that day has 25 hours."""
    at("2026-10-01 08:00")
    cli("client", "add", "Studio Rossi", "--rate", "30")
    cli("task", "add", "rossi/Newsletter")
    at("2026-11-27 15:00")
    for when in (
        "2026-10-24 23:30-23:45",
        "2026-10-25 00:10-00:20",
        "2026-10-25 23:30-23:45",
        "2026-10-26 00:05-00:15",
    ):
        cli("add", "rossi/news", when)
    days = by_key(report_json(cli, "--month", "2026-10", "--by", "day")["rows"])
    assert {day: row["seconds"] // MIN for (day, _c), row in days.items()} == {
        "2026-10-24": 15,
        "2026-10-25": 25,
        "2026-10-26": 10,
    }
    weeks = by_key(report_json(cli, "--month", "2026-10", "--by", "week")["rows"])
    assert {week: row["seconds"] // MIN for (week, _c), row in weeks.items()} == {
        "2026-10-19": 40,
        "2026-10-26": 10,
    }


@pytest.mark.parametrize(
    ("basis", "period", "seconds"),
    [("week", ("--week",), 100 * MIN), ("month", ("--month", "2026-11"), 190 * MIN)],
)
def test_a_period_of_one_calendar_unit_groups_a_weekly_or_monthly_duty_as_one(
    cli, at, november, basis, period, seconds
):
    """One week (or month) is one occurrence of a weekly (monthly) duty: the grouping
    key is then a constant, which SQL must not take for a column number."""
    at("2026-11-01 08:00")
    cli("task", "add", "rossi/Social", "--estimate", "2h", "--basis", basis)
    at("2026-11-27 15:00")
    for when in ("2026-11-10 14:00-15:00", "2026-11-12 14:00-14:30", "2026-11-23 14:00-15:40"):
        cli("add", "rossi/social", when)
    social = {t["task"]: t for t in report_json(cli, *period)["tasks"]}["Studio Rossi/Social"]
    assert (social["occurrences"], social["median_seconds"]) == (1, seconds)
    for by in ("task", "day", "week", "who"):
        assert cli("report", *period, "--by", by).exit_code == 0


@pytest.mark.parametrize("by", ["task", "day", "week", "who"])
def test_every_view_and_format_of_the_demo_month(cli, demo, tmp_path, by):
    """The demo holds every kind of duty (per occurrence, per week, per month, changed
    mid-way): each view of its month, in each format, is made."""
    for period in (("--month",), ("--week",), ("--from", "2026-09-01", "--to", "2026-11-27")):
        assert "Total" in cli("report", *period, "--by", by).output
        for fmt in ("md", "csv", "json", "html"):
            target = tmp_path / f"{by}.{fmt}"
            cli("report", *period, "--by", by, "--format", fmt, "-o", str(target))
            text = target.read_text(encoding="utf-8-sig")
            if fmt == "json":
                assert json.loads(text)["rows"]
            else:
                assert "vera" in text if by == "who" else "Total" in text


def test_markdown_strikes_nothing_through_and_keeps_one_line():
    from mansioni.report import markdown

    assert markdown.escape("~~x~~ & !y {z}") == r"\~\~x\~\~ \& \!y \{z\}"
    assert markdown.escape("two\nlines\tand\u2028more") == "two lines and more"
    assert markdown.escape("1\u2009–\u200930 Nov") == "1\u2009–\u200930 Nov"


def test_weeks_cut_by_the_month_are_billed_but_not_set_against_a_weekly_estimate(cli, at, november):
    """1 November is a Sunday and 30 November a Monday: their weeks are cut by the
    month, and would set a day's work against a whole week's estimate."""
    at("2026-11-01 08:00")
    cli("task", "add", "rossi/Social", "--estimate", "2h", "--basis", "week")
    at("2026-11-30 15:00")
    for when in ("2026-11-01 10:00-10:20", "2026-11-10 14:00-15:00", "2026-11-30 09:00-09:10"):
        cli("add", "rossi/social", when)
    social = {t["task"]: t for t in report_json(cli, "--month", "2026-11")["tasks"]}[
        "Studio Rossi/Social"
    ]
    assert (social["occurrences"], social["median_seconds"]) == (1, 60 * MIN)
    assert social["seconds"] == 90 * MIN  # all of it billed
    # --week is a whole calendar week, even one under way: it is one occurrence.
    week = {t["task"]: t for t in report_json(cli, "--week")["tasks"]}["Studio Rossi/Social"]
    assert (week["occurrences"], week["seconds"]) == (1, 10 * MIN)
    # Days inside one week never make a whole week.
    days = report_json(cli, "--from", "2026-11-09", "--to", "2026-11-11")["tasks"]
    days = {t["task"]: t for t in days}["Studio Rossi/Social"]
    assert (days["occurrences"], days["seconds"]) == (0, 60 * MIN)
