"""The store: where it lives, how it is opened, upgraded, protected and refused."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from helpers import columns, dump, rows, store_at
from mansioni.store import revision
from mansioni.store.orm.engine import AlchemyStore, known_revisions
from mansioni.store.paths import sqlite_path, store_url
from mansioni.store.sqlite_setup import backup_sqlite


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_nothing_is_created_by_importing(isolated_home):
    import importlib

    import mansioni.cli.app

    importlib.reload(mansioni.cli.app)
    assert not isolated_home.exists()


def test_store_folder_0700_and_file_0600(cli, isolated_home):
    cli("client", "add", "Studio Rossi")
    assert mode(isolated_home) == 0o700
    assert mode(isolated_home / "mansioni.db") == 0o600


def test_wal_and_shm_files_are_private_too(cli, isolated_home):
    cli("client", "add", "Studio Rossi")
    conn = sqlite3.connect(isolated_home / "mansioni.db")  # keeps the WAL files alive
    conn.execute("SELECT 1 FROM client").fetchall()
    for suffix in ("-wal", "-shm"):
        extra = isolated_home / f"mansioni.db{suffix}"
        if extra.exists():
            assert mode(extra) == 0o600
    conn.close()


def test_default_location_is_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("MANSIONI_HOME")
    url = store_url()
    assert url.startswith("sqlite:///")
    assert str(tmp_path / "user" / "data" / "mansioni") in url


def test_mansioni_db_overrides_everything(monkeypatch, tmp_path):
    monkeypatch.setenv("MANSIONI_DB", f"sqlite:///{tmp_path}/elsewhere.db")
    assert sqlite_path(store_url()) == str(tmp_path / "elsewhere.db")


def test_linux_data_dir_is_the_one_platformdirs_gives(monkeypatch, tmp_path):
    import sys

    import platformdirs

    from mansioni.store.paths import user_data_dir

    for xdg in (str(tmp_path / "xdg"), ""):
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
        expected = platformdirs.user_data_dir("mansioni", appauthor=False)
        assert (user_data_dir() == expected) or sys.platform != "linux"


def test_every_connection_gets_the_durable_settings(isolated_home):
    store = AlchemyStore(store_url())
    with store.read() as db:
        assert db.rows("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
        assert db.rows("PRAGMA synchronous")[0]["synchronous"] == 2  # FULL
        assert db.rows("PRAGMA foreign_keys")[0]["foreign_keys"] == 1
        assert db.rows("PRAGMA busy_timeout")[0]["timeout"] >= 5000
    store.dispose()


def test_revision_head_is_the_migrations_head():
    from alembic.script import ScriptDirectory

    from mansioni.store.orm.engine import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == revision.HEAD
    assert revision.HEAD in known_revisions()


def test_migrations_build_exactly_the_models(isolated_home):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    store = AlchemyStore(store_url())
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    store.dispose()
    assert diff == []


def test_a_newer_store_is_refused_and_left_untouched(cli, rossi, isolated_home):
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = dump(isolated_home)
    result = cli("client", "list", ok=False)
    assert result.exit_code == 3
    assert "newer version of mansioni" in result.output
    assert dump(isolated_home) == before


def test_an_older_store_is_backed_up_then_upgraded_keeping_every_row(isolated_home):
    url = store_url()
    store_at(url, "0001_initial")
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    conn.executescript(
        """
        INSERT INTO client (id, name, currency, archived, created_utc) VALUES (1, 'Studio Rossi', 'EUR', 0, 100);
        INSERT INTO task (id, client_id, name, estimate_seconds, estimate_basis, oversight_seconds,
                          trial_days, state, created_utc)
            VALUES (1, 1, 'Newsletter', 2700, 'occurrence', 0, 90, 'trial', 200),
                   (2, 1, 'Fatture', NULL, 'occurrence', 0, 90, 'trial', 300);
        INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc)
            VALUES (1, 'vera', 1000, 2000, 'Europe/Rome', 0, 2000);
        INSERT INTO operation (id, at_utc, person, command) VALUES (1, 200, 'vera', 'task add');
        INSERT INTO journal (operation_id, table_name, row_id, action, after_json)
            VALUES (1, 'task', 1, 'insert', '{}');
        """
    )
    conn.commit()
    conn.close()
    before, old_columns = dump(isolated_home), columns(isolated_home)

    store = AlchemyStore(url)
    store.dispose()

    backups = list(isolated_home.glob("mansioni.db.0001_initial.*.bak"))
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    assert store.upgraded_from_backup == str(backups[0])
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001_initial",)
    assert copy.execute("SELECT COUNT(*) FROM entry").fetchone() == (1,)
    copy.close()
    # Every row of every old table, every old column unchanged (new columns may follow).
    assert dump(isolated_home, columns=old_columns) == before
    assert all(columns(isolated_home)[t][: len(c)] == c for t, c in old_columns.items())
    assert rows(isolated_home, "SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    events = rows(
        isolated_home,
        "SELECT task_id, kind, at_utc, person, estimate_seconds, estimate_basis FROM task_event",
    )
    assert events == [(1, "estimate", 200, "vera", 2700, "occurrence")]


def test_backup_is_a_consistent_copy(cli, rossi, isolated_home, tmp_path):
    cli("add", "rossi/news", "9:00-10:00")
    source = sqlite3.connect(isolated_home / "mansioni.db")
    copy = tmp_path / "copy.db"
    backup_sqlite(source, copy)
    source.close()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    check = sqlite3.connect(copy)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT COUNT(*) FROM entry").fetchone()[0] == 1
    check.close()


def test_one_running_timer_per_person_even_by_direct_sql(cli, rossi, isolated_home):
    cli("start", "rossi/news", "--at", "14:00")
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc)"
            " VALUES (2, 'vera', 1, NULL, 'UTC', 0, 1)"
        )
    # Another person may run a timer of her own.
    conn.execute(
        "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc)"
        " VALUES (2, 'giulia', 1, NULL, 'UTC', 0, 1)"
    )
    conn.close()


def test_a_full_disk_writes_nothing_and_says_so(cli, rossi, isolated_home, monkeypatch):
    """SQLite reports a full disk as SQLITE_FULL; a page limit makes it happen on demand.

    Both ways into a SQLite store get the limit (the command takes the stdlib one when
    the store is at this program's schema)."""
    import mansioni.store.orm.engine as engine
    import mansioni.store.quick as quick_store

    cli("add", "rossi/news", "8:00-8:30")
    before = dump(isolated_home)
    pages = rows(isolated_home, "PRAGMA page_count")[0][0]
    original = engine.configure

    def tiny_disk(conn, *args):
        original(conn, *args)
        conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(engine, "configure", tiny_disk)
    monkeypatch.setattr(quick_store, "configure", tiny_disk)
    result = cli("add", "rossi/news", "9:00-10:00", "--note", "x" * 20000, ok=False)
    assert result.exit_code == 3
    assert "The disk is full" in result.output
    assert "Traceback" not in result.output
    assert dump(isolated_home) == before
    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize(
    ("url", "needle"),
    [("mysql+mysqldb://me@localhost/x", "driver"), ("not a url at all", "not a database URL")],
)
def test_an_unusable_database_url_is_a_clear_store_error(cli, monkeypatch, url, needle):
    monkeypatch.setenv("MANSIONI_DB", url)
    result = cli("client", "list", ok=False)
    assert result.exit_code == 3
    assert needle in result.output
    assert "Traceback" not in result.output


def test_a_wrong_mansioni_tz_is_said_not_ignored(cli, quick, rossi, monkeypatch):
    monkeypatch.setenv("MANSIONI_TZ", "Europe/Atlantis")
    result = cli("status", ok=False)
    assert result.exit_code == 2
    assert "MANSIONI_TZ=Europe/Atlantis is not a time zone." in result.output
    code, _out, err = quick("status")
    assert code == 2 and "Europe/Atlantis" in err
