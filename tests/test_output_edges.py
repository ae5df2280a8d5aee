"""Output at the edges: a full disk behind stdout or ``-o``, a target that is not a file,
an upgrade with no room for its backup. Nothing is cut silently, nothing is replaced
that is not a regular file, nothing half-written is left behind."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOW
from helpers import db_file, dump, store_at
from mansioni.store import sqlite_setup
from mansioni.store.paths import store_url

#: Real ``mansioni`` processes, on the tests' clock (the demo's data is of November 2026):
#: one interpreter imports the command line once, then forks a child per command, each
#: with its own stdout, stderr and, if given, a limit no file may grow past (EFBIG).
BATCH = r"""
import json, os, resource, signal, sys
from mansioni import clock
clock.now = lambda: int(sys.argv[2])
import importlib
from mansioni.cli.app import COMMANDS
for entry in COMMANDS:  # every command's module, imported once for every child
    importlib.import_module(f"mansioni.cli.{entry.module}")
from mansioni.__main__ import main

codes = []
for job in json.loads(sys.argv[1]):
    pid = os.fork()
    if pid == 0:
        try:
            if job["limit"]:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails, no kill
                resource.setrlimit(resource.RLIMIT_FSIZE, (job["limit"], job["limit"]))
            os.dup2(os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
            os.dup2(os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 2)
            main(job["args"])  # leaves through os._exit with the command's status
        finally:
            os._exit(99)
    codes.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print(json.dumps(codes))
"""

STDOUT_FULL = "Error: The disk is full: the output was not written whole."
#: Above SQLite's 32 KiB ``-shm`` (a reader makes one), below what the commands write.
LIMIT = 40_000


def mansioni(
    tmp_path: Path, *commands: tuple[str, ...], stdout: str = os.devnull, limit: int = 0
) -> list[tuple[int, str]]:
    """Each command's exit status and stderr, run in real processes."""
    jobs = [
        {"args": list(args), "stdout": stdout, "stderr": str(tmp_path / f"err{i}"), "limit": limit}
        for i, args in enumerate(commands)
    ]
    done = subprocess.run(
        [sys.executable, "-c", BATCH, json.dumps(jobs), str(int(NOW.timestamp()))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    codes = json.loads(done.stdout)
    return [(code, Path(job["stderr"]).read_text()) for code, job in zip(codes, jobs, strict=True)]


@pytest.fixture
def big(demo) -> Path:
    """The demo's store with a long note: every export of it is larger than ``LIMIT``."""
    conn = sqlite3.connect(db_file(demo))
    conn.execute(
        "UPDATE entry SET note = ? WHERE id = (SELECT MIN(id) FROM entry WHERE end_utc IS NOT NULL)",
        ("a long note " * 6000,),
    )
    conn.commit()
    conn.close()
    return demo


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --- 1. a full disk behind stdout or -o ----------------------------------------------------


@pytest.mark.slow
@pytest.mark.requires("dev-full")
def test_stdout_on_a_full_disk_is_said_never_a_traceback(demo, tmp_path):
    commands = [
        ("export", "--format", "csv"),
        ("export", "--format", "json"),
        ("export", "--format", "jsonl"),
        ("log", "--json", "--from", "2026-01-01"),
        ("report",),
        ("status",),
    ]
    results = mansioni(tmp_path, *commands, stdout="/dev/full")
    for args, (code, err) in zip(commands, results, strict=True):
        assert (code, err.splitlines()[:1]) == (3, [STDOUT_FULL]), (args, err)


@pytest.mark.slow
def test_stdout_cut_short_by_the_disk_is_said_not_silent(big, tmp_path):
    """A disk that takes part of a write, then no more: the rest is not lost in silence."""
    out = tmp_path / "out.txt"
    commands = [("export", "--format", "csv"), ("log", "--json", "--from", "2026-01-01")]
    for args in commands:
        [(code, err)] = mansioni(tmp_path, args, stdout=str(out), limit=LIMIT)
        assert (code, err.splitlines()[:1]) == (3, [STDOUT_FULL]), (args, err)
        assert out.stat().st_size == LIMIT  # the disk took this much: the error is not made up


@pytest.mark.slow
def test_an_output_file_on_a_full_disk_is_not_written_and_the_old_one_is_kept(big, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    names = ["hours.csv", "hours.json", "backup.jsonl", "review.html"]
    for name in names:
        (folder / name).write_text("the earlier file\n")
    commands = [
        ("export", "--format", "csv", "-o", str(folder / "hours.csv")),
        ("export", "--format", "json", "-o", str(folder / "hours.json")),
        ("export", "--format", "jsonl", "-o", str(folder / "backup.jsonl")),
        ("review", "--format", "html", "--as-of", "2026-11-27", "-o", str(folder / "review.html")),
        ("backup", str(folder / "copy.db")),
    ]
    results = mansioni(tmp_path, *commands, limit=LIMIT)
    for name, (code, err) in zip(names, results, strict=False):
        first = f"Error: The disk is full: {folder / name} was not written."
        assert (code, err.splitlines()[:1]) == (3, [first]), (name, err)
        assert (folder / name).read_text() == "the earlier file\n"
    code, err = results[-1]  # SQLite says "disk I/O error" for a file past its limit
    assert code == 3 and f"Error: Could not write {folder / 'copy.db'}" in err, err
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)  # no copy, no .part


def test_a_report_file_the_disk_refuses_at_the_end_is_not_left_half(
    cli, demo, tmp_path, monkeypatch
):
    """The disk may say it is full only when the file is synced: still nothing is left."""

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(os, "fsync", full)
    target = folder / "report.md"
    result = cli("report", "--from", "2026-11-01", "-o", str(target), ok=False)
    assert result.exit_code == 3
    assert f"Error: The disk is full: {target} was not written." in result.output
    assert list(folder.iterdir()) == []


# --- 2. a target that is not a regular file ----------------------------------------------


COMMANDS = {
    "backup": lambda target: ("backup", target),
    "export": lambda target: ("export", "--format", "csv", "-o", target),
    "report": lambda target: ("report", "-o", target),
    "review": lambda target: ("review", "--format", "html", "--as-of", "2026-11-27", "-o", target),
}


@pytest.fixture
def never_replace_a_device(monkeypatch):
    """If a regression ever tried, the test fails instead of replacing /dev/null."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if os.path.exists(dst) and not stat.S_ISREG(os.lstat(dst).st_mode):
            raise AssertionError(f"{dst} would have been replaced")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_a_target_that_is_not_a_regular_file_is_refused(
    cli, demo, tmp_path, never_replace_a_device, command, kind
):
    if kind == "fifo":
        target = tmp_path / "pipe"
        os.mkfifo(target)
        words = "is not a regular file but a named pipe (FIFO)"
    elif kind == "symlink":
        real = tmp_path / "real.txt"
        real.write_text("kept\n")
        target = tmp_path / "link"
        target.symlink_to(real)
        words = "is not a regular file but a symbolic link"
    else:
        target = Path(os.devnull)
        words = "is not a regular file but a device"
    result = cli(*COMMANDS[command](str(target)), ok=False)
    assert result.exit_code == 2, result.output
    assert f"Error: {target} {words}: it is left as it is." in result.output
    mode = os.lstat(target).st_mode
    if kind == "fifo":
        assert stat.S_ISFIFO(mode)
    elif kind == "symlink":
        assert stat.S_ISLNK(mode) and real.read_text() == "kept\n"
        assert f"-o {real}" in result.output or f"backup {real}" in result.output
    else:
        assert stat.S_ISCHR(mode)
    assert leftovers(tmp_path) == [] and leftovers(target.parent) == []


def test_a_dash_is_still_the_terminal(cli, demo):
    result = cli("export", "--format", "csv", "-o", "-")
    assert result.stdout.splitlines()[0].endswith(
        "id,task,client,person,start,end,zone,seconds,hours,occurrence,atypical,note"
    )


# --- 3. an upgrade with no room for its backup -------------------------------------------


def _old_store(home: Path, note: str = "first") -> bytes:
    store_at(store_url(), "0001_initial")
    conn = sqlite3.connect(db_file(home))
    conn.executescript(
        """
        INSERT INTO client (id, name, currency, archived, created_utc) VALUES (1, 'Studio Rossi', 'EUR', 0, 100);
        INSERT INTO task (id, client_id, name, estimate_seconds, estimate_basis, oversight_seconds,
                          trial_days, state, created_utc)
            VALUES (1, 1, 'Newsletter', 2700, 'occurrence', 0, 90, 'trial', 200);
        """
    )
    conn.execute(
        "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, note, atypical, created_utc)"
        " VALUES (1, 'vera', 1000, 2000, 'Europe/Rome', ?, 0, 2000)",
        (note,),
    )
    conn.commit()
    conn.close()
    return db_file(home).read_bytes()


def test_an_upgrade_with_no_room_for_its_backup_changes_nothing(cli, isolated_home, monkeypatch):
    before = _old_store(isolated_home)
    rows_before = dump(isolated_home)

    def full_midway(source, target):
        target.execute("CREATE TABLE half (x)")  # part of the copy is on disk...
        target.execute("INSERT INTO half VALUES (zeroblob(20000))")
        raise sqlite3.OperationalError("database or disk is full")  # ...then no more room

    monkeypatch.setattr(sqlite_setup, "copy_pages", full_midway)
    result = cli("log", ok=False)
    assert result.exit_code == 3
    assert "Error: The disk is full: nothing was changed and the store is intact." in result.output
    assert sorted(p.name for p in isolated_home.iterdir()) == ["mansioni.db"]  # no .bak, no .part
    assert db_file(isolated_home).read_bytes() == before
    assert dump(isolated_home) == rows_before


@pytest.mark.slow
def test_an_upgrade_on_a_real_full_disk_changes_nothing(isolated_home):
    before = _old_store(isolated_home, note="n" * 80_000)  # a store larger than the limit
    assert len(before) > 65_536
    [(code, err)] = mansioni(isolated_home.parent, ("log",), limit=65_536)
    assert code == 3, err
    assert "nothing was changed and the store is intact" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in isolated_home.iterdir()) == ["mansioni.db"]
    assert db_file(isolated_home).read_bytes() == before


def test_a_dry_run_import_with_no_room_for_its_copy_leaves_nothing(
    cli, isolated_home, tmp_path, monkeypatch
):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = _old_store(isolated_home)

    def full(source, target):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_setup, "copy_pages", full)
    frames = tmp_path / "frames.json"
    frames.write_text("[]")
    result = cli("import", "watson", str(frames), "--dry-run", ok=False)
    assert result.exit_code == 3
    assert "Error: The disk is full: nothing was changed and the store is intact." in result.output
    assert list(scratch.iterdir()) == []
    assert db_file(isolated_home).read_bytes() == before


def test_a_backup_copy_is_named_only_once_whole(tmp_path, monkeypatch):
    source = tmp_path / "source.db"
    conn = sqlite3.connect(source)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()

    def full(source, target):
        target.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite_setup, "copy_pages", full)
    with pytest.raises(sqlite3.OperationalError):
        sqlite_setup.backup_sqlite(conn, tmp_path / "copy.db")
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["source.db"]


def test_a_backup_is_one_temporary_file_synced_once(cli, demo, tmp_path, monkeypatch):
    """The copy is written, checked and synced in one temporary file, then renamed."""
    import tempfile

    made: list[str] = []
    synced: list[str] = []
    real_mkstemp, real_fsync = tempfile.mkstemp, os.fsync

    def mkstemp(*args, **kwargs):  # noqa: ANN002, ANN003
        fd, name = real_mkstemp(*args, **kwargs)
        made.append(name)
        return fd, name

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc") else "?")
        real_fsync(fd)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "fsync", fsync)
    cli("backup", str(tmp_path / "copy.db"))
    assert len(made) == 1, made
    files = [name for name in synced if name != str(tmp_path)]
    assert len(files) == 1, synced
    assert sqlite3.connect(tmp_path / "copy.db").execute("PRAGMA journal_mode").fetchone() == (
        "delete",
    )


@pytest.mark.parametrize(
    ("example", "name", "hint"),
    [
        (lambda target: f"-o {target}", "report.html", "-o {folder}/report.html"),
        (
            lambda target: f"mansioni backup {target}",
            "mansioni-backup.db",
            "mansioni backup {folder}/mansioni-backup.db",
        ),
    ],
)
def test_a_folder_is_refused_by_the_one_check_of_what_stands_there(tmp_path, example, name, hint):
    from mansioni.errors import InputError
    from mansioni.services.export import refuse_special

    with pytest.raises(InputError) as caught:
        refuse_special(str(tmp_path), example, name_in_folder=name)
    assert caught.value.message == f"{tmp_path} is a folder; give a file name."
    assert caught.value.hint == "For example: " + hint.format(folder=tmp_path)


def test_a_folder_as_backup_target_is_named_a_folder(cli, demo, tmp_path):
    before = dump(demo)
    result = cli("backup", str(tmp_path), ok=False)
    assert result.exit_code == 2
    assert f"{tmp_path} is a folder; give a file name." in result.output
    assert dump(demo) == before
