"""Exports and backups through the command line: csv and json for a spreadsheet or a script,
jsonl for a whole-store backup, and ``backup``, a checked copy of a store in use."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import db_file, dump, rows
from mansioni.i18n import set_language
from mansioni.report.spreadsheet import FORMULA_START
from mansioni.services import export as service

COLUMNS = list(service.ENTRY_COLUMNS)
PAYLOADS = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "\t=1", "+1", "-2"]


def csv_rows(text: str, *, delimiter: str = ",") -> list[list[str]]:
    assert text.startswith("\ufeff") and not text.startswith("\ufeff\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def as_dicts(text: str, *, delimiter: str = ",") -> list[dict[str, str]]:
    header, *body = csv_rows(text, delimiter=delimiter)
    assert header == COLUMNS
    return [dict(zip(header, line, strict=True)) for line in body]


def export(cli, *args: str, ok: bool = True):
    return cli("export", *args, ok=ok)


def sql(home, statement: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(db_file(home))
    try:
        with conn:
            conn.execute(statement, params)
    finally:
        conn.close()


def columns(home, table: str) -> list[str]:
    return [r[1] for r in rows(home, f"PRAGMA table_info({table})")]


@pytest.fixture
def worked(cli, rossi, at, monkeypatch):
    """Two people's entries, an atypical one, an interrupted occurrence, and a running timer."""
    cli("add", "rossi/news", "2026-11-20 09:00-09:45", "--note", "Caffè e cornetto ☕")
    cli("add", "caffe/social", "2026-11-23 10:00-10:20")
    cli("add", "rossi/fatt", "2026-11-24 14:00-14:10")
    cli("start", "rossi/fatt", "--at", "2026-11-24 15:00")
    cli("stop", "--at", "2026-11-24 15:30")
    cli("start", "caffe/social", "--at", "2026-11-24 16:00")
    cli("stop", "--at", "2026-11-24 16:05")
    cli("start", "rossi/fatt", "--at", "2026-11-24 16:05", "--resume")
    cli("stop", "--at", "2026-11-24 16:20")
    cli("edit", "3", "--atypical")
    monkeypatch.setenv("MANSIONI_USER", "luca")
    cli("add", "rossi/news", "2026-11-25 11:00-12:30")
    monkeypatch.setenv("MANSIONI_USER", "vera")
    cli("start", "rossi/news")  # running: left out of csv and json


# --- csv -----------------------------------------------------------------------------------


def test_csv_has_the_columns_and_the_values(cli, worked):
    result = export(cli, "--format", "csv")
    found = as_dicts(result.stdout)
    assert [e["id"] for e in found] == ["1", "2", "3", "4", "5", "6", "7"]
    first = found[0]
    assert first == {
        "id": "1",
        "task": "Newsletter",
        "client": "Studio Rossi",
        "person": "vera",
        "start": "2026-11-20T09:00:00+01:00",
        "end": "2026-11-20T09:45:00+01:00",
        "zone": "Europe/Rome",
        "seconds": "2700",
        "hours": "0.75",
        "occurrence": "1",
        "atypical": "false",
        "note": "Caffè e cornetto ☕",
    }
    by_id = {e["id"]: e for e in found}
    assert by_id["3"]["atypical"] == "true"
    assert by_id["6"]["occurrence"] == "4"  # resumed the occurrence of entry 4
    assert by_id["7"]["person"] == "luca" and by_id["7"]["hours"] == "1.5"
    assert by_id["2"]["client"] == "Caffè Ôrso" and by_id["2"]["hours"] == "0.3333"
    assert "8" not in by_id  # the running timer


def test_csv_in_italian_uses_semicolons_and_decimal_commas(cli, worked, monkeypatch):
    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    text = export(cli, "--format", "csv").stdout
    found = as_dicts(text, delimiter=";")
    assert found[0]["hours"] == "0,75" and found[0]["seconds"] == "2700"
    assert found[0]["note"] == "Caffè e cornetto ☕"
    assert {e["id"]: e["hours"] for e in found}["7"] == "1,5"
    # The English reader would see one column per line: the dialects really differ.
    assert len(csv_rows(text)[0]) == 1


def test_csv_bytes_are_utf8_with_one_bom_and_crlf(cli, worked):
    data = export(cli, "--format", "csv").stdout_bytes
    assert data.startswith("\ufeff".encode()) and data.count("\ufeff".encode()) == 1
    assert "Caffè Ôrso".encode() in data
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")


def test_formula_payloads_come_out_as_text(cli, rossi, isolated_home):
    cli("task", "add", "rossi/@SUM(A1)")
    cli("task", "add", "rossi/+1")
    cli("task", "add", "rossi/-2")
    # Names the command line would refuse or tidy, stored as another program might.
    sql(isolated_home, "UPDATE task SET name = ? WHERE id = 1", ('=HYPERLINK("http://x","y")',))
    sql(isolated_home, "UPDATE task SET name = ? WHERE id = 2", ("\t=1",))
    tasks = {1: PAYLOADS[0], 2: PAYLOADS[2], 4: "@SUM(A1)", 5: "+1", 6: "-2"}
    for hour, (task_id, note) in enumerate(zip(tasks, PAYLOADS, strict=True), start=8):
        sql(
            isolated_home,
            "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, note, atypical,"
            " created_utc) VALUES (?, 'vera', ?, ?, 'Europe/Rome', ?, 0, 0)",
            (task_id, 1795161600 + hour * 3600, 1795161600 + hour * 3600 + 900, note),
        )
    found = as_dicts(export(cli, "--format", "csv").stdout)
    assert [e["task"] for e in found] == ["'" + tasks[t] for t in tasks]
    assert [e["note"] for e in found] == ["'" + p for p in PAYLOADS]
    for entry in found:
        for key in COLUMNS:
            assert not entry[key].startswith(FORMULA_START), (key, entry[key])
        assert entry["seconds"] == "900" and entry["hours"] == "0.25"
    # json carries the text exactly as stored: it is data, not a spreadsheet.
    as_json = json.loads(export(cli, "--format", "json").stdout)
    assert [e["note"] for e in as_json] == PAYLOADS


# --- json ----------------------------------------------------------------------------------


def test_json_is_a_list_of_entries(cli, worked):
    text = export(cli, "--format", "json").stdout
    found = json.loads(text)
    assert text == json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    assert [e["id"] for e in found] == [1, 2, 3, 4, 5, 6, 7]
    assert all(list(e) == COLUMNS for e in found)
    third = found[2]
    assert third == {
        "id": 3,
        "task": "Fatture",
        "client": "Studio Rossi",
        "person": "vera",
        "start": "2026-11-24T14:00:00+01:00",
        "end": "2026-11-24T14:10:00+01:00",
        "zone": "Europe/Rome",
        "seconds": 600,
        "hours": 0.1667,
        "occurrence": 3,
        "atypical": True,
        "note": None,
    }
    assert found[0]["note"] == "Caffè e cornetto ☕"
    assert "Caffè Ôrso" in text  # not escaped


def test_json_of_an_empty_store_is_an_empty_list(cli, rossi):
    assert export(cli, "--format", "json").stdout == "[]\n"
    assert csv_rows(export(cli, "--format", "csv").stdout) == [COLUMNS]


def test_an_entry_keeps_its_own_zone(cli, rossi, monkeypatch):
    monkeypatch.setenv("MANSIONI_TZ", "America/New_York")
    cli("add", "rossi/news", "2026-11-20 09:00-10:00")
    (entry,) = json.loads(export(cli, "--format", "json").stdout)
    assert entry["start"] == "2026-11-20T09:00:00-05:00" and entry["zone"] == "America/New_York"


# --- filters -------------------------------------------------------------------------------


def ids(cli, *args: str) -> list[int]:
    return [e["id"] for e in json.loads(export(cli, "--format", "json", *args).stdout)]


def test_days_are_whole_and_inclusive_in_the_users_zone(cli, rossi):
    cli("add", "rossi/news", "2026-11-19 23:30-23:50")  # 1
    cli("add", "rossi/news", "2026-11-20 00:10-00:30")  # 2: 19 November in UTC
    cli("add", "rossi/news", "2026-11-22 23:30-23:45")  # 3
    cli("add", "rossi/news", "2026-11-23 00:05-00:15")  # 4
    assert ids(cli, "--from", "2026-11-20", "--to", "2026-11-22") == [2, 3]
    assert ids(cli, "--from", "2026-11-20") == [2, 3, 4]
    assert ids(cli, "--to", "2026-11-19") == [1]
    assert ids(cli, "--from", "2026-11-22", "--to", "2026-11-22") == [3]


def test_client_filter(cli, worked):
    assert ids(cli, "--client", "caffe") == [2, 5]
    assert ids(cli, "--client", "rossi", "--from", "2026-11-24", "--to", "2026-11-24") == [3, 4, 6]
    rows_csv = as_dicts(export(cli, "--format", "csv", "--client", "ôrso").stdout)
    assert [e["id"] for e in rows_csv] == ["2", "5"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--client", "nobody"], "No client matches"),
        (["--from", "someday"], "Cannot understand the day"),
        (["--from", "2026-11-22", "--to", "2026-11-20"], "--to must not come before --from"),
        (["--format", "xlsx"], "is not a format here"),
    ],
)
def test_bad_filters_are_refused(cli, worked, args, message):
    fmt = [] if "--format" in args else ["--format", "csv"]
    result = export(cli, *fmt, *args, ok=False)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_batches_of_entries_sharing_a_start_miss_none(cli, rossi, isolated_home, monkeypatch):
    for i in range(11):
        sql(
            isolated_home,
            "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc)"
            " VALUES (1, ?, ?, ?, 'Europe/Rome', 0, 0)",
            (f"p{i}", 1795161600 + (i // 4) * 60, 1795161600 + 3600),
        )
    whole = ids(cli)
    monkeypatch.setattr(service, "BATCH", 3)
    assert ids(cli) == whole and sorted(whole) == list(range(1, 12))
    assert ids(cli, "--from", "2026-11-20") == whole
    assert len(as_dicts(export(cli, "--format", "csv").stdout)) == 11


# --- jsonl: the whole store ------------------------------------------------------------------


def jsonl(cli, *args: str) -> tuple[dict, list[dict]]:
    lines = export(cli, "--format", "jsonl", *args).stdout.splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


@pytest.fixture
def story(cli, worked, tmp_path):
    """Also a change, a decision, an undone delete, an archived client, an import, an
    invoice: every table has rows."""
    frames = tmp_path / "frames"
    frames.write_text('[[1790000000, 1790001800, "Verdi/Posta", "5e1f", [], 1790001800]]')
    cli("import", "watson", str(frames))
    cli("change", "rossi/news", "now also the social posts", "--estimate", "60m")
    cli("client", "add", "Ferri")
    cli("client", "archive", "ferri")
    cli("delete", "2")
    cli("undo")
    cli("delete", "5")
    cli("bill", "--client", "caffe", "--month", "2026-11")  # an invoice, an entry on it


def test_jsonl_header(cli, story, at, isolated_home):
    header, _ = jsonl(cli)
    schema = rows(isolated_home, "SELECT version_num FROM alembic_version")
    assert list(header) == ["format", "version", "schema", "exported_utc", "counts"]
    assert header["format"] == "mansioni-jsonl" and header["version"] == 1
    assert header["schema"] == schema[0][0]
    assert header["exported_utc"] == at("2026-11-27 15:00")
    assert list(header["counts"]) == list(service.TABLES)


def test_jsonl_holds_every_row_as_stored(cli, story, isolated_home):
    header, records = jsonl(cli)
    tables = [r["table"] for r in records]
    assert tables == sorted(tables, key=service.TABLES.index)  # the restore order
    stored = dump(isolated_home, service.TABLES)
    for table in service.TABLES:
        names = columns(isolated_home, table)
        mine = [r["row"] for r in records if r["table"] == table]
        assert all(list(row) == sorted(names) for row in mine)
        assert [tuple(row[n] for n in names) for row in mine] == stored[table], table
        assert header["counts"][table] == len(mine) > 0, table
    entries = {r["row"]["id"]: r["row"] for r in records if r["table"] == "entry"}
    assert entries[3]["atypical"] == 1 and entries[1]["atypical"] == 0  # as SQLite stores them
    assert entries[2]["note"] is None and entries[8]["end_utc"] is None  # NULLs and the timer
    assert 5 not in entries  # deleted, and named by the journal
    operations = [r["row"] for r in records if r["table"] == "operation"]
    undone = [op for op in operations if op["undone_by"] is not None]
    assert undone and all(op["undone_by"] > op["id"] for op in undone)  # why a restore updates


def test_jsonl_is_utf8_and_compact(cli, story):
    data = export(cli, "--format", "jsonl").stdout_bytes
    assert "Caffè e cornetto ☕".encode() in data and b"\\u" not in data
    assert b'{"table":"client","row":{"archived":0,' in data
    assert data.endswith(b"\n") and not data.startswith("\ufeff".encode())


def test_jsonl_is_the_same_bytes_twice(cli, story, at):
    first = export(cli, "--format", "jsonl").stdout_bytes.split(b"\n", 1)
    at("2026-11-28 08:00")
    second = export(cli, "--format", "jsonl").stdout_bytes.split(b"\n", 1)
    assert first[1] == second[1]
    one, two = json.loads(first[0]), json.loads(second[0])
    assert one.pop("exported_utc") != two.pop("exported_utc") and one == two


def test_jsonl_in_small_batches_is_the_same(cli, story, monkeypatch):
    whole = export(cli, "--format", "jsonl").stdout
    monkeypatch.setattr(service, "BATCH", 2)
    assert export(cli, "--format", "jsonl").stdout == whole


def test_jsonl_covers_every_table_of_the_schema(cli, rossi, isolated_home):
    tables = {
        name
        for (name,) in rows(isolated_home, "SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert tables - {"alembic_version", "sqlite_sequence"} == set(service.TABLES)


@pytest.mark.parametrize(
    "args", [["--from", "2026-11-01"], ["--to", "2026-11-30"], ["--client", "rossi"]]
)
def test_jsonl_refuses_filters(cli, worked, args):
    result = export(cli, "--format", "jsonl", *args, ok=False)
    assert result.exit_code == 2 and result.stdout == ""
    assert "backup of the whole store" in result.stderr


# --- -o FILE ---------------------------------------------------------------------------------


def test_output_file(cli, worked, tmp_path):
    target = tmp_path / "hours.csv"
    result = export(cli, "--format", "csv", "-o", str(target))
    assert result.stdout == ""
    assert target.read_bytes() == export(cli, "--format", "csv").stdout_bytes
    backup = tmp_path / "all.jsonl"
    export(cli, "--format", "jsonl", "--output", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # the whole store: only its owner
    assert backup.read_bytes() == export(cli, "--format", "jsonl").stdout_bytes
    target.write_text("old")
    export(cli, "--format", "json", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))[0]["id"] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_output_to_a_missing_folder_is_refused(cli, worked, tmp_path):
    target = tmp_path / "nowhere" / "hours.csv"
    for fmt in ("csv", "jsonl"):
        result = export(cli, "--format", fmt, "-o", str(target), ok=False)
        assert result.exit_code == 2 and "There is no folder" in result.stderr
    assert not target.parent.exists()
    result = export(cli, "--format", "csv", "-o", str(tmp_path), ok=False)
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_no_progress_bar_on_a_pipe(cli, worked):
    assert export(cli, "--format", "jsonl").stderr == ""


SLOW_EXPORT = """
import sys
from mansioni.cli import progress
from mansioni.cli.app import run_app
progress.SHOW_AFTER = 0.0  # every export counts as long
sys.exit(run_app(sys.argv[1:]))
"""


@pytest.mark.requires("pty")
def test_a_long_export_shows_a_bar_on_a_terminal(cli, worked, tmp_path):
    import pty

    target = tmp_path / "all.jsonl"
    main, secondary = pty.openpty()
    try:
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    SLOW_EXPORT,
                    "export",
                    "--format",
                    "jsonl",
                    "-o",
                    str(target),
                ],
                stderr=secondary,
                stdout=subprocess.PIPE,
                timeout=60,
            )
        finally:
            os.close(secondary)
        drawn = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(main)
    assert done.returncode == 0 and done.stdout == b""
    assert b"Exporting" in drawn
    assert target.read_bytes().startswith(b'{"format":"mansioni-jsonl"')


# --- any text survives -----------------------------------------------------------------------


@pytest.fixture
def blank(cli, rossi, isolated_home):
    return isolated_home


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.text(max_size=40), note=st.text(max_size=80))
@example(name="", note="\r\n")
def test_any_text_survives_csv_and_json(cli, blank, name, note):
    sql(blank, "DELETE FROM entry")
    sql(blank, "UPDATE task SET name = ? WHERE id = 1", (name,))
    sql(
        blank,
        "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, note, atypical, created_utc)"
        " VALUES (1, 'vera', 1795161600, 1795163400, 'Europe/Rome', ?, 0, 0)",
        (note,),
    )
    (entry,) = json.loads(export(cli, "--format", "json").stdout)
    assert entry["task"] == name and entry["note"] == note
    # The bytes: click's Result.stdout turns every "\r\n" into "\n", a note's too.
    (line,) = as_dicts(export(cli, "--format", "csv").stdout_bytes.decode("utf-8"))
    for text, cell in ((name, line["task"]), (note, line["note"])):
        assert not cell.startswith(FORMULA_START)
        assert cell == ("'" + text if text.startswith(FORMULA_START) else text)
    assert line["seconds"] == "1800" and line["hours"] == "0.5"


# --- backup ----------------------------------------------------------------------------------


def test_backup_is_a_checked_private_copy(cli, story, isolated_home, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    target = folder / "mansioni.db"
    out = cli("backup", str(target)).stdout
    assert f"Copied the store to {target} (" in out
    assert "Clients: 4, tasks: 4, entries: 8." in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert rows(folder, "PRAGMA integrity_check") == [("ok",)]
    assert dump(folder, service.TABLES) == dump(isolated_home, service.TABLES)
    version = "SELECT version_num FROM alembic_version"
    assert rows(folder, version) == rows(isolated_home, version)
    assert sorted(p.name for p in folder.iterdir()) == ["mansioni.db"]  # one file, no -wal


def test_backup_replaces_an_older_copy(cli, worked, isolated_home, tmp_path):
    target = tmp_path / "mansioni.db"
    target.write_bytes(b"an old copy")
    cli("backup", str(target))
    assert rows(tmp_path, "SELECT COUNT(*) FROM entry") == [(8,)]


WRITER = r"""
from mansioni.services import timer
from mansioni.store.quick import QuickStore
from mansioni.store.paths import sqlite_path, store_url

store = QuickStore.open(sqlite_path(store_url()))
begin = 1_700_000_000
for i in range(1_000_000):
    added = timer.add(store, task="rossi/news", person="vera", now=begin + 10**8, zone="UTC",
                      begin=begin + i * 60, end=begin + i * 60 + 30, note="n" * (i % 300))
    print(added.entry.id, flush=True)
"""


@pytest.mark.slow
def test_backups_while_another_process_writes(cli, rossi, isolated_home, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    committed = [0]  # the last entry id the writer reported as saved

    def drain() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            committed[0] = int(line)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    copies = []
    try:
        for n in range(6):
            before = committed[0]
            deadline = time.monotonic() + 60
            while committed[0] == before:  # the writer is busy while each copy is taken
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "the writer made no progress"
                time.sleep(0.01)
            saved = committed[0]
            target = tmp_path / f"copy{n}" / "mansioni.db"
            target.parent.mkdir()
            cli("backup", str(target))
            copies.append((saved, target.parent))
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    finally:
        proc.kill()
        proc.wait()
        reader.join(timeout=10)
    seen = []
    for saved, folder in copies:
        assert rows(folder, "PRAGMA integrity_check") == [("ok",)]
        (count,) = rows(folder, "SELECT COUNT(*) FROM entry")[0]
        assert count >= saved  # every entry saved before the copy began is in it
        # Each entry was written with its journal row in one transaction: a copy has both.
        journaled = rows(
            folder, "SELECT COUNT(*) FROM journal WHERE table_name = 'entry' AND action = 'insert'"
        )
        assert journaled == [(count,)]
        assert rows(folder, "SELECT MIN(id), MAX(id) FROM entry") == [(1, count)]
        seen.append(count)
    assert seen == sorted(seen) and seen[-1] > seen[0]


def test_backup_refuses_the_store_itself(cli, worked, isolated_home):
    for target in (db_file(isolated_home), f"{db_file(isolated_home)}-wal"):
        result = cli("backup", str(target), ok=False)
        assert result.exit_code == 2 and "is the store itself" in result.stderr
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry") == [(8,)]


def test_backup_refuses_a_missing_folder_or_a_folder(cli, worked, tmp_path):
    result = cli("backup", str(tmp_path / "nowhere" / "copy.db"), ok=False)
    assert result.exit_code == 2 and "There is no folder" in result.stderr
    assert not (tmp_path / "nowhere").exists()
    result = cli("backup", str(tmp_path), ok=False)
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_backup_to_dash_is_refused_not_a_file_named_dash(cli, worked, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = cli("backup", "-", ok=False)
    assert result.exit_code == 2
    assert "A backup is a SQLite file: it cannot go to the terminal." in result.stderr
    assert "mansioni export --format jsonl" in result.stderr
    assert list(here.iterdir()) == []


def test_backup_of_a_missing_store_creates_nothing(cli, isolated_home, tmp_path):
    result = cli("backup", str(tmp_path / "copy.db"), ok=False)
    assert result.exit_code == 1 and "nothing to back up" in result.stderr
    assert not isolated_home.exists() and not (tmp_path / "copy.db").exists()


def test_backup_of_a_server_store_points_to_jsonl(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("MANSIONI_DB", "postgresql+psycopg://vera:secret@db.example.org/mansioni")
    result = cli("backup", str(tmp_path / "copy.db"), ok=False)
    assert result.exit_code == 2
    assert "mansioni export --format jsonl" in result.stderr and "secret" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_backup_of_a_file_that_is_not_a_store(cli, monkeypatch, tmp_path):
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    conn.close()
    monkeypatch.setenv("MANSIONI_DB", f"sqlite:///{other}")
    result = cli("backup", str(tmp_path / "copy.db"), ok=False)
    assert result.exit_code == 3 and "not a mansioni store" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


# --- one instant, on SQLite and on PostgreSQL ---------------------------------------------------


@pytest.fixture
def on_postgres(pg_server, monkeypatch):
    """The store is a database of its own on a throwaway PostgreSQL server."""
    name = pg_server.create_database()
    monkeypatch.setenv("MANSIONI_DB", pg_server.url(name))
    try:
        yield lambda statement: _pg_run(pg_server, name, statement)
    finally:
        pg_server.drop_database(name)


def _pg_run(server, name: str, statement: str) -> None:
    with server.connect(name) as conn:
        conn.execute(statement)


def _meanwhile(monkeypatch, write) -> None:
    """After the first batch is written, another connection commits a new operation."""
    from contextlib import nullcontext

    from mansioni.cli import export as export_cli

    done = []

    def advance(n: int = 1) -> None:
        if not done:
            write("INSERT INTO operation (at_utc, person, command) VALUES (0, 'luca', 'other')")
            done.append(n)

    monkeypatch.setattr(export_cli, "_progress", lambda output, total: nullcontext(advance))
    monkeypatch.setattr(service, "BATCH", 1)


def _operations(records: list[dict]) -> list[dict]:
    return [r["row"] for r in records if r["table"] == "operation"]


def test_a_jsonl_export_is_one_instant_on_sqlite(cli, worked, isolated_home, monkeypatch):
    _meanwhile(monkeypatch, lambda statement: sql(isolated_home, statement))
    header, records = jsonl(cli)
    operations = _operations(records)
    assert len(operations) == header["counts"]["operation"]
    assert "other" not in {op["command"] for op in operations}
    assert rows(isolated_home, "SELECT COUNT(*) FROM operation") == [(len(operations) + 1,)]


@pytest.mark.slow
def test_jsonl_on_postgres_is_one_instant_with_its_booleans(cli, on_postgres, monkeypatch):
    cli("client", "add", "Caffè Ôrso", "--rate", "25")
    cli("task", "add", "caffe/Social post", "--estimate", "25m")
    cli("add", "caffe/social", "2026-11-23 10:00-10:20", "--note", "☕")
    cli("add", "caffe/social", "2026-11-24 10:00-10:20")
    cli("edit", "2", "--atypical")
    found = json.loads(export(cli, "--format", "json").stdout)  # the same SQL as on SQLite
    assert [(e["id"], e["atypical"], e["seconds"]) for e in found] == [
        (1, False, 1200),
        (2, True, 1200),
    ]
    _meanwhile(monkeypatch, on_postgres)
    header, records = jsonl(cli)
    assert header["counts"]["operation"] == len(_operations(records))
    assert "other" not in {op["command"] for op in _operations(records)}
    entries = [r["row"] for r in records if r["table"] == "entry"]
    assert [e["atypical"] for e in entries] == [False, True]  # PostgreSQL's own booleans
    assert entries[0]["note"] == "☕" and entries[1]["note"] is None


def test_backup_reports_each_step_for_a_progress_bar(cli, worked, isolated_home, tmp_path):
    from mansioni.store.paths import sqlite_path, store_url

    steps = []
    done = service.backup(
        str(tmp_path / "copy.db"),
        store_file=sqlite_path(store_url()),
        on_step=lambda: steps.append(len(steps) + 1),
    )
    assert steps == list(range(1, service.BACKUP_STEPS + 1))
    assert done.path == str(tmp_path / "copy.db") and done.entries > 0


@pytest.mark.parametrize("suffix", ["", "-wal"])
@pytest.mark.parametrize(
    "command",
    [("export", "--format", "jsonl"), ("report", "--month"), ("review", "--format", "md")],
)
def test_no_output_may_overwrite_the_store(cli, worked, isolated_home, command, suffix):
    before = dump(isolated_home, service.TABLES)
    target = str(isolated_home / "mansioni.db") + suffix
    result = cli(*command, "-o", target, ok=False)
    assert result.exit_code == 2
    assert "is the store itself" in result.output
    assert dump(isolated_home, service.TABLES) == before
    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]


def test_an_error_while_exporting_is_not_called_a_write_error(tmp_path):
    from mansioni.cli.output import sink

    target = tmp_path / "out.csv"
    with pytest.raises(FileNotFoundError), sink(str(target)) as write:
        write("a,b\r\n")
        raise FileNotFoundError("a file the caller reads")
    assert list(tmp_path.iterdir()) == []
