"""Upgrades from every schema revision: every row kept, a complete backup beside the store,
and a ``kill -9`` in the middle of an upgrade leaves the old store or the new one, never a mix.

Each older store is made the way an older mansioni left it, by the package's own
migrations: a store at the head revision, filled with realistic rows (the demo's
duties, a client with a billing minimum, a Watson import), is downgraded with Alembic
to the revision under test. Downgrading drops what the older schema did not have (the
``imported`` table, a column); everything the older schema has must come through the
upgrade unchanged.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from helpers import build_demo, checkpoint, db_file, watson_frames
from mansioni.store import revision

MANSIONI = [sys.executable, "-m", "mansioni"]
NOW = 1_795_788_000  # 27 November 2026, 15:00 in Rome
KILL_SEED = 1127
KILLS = 6


def revisions() -> list[str]:
    """Every revision the package ships, oldest first."""
    from alembic.script import ScriptDirectory

    from mansioni.store.orm.engine import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


OLDER = revisions()[:-1]


@pytest.fixture(scope="module")
def populated(tmp_path_factory) -> Path:
    """A store at the head revision with rows in every table."""
    folder = tmp_path_factory.mktemp("populated")
    db = build_demo(folder, now=NOW)
    frames = watson_frames(folder / "frames.json", 40, client="Verdi", tasks=3)
    from mansioni.services import billing, catalog, entries, timer, undo
    from mansioni.store.orm.engine import AlchemyStore

    store = AlchemyStore(f"sqlite:///{db}")
    try:
        catalog.add_client(
            store,
            values={
                "name": "Bottega Verdi",
                "hour_value_cents": 5000,
                "rate_cents": 2700,
                "rounding_minutes": 15,
                "minimum_minutes": 30,
            },
            person="vera",
            now=NOW,
        )
        # Entries of the demo's invoiced month: deleted only with --force.
        entries.delete(store, 5, person="vera", now=NOW, force=True)
        entries.delete(store, 6, person="vera", now=NOW, force=True)
        undo.undo(store, person="vera", now=NOW)  # an operation undone, one undoing
        billing.bill(  # a period marked as invoiced
            store,
            client="ferri",
            first=date(2026, 10, 1),
            last=date(2026, 10, 31),
            zone="Europe/Rome",
            person="vera",
            now=NOW,
        )
        timer.start(store, task="caffe/inbox", person="vera", now=NOW, zone="Europe/Rome")
    finally:
        store.dispose()
    from mansioni.services import importing
    from mansioni.sources.mapping import Mapping
    from mansioni.sources.watson import read_frames
    from mansioni.store.quick import QuickStore

    importing.run(
        QuickStore(str(db)),
        read_frames(frames),
        source="watson",
        mapping=Mapping(),
        client=None,
        person="ugo",
        zone="Europe/Rome",
        now=NOW,
    )
    checkpoint(db)
    conn = sqlite3.connect(db)
    try:
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables(conn)}
    finally:
        conn.close()
    assert all(counts.values()), counts  # a row in every table
    return db


def tables(conn: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def dump(db: Path) -> dict[str, list[dict]]:
    """Every row of every table (and the schema revision), as column -> value."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {
            t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
            for t in tables(conn)
        }
    finally:
        conn.close()


def integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def at_revision(populated: Path, home: Path, target: str) -> Path:
    """A copy of the populated store in ``home``, downgraded to ``target``."""
    from alembic import command

    from mansioni.store.orm.engine import alembic_config, make_engine

    home.mkdir(parents=True, exist_ok=True)
    db = db_file(home)
    shutil.copyfile(populated, db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), target)
    finally:
        engine.dispose()
    checkpoint(db)
    return db


def kept(old: dict[str, list[dict]], new: dict[str, list[dict]]) -> None:
    """Every table of ``old`` is in ``new`` with as many rows, each old column unchanged."""
    for table, rows in old.items():
        if table == "alembic_version":
            continue
        assert len(new[table]) == len(rows), table
        for before, after in zip(rows, new[table], strict=True):
            assert {k: after[k] for k in before} == before, table


@pytest.mark.parametrize("old", OLDER)
def test_an_old_store_is_upgraded_with_every_row_and_a_complete_backup(
    populated, isolated_home, cli, old
):
    db = at_revision(populated, isolated_home, old)
    before = dump(db)
    assert before["alembic_version"] == [{"version_num": old}]
    assert all(before.values()), before.keys()  # rows in every table this revision has

    listed = cli("client", "list")  # opening it upgrades it

    after = dump(db)
    assert after["alembic_version"] == [{"version_num": revision.HEAD}]
    kept(before, after)
    assert integrity(db) == ["ok"]
    if "imported" not in before:  # the import's entries are there, only its record is not
        assert after["imported"] == []
    assert "Bottega Verdi" in listed.stdout
    (backup,) = isolated_home.glob(f"mansioni.db.{old}.*.bak")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert integrity(backup) == ["ok"]
    assert dump(backup) == before  # the old store whole, at its revision
    # And the upgraded store takes the quick path again.
    assert cli("start", "rossi/news").exit_code == 0


# --- killed in the middle of an upgrade -----------------------------------------------------


def _run(home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*MANSIONI, "client", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MANSIONI_HOME": str(home)},
    )


def _backup_appears(home: Path, proc: subprocess.Popen) -> float | None:
    """Wait for the upgrade's backup file to appear (the upgrade has begun): when it did,
    by ``time.monotonic()``, or None if the process ended first."""
    while proc.poll() is None:
        if any(home.glob("mansioni.db.*.bak")):
            return time.monotonic()
        time.sleep(0.001)
    return None


@pytest.mark.slow
def test_an_upgrade_killed_at_random_moments_leaves_the_old_store_or_the_new(
    populated, tmp_path, cli, monkeypatch
):
    """``KILLS`` upgrades from the first revision, each killed at a moment drawn with a
    fixed seed, as an upgrade that was not killed took its time: every other kill a
    fraction of the time from the start of the process to the backup's being in place
    (the backup copy is made then), the others a fraction of the time from then to the
    end of the process (the migrations and their commit)."""
    first = OLDER[0]
    reference = tmp_path / "whole"
    at_revision(populated, reference, first)
    old = dump(db_file(reference))
    started = time.monotonic()
    whole = _run(reference)
    began = _backup_appears(reference, whole)
    out, err = whole.communicate(timeout=120)
    assert whole.returncode == 0, err
    assert began is not None, "the upgrade made no backup"
    before_backup, window = began - started, time.monotonic() - began
    new = dump(db_file(reference))
    assert new["alembic_version"] == [{"version_num": revision.HEAD}]

    rng = random.Random(KILL_SEED)
    for n in range(KILLS):
        home = tmp_path / f"kill-{n}"
        db = at_revision(populated, home, first)
        fraction = rng.random()
        proc = _run(home)
        if n % 2:
            time.sleep(fraction * before_backup)
            where = f"kill {n} at {fraction:.3f} of the {before_backup:.3f} s before the backup"
        else:
            if _backup_appears(home, proc) is not None:
                time.sleep(fraction * window)
            where = f"kill {n} at {fraction:.3f} of the {window:.3f} s after the backup"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)

        assert integrity(db) == ["ok"], where
        state = dump(db)
        assert state in (old, new), where  # the old store, or the upgraded one: never a mix
        # A backup left beside it is a complete copy of the old store, or none at all.
        for backup in home.glob("mansioni.db.*.bak"):
            assert integrity(backup) == ["ok"], (where, backup.name)
            assert dump(backup) == old, (where, backup.name)

        # A later command upgrades it (or finds it upgraded).
        monkeypatch.setenv("MANSIONI_HOME", str(home))
        cli("client", "list")
        assert dump(db) == new, where
