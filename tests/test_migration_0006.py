"""Migration 0006 and the first-rate event: a task's first rate is an event, and the
report prices the time before its first rate change from it, never from the journal."""

from __future__ import annotations

import json
import sqlite3

from helpers import db_file, rows
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url
from mansioni.store.revision import HEAD


def _story(cli, at) -> None:
    at("2026-11-01 09:00")
    cli("client", "add", "Studio Rossi", "--rate", "30")
    cli("task", "add", "rossi/fatture", "--rate", "32")  # its own rate
    cli("task", "add", "rossi/agenda")  # none of its own: the client's
    at("2026-11-12 09:00")
    cli("add", "rossi/fatture", "2026-11-03 09:00-10:00")
    cli("add", "rossi/agenda", "2026-11-03 11:00-12:00")
    cli("change", "rossi/fatture", "new procedure", "--minor", "--rate", "35", "--at", "2026-11-10")
    cli("change", "rossi/agenda", "more calls", "--minor", "--rate", "40", "--at", "2026-11-10")
    cli("add", "rossi/fatture", "2026-11-11 09:00-10:00")
    cli("add", "rossi/agenda", "2026-11-11 11:00-12:00")


def _amounts(cli) -> dict[str, tuple[list[int | None], int]]:
    data = json.loads(cli("report", "--month", "2026-11", "--format", "json").output)
    return {t["task"]: (t["rates_cents"], t["amount_cents"]) for t in data["tasks"]}


def test_the_first_rate_change_records_the_rate_before_it(cli, at, isolated_home):
    _story(cli, at)
    assert rows(
        isolated_home,
        "SELECT task_id, rate_cents FROM task_event WHERE kind = 'rate' ORDER BY task_id",
    ) == [(1, 3200), (2, None)]
    assert _amounts(cli) == {
        "Studio Rossi/fatture": ([3200, 3500], 3200 + 3500),
        "Studio Rossi/agenda": ([3000, 4000], 3000 + 4000),
    }
    # a second change does not record it again
    cli("change", "rossi/fatture", "even newer", "--minor", "--rate", "36")
    assert rows(isolated_home, "SELECT COUNT(*) FROM task_event WHERE kind = 'rate'") == [(2,)]


def test_undo_takes_the_first_rate_back_with_the_change(cli, at, isolated_home):
    at("2026-11-01 09:00")
    cli("client", "add", "Studio Rossi")
    cli("task", "add", "rossi/fatture", "--rate", "32")
    cli("change", "rossi/fatture", "new procedure", "--minor", "--rate", "35")
    assert rows(isolated_home, "SELECT COUNT(*) FROM task_event") == [(2,)]
    cli("undo")
    assert rows(isolated_home, "SELECT COUNT(*) FROM task_event") == [(0,)]


def test_the_history_and_the_report_do_not_show_the_first_rate(cli, at):
    _story(cli, at)
    history = json.loads(cli("history", "rossi/fatture", "--json").output)
    kinds = [e["kind"] for phase in history["phases"] for e in phase["events"]]
    assert kinds == ["change"]
    data = json.loads(cli("report", "--month", "2026-11", "--format", "json").output)
    assert [c["kind"] for c in data["changes"]] == ["change", "change"]


def test_upgrading_0005_writes_the_first_rate_from_the_journal(cli, at, isolated_home):
    _story(cli, at)
    priced = _amounts(cli)
    # The same store as 0005 left it: no first-rate events, the rate before in the journal.
    conn = sqlite3.connect(db_file(isolated_home))
    conn.execute("DELETE FROM task_event WHERE kind = 'rate'")
    conn.execute("UPDATE alembic_version SET version_num = '0005_imported'")
    conn.execute("ALTER TABLE client DROP COLUMN since_utc")  # 0007 adds them
    conn.execute("ALTER TABLE task DROP COLUMN since_utc")
    _drop_0008(conn)
    conn.commit()
    conn.close()
    events = rows(isolated_home, "SELECT * FROM task_event ORDER BY id")

    AlchemyStore(store_url()).dispose()

    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert rows(isolated_home, "SELECT * FROM task_event WHERE kind <> 'rate' ORDER BY id") == (
        events
    )
    assert rows(
        isolated_home,
        "SELECT task_id, at_utc = (SELECT created_utc FROM task WHERE task.id = task_id),"
        " rate_cents FROM task_event WHERE kind = 'rate' ORDER BY task_id",
    ) == [(1, 1, 3200), (2, 1, None)]
    assert _amounts(cli) == priced


def test_upgrading_0005_without_a_journal_keeps_the_events_rate(cli, at, isolated_home):
    """A store restored without its journal cannot tell: the first event's rate holds."""
    _story(cli, at)
    conn = sqlite3.connect(db_file(isolated_home))
    conn.execute("DELETE FROM task_event WHERE kind = 'rate'")
    conn.execute("DELETE FROM journal")
    conn.execute("UPDATE alembic_version SET version_num = '0005_imported'")
    conn.execute("ALTER TABLE client DROP COLUMN since_utc")  # 0007 adds them
    conn.execute("ALTER TABLE task DROP COLUMN since_utc")
    _drop_0008(conn)
    conn.commit()
    conn.close()

    AlchemyStore(store_url()).dispose()

    assert rows(
        isolated_home, "SELECT task_id, rate_cents FROM task_event WHERE kind = 'rate'"
    ) == [(1, 3500), (2, 4000)]


def _drop_0008(conn: sqlite3.Connection) -> None:
    """What migration 0008 adds: the invoices, and the index holding entry.invoice_id."""
    conn.execute("DROP INDEX ix_entry_task_start")
    conn.execute("ALTER TABLE entry DROP COLUMN invoice_id")
    conn.execute("DROP TABLE invoice")
    conn.execute(
        "CREATE INDEX ix_entry_task_start"
        " ON entry (task_id, start_utc, end_utc, occurrence_id, atypical)"
    )
