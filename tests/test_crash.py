"""``kill -9`` at random moments of every write command and of an import: the store holds.

The kill loop lives in ``tests/crashes.py``, shared with ``scripts/crash_test.py``
(which runs a few hundred kills by hand). Here it runs ``KILLS`` kills with a fixed
seed, so a failure names the kill to replay:
``python scripts/crash_test.py --seed 20261127 --kills 55``.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

import crashes

#: Five of each of the eleven commands: at least fifty kills in every run of the suite.
KILLS = 5 * len(crashes.COMMANDS)
SEED = 20261127


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_the_store_whole_and_undo_working(tmp_path):
    report = crashes.drive(kills=KILLS, seed=SEED, store_dir=tmp_path / "stores")

    runs = report["runs"]
    killed = [run for run in runs if run["killed"]]
    assert len(killed) >= 50, len(killed)
    by_command = {name: sum(run["command"] == name for run in killed) for name in crashes.COMMANDS}
    assert min(by_command.values()) >= KILLS // len(crashes.COMMANDS) - 1, by_command
    failed = [
        f"#{run['index']} {run['command']} at {run['fraction']:.3f} of its life: {run['problems']}"
        for run in report["failed"]
    ]
    assert not failed, "\n".join(failed)
    # Each run left the whole state before the command or the whole state after it.
    assert {run["state"] for run in runs} <= {"before", "after"}
    assert all(run["undo_status"] in (0, 1) for run in killed)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return crashes.prepare(tmp_path_factory.mktemp("prepared"))


def _copy(prepared, tmp_path):
    db = tmp_path / "mansioni.db"
    shutil.copyfile(prepared, db)
    return db


def test_the_prepared_store_is_sound_and_has_two_running_timers(prepared):
    assert crashes.problems(prepared) == []
    conn = sqlite3.connect(prepared)
    try:
        running = conn.execute("SELECT person FROM entry WHERE end_utc IS NULL ORDER BY person")
        assert [r[0] for r in running] == ["ugo", "vera"]
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        # An entry written without its journal: half of a command's writes.
        (
            "DELETE FROM journal WHERE id = (SELECT MAX(id) FROM journal WHERE table_name = 'entry')",
            "has no journal",
        ),
        # A row changed behind the journal's back.
        ("UPDATE entry SET note = 'changed' WHERE id = 3", "entry 3: journal says"),
        # A second running timer.
        (
            "DROP INDEX ux_entry_running; UPDATE entry SET end_utc = NULL WHERE id = 3",
            "more than one running timer",
        ),
        # An operation whose journal is gone.
        ("DELETE FROM journal WHERE operation_id = 1", "operations without a journal"),
        # A task of no client.
        (
            "PRAGMA foreign_keys = OFF; UPDATE task SET client_id = 99 WHERE id = 1",
            "foreign_key_check",
        ),
    ],
    ids=["entry-without-journal", "row-changed-behind", "two-timers", "bare-operation", "orphan"],
)
def test_the_check_sees_a_half_written_or_disagreeing_store(prepared, tmp_path, damage, said):
    db = _copy(prepared, tmp_path)
    conn = sqlite3.connect(db)
    conn.executescript(damage)
    conn.close()
    found = crashes.problems(db)
    assert any(said in problem for problem in found), found


def test_the_check_sees_a_store_that_holds_part_of_a_command(prepared, tmp_path):
    """A writer that commits the entry, then dies before its journal: not before, not after."""
    db = _copy(prepared, tmp_path)
    before = crashes.dump(db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, atypical, created_utc) "
        "VALUES (1, 'vera', 1, 2, 'UTC', 0, 2)"
    )
    conn.commit()
    conn.close()
    assert crashes.dump(db) != before
    assert any("has no journal" in problem for problem in crashes.problems(db))
