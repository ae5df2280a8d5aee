"""A full disk under the store: ``add``, ``start`` and ``import`` exit 3 with the disk-full
message, write nothing, and leave the store intact and usable once there is room again.

How the disk is made full depends on the machine; ``METHOD`` is picked once:

- ``tmpfs`` where the tests run as root and ``mount -t tmpfs`` works (CI runs as root):
  the store lives on a tmpfs of 4 MiB of its own, mounted for the test and unmounted
  after it, and a filler file takes all of it but the free bytes a case asks for;
- ``rlimit`` elsewhere: the store lives in the test's folder, and the command runs
  with ``RLIMIT_FSIZE`` (``ulimit -f``) set to that many bytes, with ``SIGXFSZ``
  ignored: no file can grow past the limit, so SQLite's ``-shm`` and ``-wal`` cannot
  take the room they need, as on a full disk.

``MANSIONI_TEST_FULL_DISK=tmpfs`` or ``=rlimit`` picks one by hand (to check both on
one machine). Each case runs in a real process (``python -m mansioni``); "cold" means
no other connection has the store open (the command must create the ``-shm`` and the
``-wal``), "warm" that another one holds it open (they exist, and the write itself
fails). Output files on a full disk are tests/test_output_edges.py's subject.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

from helpers import watson_frames

pytestmark = pytest.mark.slow

MANSIONI = [sys.executable, "-m", "mansioni"]
TMPFS_SIZE = 4 << 20
FRAMES = 2_000
KIB = 1024


@cache
def method() -> str:
    """``tmpfs`` if this machine lets the tests mount one, else ``rlimit``."""
    forced = os.environ.get("MANSIONI_TEST_FULL_DISK")
    if forced:
        assert forced in ("tmpfs", "rlimit"), forced
        return forced
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return "rlimit"
    probe = Path(tempfile.mkdtemp(prefix="mansioni-tmpfs-"))
    try:
        if _mount(probe, 64 * KIB):
            _unmount(probe)
            return "tmpfs"
        return "rlimit"
    finally:
        probe.rmdir()


def _mount(folder: Path, size: int) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    if subprocess.run(["umount", str(folder)], capture_output=True, check=False).returncode:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=True)


class Disk:
    """Where the store lives, and how to leave only ``free`` bytes for a command."""

    def __init__(self, root: Path, kind: str) -> None:
        self.kind = kind
        self.root = root
        self.home = root / "home"
        self.filler = root / "filler"
        self.limit: int | None = None

    def fill(self, free: int) -> None:
        if self.kind == "rlimit":
            self.limit = free
            return
        # Unbuffered: what the last write could not place is not flushed again at close.
        with open(self.filler, "wb", buffering=0) as sink:
            chunk = b"\0" * (64 * KIB)
            try:
                while True:
                    sink.write(chunk)
            except OSError:  # full
                pass
        size = self.filler.stat().st_size
        os.truncate(self.filler, max(size - free, 0))
        room = os.statvfs(self.root)
        assert room.f_bavail * room.f_frsize <= free + 4 * KIB, "the tmpfs did not fill"

    def release(self) -> None:
        self.limit = None
        self.filler.unlink(missing_ok=True)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        limit = self.limit

        def confine() -> None:  # in the child, before it runs mansioni
            if limit is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        return subprocess.run(
            [*MANSIONI, *args],
            capture_output=True,
            text=True,
            env={**os.environ, "MANSIONI_HOME": str(self.home)},
            preexec_fn=confine,
            timeout=120,
            check=False,
        )


@pytest.fixture
def disk(tmp_path, monkeypatch):
    kind = method()
    root = tmp_path / "disk"
    root.mkdir()
    if kind == "tmpfs":
        assert _mount(root, TMPFS_SIZE), "mounting a tmpfs worked a moment ago"
    try:
        found = Disk(root, kind)
        monkeypatch.setenv("MANSIONI_HOME", str(found.home))
        yield found
    finally:
        if kind == "tmpfs":
            _unmount(root)


@pytest.fixture
def frames(tmp_path) -> Path:
    """A Watson frames file (outside the full disk) of ``FRAMES`` half-hour frames."""
    return watson_frames(tmp_path / "frames.json", FRAMES)


def snapshot(home: Path) -> tuple[dict[str, list[tuple]], list[str]]:
    """Every row of every table of the store, and the files beside it (but SQLite's own)."""
    conn = sqlite3.connect(home / "mansioni.db")
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()
    files = sorted(p.name for p in home.iterdir() if not p.name.endswith(("-wal", "-shm")))
    return rows, files


def integrity(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "mansioni.db")
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


CASES = {
    # command, whether another connection holds the store open, free bytes
    "add-cold-0": (["add", "rossi/news", "9:00-10:00", "--date", "2026-11-20"], False, 0),
    "start-cold-16k": (["start", "rossi/fatture"], False, 16 * KIB),
    "start-warm-0": (["start", "rossi/fatture"], True, 0),
    # Room for the -shm and part of the log: the import fails midway through its writes.
    "import-warm-256k": (["import", "watson", "{frames}"], True, 256 * KIB),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_write_to_a_full_disk_exits_3_writes_nothing_and_the_store_recovers(
    disk, cli, rossi, frames, case
):
    argv, warm, free = CASES[case]
    argv = [a.format(frames=frames) for a in argv]
    cli("add", "caffe/social", "9:00-9:30")
    before = snapshot(disk.home)
    reader = sqlite3.connect(disk.home / "mansioni.db", isolation_level=None) if warm else None
    try:
        if reader is not None:
            assert reader.execute("SELECT COUNT(*) FROM entry").fetchone() == (1,)
        disk.fill(free)
        done = disk.run(*argv)
        disk.release()

        assert "Traceback" not in done.stderr, done.stderr
        assert (done.returncode, done.stdout) == (3, ""), (disk.kind, done.stdout, done.stderr)
        assert "The disk is full" in done.stderr, (disk.kind, done.stderr)
        assert snapshot(disk.home) == before  # nothing written, no partial file left
        assert integrity(disk.home) == ["ok"]

        # With room again, the same command works.
        again = disk.run(*argv)
        assert again.returncode == 0, (again.stdout, again.stderr)
        assert snapshot(disk.home) != before
        assert integrity(disk.home) == ["ok"]
    finally:
        if reader is not None:
            reader.close()
