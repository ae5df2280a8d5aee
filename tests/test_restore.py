"""``mansioni import jsonl``: a jsonl backup restored into an empty store, exactly.

Export, restore into a new store, export again: the same file but for
``exported_utc``. A bad file, a cut one, a store that already holds data, a killed
process: the store is left as it was. SQLite to PostgreSQL and back gives the
same file too.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import db_file, dump, rows
from mansioni.services import export, restore
from mansioni.store import revision
from mansioni.store.orm.engine import AlchemyStore

OLD = "0004_entry_task_covering"


# --- helpers -------------------------------------------------------------------------------


def backup_of(cli) -> bytes:
    return cli("export", "--format", "jsonl").stdout_bytes


def restore_file(cli, file: Path, ok: bool = True):
    return cli("import", "jsonl", str(file), ok=ok)


def move_home(monkeypatch, home: Path) -> Path:
    """Point the commands at another, new, store."""
    monkeypatch.setenv("MANSIONI_HOME", str(home))
    return home


def split(data: bytes) -> tuple[dict, bytes]:
    """The header without ``exported_utc``, and the row records as bytes."""
    first, rest = data.split(b"\n", 1)
    header = json.loads(first)
    header.pop("exported_utc")
    return header, rest


def assert_same_backup(one: bytes, two: bytes) -> None:
    assert split(one) == split(two)


def contents(home: Path) -> dict[str, list[tuple]] | None:
    """Every row of every table (None when there is no store at all)."""
    if not db_file(home).exists():
        return None
    return dump(home, export.TABLES)


def empty(home: Path) -> bool:
    found = contents(home)
    return found is not None and all(not table for table in found.values())


def schema(home: Path) -> str:
    return rows(home, "SELECT version_num FROM alembic_version")[0][0]


def sql(home: Path, statement: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(db_file(home))
    try:
        with conn:
            conn.execute(statement, params)
    finally:
        conn.close()


def highest_named(home: Path, table: str) -> int:
    return rows(home, "SELECT MAX(row_id) FROM journal WHERE table_name = ?", (table,))[0][0]


def lines_of(data: bytes) -> list[str]:
    return data.decode("utf-8").splitlines(keepends=True)


def header_of(lines: list[str]) -> dict:
    return json.loads(lines[0])


def with_header(lines: list[str], header: dict) -> list[str]:
    return [export.jsonl_line(header), *lines[1:]]


def first_line_of(lines: list[str], table: str) -> int:
    """The index in ``lines`` of the first record of ``table``."""
    return next(i for i, line in enumerate(lines) if line.startswith(f'{{"table":"{table}"'))


def edit_row(lines: list[str], index: int, change: Callable[[dict], object]) -> list[str]:
    record = json.loads(lines[index])
    change(record["row"])
    return [*lines[:index], export.jsonl_line(record), *lines[index + 1 :]]


def older(data: bytes, target: str = OLD) -> bytes:
    """The backup as an older mansioni at schema ``target`` would have written it."""
    lines = lines_of(data)
    header = header_of(lines)
    header["schema"] = target
    assert header["counts"].pop("imported") == 0  # no such table before 0005
    assert header["counts"].pop("invoice") == 0  # nor this one before 0008
    kept = [export.jsonl_line(header)]
    for line in lines[1:]:
        record = json.loads(line)
        if record["table"] == "entry":  # on no invoice: there were none before 0008
            assert record["row"].pop("invoice_id") is None
        if target < "0003" and record["table"] == "client":  # no minimum billing yet
            assert record["row"].pop("minimum_minutes") is None
        if target < "0007" and record["table"] in ("client", "task"):  # no --since yet
            record["row"].pop("since_utc")
        kept.append(export.jsonl_line(record))
    return "".join(kept).encode("utf-8")


# --- a store with every kind of row ------------------------------------------------------------


@pytest.fixture
def history(cli, demo, at) -> Path:
    """The demo, plus: a running timer, an atypical entry, a deleted newest entry and a
    deleted client (ids the journal still names), an undone operation, an imported entry."""
    cli("start", "rossi/news")  # running: end_utc null
    cli("add", "caffe/social", "2026-11-22 21:00-21:30")
    cli("add", "caffe/social", "2026-11-22 21:40-22:00", "--note", "Caffè ☕ «ok»")
    newest = rows(demo, "SELECT MAX(id) FROM entry")[0][0]
    cli("edit", str(newest - 1), "--atypical")
    cli("delete", str(newest))  # the newest entry is gone; the journal names its id
    cli("delete", "3")  # a gap in the middle
    cli("client", "add", "Gone Srl")
    cli("undo")  # deletes the client: its id too is named only by the journal
    sql(
        demo,
        "INSERT INTO imported (id, source, source_key, entry_id, created_utc)"
        " VALUES (4, 'watson', 'a1b2c3', ?, ?)",
        (newest - 1, at("2026-11-27 15:00")),
    )
    return demo


def test_history_has_what_the_round_trip_must_carry(history):
    assert rows(history, "SELECT COUNT(*) FROM entry WHERE end_utc IS NULL") == [(1,)]
    assert rows(history, "SELECT COUNT(*) FROM operation WHERE undone_by IS NOT NULL")[0][0] >= 1
    assert highest_named(history, "entry") > rows(history, "SELECT MAX(id) FROM entry")[0][0]
    assert highest_named(history, "client") > rows(history, "SELECT MAX(id) FROM client")[0][0]
    assert rows(history, "SELECT COUNT(*) FROM imported") == [(1,)]
    assert rows(history, "SELECT COUNT(*) FROM entry WHERE atypical = 1")[0][0] >= 1


# --- the round trip ----------------------------------------------------------------------------


def test_export_restore_export_gives_the_same_file(cli, history, tmp_path, monkeypatch):
    original = backup_of(cli)
    file = tmp_path / "backup.jsonl"
    file.write_bytes(original)
    restored_home = move_home(monkeypatch, tmp_path / "restored")

    out = restore_file(cli, file).stdout
    assert out.splitlines() == [
        f"Restored {file} into {db_file(restored_home)}.",
        "Clients: 4, tasks: 11, entries: 125.",
        f"Schema: {revision.HEAD}.",
    ]
    assert_same_backup(backup_of(cli), original)
    assert contents(restored_home) == contents(history)
    assert rows(restored_home, "PRAGMA integrity_check") == [("ok",)]
    assert rows(restored_home, "PRAGMA foreign_key_check") == []


def test_new_rows_never_reuse_an_id(cli, history, tmp_path, monkeypatch, at):
    file = tmp_path / "backup.jsonl"
    file.write_bytes(backup_of(cli))
    home = move_home(monkeypatch, tmp_path / "restored")
    restore_file(cli, file)
    for table in ("client", "entry"):  # the journal names ids above the highest left
        assert highest_named(home, table) > rows(home, f"SELECT MAX(id) FROM {table}")[0][0]
    named = {t: highest_named(home, t) for t in ("client", "entry", "task", "task_event")}
    operations = rows(home, "SELECT MAX(id) FROM operation")[0][0]

    cli("client", "add", "Nuovo Cliente")
    cli("task", "add", "nuovo/Posta", "--estimate", "10m")
    cli("add", "nuovo/posta", "2026-11-27 09:00-09:10")
    at("2026-11-27 16:00")
    cli("stop")  # the restored running timer still runs, and stops
    assert rows(home, "SELECT id FROM client WHERE name = 'Nuovo Cliente'") == [
        (named["client"] + 1,)
    ]
    assert rows(home, "SELECT MAX(id) FROM task") == [(named["task"] + 1,)]
    assert rows(home, "SELECT MAX(id) FROM entry") == [(named["entry"] + 1,)]
    assert rows(home, "SELECT MIN(id) FROM operation WHERE id > ?", (operations,)) == [
        (operations + 1,)
    ]
    # undo still works across the restore: the journal means the same rows
    cli("undo")
    assert rows(home, "SELECT COUNT(*) FROM entry WHERE end_utc IS NULL") == [(1,)]


def test_the_service_reports_progress_up_to_the_headers_total(cli, history, tmp_path, monkeypatch):
    file = tmp_path / "backup.jsonl"
    file.write_bytes(backup_of(cli))
    move_home(monkeypatch, tmp_path / "restored")
    monkeypatch.setattr(restore, "BATCH", 7)
    header = restore.read_header(file)
    steps: list[int] = []
    store = AlchemyStore(f"sqlite:///{db_file(tmp_path / 'restored')}")
    try:
        done = restore.restore(store, file, on_progress=steps.append)
    finally:
        store.dispose()
    assert sum(steps) == header.total == sum(done.counts.values())
    assert max(steps) == 7 and len(steps) > 10
    assert done == restore.Restored(revision.HEAD, header.counts, revision.HEAD)
    assert_same_backup(backup_of(cli), file.read_bytes())


@pytest.mark.parametrize("target", [OLD, "0003_billing_minimum", "0002_task_events"])
def test_an_older_schemas_backup_ends_at_the_current_schema(
    cli, history, tmp_path, monkeypatch, target
):
    sql(history, "DELETE FROM imported")  # an older schema has no such table...
    sql(history, "UPDATE entry SET invoice_id = NULL")  # ...nor invoices (0008)
    sql(history, "DELETE FROM invoice")
    current = backup_of(cli)
    file = tmp_path / "old.jsonl"
    file.write_bytes(older(current, target))
    home = move_home(monkeypatch, tmp_path / "restored")

    out = restore_file(cli, file).stdout
    assert f"Schema: {target}, upgraded to {revision.HEAD}." in out
    assert schema(home) == revision.HEAD
    assert_same_backup(backup_of(cli), current)


def test_a_backup_from_an_older_program_is_read_at_its_schema(cli, tmp_path, monkeypatch):
    """A store an older mansioni left, its rows written as that program wrote them."""
    from helpers import store_at
    from mansioni.store.paths import store_url

    old_home = move_home(monkeypatch, tmp_path / "old")
    store_at(store_url(), OLD)
    conn = sqlite3.connect(db_file(old_home))
    conn.executescript(
        """
        INSERT INTO operation (id, at_utc, person, command) VALUES (1, 10, 'vera', 'client add');
        INSERT INTO client (id, name, currency, archived, created_utc) VALUES (1, 'Rossi', 'EUR', 1, 10);
        INSERT INTO journal (id, operation_id, table_name, row_id, action, after_json)
            VALUES (1, 1, 'client', 1, 'insert', '{}');
        """
    )
    conn.commit()
    records = []
    older_tables = [t for t in export.TABLES if t not in ("invoice", "imported")]
    for table in older_tables:
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [d[0] for d in cursor.description]
        records += [export.row_record(table, dict(zip(names, r, strict=True))) for r in cursor]
    conn.close()
    counts = {t: sum(r["table"] == t for r in records) for t in older_tables}
    header = {"format": "mansioni-jsonl", "version": 1, "schema": OLD, "exported_utc": 1}
    file = tmp_path / "old.jsonl"
    file.write_text(
        "".join(export.jsonl_line(r) for r in [{**header, "counts": counts}, *records]),
        encoding="utf-8",
    )

    home = move_home(monkeypatch, tmp_path / "restored")
    restore_file(cli, file)
    assert schema(home) == revision.HEAD
    assert rows(home, "SELECT id, name, archived, minimum_minutes FROM client") == [
        (1, "Rossi", 1, None)
    ]
    assert rows(home, "SELECT COUNT(*) FROM imported") == [(0,)]


# --- refusals ----------------------------------------------------------------------------------


@pytest.fixture
def demo_backup(cli, demo, tmp_path, monkeypatch) -> tuple[list[str], Path]:
    """The demo's backup, as lines; the commands now point at a new, empty home."""
    lines = lines_of(backup_of(cli))
    return lines, move_home(monkeypatch, tmp_path / "restored")


def _header_edit(**changes: object) -> Callable[[list[str]], tuple[list[str], int]]:
    def edit(lines: list[str]) -> tuple[list[str], int]:
        return with_header(lines, {**header_of(lines), **changes}), 1

    return edit


def _count(table: str, delta: int) -> Callable[[list[str]], tuple[list[str], int]]:
    """The header announces ``delta`` more (or fewer) records of ``table``; the line at fault."""

    def edit(lines: list[str]) -> tuple[list[str], int]:
        header = header_of(lines)
        header["counts"][table] += delta
        first = first_line_of(lines, table)
        fault = first + header["counts"][table] + (1 if delta < 0 else 0)
        return with_header(lines, header), fault

    return edit


def _corrupt(lines: list[str]) -> tuple[list[str], int]:
    index = first_line_of(lines, "journal") + 5
    return [*lines[:index], lines[index][:30] + "\n", *lines[index + 1 :]], index + 1


def _cut_mid_line(lines: list[str]) -> tuple[list[str], int]:
    index = len(lines) // 2
    return [*lines[:index], lines[index][:25]], index + 1


def _cut_at_a_line(lines: list[str]) -> tuple[list[str], int]:
    return lines[: len(lines) // 2], len(lines) // 2 + 1


def _row(table: str, change: Callable[[dict], object], nth: int = 0):
    def edit(lines: list[str]) -> tuple[list[str], int]:
        index = first_line_of(lines, table) + nth
        return edit_row(lines, index, change), index + 1

    return edit


def _record(text: str, table: str = "entry"):
    def edit(lines: list[str]) -> tuple[list[str], int]:
        index = first_line_of(lines, table) + 1
        return [*lines[:index], text + "\n", *lines[index + 1 :]], index + 1

    return edit


def _swap(table: str):
    def edit(lines: list[str]) -> tuple[list[str], int]:
        i = first_line_of(lines, table) + 2
        return [*lines[:i], lines[i + 1], lines[i], *lines[i + 2 :]], i + 2

    return edit


def _client_after_tasks(lines: list[str]) -> tuple[list[str], int]:
    task = first_line_of(lines, "task") + 1
    return [*lines[:task], lines[1], *lines[task:]], task + 1


def _undone_by_nothing(lines: list[str]) -> tuple[list[str], int]:
    index = first_line_of(lines, "operation")
    return edit_row(lines, index, lambda row: row.update(undone_by=9999)), index + 1


REFUSED = {
    "not a backup": (_header_edit(format="mansioni-csv"), "not a mansioni jsonl backup"),
    "unknown version": (_header_edit(version=2), "version 2 of the format"),
    "unknown schema": (_header_edit(schema="0099_future"), "does not know"),
    "counts not a dict": (_header_edit(counts=[1, 2]), "the header's counts"),
    "counts of another schema": (
        _header_edit(schema=OLD),
        "the header's counts name the tables",
    ),
    "a line that is not JSON": (_corrupt, "not a JSON record"),
    "cut in the middle of a line": (_cut_mid_line, "it was cut short"),
    "cut after a line": (_cut_at_a_line, "it was cut short"),
    "more records than counted": (_count("client", -1), "more client records than the 3"),
    "fewer records than counted": (_count("task", +1), "announces 12 task records, but 11"),
    "an unknown table": (_record('{"table":"payment","row":{"id":1}}'), 'table "payment"'),
    "not a row record": (_record('{"table":"entry"}'), "not a row record"),
    "a missing column": (_row("client", lambda r: r.pop("name")), "missing name; unknown -"),
    "an unknown column": (_row("entry", lambda r: r.update(mood=1)), "unknown mood"),
    "text for a number": (
        _row("entry", lambda r: r.update(start_utc="yesterday")),
        'column start_utc holds "yesterday", but must hold an integer',
    ),
    "a number for text": (_row("task", lambda r: r.update(name=7)), "must hold text"),
    "a null where none goes": (
        _row("entry", lambda r: r.update(zone=None)),
        "column zone cannot be null",
    ),
    "not a boolean": (_row("client", lambda r: r.update(archived=2)), "true, false, 0 or 1"),
    "a number too large": (
        _row("entry", lambda r: r.update(start_utc=10**20)),
        "100000000000000000000 is too large a number",
    ),
    "text too long": (  # SQLite keeps it (it has no lengths): refused on PostgreSQL only
        _row("client", lambda r: r.update(name="x" * 201)),
        None,
    ),
    "ids out of order": (_swap("entry"), "each table comes in id order"),
    "tables out of order": (_client_after_tasks, "a client record after the task records"),
    "a duplicate name": (
        _row("client", lambda r: r.update(name="Studio Rossi"), nth=1),
        "the database refuses this row: UNIQUE constraint failed: client.name",
    ),
    "a task of no client": (
        _row("task", lambda r: r.update(client_id=99)),
        "the database refuses this row: FOREIGN KEY constraint failed",
    ),
    "undone by no operation": (
        _undone_by_nothing,
        "the database refuses this row: FOREIGN KEY constraint failed",
    ),
}


@pytest.mark.parametrize("case", [case for case, (_e, said) in REFUSED.items() if said])
def test_a_bad_file_is_refused_and_nothing_is_written(cli, demo_backup, tmp_path, case):
    lines, home = demo_backup
    edit, reason = REFUSED[case]
    edited, line = edit(lines)
    file = tmp_path / "bad.jsonl"
    file.write_text("".join(edited), encoding="utf-8")

    result = restore_file(cli, file, ok=False)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert f"Error: {file}, line {line}: " in result.stderr, result.stderr
    assert reason in result.stderr, result.stderr
    if case == "counts of another schema":  # seen once the store is at that schema
        assert empty(home) and schema(home) == revision.HEAD
    elif line == 1:  # the header is read before the store is opened: none is made
        assert contents(home) is None
    else:
        assert empty(home) and schema(home) == revision.HEAD
        assert "Nothing was restored" in result.stderr
    # and the same store takes the good file afterwards
    file.write_text("".join(lines), encoding="utf-8")
    restore_file(cli, file)
    assert_same_backup(backup_of(cli), "".join(lines).encode("utf-8"))


def test_a_store_with_data_is_refused_and_left_as_it_was(cli, history, tmp_path):
    file = tmp_path / "backup.jsonl"
    file.write_bytes(backup_of(cli))
    before = contents(history)
    result = restore_file(cli, file, ok=False)
    assert result.exit_code == 1
    assert "The store already holds data" in result.stderr
    assert "MANSIONI_HOME=~/restored mansioni import jsonl backup.jsonl" in result.stderr
    assert contents(history) == before


@pytest.mark.parametrize("table", ["operation", "imported"])
def test_one_row_anywhere_makes_a_store_not_empty(cli, demo_backup, tmp_path, table):
    lines, home = demo_backup
    cli("info")  # makes the empty store
    if table == "operation":
        sql(home, "INSERT INTO operation (at_utc, person, command) VALUES (1, 'x', 'y')")
    else:
        sql(
            home,
            "INSERT INTO imported (source, source_key, entry_id, created_utc) VALUES ('a', 'b', 1, 1)",
        )
    file = tmp_path / "backup.jsonl"
    file.write_text("".join(lines), encoding="utf-8")
    before = contents(home)
    assert restore_file(cli, file, ok=False).exit_code == 1
    assert contents(home) == before


def test_a_missing_file_or_a_folder_is_refused(cli, tmp_path):
    result = restore_file(cli, tmp_path / "nowhere.jsonl", ok=False)
    assert result.exit_code == 2 and "There is no file" in result.stderr
    assert "mansioni export --format jsonl -o backup.jsonl" in result.stderr
    result = restore_file(cli, tmp_path, ok=False)
    assert result.exit_code == 2 and "is a folder" in result.stderr
    empty_file = tmp_path / "empty.jsonl"
    empty_file.write_bytes(b"")
    result = restore_file(cli, empty_file, ok=False)
    assert result.exit_code == 2 and f"{empty_file}, line 1:" in result.stderr
    assert contents(tmp_path / "mansioni-home") is None  # no store was made


def test_a_csv_or_json_export_is_not_a_backup(cli, history, tmp_path, monkeypatch):
    for fmt in ("csv", "json"):
        file = tmp_path / f"hours.{fmt}"
        file.write_bytes(cli("export", "--format", fmt).stdout_bytes)
        move_home(monkeypatch, tmp_path / f"new-{fmt}")
        result = restore_file(cli, file, ok=False)
        assert result.exit_code == 2 and "not a mansioni jsonl backup" in result.stderr
        assert "mansioni export --format jsonl" in result.stderr


# --- big files, and a process killed midway ------------------------------------------------------


def build_big_backup(folder: Path, entries: int) -> Path:
    """A store of ``entries`` entries, each added by its own journaled operation, exported."""
    folder.mkdir(parents=True, exist_ok=True)
    store = AlchemyStore(f"sqlite:///{db_file(folder)}")
    conn = sqlite3.connect(db_file(folder))
    conn.execute(
        "INSERT INTO client (id, name, currency, archived, created_utc)"
        " VALUES (1, 'Studio Rossi', 'EUR', 0, 1)"
    )
    conn.execute(
        "INSERT INTO task (id, client_id, name, estimate_basis, oversight_seconds, trial_days,"
        " state, created_utc) VALUES (1, 1, 'Newsletter', 'occurrence', 0, 90, 'trial', 1)"
    )
    begin = 1_780_000_000
    operations, journal, stored = [], [], []
    for i in range(1, entries + 1):
        entry = {
            "atypical": int(i % 13 == 0),
            "created_utc": begin + i * 600,
            "end_utc": begin + i * 600 + 300 if i < entries else None,
            "id": i,
            "note": "nota è " * (i % 7) or None,
            "occurrence_id": None,
            "person": "vera",
            "start_utc": begin + i * 600,
            "task_id": 1,
            "zone": "Europe/Rome",
        }
        operations.append((i, begin + i * 600, "vera", "add"))
        journal.append((i, i, "entry", i, "insert", None, json.dumps(entry, sort_keys=True)))
        stored.append(entry)
    conn.executemany(
        "INSERT INTO operation (id, at_utc, person, command) VALUES (?, ?, ?, ?)", operations
    )
    conn.executemany(
        "INSERT INTO journal (id, operation_id, table_name, row_id, action, before_json,"
        " after_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
        journal,
    )
    conn.executemany(
        "INSERT INTO entry (atypical, created_utc, end_utc, id, note, occurrence_id, person,"
        " start_utc, task_id, zone) VALUES (:atypical, :created_utc, :end_utc, :id, :note,"
        " :occurrence_id, :person, :start_utc, :task_id, :zone)",
        stored,
    )
    conn.commit()
    conn.close()
    file = folder / "big.jsonl"
    try:
        with export.everything(store, exported_utc=begin) as (header, found):
            with open(file, "w", encoding="utf-8") as out:
                out.write(export.jsonl_line(header))
                for batch in found.batches:
                    out.write("".join(export.jsonl_line(export.row_record(*r)) for r in batch))
    finally:
        store.dispose()
    return file


@pytest.fixture(scope="module")
def big_backup(tmp_path_factory) -> Path:
    """100,000 entries, their operations and their journal: 300,002 records."""
    return build_big_backup(tmp_path_factory.mktemp("big"), 100_000)


@pytest.mark.slow
def test_a_hundred_thousand_entries_are_restored_exactly(cli, big_backup, isolated_home, capsys):
    started = time.perf_counter()
    out = restore_file(cli, big_backup).stdout
    took = time.perf_counter() - started
    assert "Clients: 1, tasks: 1, entries: 100000." in out
    assert_same_backup(backup_of(cli), big_backup.read_bytes())
    with capsys.disabled():
        print(f"\nrestored 300,002 records (100,000 entries) in {took:.1f} s")


def _wal(home: Path) -> int:
    try:
        return os.path.getsize(str(db_file(home)) + "-wal")
    except FileNotFoundError:
        return 0


def _read_so_far(pid: int, file: Path) -> int:
    """How far process ``pid`` has read ``file`` (Linux's /proc); -1 if it has not opened it."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(file):
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    return int(info.readline().split()[1])  # "pos:  12345"
    except OSError:  # it closed the file, or ended, meanwhile
        pass
    return -1


def _restore_and_kill(home: Path, file: Path, moment: str) -> int | None:
    """Run a restore in a process of its own and kill -9 it at ``moment``: ``inserting``
    (half the file read, so half the rows are in) or ``committing`` (the WAL grows: with
    a 64 MiB page cache, these rows reach the WAL only as the commit writes them).
    Its exit status, or None if it finished before the moment came."""
    start, half = _wal(home), file.stat().st_size // 2
    proc = subprocess.Popen(
        [sys.executable, "-m", "mansioni", "import", "jsonl", str(file)],
        env={**os.environ, "MANSIONI_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if moment == "inserting":
            now = _read_so_far(proc.pid, file) > half
        else:
            now = _wal(home) - start > 256 << 10
        if now:
            os.kill(proc.pid, signal.SIGKILL)
            return proc.wait()
        time.sleep(0.001)
    proc.wait()
    return None


@pytest.mark.slow
@pytest.mark.requires("proc")
@pytest.mark.parametrize("moment", ["inserting", "committing"])
def test_a_restore_killed_midway_leaves_the_store_empty_and_usable(
    cli, big_backup, demo, tmp_path, monkeypatch, moment
):
    small = tmp_path / "demo.jsonl"
    small.write_bytes(backup_of(cli))
    for attempt in range(3):
        home = move_home(monkeypatch, tmp_path / f"home-{attempt}")
        cli("info")  # the empty store, made and committed: only the restore is then in flight
        status = _restore_and_kill(home, big_backup, moment)
        if status is not None:
            break
        # It finished before it could be killed: then it must have restored everything.
        assert rows(home, "SELECT COUNT(*) FROM entry") == [(100_000,)]
    else:
        pytest.fail(f"three restores finished before they could be killed while {moment}")
    assert status == -signal.SIGKILL

    assert rows(home, "PRAGMA integrity_check") == [("ok",)]
    assert empty(home) and schema(home) == revision.HEAD
    # Usable: another restore, of a small backup, goes through.
    restore_file(cli, small)
    assert_same_backup(backup_of(cli), small.read_bytes())


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def on_postgres(pg_server, monkeypatch) -> Callable[[], str]:
    """``on_postgres()`` points the commands at a new database of their own."""
    names: list[str] = []

    def point() -> str:
        names.append(pg_server.create_database())
        monkeypatch.setenv("MANSIONI_DB", pg_server.url(names[-1]))
        return names[-1]

    try:
        yield point
    finally:
        monkeypatch.delenv("MANSIONI_DB", raising=False)
        for name in names:
            pg_server.drop_database(name)


def as_sqlite_values(data: bytes) -> list[dict]:
    """The records, with PostgreSQL's booleans written as SQLite's 0 and 1."""
    records = [json.loads(line) for line in data.splitlines()[1:]]
    for record in records:
        for key, value in record["row"].items():
            if isinstance(value, bool):
                record["row"][key] = int(value)
    return records


@pytest.mark.slow
def test_a_sqlite_backup_restored_into_postgresql_and_back(
    cli, history, tmp_path, monkeypatch, on_postgres, pg_server
):
    original = backup_of(cli)
    file = tmp_path / "from-sqlite.jsonl"
    file.write_bytes(original)

    name = on_postgres()
    out = restore_file(cli, file).stdout
    assert "Clients: 4, tasks: 11, entries: 125." in out and "postgres" in out
    on_pg = backup_of(cli)
    assert split(on_pg)[0] == split(original)[0]
    assert as_sqlite_values(on_pg) == as_sqlite_values(original)
    assert b'"atypical":true' in on_pg and b'"archived":false' in on_pg  # PostgreSQL's own
    # The sequences are past every id the journal names.
    with pg_server.connect(name) as conn:
        ((named,),) = conn.execute("SELECT MAX(row_id) FROM journal WHERE table_name = 'client'")
        ((left,),) = conn.execute("SELECT MAX(id) FROM client")
    assert named > left
    cli("client", "add", "Nuovo Cliente")
    with pg_server.connect(name) as conn:
        ((client,),) = conn.execute("SELECT id FROM client WHERE name = 'Nuovo Cliente'")
    assert client == named + 1

    # And back to SQLite: the very file it started from.
    back = tmp_path / "from-postgres.jsonl"
    back.write_bytes(on_pg)
    monkeypatch.delenv("MANSIONI_DB")
    move_home(monkeypatch, tmp_path / "back")
    restore_file(cli, back)
    assert_same_backup(backup_of(cli), original)


@pytest.mark.slow
def test_postgresql_refuses_like_sqlite_and_restores_an_older_schema(
    cli, history, tmp_path, on_postgres
):
    sql(history, "DELETE FROM imported")
    sql(history, "UPDATE entry SET invoice_id = NULL")
    sql(history, "DELETE FROM invoice")
    original = backup_of(cli)
    lines = lines_of(original)
    old = tmp_path / "old.jsonl"
    old.write_bytes(older(original))

    on_postgres()
    for case, said in [
        ("a duplicate name", "already exists"),
        ("a task of no client", "foreign key"),
        ("a number too large", "too large a number"),
        ("text too long", "value too long"),
        ("undone by no operation", "foreign key"),
    ]:
        edited, line = REFUSED[case][0](lines)
        bad = tmp_path / "bad.jsonl"
        bad.write_text("".join(edited), encoding="utf-8")
        result = restore_file(cli, bad, ok=False)
        assert result.exit_code == 2, (case, result.output)
        assert f"{bad}, line {line}: " in result.stderr and said in result.stderr, result.stderr
    out = restore_file(cli, old).stdout
    assert f"Schema: {OLD}, upgraded to {revision.HEAD}." in out
    assert as_sqlite_values(backup_of(cli)) == as_sqlite_values(original)
    assert restore_file(cli, old, ok=False).exit_code == 1  # no longer empty
