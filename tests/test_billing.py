"""``mansioni bill``: a client's entries of a period marked as invoiced, journaled and
undoable; the reports show what is invoiced and what is left; an invoiced entry is
changed only with ``--force``."""

from __future__ import annotations

import json
import shlex

import test_report
from helpers import dump, rows
from test_report import report_json

#: November's store (``tests/test_report.py``), shared.
november_db = test_report.november_db
november = test_report.november

MIN = 60


def _subtotal(cli, client="Studio Rossi", *args):
    data = report_json(cli, "--month", "2026-11", *args)
    return next(s for s in data["subtotals"] if s["client"] == client)


def _entries(cli, *args):
    return report_json(cli, "--client", "rossi", "--month", "2026-11", *args)["entries"]


def test_bill_marks_the_period_of_one_client_and_nothing_else(cli, november, isolated_home):
    result = cli("bill", "--client", "rossi", "--month", "2026-11", "--note", "n. 14")
    assert "Marked 7 entries of Studio Rossi in 1\u2009–\u200930 Nov 2026 as invoiced." in (
        result.output
    )
    assert "On this invoice: 4:15 billed, €127.50." in result.output
    marked = rows(
        isolated_home,
        "SELECT e.start_utc, c.name FROM entry e JOIN task t ON t.id = e.task_id"
        " JOIN client c ON c.id = t.client_id WHERE e.invoice_id IS NOT NULL",
    )
    assert len(marked) == 7 and {name for _start, name in marked} == {"Studio Rossi"}
    # The entry of 31 October (Rossi too) and the other clients' are not marked.
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry WHERE invoice_id IS NULL") == [(5,)]
    [invoice] = rows(isolated_home, "SELECT first_day, last_day, note, person FROM invoice")
    assert invoice == ("2026-11-01", "2026-11-30", "n. 14", "vera")
    rossi = _subtotal(cli)
    assert rossi["invoiced"]["amount_cents"] == 12750 == rossi["amount_cents"]
    assert rossi["to_invoice"]["amount_cents"] == 0 and rossi["to_invoice"]["entries"] == 0
    ferri = _subtotal(cli, "Ferri")
    assert ferri["invoiced"]["entries"] == 0 and ferri["to_invoice"]["seconds"] == 20 * MIN
    assert all(e["invoiced"] for e in _entries(cli))


def test_billing_twice_writes_nothing_and_a_later_entry_gets_its_own_invoice(
    cli, november, isolated_home
):
    cli("bill", "--client", "rossi", "--month", "2026-11")
    before = dump(isolated_home, ("entry", "operation", "journal"))
    again = cli("bill", "--client", "rossi", "--month", "2026-11")
    assert "Nothing new to invoice" in again.output and "7 entries" in again.output
    assert dump(isolated_home, ("entry", "operation", "journal")) == before
    added = cli("add", "rossi/news", "2026-11-25 09:00-09:20").output  # after the invoice
    assert (
        "Note: this entry falls in a period of Studio Rossi invoiced already (1\u2009–\u200930"
        " Nov 2026); it is not on that invoice. To bill it: mansioni bill --client rossi"
        " --from 2026-11-01 --to 2026-11-30\n"
    ) in added
    # Another client's entry, or one outside the invoiced month, says nothing of it.
    assert "invoiced" not in cli("add", "rossi/news", "2026-10-30 09:00-09:20").output
    assert "invoiced" not in cli("add", "ferri/agenda", "2026-11-25 10:00-10:20").output
    rossi = _subtotal(cli)
    assert rossi["to_invoice"]["entries"] == 1
    assert rossi["to_invoice"]["amount_cents"] == 1500  # 30 minutes (the minimum) at 30
    assert rossi["invoiced"]["amount_cents"] + 1500 == rossi["amount_cents"]
    assert [e["invoiced"] for e in _entries(cli)].count(False) == 1
    third = cli("bill", "--client", "rossi", "--month", "2026-11")
    assert "Marked 1 entry" in third.output and "7 entries of the period" in third.output
    # It says what it marked: the new entry alone, not the whole period's invoiced time.
    assert "On this invoice: 0:30 billed, €15.00." in third.output
    assert rows(isolated_home, "SELECT COUNT(*) FROM invoice") == [(2,)]


def test_a_running_timer_is_not_marked_and_is_mentioned(cli, at, november, isolated_home):
    at("2026-11-28 10:00")
    cli("start", "rossi/news")
    result = cli("bill", "--client", "rossi", "--month", "2026-11")
    assert "Not marked: 1 timer still running" in result.output
    assert rows(
        isolated_home, "SELECT COUNT(*) FROM entry WHERE end_utc IS NULL AND invoice_id IS NULL"
    ) == [(1,)]


def test_undo_takes_the_whole_marking_back_and_redo_makes_it_again(cli, november, isolated_home):
    before = dump(isolated_home, ("client", "task", "entry"))
    cli("bill", "--client", "rossi", "--month", "2026-11")
    undone = cli("undo")
    assert "marking a period as invoiced" in undone.output
    assert dump(isolated_home, ("client", "task", "entry")) == before
    assert rows(isolated_home, "SELECT COUNT(*) FROM invoice") == [(0,)]
    assert _subtotal(cli)["invoiced"]["entries"] == 0
    cli("redo")
    assert _subtotal(cli)["invoiced"]["entries"] == 7


def test_the_marking_is_one_bulk_operation(cli, november, isolated_home):
    cli("bill", "--client", "rossi", "--month", "2026-11")
    assert rows(
        isolated_home,
        "SELECT command, COUNT(*) FROM journal JOIN operation ON operation.id = operation_id"
        " WHERE command = 'bill' GROUP BY command",
    ) == [("bill", 8)]  # the invoice, and each entry as it was and is


def test_an_invoiced_entry_is_changed_or_deleted_only_with_force(cli, november, isolated_home):
    cli("bill", "--client", "rossi", "--month", "2026-11")
    entry = next(e for e in _entries(cli) if e["person"] == "vera")
    before = dump(isolated_home, ("entry",))
    edited = cli("edit", str(entry["id"]), "--note", "changed", ok=False)
    assert edited.exit_code == 1 and "is invoiced (Studio Rossi" in edited.output
    assert "--force" in edited.output
    deleted = cli("delete", str(entry["id"]), ok=False)
    assert deleted.exit_code == 1 and f"mansioni delete {entry['id']} --force" in deleted.output
    assert dump(isolated_home, ("entry",)) == before
    cli("edit", str(entry["id"]), "--note", "changed", "--force")
    assert rows(isolated_home, f"SELECT note FROM entry WHERE id = {entry['id']}") == [("changed",)]
    cli("delete", str(entry["id"]), "--force")
    assert rows(isolated_home, f"SELECT COUNT(*) FROM entry WHERE id = {entry['id']}") == [(0,)]
    # An entry on no invoice needs nothing.
    other = json.loads(cli("log", "--json", "--month").output)
    free = next(e for e in other if "Agenda" in json.dumps(e))
    cli("edit", str(free["id"]), "--note", "fine")


def test_bill_asks_for_a_client_and_a_period(cli, november):
    no_client = cli("bill", "--month", "2026-11", ok=False)
    assert no_client.exit_code == 2 and "--client" in no_client.output
    no_period = cli("bill", "--client", "rossi", ok=False)
    assert no_period.exit_code == 2 and "--month" in no_period.output
    unknown = cli("bill", "--client", "nobody", "--month", "2026-11", ok=False)
    assert unknown.exit_code == 2


def test_bill_from_to_marks_only_those_days(cli, november, isolated_home):
    cli("bill", "--client", "rossi", "--from", "2026-11-01", "--to", "2026-11-09")
    rossi = _subtotal(cli)
    # 2 Nov (45 min), 4 Nov (one piece of 45), 9 Nov (30 min): 21.00 + 24.00 + 14.00
    assert rossi["invoiced"]["amount_cents"] == 2100 + 2400 + 1400
    assert rossi["invoiced"]["entries"] == 4
    assert rossi["to_invoice"]["amount_cents"] == 12750 - 5900


def test_reports_show_invoiced_and_to_invoice_in_every_format(cli, november, tmp_path):
    cli("bill", "--client", "rossi", "--from", "2026-11-01", "--to", "2026-11-09")
    table = cli("report", "--month", "2026-11").output
    assert "Invoiced" in table and "To invoice" in table
    row = next(line for line in table.splitlines() if line.startswith("Studio Rossi "))
    assert "€59.00" in row and "€68.50" in row
    md = cli("report", "--client", "rossi", "--month", "2026-11", "--format", "md").output
    assert "| Studio Rossi | 3:03 | 4:15 | €127.50 | €59.00 | €68.50 |" in md
    assert "## Entries" in md and "| yes |" in md and "| no |" in md
    html = cli("report", "--client", "rossi", "--month", "2026-11", "--format", "html").output
    assert "€59.00" in html and "Invoiced on " in html
    csv_text = cli("report", "--month", "2026-11", "--format", "csv").output
    assert "Studio Rossi,Invoiced,EUR" in csv_text and "Studio Rossi,To invoice,EUR" in csv_text


def test_the_invoiced_note_names_the_client_as_typed_and_quotes_it_for_the_shell(cli, at):
    at("2026-11-02 09:00")
    for client in ("Studio Cantù Commercialisti", "Studio Rossi", "Studio Rossi Bis"):
        cli("client", "add", client, "--rate", "30")
    cli("task", "add", "cantu/PEC")
    cli("task", "add", "Studio Rossi/Newsletter")
    cli("add", "cantu/pec", "2026-11-02 08:00-08:30")
    cli("add", "Studio Rossi/newsletter", "2026-11-02 08:30-08:45")
    cli("bill", "--client", "cantu", "--month", "2026-11")
    cli("bill", "--client", "Studio Rossi", "--month", "2026-11")
    cantu = cli("add", "cantu/pec", "2026-11-01 10:00-10:30").output
    assert "To bill it: mansioni bill --client cantu --from 2026-11-01 --to 2026-11-30" in cantu
    # No word of it names Studio Rossi alone: its whole name, one word for the shell,
    # and the command works as pasted.
    rossi = cli("add", "Studio Rossi/newsletter", "2026-11-01 11:00-11:30").output
    command = rossi.split("To bill it: ")[1].strip()
    assert command.startswith("mansioni bill --client '")
    words = shlex.split(command)
    assert words[:2] == ["mansioni", "bill"] and len(words) == 8
    assert "Marked 1 entry of Studio Rossi" in cli(*words[1:]).output


def test_bill_prints_the_amount_the_report_says_was_invoiced(cli, november):
    """Every client and currency of November: increments, a minimum, a rate changed in
    the month, a resumed piece, two people, money rounded once per task, no rate."""
    for client, currency_text in (("rossi", "€"), ("acme", "$"), ("ferri", None)):
        out = cli("bill", "--client", client, "--month", "2026-11").output
        [line] = [x for x in out.splitlines() if x.startswith("On this invoice: ")]
        name = {"rossi": "Studio Rossi", "acme": "Acme Corp", "ferri": "Ferri"}[client]
        invoiced = _subtotal(cli, name)["invoiced"]
        billed = invoiced["billed_seconds"]
        assert f" {billed // 3600}:{billed // 60 % 60:02d} billed," in line
        if currency_text is None:
            assert invoiced["amount_cents"] is None and line.endswith(" billed, -.")
        else:
            cents = invoiced["amount_cents"]
            assert cents > 0 and line.endswith(f"{currency_text}{cents // 100}.{cents % 100:02d}.")
    # By days too: 2, 4 and 9 November (59.00), as the report works it out.
    assert _subtotal(cli)["invoiced"]["amount_cents"] == 12750


def test_bill_from_to_prints_what_the_report_invoices_for_those_days(cli, november):
    out = cli("bill", "--client", "rossi", "--from", "2026-11-01", "--to", "2026-11-09").output
    assert "On this invoice: 2:00 billed, €59.00." in out
    assert _subtotal(cli)["invoiced"]["amount_cents"] == 5900


def test_bill_hints_name_bill_and_its_own_options(cli, november):
    both = cli("bill", "--client", "rossi", "--week", "--month", ok=False)
    assert both.exit_code == 2 and "Choose one period" in both.output
    assert "mansioni bill --client " in both.output and "mansioni report" not in both.output
    backwards = cli(
        "bill", "--client", "rossi", "--from", "2026-11-01", "--to", "2026-10-01", ok=False
    )
    assert backwards.exit_code == 2 and "--to must not come before --from" in backwards.output
    assert "mansioni bill --client " in backwards.output
    assert "mansioni report" not in backwards.output
    to_alone = cli("bill", "--client", "rossi", "--to", "2026-11-09", ok=False)
    assert to_alone.exit_code == 2 and "mansioni bill --client " in to_alone.output
    month = cli("bill", "--client", "rossi", "--month", "brumaio", ok=False)
    assert month.exit_code == 2 and "mansioni bill --client " in month.output
    assert "mansioni report" not in month.output
    word = cli("bill", "--client", "rossi", "ferri", ok=False)
    assert word.exit_code == 2 and "goes after --client." in word.output
    assert "--task" not in word.output and "mansioni report" not in word.output
    assert rows_of_invoices(cli) == 0


def rows_of_invoices(cli) -> int:
    return sum(
        s["invoiced"]["entries"] for s in report_json(cli, "--month", "2026-11")["subtotals"]
    )


def test_the_billing_service_refuses_a_period_that_ends_before_it_starts(november):
    from datetime import date

    import pytest

    from mansioni.services.billing import bill
    from mansioni.store.paths import sqlite_path, store_url
    from mansioni.store.quick import QuickStore

    store = QuickStore.at_head(sqlite_path(store_url()))
    with pytest.raises(ValueError, match="ends before it starts"):
        bill(
            store,
            client="rossi",
            first=date(2026, 11, 30),
            last=date(2026, 11, 1),
            zone="Europe/Rome",
            person="vera",
            now=0,
        )


def test_update_many_journals_thousands_of_rows_in_a_few_statements(november, isolated_home):
    """The rows and their journal go in a handful of statements per thousand rows,
    whatever their number; the journal is the one ``update`` writes, row by row."""
    import sqlite3

    from helpers import db_file
    from mansioni.store.db import SqliteDb
    from mansioni.store.writer import Writer

    class Counting(sqlite3.Connection):
        statements = 0

        def execute(self, *args, **kwargs):
            Counting.statements += 1
            return super().execute(*args, **kwargs)

        def executemany(self, *args, **kwargs):
            Counting.statements += 1
            return super().executemany(*args, **kwargs)

    conn = sqlite3.connect(db_file(isolated_home), factory=Counting)
    try:
        with conn:
            db = SqliteDb(conn)
            writer = Writer(db, person="vera", command="test", now=0)
            template = dict(db.rows("SELECT * FROM entry ORDER BY id LIMIT 1")[0])
            del template["id"]
            ids = writer.insert_many("entry", [template] * 2500)
            Counting.statements = 0
            changed = writer.update_many("entry", ids, {"note": "bulk"})
            statements = Counting.statements
    finally:
        conn.close()
    assert changed == 2500
    assert statements <= 5 * 3  # three chunks of a thousand: read, update, read, journal
    journal = rows(
        isolated_home,
        "SELECT COUNT(*), MIN(row_id), MAX(row_id) FROM journal"
        " WHERE action = 'update' AND after_json LIKE '%\"note\":\"bulk\"%'",
    )
    assert journal == [(2500, ids[0], ids[-1])]
