"""A store on read-only media can be read, never written; a full disk is called full.

The read-only store is real: its folder and file cannot be written by the user who
runs the commands. Not root: ``chmod``. Root ignores permissions, so as root the
commands run as ``nobody`` (the store readable by all, writable by none but root).
The store is left as a store at rest is, in WAL mode with no ``-shm`` beside it,
which SQLite can only read from a read-only folder when opened ``immutable``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import db_file, dump

READ_ONLY = "The store cannot be written (read-only file or folder). Nothing was changed."


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


def _nobody_can_run_python() -> bool:
    if os.geteuid() != 0:
        return False
    try:
        import pwd

        pwd.getpwnam("nobody")
        return os.access(os.path.realpath(sys.executable), os.X_OK) and all(
            os.stat(parent).st_mode & 0o001
            for parent in Path(os.path.realpath(sys.executable)).parents
        )
    except (KeyError, OSError):
        return False


class ReadOnly:
    """The commands, run where the store cannot be written; ``run`` returns
    ``(exit status, stdout, stderr)``."""

    def __init__(self, top: Path, demo_db: Path) -> None:
        self.top = top
        self.folder, self.out = top / "store", top / "out"
        self.folder.mkdir()
        self.out.mkdir()
        shutil.copyfile(demo_db, db_file(self.folder))
        self.home = self.folder
        self.preexec = None
        self.mounted: Path | None = None
        self.in_process = False

    @property
    def store(self) -> Path:
        return db_file(self.folder)

    def make_read_only(self, monkeypatch) -> str:  # noqa: ANN001
        if os.geteuid() != 0:
            os.chmod(self.store, 0o444)
            os.chmod(self.folder, 0o555)
            return "chmod"
        if _can_mount():
            target = self.top / "mounted"
            target.mkdir()
            done = subprocess.run(
                ["mount", "--bind", "-o", "ro", str(self.folder), str(target)],
                capture_output=True,
                check=False,
            )
            if done.returncode == 0 and not os.access(target, os.W_OK):
                self.mounted = self.home = target
                return "read-only mount"
            subprocess.run(["umount", str(target)], capture_output=True, check=False)
        if _nobody_can_run_python():
            import pwd

            nobody = pwd.getpwnam("nobody")

            def preexec() -> None:
                os.setgid(nobody.pw_gid)
                os.setgroups([])
                os.setuid(nobody.pw_uid)

            self.preexec = preexec
            os.chmod(self.top, 0o755)
            os.chmod(self.folder, 0o755)  # root's: nobody may read it, not write it
            os.chmod(self.store, 0o644)
            os.chmod(self.out, 0o777)
            return "run as nobody"
        # Root, with neither a mount nor a user to become: the same decision, in-process.
        from mansioni.store import sqlite_setup

        monkeypatch.setattr(sqlite_setup, "can_write", lambda path: False)
        monkeypatch.setenv("MANSIONI_HOME", str(self.home))
        self.in_process = True
        return "in-process"

    def run(self, *args: str) -> tuple[int, str, str]:
        if self.in_process:
            from typer.testing import CliRunner

            from mansioni.cli.app import app

            result = CliRunner().invoke(app, list(args))
            return result.exit_code, result.stdout, result.stderr
        env = {**os.environ, "MANSIONI_HOME": str(self.home), "HOME": str(self.out)}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("MANSIONI_DB", None)
        done = subprocess.run(
            [sys.executable, "-m", "mansioni", *args],
            env=env,
            preexec_fn=self.preexec,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    def close(self) -> None:
        if self.mounted is not None:
            done = subprocess.run(["umount", str(self.mounted)], capture_output=True, check=False)
            if done.returncode != 0:  # still busy: detach it now, gone when released
                subprocess.run(["umount", "-l", str(self.mounted)], check=True)
        os.chmod(self.folder, 0o755)
        shutil.rmtree(self.top)


@pytest.fixture
def read_only(demo_db, monkeypatch) -> Iterator[ReadOnly]:
    where = ReadOnly(Path(tempfile.mkdtemp(prefix="mansioni-ro-")), demo_db)
    try:
        where.make_read_only(monkeypatch)
        yield where
    finally:
        where.close()


@pytest.mark.slow
def test_every_reading_command_works_from_a_read_only_store(read_only):
    before = read_only.store.read_bytes()
    out = read_only.out
    code, stdout, err = read_only.run("status")  # the quick path
    assert code == 0, err
    code, stdout, err = read_only.run("log", "--from", "2026-09-01", "--to", "2026-11-27")
    assert code == 0, err
    assert "Caffè Ôrso" in stdout
    code, stdout, err = read_only.run("export", "--format", "csv", "--from", "2026-09-01")
    assert code == 0, err
    assert stdout.count("\n") > 50
    code, stdout, err = read_only.run("export", "--format", "jsonl", "-o", str(out / "all.jsonl"))
    assert code == 0, err
    code, stdout, err = read_only.run("report", "--month", "2026-11")
    assert code == 0, err
    code, stdout, err = read_only.run("backup", str(out / "copy.db"))
    assert code == 0, err
    conn = sqlite3.connect(out / "copy.db")
    try:
        assert conn.execute("SELECT COUNT(*) FROM entry").fetchone()[0] == 124
    finally:
        conn.close()
    code, stdout, err = read_only.run("doctor")
    assert code == 0, stdout + err
    assert "cannot be written" in stdout
    for args in (("client", "list"), ("task", "list"), ("task", "show", "caffe/inbox")):
        code, stdout, err = read_only.run(*args)  # the catalog, through SQLAlchemy
        assert code == 0, (args, err)
        assert "Caffè Ôrso" in stdout, args

    for args in (
        ("add", "caffe/inbox", "9:00-9:10"),
        ("start", "caffe/inbox"),
        ("stop",),
        ("client", "add", "Nuovo"),
    ):
        code, stdout, err = read_only.run(*args)
        assert code == 3, (args, err)
        assert READ_ONLY in err
        assert "Traceback" not in err
    assert read_only.store.read_bytes() == before
    if not read_only.in_process:  # not even a -shm could be made beside it
        assert sorted(p.name for p in read_only.store.parent.iterdir()) == ["mansioni.db"]


def test_a_store_that_cannot_be_written_is_read_but_not_written(cli, quick, demo, monkeypatch):
    """The same decision in-process: ``can_write`` says no, the store is opened with
    ``mode=ro`` and ``query_only``; a write fails before it starts."""
    from mansioni.store import sqlite_setup

    monkeypatch.setattr(sqlite_setup, "can_write", lambda path: False)
    before = dump(demo)
    assert "Caffè Ôrso" in cli("log", "--from", "2026-11-01").output
    assert cli("export", "--format", "jsonl").exit_code == 0
    code, out, _err = quick("status")
    assert code == 0
    assert "Today" in out
    assert "Caffè Ôrso" in cli("client", "list").output
    assert "Caffè Ôrso" in cli("task", "show", "caffe/inbox").output
    for args in (("add", "caffe/inbox", "9:00-9:10"), ("client", "add", "Nuovo")):
        result = cli(*args, ok=False)
        assert result.exit_code == 3, result.output
        assert READ_ONLY in result.output
    code, _out, err = quick("start", "caffe/inbox")
    assert code == 3
    assert READ_ONLY in err
    assert dump(demo) == before


def test_a_read_only_connection_writes_nothing_even_when_asked(demo):
    from mansioni.store import sqlite_setup

    conn = sqlite_setup.connect_read_only(str(db_file(demo)))
    try:
        sqlite_setup.configure_read_only(conn)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.close()


def test_a_busy_store_is_never_read_without_its_locks(tmp_path):
    """Only a -shm that cannot be made turns to ``immutable`` (no locks): a store a
    writer holds is not read as it changes underneath; the reader says it is busy."""
    from mansioni.store import sqlite_setup

    path = tmp_path / "busy.db"
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = DELETE")
        writer.execute("CREATE TABLE t (x)")
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.OperationalError) as caught:
            sqlite_setup.connect_read_only(str(path), timeout=0.05)
        assert caught.value.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
    finally:
        writer.close()


# --- a full disk -------------------------------------------------------------------------


class _Room:
    def __init__(self, free: int) -> None:
        self.f_bavail, self.f_frsize = free // 4096, 4096


def _io_error_on_open(monkeypatch) -> None:  # noqa: ANN001
    """SQLite fails to grow the -shm as a store is opened: what a disk with 16 KiB
    free does (it says SQLITE_IOERR, "disk I/O error", not SQLITE_FULL)."""
    import mansioni.store.orm.engine as engine
    import mansioni.store.quick as quick_store

    def failing(conn: sqlite3.Connection, path: str | None = None) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(engine, "configure", failing)
    monkeypatch.setattr(quick_store, "configure", failing)


def test_a_disk_io_error_on_a_full_disk_is_called_a_full_disk(cli, quick, demo, monkeypatch):
    _io_error_on_open(monkeypatch)
    monkeypatch.setattr(os, "statvfs", lambda path: _Room(16 * 1024))
    for args in (("status",), ("log",), ("add", "caffe/inbox", "9:00-9:10")):
        result = cli(*args, ok=False)
        assert result.exit_code == 3
        assert "The disk is full: nothing was changed and the store is intact." in result.output
        assert "disk I/O error" not in result.output
    code, _out, err = quick("start", "caffe/inbox")
    assert code == 3
    assert "The disk is full" in err


def test_a_disk_io_error_with_room_left_points_to_doctor(cli, demo, monkeypatch):
    _io_error_on_open(monkeypatch)
    monkeypatch.setattr(os, "statvfs", lambda path: _Room(10 << 30))
    result = cli("status", ok=False)
    assert result.exit_code == 3
    assert "disk I/O error" in result.output
    assert "mansioni doctor" in result.output
    assert "The disk is full" not in result.output
    # An I/O error at commit may come after the change reached the -wal: no promise
    # that nothing changed, and the way to see what was saved.
    assert "Nothing was changed" not in result.output
    assert "the last change may not have been saved" in result.output
    assert "mansioni status and mansioni log" in result.output
