"""Migration 0008: a client's entries of a period can be marked as invoiced; an
upgrade keeps every row, leaves every entry on no invoice, and the report's per-task
reads still come from the index alone."""

from __future__ import annotations

import json

from helpers import TABLES, dump, rows
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url
from mansioni.store.revision import HEAD

#: What the report's count of plain pieces reads of a task's entries, invoiced part too.
PER_TASK_COUNT = (
    "SELECT COUNT(*), SUM(end_utc - start_utc), MAX(invoice_id IS NULL) FROM entry"
    " WHERE task_id = 1 AND start_utc >= 0 AND start_utc < 9999999999"
    " AND end_utc IS NOT NULL AND occurrence_id IS NULL AND NOT atypical"
)


def _story(cli, at) -> None:
    at("2026-11-20 09:00")
    cli("client", "add", "Studio Rossi", "--rate", "30")
    cli("task", "add", "rossi/fatture", "--estimate", "40m")
    for day in ("2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17"):
        cli("add", "rossi/fatture", f"{day} 09:00 35m")


def _downgrade(target: str) -> None:
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    engine = make_engine(store_url())
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), target)
    engine.dispose()


def test_upgrading_0007_keeps_every_row_and_marks_no_entry(cli, at, isolated_home):
    _story(cli, at)
    report = cli("report", "--month", "2026-11", "--format", "json").output
    _downgrade("0007_since")
    assert "invoice_id" not in [r[1] for r in rows(isolated_home, "PRAGMA table_info(entry)")]
    tables = (*TABLES, "task_event")
    before = dump(isolated_home, tables)
    old = {t: [r[1] for r in rows(isolated_home, f"PRAGMA table_info({t})")] for t in tables}

    AlchemyStore(store_url()).dispose()  # opening it upgrades it

    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert dump(isolated_home, tables, columns=old) == before
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry WHERE invoice_id IS NOT NULL") == [(0,)]
    assert rows(isolated_home, "SELECT COUNT(*) FROM invoice") == [(0,)]
    assert cli("report", "--month", "2026-11", "--format", "json").output == report
    plan = " ".join(r[3] for r in rows(isolated_home, "EXPLAIN QUERY PLAN " + PER_TASK_COUNT))
    assert "COVERING INDEX ix_entry_task_start" in plan
    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]
    assert rows(isolated_home, "PRAGMA foreign_key_check") == []


def test_the_downgrade_drops_the_invoices_and_keeps_the_entries(cli, at, isolated_home):
    _story(cli, at)
    cli("bill", "--client", "rossi", "--month", "2026-11")
    old = [r[1] for r in rows(isolated_home, "PRAGMA table_info(entry)") if r[1] != "invoice_id"]
    before = dump(isolated_home, ("entry",), columns={"entry": old})
    _downgrade("0007_since")
    assert "invoice_id" not in [r[1] for r in rows(isolated_home, "PRAGMA table_info(entry)")]
    assert "invoice" not in [
        r[0] for r in rows(isolated_home, "SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    assert dump(isolated_home, ("entry",)) == before
    assert rows(isolated_home, "PRAGMA foreign_key_check") == []
    # and up again: the entries are on no invoice
    AlchemyStore(store_url()).dispose()
    data = json.loads(cli("report", "--month", "2026-11", "--format", "json").output)
    assert data["subtotals"][0]["invoiced"]["entries"] == 0
