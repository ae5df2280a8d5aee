"""Migration 0007: a client and a task can be said to have begun before they were set
up (``--since``); an upgrade keeps every row and every story where it started."""

from __future__ import annotations

import json
import sqlite3

from helpers import TABLES, db_file, dump, rows
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url
from mansioni.store.revision import HEAD


def _story(cli, at) -> None:
    at("2026-11-20 09:00")
    cli("client", "add", "Studio Rossi", "--rate", "30")
    cli("task", "add", "rossi/fatture", "--estimate", "40m")
    for day in ("2026-10-20", "2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17"):
        cli("add", "rossi/fatture", f"{day} 09:00 35m")
    cli("change", "rossi/fatture", "new procedure", "--minor", "--at", "2026-11-01")


def test_upgrading_0006_keeps_every_row_and_every_story(cli, at, isolated_home):
    _story(cli, at)
    review = json.loads(cli("review", "--json").output)
    history = json.loads(cli("history", "rossi/fatture", "--json").output)
    # The same store as 0006 left it: no since_utc columns (nor what later revisions add).
    _downgrade("0007_since")
    conn = sqlite3.connect(db_file(isolated_home))
    conn.execute("ALTER TABLE client DROP COLUMN since_utc")
    conn.execute("ALTER TABLE task DROP COLUMN since_utc")
    conn.execute("UPDATE alembic_version SET version_num = '0006_first_rate'")
    conn.commit()
    conn.close()
    tables = (*TABLES, "task_event")
    before = dump(isolated_home, tables)
    old = {t: [r[1] for r in rows(isolated_home, f"PRAGMA table_info({t})")] for t in tables}

    AlchemyStore(store_url()).dispose()  # opening it upgrades it

    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert dump(isolated_home, tables, columns=old) == before
    assert rows(isolated_home, "SELECT since_utc FROM task") == [(None,)]
    assert rows(isolated_home, "SELECT since_utc FROM client") == [(None,)]
    assert json.loads(cli("review", "--json").output) == review
    assert json.loads(cli("history", "rossi/fatture", "--json").output) == history
    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]


def _downgrade(target: str) -> None:
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    engine = make_engine(store_url())
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), target)
    engine.dispose()


def test_the_downgrade_drops_the_columns_and_keeps_the_rows(cli, at, isolated_home):
    _story(cli, at)
    cli("task", "edit", "rossi/fatture", "--since", "2026-10-01")
    _downgrade("0007_since")  # what later revisions add goes first
    before = dump(isolated_home, ("entry", "task_event"))
    _downgrade("0006_first_rate")
    assert "since_utc" not in [r[1] for r in rows(isolated_home, "PRAGMA table_info(task)")]
    assert dump(isolated_home, ("entry", "task_event")) == before
    assert rows(isolated_home, "PRAGMA foreign_key_check") == []
