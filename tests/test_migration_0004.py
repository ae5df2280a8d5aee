"""Migration 0004: a task's entries are summed from the index alone; no row changes."""

from __future__ import annotations

import sqlite3

from helpers import TABLES, db_file, dump, rows, store_at
from mansioni.store import revision
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url

#: What the review's and the report's per-task passes read of each entry.
PER_TASK_SUM = (
    "SELECT COUNT(*), SUM(end_utc - start_utc), MAX(CASE WHEN atypical THEN 1 ELSE 0 END)"
    " FROM entry WHERE task_id = 1 AND start_utc >= 0 AND start_utc < 5000"
    " AND end_utc IS NOT NULL AND occurrence_id IS NULL"
)


def _index_columns(home) -> list[str]:
    return [r[2] for r in rows(home, "PRAGMA index_info(ix_entry_task_start)")]


def test_upgrading_0003_keeps_every_row_and_covers_the_per_task_reads(isolated_home):
    url = store_url()
    store_at(url, "0003_billing_minimum")
    conn = sqlite3.connect(db_file(isolated_home))
    conn.executescript(
        """
        INSERT INTO client (id, name, currency, archived, created_utc) VALUES (1, 'Rossi', 'EUR', 0, 1);
        INSERT INTO task (id, client_id, name, estimate_basis, oversight_seconds, trial_days,
                          state, created_utc) VALUES (1, 1, 'News', 'occurrence', 0, 90, 'trial', 1);
        INSERT INTO entry (task_id, person, start_utc, end_utc, zone, occurrence_id, atypical,
                           created_utc)
            VALUES (1, 'vera', 1000, 2000, 'Europe/Rome', NULL, 0, 2000),
                   (1, 'vera', 2500, 2900, 'Europe/Rome', 1, 0, 2900),
                   (1, 'vera', 3000, NULL, 'Europe/Rome', NULL, 1, 3000);
        """
    )
    conn.commit()
    conn.close()
    assert _index_columns(isolated_home) == ["task_id", "start_utc"]
    tables = (*TABLES, "task_event")
    before = dump(isolated_home, tables)
    old = {t: [r[1] for r in rows(isolated_home, f"PRAGMA table_info({t})")] for t in tables}

    AlchemyStore(url).dispose()  # opening it upgrades it, after a backup

    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    assert dump(isolated_home, tables, columns=old) == before  # every old column, unchanged
    assert _index_columns(isolated_home)[:5] == [  # later revisions may add to it
        "task_id",
        "start_utc",
        "end_utc",
        "occurrence_id",
        "atypical",
    ]
    plan = " ".join(r[3] for r in rows(isolated_home, "EXPLAIN QUERY PLAN " + PER_TASK_SUM))
    assert "COVERING INDEX ix_entry_task_start" in plan
    assert rows(isolated_home, PER_TASK_SUM) == [(1, 1000, 0)]
    assert len(list(isolated_home.glob("mansioni.db.0003_billing_minimum.*.bak"))) == 1


def test_downgrading_0004_restores_the_narrow_index(isolated_home):
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    url = store_url()
    store_at(url, "0004_entry_task_covering")
    engine = make_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0003_billing_minimum")
    engine.dispose()
    assert _index_columns(isolated_home) == ["task_id", "start_utc"]
