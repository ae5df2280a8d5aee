"""The same schema and the same SQL on PostgreSQL: the full command line on a real server.

A throwaway PostgreSQL server (``tests/pg_server.py``, the ``pg_server`` fixture of
``tests/conftest.py``) runs for the test session, on a Unix socket only; every test
gets a database of its own, named by ``MANSIONI_DB``. Nothing here is skipped: when no server can be started, every
test fails and says why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from mansioni.store import revision
from mansioni.store.paths import store_url
from pg_server import PgServer

TABLES = ("client", "task", "entry", "operation", "journal")


class Pg:
    """One test's database: its URL, and its rows read straight from the server."""

    def __init__(self, server: PgServer, name: str) -> None:
        self.server = server
        self.name = name
        self.url = server.url(name)

    def rows(self, sql: str, params: tuple | dict = ()) -> list[tuple]:
        with self.server.connect(self.name) as conn:
            return conn.execute(sql, params).fetchall()

    def execute(self, sql: str, params: tuple | dict = ()) -> None:
        with self.server.connect(self.name) as conn:
            conn.execute(sql, params)

    def dump(self, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple]]:
        """Every row of the store's tables, in id order."""
        with self.server.connect(self.name) as conn:
            return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}

    def entries(self) -> list[tuple]:
        return self.dump(("entry",))["entry"]


@pytest.fixture(autouse=True)
def pg(pg_server, isolated_home, monkeypatch):
    """A fresh database for each test; ``MANSIONI_DB`` names it (set after ``isolated_home``)."""
    name = pg_server.create_database()
    monkeypatch.setenv("MANSIONI_DB", pg_server.url(name))
    try:
        yield Pg(pg_server, name)
    finally:
        pg_server.drop_database(name)


def test_the_store_is_the_postgres_database(cli, pg, isolated_home):
    assert store_url() == pg.url
    cli("client", "add", "Studio Rossi")
    assert pg.rows("SELECT version_num FROM alembic_version") == [(revision.HEAD,)]
    assert pg.rows("SELECT name FROM client") == [("Studio Rossi",)]
    assert not isolated_home.exists()  # no SQLite file was made on the side


def test_migration_builds_exactly_the_models(pg):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from mansioni.store.orm.engine import AlchemyStore

    store = AlchemyStore(store_url())
    try:
        assert store.engine.dialect.name == "postgresql"
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        store.dispose()
    assert diff == []
    ((definition,),) = pg.rows(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'entry' AND indexname = 'ux_entry_running'"
    )
    assert definition.startswith("CREATE UNIQUE INDEX ux_entry_running ON public.entry")
    assert definition.endswith("(person) WHERE (end_utc IS NULL)")


def test_client_add_list_show_edit(cli, pg):
    out = cli(
        "client",
        "add",
        "Studio Rossi",
        "--hour-value",
        "90",
        "--rate",
        "28,50",
        "--rounding",
        "15m",
    ).output
    assert "Added client Studio Rossi." in out
    cli("client", "add", "Caffè Ôrso", "--rate", "25", "--currency", "chf")
    clients = json.loads(cli("client", "list", "--json").output)
    assert [c["name"] for c in clients] == ["Caffè Ôrso", "Studio Rossi"]
    rossi = clients[1]
    assert (rossi["hour_value_cents"], rossi["rate_cents"], rossi["rounding_minutes"]) == (
        9000,
        2850,
        15,
    )
    assert rossi["archived"] is False
    table = cli("client", "list").output
    assert "Studio Rossi" in table and "€28.50" in table
    shown = cli("client", "show", "ROSSI").output
    assert "Client: Studio Rossi" in shown and "Rounding: 15 minutes" in shown
    assert cli("client", "add", "studio rossi", ok=False).exit_code == 2
    cli("client", "edit", "stud", "--name", "Studio Rossi & Figli", "--rate", "30")
    data = json.loads(cli("client", "show", "figli", "--json").output)
    assert (data["name"], data["rate_cents"]) == ("Studio Rossi & Figli", 3000)
    cli("client", "archive", "figli")
    assert [c["name"] for c in json.loads(cli("client", "list", "--json").output)] == ["Caffè Ôrso"]
    assert len(json.loads(cli("client", "list", "--all", "--json").output)) == 2
    assert pg.rows("SELECT name, currency, rate_cents, archived FROM client ORDER BY id") == [
        ("Studio Rossi & Figli", "EUR", 3000, True),
        ("Caffè Ôrso", "CHF", 2500, False),
    ]


def test_task_add_list_show_edit(cli, rossi, at, pg):
    tasks = json.loads(cli("task", "list", "--json").output)
    assert [t["full_name"] for t in tasks] == [
        "Caffè Ôrso/Social post",
        "Studio Rossi/Fatture",
        "Studio Rossi/Newsletter",
    ]
    only_rossi = json.loads(cli("task", "list", "--client", "rossi", "--json").output)
    assert [t["name"] for t in only_rossi] == ["Fatture", "Newsletter"]
    assert "Task: Caffè Ôrso/Social post" in cli("task", "show", "caffe/post").output
    # Totals: COUNT(DISTINCT COALESCE(occurrence_id, id)) and COALESCE(SUM(...), 0).
    data = json.loads(cli("task", "show", "rossi/news", "--json").output)
    assert data["estimate_seconds"] == 45 * 60
    assert data["totals"] == {"entries": 0, "occurrences": 0, "seconds": 0}
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    at("2026-11-27 09:20")
    cli("start", "caffe/social")
    at("2026-11-27 09:40")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:00")
    cli("stop")
    cli("add", "rossi/news", "yesterday 9:00-9:50")
    data = json.loads(cli("task", "show", "rossi/news", "--json").output)
    assert data["totals"] == {"entries": 3, "occurrences": 2, "seconds": (20 + 20 + 50) * 60}
    cli("task", "edit", "rossi/fatture", "--state", "active", "--estimate", "30m")
    data = json.loads(cli("task", "show", "rossi/fatture", "--json").output)
    assert (data["state"], data["estimate_seconds"]) == ("active", 1800)
    cli("task", "archive", "rossi/fatture")
    names = [t["full_name"] for t in json.loads(cli("task", "list", "--json").output)]
    assert "Studio Rossi/Fatture" not in names
    assert cli("start", "rossi/fatture", ok=False).exit_code == 2
    assert pg.rows("SELECT id, client_id, name, state FROM task ORDER BY id") == [
        (1, 1, "Newsletter", "trial"),
        (2, 1, "Fatture", "archived"),
        (3, 2, "Social post", "trial"),
    ]


def test_the_quick_path_steps_aside(quick, rossi, pg, isolated_home):
    assert quick("status") == (None, "", "")
    assert quick("start", "rossi/news") == (None, "", "")
    assert pg.entries() == []
    assert not isolated_home.exists()


def test_start_stop_status_cancel(cli, rossi, at, pg):
    assert "No timer running." in cli("status").output
    t0 = at("2026-11-27 09:00")
    assert "Started Studio Rossi/Newsletter at 09:00." in cli("start", "rossi/news").output
    t1 = at("2026-11-27 09:30")
    out = cli("start", "caffe/social", "--note", "reel").output
    assert "Stopped Studio Rossi/Newsletter at 09:30 (0:30)." in out
    assert "Started Caffè Ôrso/Social post at 09:30." in out
    at("2026-11-27 10:00")
    status = json.loads(cli("status", "--json").output)
    assert status["running"]["task"] == "Caffè Ôrso/Social post"
    assert status["running"]["elapsed_seconds"] == 30 * 60
    assert status["today"] == {
        "total_seconds": 60 * 60,
        "clients": [
            {"client": "Caffè Ôrso", "seconds": 30 * 60},
            {"client": "Studio Rossi", "seconds": 30 * 60},
        ],
    }
    t2 = at("2026-11-27 10:15")
    assert "Stopped Caffè Ôrso/Social post at 10:15 (0:45)." in cli("stop").output
    assert cli("stop", ok=False).exit_code == 1
    at("2026-11-27 11:00")
    cli("start", "rossi/fatture", "--at", "10:50")
    out = cli("cancel").output
    assert "Cancelled the timer of Studio Rossi/Fatture started at 10:50" in out
    assert pg.rows("SELECT COUNT(*) FROM entry") == [(2,)]
    assert cli("cancel", ok=False).exit_code == 1
    status = json.loads(cli("status", "--json").output)
    assert status["running"] is None
    # Today's totals clip an entry that began yesterday (the CASE expressions of
    # records.client_totals) and count the running timer up to now.
    at("2026-11-28 00:50")
    cli("start", "rossi/news", "--at", "yesterday 23:40")
    # It ran past midnight: start asks, and --yes keeps it whole (test_forgotten_timer.py).
    cli("start", "rossi/fatture", "--at", "0:20", "--yes")
    status = json.loads(cli("status", "--json").output)
    assert status["today"] == {
        "total_seconds": 50 * 60,
        "clients": [{"client": "Studio Rossi", "seconds": 50 * 60}],
    }
    midnight = at("2026-11-28 00:00")
    assert [tuple(row[1:6]) for row in pg.entries()] == [
        (1, "vera", t0, t1, "Europe/Rome"),
        (3, "vera", t1, t2, "Europe/Rome"),
        (1, "vera", midnight - 20 * 60, midnight + 20 * 60, "Europe/Rome"),
        (2, "vera", midnight + 20 * 60, None, "Europe/Rome"),
    ]


def test_add_log_edit_delete(cli, rossi, at, pg):
    at("2026-11-27 15:00")
    cli("add", "rossi/news", "9:00-9:45", "--note", "issue 42")
    cli("add", "caffe/social", "10:00 1h")
    cli("add", "rossi/fatture", "2026-11-20 14:00-14:40")
    overlap = cli("add", "rossi/fatture", "9:30-10:10", ok=False)
    assert overlap.exit_code == 2 and "This overlaps entry 1" in overlap.output
    log = json.loads(cli("log", "--json").output)
    assert [(e["id"], e["task"], e["seconds"], e["note"]) for e in log] == [
        (1, "Studio Rossi/Newsletter", 45 * 60, "issue 42"),
        (2, "Caffè Ôrso/Social post", 60 * 60, None),
    ]
    assert log[0]["start"] == "2026-11-27T09:00:00+01:00"
    assert log[0]["atypical"] is False
    month = json.loads(cli("log", "--month", "--json").output)
    assert [e["id"] for e in month] == [3, 1, 2]
    assert [
        e["id"] for e in json.loads(cli("log", "--month", "--client", "caffe", "--json").output)
    ] == [2]
    assert [
        e["id"] for e in json.loads(cli("log", "--month", "--task", "rossi/fatt", "--json").output)
    ] == [3]
    assert (
        "Updated entry 1" in cli("edit", "1", "--start", "8:55", "--note", "", "--atypical").output
    )
    edited = cli("edit", "2", "--start", "9:30", ok=False)
    assert edited.exit_code == 2 and "This overlaps entry 1" in edited.output
    cli("edit", "2", "--task", "rossi/news", "--end", "11:30")
    assert "Deleted entry 3" in cli("delete", "3").output
    assert cli("delete", "3", ok=False).exit_code == 2
    got = pg.rows("SELECT id, task_id, start_utc, end_utc, note, atypical FROM entry ORDER BY id")
    t = at("2026-11-27 00:00")
    assert got == [
        (1, 1, t + 8 * 3600 + 55 * 60, t + 9 * 3600 + 45 * 60, None, True),
        (2, 1, t + 10 * 3600, t + 11 * 3600 + 30 * 60, None, False),
    ]


def test_undo_several_steps_back_to_each_earlier_state(cli, rossi, at, pg):
    states = [pg.dump()]
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    states.append(pg.dump())
    at("2026-11-27 09:30")
    cli("start", "caffe/social")
    states.append(pg.dump())
    at("2026-11-27 10:00")
    cli("stop")
    states.append(pg.dump())
    cli("edit", "1", "--start", "8:55", "--atypical")
    states.append(pg.dump())
    cli("delete", "2")
    states.append(pg.dump())

    def data(state):  # the rows themselves; undo adds to the journal, never rewinds it
        return {t: state[t] for t in ("client", "task", "entry")}

    out = cli("undo").output
    assert "Undone: the entry of Fri 27 Nov 2026 09:30-10:00 on Caffè Ôrso/Social post" in out
    assert data(pg.dump()) == data(states[-2])
    out = cli("undo", "--steps", "2").output
    assert "is back as it was: 09:00-09:30 (0:30), not atypical." in out
    assert "is back as it was: running since 09:30." in out
    assert data(pg.dump()) == data(states[2])
    out = cli("undo").output
    assert "Undone: starting a timer (" in out and "is no longer recorded" in out
    assert data(pg.dump()) == data(states[1])
    cli("undo")
    assert data(pg.dump()) == data(states[0])
    assert pg.entries() == []
    # Deeper: the set-up of the tasks and clients themselves, back to an empty store.
    out = cli("undo", "--steps", "5").output
    assert "Undone: adding a task (" in out
    assert "the duty Caffè Ôrso/Social post is no longer recorded" in out
    assert "Undone: the client Studio Rossi is no longer recorded." in out
    assert pg.dump(("client", "task", "entry")) == {"client": [], "task": [], "entry": []}
    assert cli("undo", ok=False).exit_code == 1
    # Every operation but the undos is marked undone, and each undo names what it undid.
    ops = pg.rows("SELECT id, command, undo_of, undone_by FROM operation ORDER BY id")
    originals = [op for op in ops if op[1] != "undo"]
    undos = {op[0]: op for op in ops if op[1] == "undo"}
    assert len(originals) == 10 and len(undos) == 10
    for op_id, _command, undo_of, undone_by in originals:
        assert undo_of is None and undos[undone_by][2] == op_id


def test_undo_brings_back_deleted_rows_with_their_own_ids(cli, rossi, at, pg):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    at("2026-11-27 09:20")
    cli("start", "caffe/social")
    at("2026-11-27 09:40")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:00")
    cli("stop")
    before = pg.entries()
    cli("delete", "1")
    assert pg.rows("SELECT id, occurrence_id FROM entry WHERE task_id = 1 ORDER BY id") == [
        (3, None)
    ]
    cli("undo")
    assert pg.entries() == before
    # An id given back by undo does not upset the ids handed out next.
    at("2026-11-27 15:00")
    cli("add", "rossi/fatture", "11:00-11:30")
    assert [row[0] for row in pg.entries()] == [1, 2, 3, 4]
    cli("start", "rossi/news", "--at", "14:00")
    running = pg.entries()
    cli("cancel")
    cli("undo")
    assert pg.entries() == running
    assert "Running: Studio Rossi/Newsletter since 14:00" in cli("status").output


def test_undo_of_client_and_task_changes(cli, rossi, pg):
    before = pg.dump(("client", "task"))
    cli("client", "edit", "rossi", "--rate", "30", "--name", "Studio Rossi & C")
    cli("task", "archive", "rossi/fatture")
    cli("task", "edit", "caffe/social", "--estimate", "1h", "--note", "stories too")
    assert pg.dump(("client", "task")) != before
    out = cli("undo", "--steps", "3").output
    assert out.count("Undone:") == 3
    assert pg.dump(("client", "task")) == before


def test_undo_refuses_when_the_row_changed_since(cli, rossi, pg):
    cli("add", "rossi/news", "9:00-10:00")
    pg.execute("UPDATE entry SET note = 'changed behind its back' WHERE id = 1")
    before = pg.dump()
    result = cli("undo", ok=False)
    assert result.exit_code == 1
    assert "was changed since. Nothing was undone." in result.output
    assert pg.dump() == before


def test_one_running_timer_per_person_is_held_by_the_database(cli, rossi, pg, monkeypatch):
    cli("start", "rossi/news", "--at", "14:00")
    insert = (
        "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc)"
        " VALUES (2, %s, 1, NULL, 'UTC', false, 1)"
    )
    with pytest.raises(psycopg.errors.UniqueViolation, match="ux_entry_running"):
        pg.execute(insert, ("vera",))
    # Entries that have ended are not held by it; another person may run her own timer.
    pg.execute(insert.replace("NULL", "2"), ("vera",))
    pg.execute(insert, ("giulia",))
    monkeypatch.setenv("MANSIONI_USER", "marta")
    cli("start", "caffe/social", "--at", "14:10")
    assert pg.rows("SELECT person FROM entry WHERE end_utc IS NULL ORDER BY person") == [
        ("giulia",),
        ("marta",),
        ("vera",),
    ]


def test_a_newer_store_is_refused_and_left_untouched(cli, rossi, pg):
    pg.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = pg.dump()
    for args in (("client", "list"), ("start", "rossi/news"), ("status",), ("info",)):
        result = cli(*args, ok=False)
        assert result.exit_code == 3, (args, result.output)
        assert "newer version of mansioni" in result.output
        assert "Traceback" not in result.output
    assert pg.dump() == before
    assert pg.rows("SELECT version_num FROM alembic_version") == [("9999_from_the_future",)]


def test_info_json(cli, rossi, pg):
    cli("add", "rossi/news", "9:00-10:00")
    data = json.loads(cli("info", "--json").output)
    assert data["schema"] == revision.HEAD
    assert data["counts"] == {"client": 2, "task": 3, "entry": 1, "operation": 6}
    assert (data["zone"], data["person"], data["language"]) == ("Europe/Rome", "vera", "en")
    assert pg.name in data["store"]
    text = cli("info").output
    assert "Clients: 2, tasks: 3, entries: 1, changes journaled: 6" in text


def test_info_never_shows_the_password(cli, rossi, pg, monkeypatch):
    """The server trusts the socket, so any password opens the store: here it is only a
    secret that ``info`` must keep, whichever way the URL carries it."""
    for url in (
        pg.url.replace("postgres@", "postgres:s3cret@"),
        f"postgresql+psycopg:///{pg.name}?host={pg.server.socket_dir}&user=postgres&password=s3cret",
    ):
        monkeypatch.setenv("MANSIONI_DB", url)
        data = json.loads(cli("info", "--json").output)
        assert data["counts"]["client"] == 2
        shown = data["store"] + cli("info").output
        assert pg.name in shown
        assert "s3cret" not in shown, (
            "SECURITY: mansioni info prints the database password of a URL that has no '@' "
            f"(src/mansioni/cli/info.py strips only what comes before '@'): {data['store']}"
        )


def test_the_installed_command_runs_on_postgres(cli, rossi, pg, isolated_home):
    """``python -m mansioni``: the quick path hands a PostgreSQL store to the full one."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")}

    def mansioni(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mansioni", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    started = mansioni("start", "rossi/news")
    assert started.returncode == 0, started.stderr
    assert "Started Studio Rossi/Newsletter" in started.stdout
    status = mansioni("status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["running"]["task"] == "Studio Rossi/Newsletter"
    assert pg.rows("SELECT task_id, person FROM entry WHERE end_utc IS NULL") == [(1, "vera")]
    assert not isolated_home.exists()


def test_instants_after_2038_fit_in_the_schema(cli, rossi, at, pg):
    """Instants are seconds since 1970: on PostgreSQL an ``INTEGER`` column is 32 bits and
    ends on 2038-01-19 03:14:07 UTC; SQLite's integers are 64 bits. The same schema must
    hold the same instants on both."""
    at("2038-06-01 12:00")
    result = cli("add", "rossi/news", "9:00-10:00", ok=False)
    assert result.exit_code == 0, (
        "PORTABILITY BUG: the *_utc columns are sa.Integer (32-bit int4 on PostgreSQL); "
        f"an entry after 2038-01-19 cannot be stored: {result.output.strip()}"
    )
    assert len(pg.entries()) == 1


def test_a_write_transaction_holds_off_other_writers(rossi, at, pg):
    """``Store.write()`` promises the write lock at its start (``BEGIN IMMEDIATE`` on SQLite):
    a command's reads and writes never interleave with another shell's. Here shell A reads
    that no timer runs, as ``start`` does; shell B runs a whole ``start`` meanwhile; then A
    inserts its timer. B must wait for A to finish, and then both starts succeed."""
    import threading

    from mansioni.services import timer
    from mansioni.store import records
    from mansioni.store.orm.engine import AlchemyStore
    from mansioni.store.writer import Writer

    now = at("2026-11-27 15:00")
    shell_a, shell_b = AlchemyStore(store_url()), AlchemyStore(store_url())
    b_done = threading.Event()
    b_failed: list[BaseException] = []

    def other_shell() -> None:
        try:
            timer.start(shell_b, task="caffe/social", person="vera", now=now, zone="Europe/Rome")
        except BaseException as exc:  # noqa: BLE001 - reported below
            b_failed.append(exc)
        finally:
            b_done.set()

    thread = threading.Thread(target=other_shell)
    a_failed: BaseException | None = None
    try:
        with shell_a.write() as db:
            assert records.running(db, "vera") is None
            thread.start()
            b_waited = not b_done.wait(1.5)
            Writer(db, person="vera", command="start", now=now).insert(
                "entry",
                {
                    "task_id": 1,
                    "person": "vera",
                    "start_utc": now - 60,
                    "end_utc": None,
                    "zone": "Europe/Rome",
                    "note": None,
                    "occurrence_id": None,
                    "atypical": False,
                    "created_utc": now,
                },
            )
    except Exception as exc:  # noqa: BLE001 - reported below
        a_failed = exc
    finally:
        thread.join(30)
        shell_a.dispose()
        shell_b.dispose()
    assert b_waited and a_failed is None and not b_failed, (
        "PORTABILITY BUG: on PostgreSQL Store.write() takes no write lock (the BEGIN IMMEDIATE "
        "of orm/engine.py is SQLite-only), so another shell's write ran inside ours "
        f"(B waited: {b_waited}); A failed with: {a_failed!r}; B failed with: {b_failed!r}"
    )
    assert pg.rows("SELECT task_id, end_utc IS NULL FROM entry ORDER BY id") == [
        (1, False),
        (3, True),
    ]


def test_changes_review_decide_and_history_on_postgres(cli, at, pg):
    """The review's SQL (task events, occurrences grouped by the database) on PostgreSQL."""
    from datetime import timedelta

    from conftest import NOW

    at(NOW - timedelta(days=100))
    cli("client", "add", "Caffè Ôrso", "--hour-value", "40", "--rate", "25")
    cli("task", "add", "caffe/Inbox", "--estimate", "10m", "--trial", "60d")
    at(NOW)
    for i, minutes in enumerate([25, 24, 26, 25, 25, 24, 26, 25]):
        day = (NOW - timedelta(days=20 - 2 * i)).date().isoformat()
        cli("add", "caffe/inbox", f"{day} 09:00 {minutes}m")
    cli("start", "caffe/inbox", "--at", "9:00")
    cli("start", "caffe/inbox", "--at", "9:20", "--resume")  # one occurrence, two entries
    (review,) = json.loads(cli("review", "--json").output)
    assert review["verdict"] == "hand_back"
    assert review["level_seconds"] == 25 * 60
    assert "Trial ended with no decision" in cli("status").output
    cli("decide", "caffe/inbox", "hand-back", "--note", "he takes it back")
    assert json.loads(cli("review", "--json").output) == []
    story = json.loads(cli("history", "caffe/inbox", "--json").output)
    kinds = [e["kind"] for p in story["phases"] for e in p["events"]]
    assert kinds == ["estimate", "decision"]
    assert pg.rows("SELECT decision, verdict FROM task_event WHERE kind = 'decision'") == [
        ("hand_back", "hand_back")
    ]


def test_import_a_second_time_and_undo_on_postgres(cli, pg):
    """The import's journal, its unique source keys and its dry run, on PostgreSQL."""
    from pathlib import Path

    frames = Path(__file__).parent / "fixtures" / "import" / "watson"
    dry = cli("import", "watson", str(frames), "--client", "Vari", "--dry-run").stdout
    assert "24 entries would be imported from Watson." in dry
    assert "No client" in cli("client", "show", "vari", ok=False).stderr
    assert (
        "24 entries imported from Watson."
        in cli("import", "watson", str(frames), "--client", "Vari").stdout
    )
    again = cli("import", "watson", str(frames), "--client", "Vari").stdout
    assert "24 entries were imported before" in again
    exported = json.loads(cli("export", "--format", "json").stdout)
    assert sum(e["seconds"] for e in exported) == 163134  # Watson's own report (the fixture)
    assert "no longer recorded: 24 records of imported entries, 24 entries" in cli("undo").stdout
    assert json.loads(cli("export", "--format", "json").stdout) == []


def test_doctor_on_postgres(cli, rossi, pg):
    """Doctor on a server: it answers, the schema, the rows; no password shown."""
    cli("add", "rossi/news", "9:00-10:00")
    result = cli("doctor")
    assert "The database answers." in result.output
    assert f"Schema {revision.HEAD}, the one this version of mansioni writes." in result.output
    assert "entry 1" in result.output
    data = json.loads(cli("doctor", "--json").stdout)
    assert data["healthy"] is True
    assert {c["check"] for c in data["checks"]} == {"connection", "schema", "rows"}
    pg.execute("DELETE FROM journal")
    pg.execute("DELETE FROM operation")
    result = cli("doctor", ok=False)
    assert result.exit_code == 3
    assert "The rows do not add up" in result.output


def test_doctor_on_a_postgres_server_that_refuses(cli, pg, monkeypatch):
    monkeypatch.setenv("MANSIONI_DB", pg.url.replace(pg.name, "no_such_database"))
    result = cli("doctor", ok=False)
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "The store could not be used" in result.output
