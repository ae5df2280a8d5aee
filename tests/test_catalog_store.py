"""The catalog (clients and tasks) over the ``Db`` protocol: the standard ``sqlite3``
module on a current SQLite store, SQLAlchemy only to create or upgrade one; the same
records both ways; statements that read the catalog's few rows, never the history."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import fields

from helpers import db_file, rows
from mansioni.services import catalog
from mansioni.store import revision
from mansioni.store.db import SqliteDb
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.orm.models import Client, Task
from mansioni.store.queries.catalog import (
    ClientRecord,
    TaskRecord,
    all_clients,
    client_by_id,
    task_by_id,
    task_totals,
    tasks_of_client,
    tasks_with_clients,
)
from mansioni.store.quick import QuickStore

PROBE = """
import sys
from mansioni.cli.app import run_app
for line in sys.argv[1:]:
    argv = line.split("|")
    code = run_app(argv)
    assert code == 0, (argv, code)
    heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'alembic'})
    if heavy:
        print('ORM after ' + ' '.join(argv) + ': ' + ','.join(heavy))
        break
else:
    print('ORM: none')
"""


def test_catalog_commands_on_a_current_sqlite_store_load_no_orm(rossi, isolated_home):
    """SQLAlchemy and SQLModel cost a quarter of a second to import: a store at this
    program's schema is read and written through the standard sqlite3 module."""
    commands = [
        "client|list",
        "client|list|--all|--json",
        "client|show|rossi|--json",
        "task|list",
        "task|list|--client|rossi|--json",
        "task|show|rossi/news",
        "client|add|Bottega Verdi|--rate|30",
        "client|edit|verdi|--rounding|15m",
        "task|add|verdi/Inventario|--estimate|45m",
        "task|edit|verdi/inventario|--estimate|50m|--name|Inventory",
        "task|archive|verdi/inventory",
        "client|archive|verdi",
    ]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *commands], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ORM: none"
    assert rows(isolated_home, "SELECT name, state FROM task WHERE id = 4") == [
        ("Inventory", "archived")
    ]


def test_a_fresh_home_gets_its_store_from_client_add(cli, isolated_home):
    """No store yet: ``client add`` goes the full way, which creates it at the head schema."""
    assert not db_file(isolated_home).exists()
    cli("client", "add", "Studio Rossi")
    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    assert rows(isolated_home, "SELECT name FROM client") == [("Studio Rossi",)]


def test_both_ways_into_the_store_give_the_same_records(cli, at, rossi, isolated_home):
    at("2026-11-27 15:00")
    cli("client", "archive", "caffe")
    cli("task", "edit", "rossi/fatture", "--state", "handed-back", "--note", "a\tb")
    cli("start", "rossi/news", "--at", "9:00")
    cli("stop", "--at", "9:30")
    path = str(db_file(isolated_home))
    quick = QuickStore.at_head(path)
    assert quick is not None
    full = AlchemyStore(f"sqlite:///{path}")
    try:
        for call in (
            lambda s: catalog.list_clients(s),
            lambda s: catalog.list_clients(s, include_archived=True),
            lambda s: catalog.show_client(s, "caffe"),
            lambda s: catalog.list_tasks(s),
            lambda s: catalog.list_tasks(s, include_archived=True),
            lambda s: catalog.list_tasks(s, client="rossi", include_archived=True),
            lambda s: catalog.show_task(s, "rossi/news"),
            lambda s: catalog.show_task(s, "rossi/fatture"),
        ):
            assert call(quick) == call(full)
        clients = catalog.list_clients(quick, include_archived=True)
        assert [(c.name, c.archived) for c in clients] == [
            ("Caffè Ôrso", True),
            ("Studio Rossi", False),
        ]
        assert [t.name for t, _client in catalog.list_tasks(quick)] == ["Newsletter"]
        totals = catalog.show_task(quick, "rossi/news")[2]
        assert (totals.entries, totals.occurrences, totals.seconds) == (1, 1, 1800)
    finally:
        full.dispose()


def test_records_have_the_schemas_columns_in_its_order():
    """The one schema is SQLModel's: a column added there fails here until the record
    has it too, and ``--json`` prints the fields in the models' order, as it always has."""
    assert [f.name for f in fields(ClientRecord)] == list(Client.model_fields)
    assert [f.name for f in fields(TaskRecord)] == list(Task.model_fields)


def test_the_catalogs_statements_never_read_the_history(rossi, isolated_home):
    """Every statement reads the catalog's tables; a task's totals read that task's
    entries from the covering index alone, as many as it has, no more."""
    plans: list[str] = []

    class Explaining(SqliteDb):
        def rows(self, sql, params=None):
            plans.extend(
                r[-1] for r in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params or {})
            )
            return super().rows(sql, params)

    conn = sqlite3.connect(db_file(isolated_home))
    try:
        db = Explaining(conn)
        all_clients(db)
        all_clients(db, include_archived=False)
        client_by_id(db, 1)
        task_by_id(db, 1)
        tasks_of_client(db, 1)
        tasks_with_clients(db)
        tasks_with_clients(db, client_id=1)
        task_totals(db, 1)
    finally:
        conn.close()
    assert [p for p in plans if "entry" in p] == [
        "SEARCH entry USING COVERING INDEX ix_entry_task_start (task_id=?)"
    ]
