"""Migration 0005: a table remembering imported entries; every existing row is kept."""

from __future__ import annotations

import sqlite3

import pytest

from helpers import TABLES, db_file, dump, rows, store_at
from mansioni.store import revision
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url


def test_upgrading_0004_keeps_every_row_and_adds_an_empty_imported_table(isolated_home):
    url = store_url()
    store_at(url, "0004_entry_task_covering")
    conn = sqlite3.connect(db_file(isolated_home))
    conn.executescript(
        """
        INSERT INTO client (id, name, currency, archived, created_utc) VALUES (1, 'Rossi', 'EUR', 0, 1);
        INSERT INTO task (id, client_id, name, estimate_basis, oversight_seconds, trial_days,
                          state, created_utc) VALUES (1, 1, 'News', 'occurrence', 0, 90, 'trial', 1);
        INSERT INTO entry (task_id, person, start_utc, end_utc, zone, occurrence_id, atypical,
                           created_utc)
            VALUES (1, 'vera', 1000, 2000, 'Europe/Rome', NULL, 0, 2000);
        """
    )
    conn.commit()
    conn.close()
    tables = (*TABLES, "task_event")
    before = dump(isolated_home, tables)
    old = {t: [r[1] for r in rows(isolated_home, f"PRAGMA table_info({t})")] for t in tables}

    AlchemyStore(url).dispose()

    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    assert dump(isolated_home, tables, columns=old) == before  # every old column, unchanged
    assert rows(isolated_home, "SELECT COUNT(*) FROM imported") == [(0,)]
    assert len(list(isolated_home.glob("mansioni.db.0004_entry_task_covering.*.bak"))) == 1


def test_a_source_key_is_imported_once(isolated_home):
    url = store_url()
    store_at(url, "0005_imported")
    conn = sqlite3.connect(db_file(isolated_home))
    insert = (
        "INSERT INTO imported (source, source_key, entry_id, created_utc)"
        " VALUES ('watson', 'abc', 1, 1)"
    )
    conn.execute(insert)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(insert)
    conn.execute(insert.replace("'watson'", "'toggl'"))  # the same key from another source
    conn.close()


def test_downgrading_0005_drops_the_table(isolated_home):
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    url = store_url()
    store_at(url, "0005_imported")
    engine = make_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004_entry_task_covering")
    engine.dispose()
    assert rows(isolated_home, "SELECT name FROM sqlite_master WHERE name = 'imported'") == []
