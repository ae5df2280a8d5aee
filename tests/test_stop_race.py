"""``stop`` racing ``start``: the stop's instant is the moment it holds the write lock.

A stop typed at 10:00:00 that waits for the lock while another shell starts a timer at
10:00:05 stops that timer when it gets the lock, never "before it started" (which was
called bad input, exit 2). A time typed with ``--at`` is still checked as typed.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from helpers import rows
from mansioni import clock
from mansioni.services import timer
from mansioni.store.quick import QuickStore

MANSIONI = [sys.executable, "-m", "mansioni"]


@pytest.fixture
def race(monkeypatch):
    """The clock reads ``typed``; the next write transaction first lets another
    connection run ``other`` at ``typed + 5`` and commit, as a shell would while this one
    waits for the lock; the clock then reads ``typed + lock_after``."""

    def arrange(typed: int, lock_after: int, other) -> None:  # noqa: ANN001
        reading = [typed]
        monkeypatch.setattr(clock, "now", lambda: reading[0])
        original = QuickStore.write

        def write(self: QuickStore):  # noqa: ANN202
            monkeypatch.setattr(QuickStore, "write", original)
            other(QuickStore(self.path), typed + 5)
            reading[0] = typed + lock_after
            return original(self)

        monkeypatch.setattr(QuickStore, "write", write)

    return arrange


@pytest.fixture
def racing_start(race):
    """Another shell starts ``caffe/social`` at ``typed + 5`` while this one waits."""

    def start(store: QuickStore, when: int) -> None:
        timer.start(store, task="caffe/social", person="vera", now=when, zone="Europe/Rome")

    return lambda typed, lock_after: race(typed, lock_after, start)


@pytest.fixture
def racing_stop(race):
    """Another shell stops the running timer at ``typed + 5`` while this one waits."""

    def stop(store: QuickStore, when: int) -> None:
        timer.stop(store, person="vera", now=when)

    return lambda typed, lock_after: race(typed, lock_after, stop)


@pytest.fixture
def run(cli, quick):
    """``run(path, *args)``: the command on the quick or the full path, as
    (exit status, stdout, stderr); the full path's messages all come in stdout's place."""

    def invoke(path: str, *args: str) -> tuple[int, str, str]:
        if path == "quick":
            code, out, err = quick(*args)
            assert code is not None, "the quick path handed the command on"
            return code, out, err
        result = cli(*args, ok=False)
        return result.exit_code, result.output, result.output

    return invoke


def spans(home) -> list[tuple[int, int | None]]:
    return rows(home, "SELECT start_utc, end_utc FROM entry ORDER BY start_utc, id")


@pytest.mark.parametrize("path", ["quick", "full"])
def test_stop_takes_its_instant_once_it_holds_the_lock(
    cli, run, rossi, at, isolated_home, racing_start, path
):
    begun = at("2026-11-27 09:00")
    cli("start", "rossi/news")
    typed = at("2026-11-27 10:00")
    racing_start(typed, lock_after=7)
    code, out, err = run(path, "stop")
    assert code == 0, err
    assert "Stopped Caffè Ôrso/Social post at 10:00 (0:00)" in out
    assert spans(isolated_home) == [(begun, typed + 5), (typed + 5, typed + 7)]


@pytest.mark.parametrize("path", ["quick", "full"])
def test_a_start_in_the_very_second_of_the_stop_leaves_nothing_to_stop(
    cli, run, rossi, at, isolated_home, racing_start, path
):
    """Not bad input: the state (a timer started this instant) leaves nothing to stop."""
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    typed = at("2026-11-27 10:00")
    racing_start(typed, lock_after=5)
    code, _out, err = run(path, "stop")
    assert code == 1, err
    assert "The timer started at this very instant: there is nothing to record." in err
    assert spans(isolated_home)[-1] == (typed + 5, None)


@pytest.mark.parametrize("path", ["quick", "full"])
def test_a_typed_time_is_still_checked_against_the_running_timer(
    cli, run, rossi, at, isolated_home, racing_start, path
):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    typed = at("2026-11-27 10:00")
    racing_start(typed, lock_after=7)
    code, _out, err = run(path, "stop", "--at", "10:00")
    assert code == 2, err
    assert "The timer started at 10:00: it cannot stop before that." in err
    assert spans(isolated_home)[-1] == (typed + 5, None)  # the stop wrote nothing


@pytest.mark.parametrize("path", ["quick", "full"])
def test_start_takes_its_instant_once_it_holds_the_lock(
    cli, run, rossi, at, isolated_home, racing_stop, path
):
    """The mirror case: a stop committed while a start waited does not make the start
    overlap the entry it just ended."""
    begun = at("2026-11-27 09:00")
    cli("start", "rossi/news")
    typed = at("2026-11-27 10:00")
    racing_stop(typed, lock_after=7)
    code, _out, err = run(path, "start", "caffe/social")
    assert code == 0, err
    assert spans(isolated_home) == [(begun, typed + 5), (typed + 7, None)]


ROUNDS = 4
PAIRS = 3


@pytest.mark.slow
def test_stops_racing_starts_never_call_it_bad_input(cli, rossi, isolated_home):
    """Rounds of three starts and three stops launched together, each round just before
    a second turns (where a stop that read the clock before a start could end before it)."""
    for _round in range(ROUNDS):
        time.sleep((0.8 - time.time() % 1) % 1)  # at most a second
        procs = [
            subprocess.Popen(
                [*MANSIONI, *(["start", "rossi/news"] if i % 2 else ["stop"])],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(2 * PAIRS)
        ]
        for i, proc in enumerate(procs):
            out, err = proc.communicate(timeout=60)
            assert "Traceback" not in err, err
            if i % 2:
                assert proc.returncode == 0, (out, err)
            else:  # stopped, or nothing (yet) to stop: never "bad input"
                assert proc.returncode in (0, 1), (out, err)
    assert rows(isolated_home, "PRAGMA integrity_check") == [("ok",)]
    chain = spans(isolated_home)
    for (_s1, e1), (s2, _e2) in zip(chain, chain[1:], strict=False):
        assert e1 is not None and e1 <= s2  # one running timer at most, no overlaps
