"""``mansioni doctor``, and no write into a damaged store.

Each damaged store is built the same way every time, from the demo's store: a page
of a table overwritten (found with SQLite's ``dbstat``), the file cut short, its
header zeroed, a file of garbage, a reference to a row that does not exist, an
unknown schema revision, a missing table. For each, doctor names the problem and
exits 3, writing commands refuse with exit 3 and leave the file's bytes as they
were, and reading commands either work or refuse cleanly.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from helpers import db_file
from mansioni.store.revision import HEAD

PAGE_GARBAGE = bytes(range(256)) * 16  # 4 KiB that SQLite cannot take for a page


def _pages(path: Path, table: str) -> list[int]:
    """The pages of ``table``'s B-tree, in order (its root alone if dbstat is missing)."""
    conn = sqlite3.connect(path)
    try:
        try:
            return [
                row[0]
                for row in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,)
                )
            ]
        except sqlite3.OperationalError:  # SQLite built without dbstat
            return [
                conn.execute(
                    "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
                ).fetchone()[0]
            ]
    finally:
        conn.close()


def _overwrite_page(path: Path, page: int) -> None:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(PAGE_GARBAGE * (size // len(PAGE_GARBAGE)))


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def _damage(kind: str, path: Path) -> None:
    if kind == "journal page":  # a page no write of add, start or undo reads
        leaves = _pages(path, "journal")
        _overwrite_page(path, leaves[len(leaves) // 2])
    elif kind == "entry page":
        _overwrite_page(path, _pages(path, "entry")[0])
    elif kind == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    elif kind == "zeroed header":
        with path.open("r+b") as f:
            f.write(bytes(100))
    elif kind == "garbage":
        path.write_bytes(PAGE_GARBAGE * 8)
    elif kind == "dangling reference":
        _sql(
            path,
            "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc)"
            " VALUES (9999, 'vera', 1000, 2000, 'UTC', 0, 1000)",
        )
    elif kind == "unknown revision":
        _sql(path, "UPDATE alembic_version SET version_num = '0099_future'")
    elif kind == "missing table":
        _sql(path, "DROP TABLE task_event")
    else:  # pragma: no cover
        raise AssertionError(kind)


#: Each kind of damage, and a word doctor's report must hold about it.
DAMAGE = {
    "journal page": "malformed",
    "entry page": "malformed",
    "truncated": "shorter than its header says",
    "zeroed header": "does not begin as a SQLite database",
    "garbage": "does not begin as a SQLite database",
    "dangling reference": "entry row",
    "unknown revision": "0099_future",
    "missing table": "task_event",
}


def _no_traceback(result) -> None:  # noqa: ANN001
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_sound_store_is_healthy(cli, demo, at):
    result = cli("doctor")
    assert result.exit_code == 0
    for line in result.output.splitlines()[1:]:
        assert line.startswith(("ok", "warning", " ")), line
    assert "SQLite's integrity check found no problem." in result.output
    assert f"Schema {HEAD}" in result.output
    assert "No backup lies beside the store" in result.output  # a warning: still exit 0
    data = json.loads(cli("doctor", "--json").stdout)
    assert data["healthy"] is True
    assert data["store"] == str(db_file(demo))
    assert {c["check"] for c in data["checks"]} >= {
        "file",
        "integrity",
        "foreign_keys",
        "schema",
        "permissions",
        "synced_folder",
        "backup",
    }


def test_no_store_yet_is_nothing_to_check(cli, isolated_home):
    result = cli("doctor")
    assert "There is no store at" in result.output
    assert not db_file(isolated_home).exists()


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_doctor_names_the_damage_and_nothing_writes_into_it(kind, cli, quick, demo):
    path = db_file(demo)
    _damage(kind, path)
    report = cli("doctor", ok=False)
    _no_traceback(report)
    assert report.exit_code == 3
    assert DAMAGE[kind] in report.output
    assert "problem" in report.output
    before = path.read_bytes()

    for args in (
        ("add", "caffe/inbox", "9:00-9:10"),
        ("start", "caffe/inbox"),
        ("undo",),
        ("client", "add", "Studio Neri"),
    ):
        result = cli(*args, ok=False)
        _no_traceback(result)
        assert result.exit_code == 3, (args, result.output)
    code, _out, err = quick("start", "caffe/inbox")
    assert code in (3, None), err  # None: the full path takes it, and refuses as above
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0

    for args in (("status",), ("log",)):
        result = cli(*args, ok=False)
        _no_traceback(result)
        assert result.exit_code in (0, 3), (args, result.output)
    assert path.read_bytes() == before


def test_writes_stop_at_the_first_malformed_page_sqlite_reports(cli, demo):
    """The entry table's page is read by add: SQLite reports it, the store is marked
    at once, and a later write that would not read that page refuses too."""
    path = db_file(demo)
    _damage("entry page", path)
    before = path.read_bytes()
    result = cli("add", "caffe/inbox", "9:00-9:10", ok=False)
    assert result.exit_code == 3
    assert "The store is damaged" in result.output
    assert "mansioni doctor" in result.output
    assert Path(f"{path}.damaged").exists()
    result = cli("client", "add", "Studio Neri", ok=False)  # reads no entry page
    assert result.exit_code == 3
    assert "The store is damaged" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("reader", [("export", "--format", "jsonl"), ("backup", "copy.db")])
def test_a_page_no_write_reads_goes_unnoticed_until_something_reads_it(
    reader, cli, demo, tmp_path, monkeypatch
):
    """Why add, start and undo went on writing: the page overwritten is a journal leaf
    in the middle, which they never read (they append to the last leaf). The first
    command that reads it (doctor, backup, export of the journal) marks the store."""
    monkeypatch.chdir(tmp_path)
    path = db_file(demo)
    _damage("journal page", path)
    assert cli("add", "caffe/inbox", "9:00-9:10", ok=False).exit_code == 0
    result = cli(*reader, ok=False)
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert Path(f"{path}.damaged").exists()
    before = path.read_bytes()
    result = cli("start", "caffe/inbox", ok=False)
    assert result.exit_code == 3
    assert "The store is damaged" in result.output
    assert path.read_bytes() == before


def test_doctor_clears_the_mark_once_the_store_is_sound(cli, demo, demo_db):
    path = db_file(demo)
    _damage("entry page", path)
    assert cli("add", "caffe/inbox", "9:00-9:10", ok=False).exit_code == 3
    assert Path(f"{path}.damaged").exists()
    path.write_bytes(demo_db.read_bytes())  # a backup copied over it
    result = cli("doctor")
    assert "can be written again" in result.output
    assert not Path(f"{path}.damaged").exists()
    cli("add", "caffe/inbox", "9:00-9:10")


def test_doctor_shows_the_newest_backup_beside_the_store(cli, demo, at):
    path = db_file(demo)
    older = Path(f"{path}.0004_entry_task_covering.20261001T100000.bak")
    newer = Path(f"{path}.0005_imported.20261120T100000.bak")
    for copy, days in ((older, 50), (newer, 7)):
        copy.write_bytes(b"x" * 2048)
        stamp = at("2026-11-27 15:00") - days * 86400
        os.utime(copy, (stamp, stamp))
    result = cli("doctor")
    assert newer.name in result.output
    assert "7 days ago" in result.output
    assert "2 KB" in result.output


def test_doctor_points_at_partial_copies_an_interrupted_backup_left(cli, demo):
    """A backup or an upgrade killed while copying leaves its temporary file (as big as
    the store) beside it; nothing else ever removes it."""
    assert "partial cop" not in cli("doctor").output
    folder = db_file(demo).parent
    for name in (".mansioni-copy-ab12.part", ".mansioni-copy-ab12.part-journal"):
        (folder / name).write_bytes(b"x" * 1024)
    result = cli("doctor")
    assert result.exit_code == 0  # a warning: the store itself is sound
    assert "2 partial copies (2 KB) lie beside the store" in result.output
    assert f"rm {folder / '.mansioni-copy-ab12.part'} " in result.output
    data = json.loads(cli("doctor", "--json").stdout)
    assert [c["status"] for c in data["checks"] if c["check"] == "leftovers"] == ["warning"]


def test_doctor_warns_of_loose_permissions(cli, demo):
    if os.name != "posix":  # pragma: no cover
        return
    os.chmod(db_file(demo), 0o644)
    result = cli("doctor")
    assert "can be read by others (mode 0644)" in result.output
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("folders", "marker", "service"),
    [
        ("Dropbox/work", None, "Dropbox"),
        ("Dropbox (Personal)", None, "Dropbox"),
        ("OneDrive - Studio Rossi/data", None, "OneDrive"),
        ("Google Drive/My Drive", None, "Google Drive"),
        ("Library/Mobile Documents/com~apple~CloudDocs", None, "iCloud Drive"),
        ("Nextcloud/mansioni", None, "Nextcloud"),
        ("pCloud Drive", None, "pCloud"),
        ("MEGA/mansioni", None, "MEGA"),
        ("shared/data", "shared/.stfolder", "Syncthing"),
    ],
)
def test_doctor_warns_of_a_synced_folder(folders, marker, service, tmp_path):
    from mansioni.services.doctor import synced_service

    store = tmp_path / "sync-test" / folders / "mansioni.db"
    store.parent.mkdir(parents=True)
    if marker:
        (tmp_path / "sync-test" / marker).mkdir()
    assert synced_service(str(store)) == service
    assert synced_service(str(tmp_path / "elsewhere" / "mansioni.db")) is None


def test_a_synced_store_is_a_warning_not_a_problem(cli, demo, monkeypatch, tmp_path):
    folder = tmp_path / "Dropbox" / "mansioni"
    folder.mkdir(parents=True)
    os.replace(db_file(demo), folder / "mansioni.db")
    monkeypatch.setenv("MANSIONI_HOME", str(folder))
    result = cli("doctor")
    assert "synced by Dropbox" in result.output
    assert result.exit_code == 0


def test_an_older_schema_is_a_warning(cli, isolated_home):
    from helpers import store_at

    isolated_home.mkdir(parents=True)
    store_at(f"sqlite:///{db_file(isolated_home)}", "0004_entry_task_covering")
    before = db_file(isolated_home).read_bytes()
    result = cli("doctor")
    assert "is older than this version's" in result.output
    assert db_file(isolated_home).read_bytes() == before  # doctor upgrades nothing


# --- a checkpoint caught midway is not damage ---------------------------------------------


def _killed_checkpoint(demo_db: Path, folder: Path) -> Path:
    """The files a checkpoint killed midway leaves: the -wal still holds every change,
    and page 1 (with the new size) is written, but the file has not grown yet.

    Built without racing anything: the store grows in its -wal while a reader holds
    the old snapshot (so no checkpoint runs); the files are copied as they are; and the
    copy's page 1 is replaced by page 1 as the finished checkpoint writes it."""
    store = folder / "grown.db"
    store.write_bytes(demo_db.read_bytes())
    writer = sqlite3.connect(store, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE t (x BLOB)")
    writer.execute("INSERT INTO t VALUES (zeroblob(100))")
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.execute(
        "INSERT INTO t SELECT zeroblob(4000) FROM (SELECT 1 UNION SELECT 2) , "
        "(SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5)"
    )
    killed = folder / "killed"
    killed.mkdir()
    for end in ("", "-wal"):
        (killed / f"mansioni.db{end}").write_bytes(Path(f"{store}{end}").read_bytes())
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.close()
    size = int.from_bytes(store.read_bytes()[16:18], "big")
    target = killed / "mansioni.db"
    with target.open("r+b") as f:
        f.write(store.read_bytes()[:size])
    return target


def test_a_checkpoint_killed_midway_is_not_called_damage(cli, isolated_home, demo_db, monkeypatch):
    from mansioni.store.health import inspect_sqlite

    target = _killed_checkpoint(demo_db, isolated_home.parent)
    header_pages = int.from_bytes(target.read_bytes()[28:32], "big")
    page = int.from_bytes(target.read_bytes()[16:18], "big")
    assert header_pages * page > target.stat().st_size  # the header says more than there is
    assert Path(f"{target}-wal").stat().st_size > 0
    assert inspect_sqlite(str(target)).truncated is False
    monkeypatch.setenv("MANSIONI_DB", f"sqlite:///{target}")
    result = cli("doctor", "--json")
    checks = {c["check"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["file"]["status"] == "ok", checks["file"]
    assert checks["integrity"]["status"] == "ok"
    assert not Path(f"{target}.damaged").exists()


def test_a_store_cut_short_is_marked_only_as_sqlite_finds_it_damaged(cli, demo):
    path = db_file(demo)
    _damage("truncated", path)
    cli("doctor", ok=False)
    assert Path(f"{path}.damaged").exists()  # SQLite refuses it: damage, marked


# --- the mark: decided on SQLite's code, about one file ------------------------------------


def test_only_sqlite_s_own_word_marks_the_store(demo):
    from mansioni.store.errors import describe

    path = str(db_file(demo))
    photos = str(PermissionError(13, "Permission denied", "/media/usb/corrupted-photos-rescue/x"))
    assert "damaged" not in describe(photos, path).message
    error = describe('malformed array literal: "{1,2"')  # PostgreSQL's words, no path
    assert "damaged" not in error.message
    assert not Path(f"{path}.damaged").exists()
    broken = db_file(demo).with_name("broken.db")
    broken.write_bytes(db_file(demo).read_bytes())
    _damage("entry page", broken)
    conn = sqlite3.connect(broken)
    try:
        with pytest.raises(sqlite3.DatabaseError) as caught:
            conn.execute("SELECT * FROM entry").fetchall()  # SQLite's own SQLITE_CORRUPT
    finally:
        conn.close()
    assert "The store is damaged" in describe(caught.value, path).message
    assert Path(f"{path}.damaged").exists()


def test_no_store_opened_earlier_is_marked_by_a_later_error(cli, demo):
    """No process-wide 'last store opened': an error names its store, or marks none."""
    from mansioni.store.errors import translate_sqlite_error

    cli("status")
    with pytest.raises(Exception) as caught, translate_sqlite_error(None):
        raise sqlite3.DatabaseError("database disk image is malformed")
    assert "damaged" not in str(caught.value.message)
    assert not Path(f"{db_file(demo)}.damaged").exists()


def test_a_mark_beside_no_store_does_not_block_a_new_one(cli, isolated_home):
    isolated_home.mkdir(parents=True)
    Path(f"{db_file(isolated_home)}.damaged").write_text("database disk image is malformed\n")
    cli("client", "add", "Studio Neri")
    assert "Studio Neri" in cli("client", "list").output


def test_a_mark_is_about_the_file_it_was_written_for(cli, demo, demo_db):
    """The damaged store moved aside and a backup moved in: the mark is not about it."""
    path = db_file(demo)
    _damage("entry page", path)
    assert cli("add", "caffe/inbox", "9:00-9:10", ok=False).exit_code == 3
    assert Path(f"{path}.damaged").exists()
    os.replace(path, f"{path}.broken")
    restored = Path(f"{path}.restoring")
    restored.write_bytes(demo_db.read_bytes())
    os.replace(restored, path)
    cli("add", "caffe/inbox", "9:00-9:10")
    assert cli("doctor").exit_code == 0
    assert not Path(f"{path}.damaged").exists()  # about no file there: doctor removes it


def test_the_backup_blames_the_disk_it_writes_to_when_the_store_is_sound(
    cli, demo, tmp_path, monkeypatch
):
    """A copy that comes out damaged on a failing disk does not mark a sound store."""
    import mansioni.services.export as export
    from mansioni.store import sqlite_setup

    def bad_disk(source, part, *, check=True):  # noqa: ANN001
        sqlite_setup.copy_into(source, part, check=check)
        _overwrite_page(Path(part), _pages(Path(part), "entry")[0])

    monkeypatch.setattr(export, "copy_into", bad_disk)
    result = cli("backup", str(tmp_path / "usb.db"), ok=False)
    assert result.exit_code == 3
    assert "though the store itself is sound" in result.output
    assert not (tmp_path / "usb.db").exists()
    assert not Path(f"{db_file(demo)}.damaged").exists()
    cli("add", "caffe/inbox", "9:00-9:10")


def test_the_upgrade_s_copy_blames_the_store_only_if_the_store_fails_its_check(
    cli, isolated_home, monkeypatch
):
    from helpers import store_at
    from mansioni.store import sqlite_setup

    isolated_home.mkdir(parents=True)
    store_at(f"sqlite:///{db_file(isolated_home)}", "0004_entry_task_covering")
    before = db_file(isolated_home).read_bytes()

    def bad_copy(source, part, *, check=True):  # noqa: ANN001
        raise sqlite_setup.CopyCheckFailed("the copy is malformed: page 3")

    monkeypatch.setattr(sqlite_setup, "copy_into", bad_copy)
    result = cli("client", "list", ok=False)
    assert result.exit_code == 3
    assert "could not be copied before its upgrade" in result.output
    assert db_file(isolated_home).read_bytes() == before
    assert not Path(f"{db_file(isolated_home)}.damaged").exists()


# --- the advice doctor gives -------------------------------------------------------------


def test_the_rescue_advice_keeps_what_was_read(cli, demo):
    path = db_file(demo)
    _damage("journal page", path)
    result = cli("doctor", ok=False)
    assert "export --format jsonl > rescue.jsonl" in result.output
    assert "-o rescue.jsonl" not in result.output


def test_the_way_back_to_a_backup_moves_the_wal_aside(cli, demo, at):
    Path(f"{db_file(demo)}.0005_imported.20261120T100000.bak").write_bytes(b"x" * 2048)
    result = cli("doctor")
    assert "-wal, -shm and .damaged" in result.output


def test_sizes_read_the_same_everywhere():
    from mansioni.i18n.sizes import file_size

    assert file_size(2048) == "2 KB"
    assert file_size(3 * 1024 * 1024 + 512 * 1024) == "3.5 MB"


def test_the_service_leaves_sql_to_the_store():
    """Doctor's service weighs facts; the store's code reads them (SQLAlchemy, SQL)."""
    import ast

    import mansioni.cli.importing as importing
    import mansioni.services.doctor as doctor

    for module, banned in (
        (doctor, ("sqlalchemy", "sqlmodel", "sqlite3")),
        (importing, ("sqlite3", "mansioni.store.errors", "mansioni.store.sqlite_setup")),
    ):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(banned), (module.__name__, name)
