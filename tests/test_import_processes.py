"""Imports in real processes: two shells importing the same file at once, and an import
killed midway. Either way the store holds each entry once, or none of the import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import rows, watson_frames

pytestmark = pytest.mark.slow

MANSIONI = [sys.executable, "-m", "mansioni"]
FRAMES = 10_000


@pytest.fixture
def frames(tmp_path) -> Path:
    """A Watson frames file of ``FRAMES`` half-hour frames, one an hour from November 2023."""
    return watson_frames(tmp_path / "frames", FRAMES)


def _import(frames: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*MANSIONI, "import", "watson", str(frames)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_shells_importing_the_same_file_import_it_once(isolated_home, frames):
    procs = [_import(frames), _import(frames)]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, (out, err)
        assert "Traceback" not in err
    outs = sorted(out for _code, out, _err in results)
    # One brought everything in; the other waited for it, then found it all there.
    assert outs[0].startswith(f"0 entries imported from Watson.\n{FRAMES} entries were imported")
    assert outs[1].startswith(f"{FRAMES} entries imported from Watson.")
    assert rows(isolated_home, "SELECT COUNT(*), COUNT(DISTINCT start_utc) FROM entry") == [
        (FRAMES, FRAMES)
    ]
    assert rows(isolated_home, "SELECT COUNT(*) FROM imported") == [(FRAMES,)]


@pytest.mark.parametrize("kill_after", [0.8, 1.6, 2.6])
def test_an_import_killed_midway_leaves_all_of_it_or_none(isolated_home, frames, kill_after):
    proc = _import(frames)
    time.sleep(kill_after)
    finished = proc.poll() is not None
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)

    made = (isolated_home / "mansioni.db").exists() and rows(
        isolated_home, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'entry'"
    ) == [(1,)]
    if made:  # (killed before the store was even created, there is nothing to check yet)
        assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]
        counts = rows(isolated_home, "SELECT COUNT(*) FROM entry")[0][0]
        kept = rows(isolated_home, "SELECT COUNT(*) FROM imported")[0][0]
        assert (counts, kept) in ((0, 0), (FRAMES, FRAMES)), (finished, counts, kept)
    # Whatever happened, importing again ends with every frame in, once.
    again = _import(frames)
    code = again.wait(timeout=300)
    assert code == 0, again.communicate()
    assert rows(isolated_home, "SELECT COUNT(*) FROM entry") == [(FRAMES,)]
