"""Real processes: a process killed in the middle of writing, a store locked for too long.

Racing shells are in tests/test_races.py; kills at random moments of every write
command in tests/test_crash.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import rows

pytestmark = pytest.mark.slow

MANSIONI = [sys.executable, "-m", "mansioni"]


WRITER = r"""
import sys
from mansioni.services import timer
from mansioni.store.quick import QuickStore
from mansioni.store.paths import sqlite_path, store_url

store = QuickStore.open(sqlite_path(store_url()))
begin = 1_700_000_000
for i in range(100_000):
    added = timer.add(store, task="rossi/news", person="vera", now=begin + 10**8, zone="UTC",
                      begin=begin + i * 60, end=begin + i * 60 + 30, note="n" * (i % 500))
    print(added.entry.id, flush=True)
"""


@pytest.mark.parametrize("kill_after", [5, 37, 120])
def test_a_process_killed_mid_write_leaves_the_store_intact(cli, rossi, isolated_home, kill_after):
    proc = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True)
    committed = []
    assert proc.stdout is not None
    while len(committed) < kill_after:
        line = proc.stdout.readline()
        assert line, "the writer stopped on its own"
        committed.append(int(line))
    time.sleep(0.01)  # land somewhere inside a later transaction
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]
    ids = {r[0] for r in rows(isolated_home, "SELECT id FROM entry")}
    assert set(committed) <= ids, "an entry reported as saved was lost"
    # Each entry and its journal were written together, or not at all.
    journaled = rows(
        isolated_home,
        "SELECT COUNT(*) FROM journal WHERE table_name = 'entry' AND action = 'insert'",
    )
    assert journaled == [(len(ids),)]
    assert rows(
        isolated_home,
        "SELECT COUNT(*) FROM operation WHERE id NOT IN (SELECT operation_id FROM journal)",
    ) == [(0,)]
    # And the store still works.
    assert cli("add", "rossi/news", "9:00-10:00").exit_code == 0


def test_a_store_locked_for_too_long_gives_a_clear_error(quick, rossi, isolated_home, monkeypatch):
    """Another process holds the write lock past the busy timeout (shortened here)."""
    import mansioni.store.sqlite_setup as setup

    monkeypatch.setattr(setup, "BUSY_TIMEOUT_MS", 200)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(30)",
            str(isolated_home / "mansioni.db"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code, out, err = quick("start", "rossi/news")
    finally:
        holder.kill()
        holder.wait()
    assert code == 3
    assert "The store is busy" in err
    assert "Traceback" not in err
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry") == [(0,)]
