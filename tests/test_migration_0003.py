"""Migration 0003 (a client's billing minimum): every row kept, and the quick path back."""

from __future__ import annotations

import sqlite3

from helpers import db_file, rows, store_at
from mansioni.store import revision
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url

OLD_TABLES = ("client", "task", "entry", "operation", "journal", "task_event")


def _by_column(home, table: str) -> list[dict]:
    conn = sqlite3.connect(db_file(home))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
    finally:
        conn.close()


def _fill_0002(home) -> None:
    conn = sqlite3.connect(db_file(home))
    conn.executescript(
        """
        INSERT INTO client (id, name, currency, hour_value_cents, rate_cents, rounding_minutes,
                            archived, created_utc)
            VALUES (1, 'Studio Rossi', 'EUR', 9000, 2800, 15, 0, 100),
                   (2, 'Acme Corp', 'USD', NULL, NULL, NULL, 1, 150);
        INSERT INTO task (id, client_id, name, estimate_seconds, estimate_basis, rate_cents,
                          oversight_seconds, trial_days, state, created_utc)
            VALUES (1, 1, 'Newsletter', 2700, 'occurrence', NULL, 0, 90, 'trial', 200),
                   (2, 2, 'Inbox', NULL, 'week', 3000, 300, 60, 'active', 300);
        INSERT INTO entry (id, task_id, person, start_utc, end_utc, zone, note, occurrence_id,
                           atypical, created_utc)
            VALUES (1, 1, 'vera', 1000, 2000, 'Europe/Rome', 'first', NULL, 0, 2000),
                   (2, 1, 'vera', 3000, 3600, 'Europe/Rome', NULL, 1, 1, 3600),
                   (3, 2, 'giulia', 5000, NULL, 'UTC', NULL, NULL, 0, 5000);
        INSERT INTO operation (id, at_utc, person, command) VALUES (1, 200, 'vera', 'task add');
        INSERT INTO journal (operation_id, table_name, row_id, action, after_json)
            VALUES (1, 'task', 1, 'insert', '{}');
        INSERT INTO task_event (task_id, kind, at_utc, person, estimate_seconds, estimate_basis,
                                created_utc)
            VALUES (1, 'estimate', 200, 'vera', 2700, 'occurrence', 200);
        """
    )
    conn.commit()
    conn.close()


def test_upgrading_0002_keeps_every_row_and_adds_no_minimum(isolated_home):
    url = store_url()
    store_at(url, "0002_task_events")
    _fill_0002(isolated_home)
    before = {t: _by_column(isolated_home, t) for t in OLD_TABLES}

    store = AlchemyStore(url)  # opening it upgrades it, after a backup
    store.dispose()

    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    backups = list(isolated_home.glob("mansioni.db.0002_task_events.*.bak"))
    assert len(backups) == 1
    after = {t: _by_column(isolated_home, t) for t in OLD_TABLES}
    for table in OLD_TABLES:
        assert len(after[table]) == len(before[table]), table
        for old, new in zip(before[table], after[table], strict=True):
            assert {k: new[k] for k in old} == old, table  # every old column, unchanged
    assert [c["minimum_minutes"] for c in after["client"]] == [None, None]
    # 0003 adds the minimum; 0007, the day the work began
    assert set(after["client"][0]) - set(before["client"][0]) == {"minimum_minutes", "since_utc"}
    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]


def test_the_quick_path_works_again_after_the_upgrade(cli, quick, at, isolated_home):
    from mansioni.store.quick import QuickStore

    url = store_url()
    store_at(url, "0002_task_events")
    _fill_0002(isolated_home)
    at("2026-11-27 09:00")
    # The quick path steps aside from an older store: the full way must upgrade it first.
    assert QuickStore.open(str(db_file(isolated_home))) is not None
    code, _out, _err = quick("status")
    assert code is None
    cli("client", "edit", "rossi", "--minimum", "30m")  # the full way upgrades the store
    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    code, out, err = quick("start", "rossi/news")
    assert code == 0, err
    code, out, err = quick("status")
    assert code == 0 and "Studio Rossi/Newsletter" in out
    assert rows(isolated_home, "SELECT minimum_minutes FROM client WHERE id = 1") == [(30,)]


def test_the_minimum_is_journaled_and_undone_like_the_rounding(cli, isolated_home):
    cli("client", "add", "Studio Rossi", "--rounding", "15m", "--minimum", "30m")
    cli("client", "edit", "rossi", "--minimum", "45m")
    journal = rows(
        isolated_home,
        "SELECT before_json, after_json FROM journal WHERE table_name = 'client' "
        "AND action = 'update'",
    )
    assert len(journal) == 1
    assert '"minimum_minutes":30' in journal[0][0] and '"minimum_minutes":45' in journal[0][1]
    cli("undo")
    assert rows(isolated_home, "SELECT minimum_minutes FROM client") == [(30,)]


def test_downgrading_to_0002_drops_only_the_new_column(isolated_home):
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    url = store_url()
    store_at(url, "0002_task_events")
    _fill_0002(isolated_home)
    before = {t: _by_column(isolated_home, t) for t in OLD_TABLES}
    store_at(url, "0003_billing_minimum")
    engine = make_engine(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002_task_events")
    engine.dispose()
    assert {t: _by_column(isolated_home, t) for t in OLD_TABLES} == before


def test_the_migrated_schema_is_exactly_the_models(isolated_home):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    url = store_url()
    store_at(url, "0002_task_events")
    store = AlchemyStore(url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    store.dispose()
    assert diff == []
