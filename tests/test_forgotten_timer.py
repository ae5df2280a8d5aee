"""A timer left running never becomes a silent 45-hour entry.

Seen: ``start peru/social --at "ven 17:00"`` on a Friday, then ``status`` on Sunday
said "Running ... since 2026-12-04 17:00 (45:37)" with no warning, and ``stop``
recorded 45:37. Now ``status`` warns, and ``stop`` and ``start`` (which stops the
running timer) ask on a terminal, or refuse when no one can answer, with the commands
to stop it at the right time or to keep it whole (``--yes``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from helpers import dump, rows
from mansioni.cli import timer_view

FRIDAY = "2026-12-04 17:30"
SUNDAY = "2026-12-06 14:37"  # 45:37 after Friday 17:00
STATUS_WARNING = (
    "Warning: it has run past midnight and for more than 8 hours; was it forgotten? "
    "To stop it at the time you stopped working, for example: mansioni stop --at '2026-12-04 23:59'"
)
REFUSAL = (
    "Error: The timer of Peru/Social has run since 2026-12-04 17:00 (45:37), past midnight "
    "and for more than 8 hours: was it forgotten?\n"
    "  Stop it at the time you stopped working, for example: mansioni stop --at '2026-12-04 23:59'\n"
    "  Or keep it whole (45:37): mansioni stop --yes\n"
)


def entries(home) -> list[tuple]:
    return rows(home, "SELECT task_id, start_utc, end_utc FROM entry ORDER BY id")


@pytest.fixture
def peru(cli, at) -> None:
    at(FRIDAY)
    cli("client", "add", "Peru")
    cli("task", "add", "peru/Social")
    cli("task", "add", "peru/Newsletter")


@pytest.fixture
def left_running(cli, peru, at) -> int:
    """The issue's timer: started on Friday at 17:00, and now it is Sunday, 14:37."""
    out = cli("start", "peru/social", "--at", "ven 17:00").output
    assert "Started Peru/Social at 17:00." in out
    return at(SUNDAY)


def test_status_warns_two_days_later(cli, left_running):
    lines = cli("status").output.splitlines()
    assert lines[:2] == ["Running: Peru/Social since 2026-12-04 17:00 (45:37).", STATUS_WARNING]


def test_status_json_says_why(cli, left_running):
    running = json.loads(cli("status", "--json").output)["running"]
    assert running["elapsed_seconds"] == 45 * 3600 + 37 * 60
    assert running["forgotten"] == {
        "past_limit": True,
        "past_midnight": True,
        "limit_seconds": 8 * 3600,
        "likely_end": "2026-12-04T23:59:00+01:00",
    }


def test_stop_refuses_when_no_one_can_answer(cli, left_running, isolated_home):
    before = dump(isolated_home)
    result = cli("stop", ok=False)
    assert result.exit_code == 2
    assert result.output == REFUSAL
    assert dump(isolated_home) == before  # nothing written, the timer still runs


def test_the_suggested_stop_records_the_evening(cli, left_running, isolated_home):
    out = cli("stop", "--at", "2026-12-04 23:59").output  # no question: the time is hers
    assert out == "Stopped Peru/Social at 2026-12-04 23:59 (6:59).\n"


def test_stop_yes_keeps_it_whole(cli, left_running, isolated_home):
    out = cli("stop", "--yes").output
    assert out == "Stopped Peru/Social at 14:37 (45:37).\n"
    ((_task, start, end),) = entries(isolated_home)
    assert end - start == 45 * 3600 + 37 * 60


def test_stop_with_a_note_keeps_it_in_both_commands(cli, left_running):
    result = cli("stop", "--note", "sent", ok=False)
    assert "mansioni stop --at '2026-12-04 23:59' --note sent\n" in result.output
    assert "mansioni stop --note sent --yes\n" in result.output


def test_start_of_another_task_refuses_too(cli, left_running, isolated_home):
    """``start`` stops the running timer at the same instant: it would record the same
    45:37 entry as ``stop``, so it follows the same rule, before anything is written."""
    before = dump(isolated_home)
    result = cli("start", "peru/news", "--note", "december", ok=False)
    assert result.exit_code == 2
    assert result.output.splitlines()[1:] == [
        "  Stop it at the time you stopped working, then start again, for example: mansioni stop --at "
        "'2026-12-04 23:59' && mansioni start peru/news --note december",
        "  Or keep it whole (45:37): mansioni start peru/news --note december --yes",
    ]
    assert dump(isolated_home) == before
    out = cli("start", "peru/news", "--note", "december", "--yes").output
    assert "Stopped Peru/Social at 14:37 (45:37)." in out
    assert "Started Peru/Newsletter at 14:37." in out


def test_start_at_a_time_that_ends_it_early_asks_nothing(cli, left_running, isolated_home):
    cli("start", "peru/news", "--at", "2026-12-04 18:30")
    first, _second = entries(isolated_home)
    assert first[2] - first[1] == 90 * 60


def test_a_day_under_the_limit_is_not_questioned(cli, peru, at, isolated_home):
    at("2026-12-04 09:00")
    cli("start", "peru/social")
    at("2026-12-04 16:59")
    status = cli("status").output
    assert "Warning" not in status
    assert json.loads(cli("status", "--json").output)["running"]["forgotten"] is None
    assert cli("stop").output == "Stopped Peru/Social at 16:59 (7:59).\n"


def test_past_the_limit_the_same_day(cli, peru, at):
    at("2026-12-04 09:00")
    cli("start", "peru/social")
    at("2026-12-04 17:01")
    assert (
        "Warning: it has run for more than 8 hours; was it forgotten? To stop it at the time "
        "you stopped working, for example: mansioni stop --at '2026-12-04 17:00'"
        in cli("status").output
    )
    result = cli("stop", ok=False)
    assert "has run since 09:00 (8:01), for more than 8 hours: was it forgotten?" in result.output


def test_past_midnight_under_the_limit(cli, peru, at):
    at("2026-12-04 23:00")
    cli("start", "peru/social")
    at("2026-12-05 00:30")
    assert "Warning: it has run past midnight; was it forgotten?" in cli("status").output
    result = cli("stop", ok=False)
    assert "mansioni stop --at '2026-12-04 23:59'" in result.output


def test_the_limit_comes_from_the_configuration(cli, peru, at, isolated_home, tmp_path):
    conf = tmp_path / "user" / "config" / "mansioni" / "config.toml"
    cli("config", "set", "timer_limit", "2h30")
    assert 'timer_limit = "2h30"' in conf.read_text()
    show = cli("config", "show").output
    assert "timer_limit  2h30m" in show
    at("2026-12-04 09:00")
    cli("start", "peru/social")
    at("2026-12-04 11:31")
    assert "for more than 2 h 30 min" in cli("status").output
    cli("config", "unset", "timer_limit")
    assert "Warning" not in cli("status").output
    assert "timer_limit  8h" in cli("config", "show").output
    result = cli("config", "set", "timer_limit", "often", ok=False)
    assert result.exit_code == 2 and "Cannot understand the duration 'often'" in result.output


# -- on a terminal: the question --------------------------------------------------------


def answer(monkeypatch, args: list[str], reply: str):
    """Run ``args`` as if typed in a terminal, answering ``reply`` to the question."""
    from mansioni.cli.app import app

    monkeypatch.setattr(timer_view, "can_ask", lambda: True)
    return CliRunner().invoke(app, args, input=reply, catch_exceptions=False)


@pytest.mark.parametrize("reply", ["y\n", "yes\n", "S\n", "sì\n"])
def test_on_a_terminal_yes_keeps_it_whole(left_running, monkeypatch, isolated_home, reply):
    result = answer(monkeypatch, ["stop"], reply)
    assert result.exit_code == 0
    assert "past midnight and for more than 8 hours: was it forgotten?" in result.output
    assert "Keep it whole (45:37)? [y/N] " in result.output
    assert "Stopped Peru/Social at 14:37 (45:37)." in result.output
    ((_task, start, end),) = entries(isolated_home)
    assert end - start == 45 * 3600 + 37 * 60


@pytest.mark.parametrize("reply", ["\n", "n\n", "no\n", "maybe\n", ""])
def test_on_a_terminal_anything_else_keeps_it_running(
    left_running, monkeypatch, isolated_home, reply
):
    before = dump(isolated_home)
    result = answer(monkeypatch, ["stop"], reply)
    assert result.exit_code == 1
    assert "Error: Nothing recorded: the timer of Peru/Social still runs." in result.output
    assert (
        "  Stop it at the time you stopped working, for example: mansioni stop --at '2026-12-04 23:59'"
        in (result.output)
    )
    assert dump(isolated_home) == before


def test_on_a_terminal_start_asks_too(left_running, monkeypatch, isolated_home):
    result = answer(monkeypatch, ["start", "peru/news"], "y\n")
    assert result.exit_code == 0
    assert "Stopped Peru/Social at 14:37 (45:37)." in result.output
    assert len(entries(isolated_home)) == 2


def test_the_answer_covers_only_the_timer_asked_about(left_running, isolated_home):
    """Another shell may stop it and start another while the question waits: a yes
    to the first timer is no yes to the second."""
    from mansioni.services import timer
    from mansioni.services.timer import ForgottenTimer
    from mansioni.store.quick import QuickStore

    store = QuickStore.open(str(isolated_home / "mansioni.db"))
    with pytest.raises(ForgottenTimer) as asked:
        timer.stop(store, person="vera", now=left_running, limit=8 * 3600)
    first = asked.value.timed.entry.id
    # meanwhile: that one stopped, another started on Saturday and forgotten in turn
    saturday = left_running - 24 * 3600
    timer.stop(store, person="vera", now=left_running, at=saturday - 3600)
    timer.start(store, task="peru/news", person="vera", now=left_running, zone="Europe/Rome", at=saturday)  # fmt: skip
    with pytest.raises(ForgottenTimer):
        timer.stop(store, person="vera", now=left_running, limit=8 * 3600, confirmed=first)
    stopped = timer.stop(store, person="vera", now=left_running, limit=8 * 3600, keep_whole=True)
    assert stopped.task.full == "Peru/Newsletter"


# -- the quick path, in a process of its own --------------------------------------------

#: The quick path, as ``python -m mansioni`` runs it, on a clock set to ``NOW``.
CLOCKED = """
import sys
from mansioni import clock
clock.now = lambda: {now}
from mansioni.cli import quick
code = quick.run(sys.argv[1:])
assert code is not None, "the quick path declined"
sys.stdout.flush()
sys.exit(code)
"""


def quick_process(now: int, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLOCKED.format(now=now), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
        **kw,
    )


def test_the_quick_path_warns_and_refuses_alike(cli, left_running, isolated_home):
    status = quick_process(left_running, "status", stdin=subprocess.DEVNULL)
    assert status.returncode == 0, status.stderr
    assert status.stdout == cli("status").output
    assert STATUS_WARNING in status.stdout
    before = dump(isolated_home)
    stop = quick_process(left_running, "stop", stdin=subprocess.DEVNULL)
    assert (stop.returncode, stop.stdout, stop.stderr) == (2, "", REFUSAL)
    assert dump(isolated_home) == before
    start = quick_process(left_running, "start", "peru/news", stdin=subprocess.DEVNULL)
    assert start.returncode == 2 and "mansioni start peru/news --yes" in start.stderr
    assert dump(isolated_home) == before
    kept = quick_process(left_running, "stop", "--yes", stdin=subprocess.DEVNULL)
    assert kept.stdout == "Stopped Peru/Social at 14:37 (45:37).\n"


@pytest.mark.slow
@pytest.mark.requires("pty")
def test_the_quick_path_asks_on_a_real_terminal(left_running, isolated_home):
    import pty

    leader, follower = pty.openpty()
    try:
        os.write(leader, b"y\n")  # typed ahead: the terminal keeps the line for the question
        done = quick_process(left_running, "stop", stdin=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stderr
    assert "Keep it whole (45:37)? [y/N] " in done.stderr
    assert done.stdout == "Stopped Peru/Social at 14:37 (45:37).\n"
    ((_task, start, end),) = entries(isolated_home)
    assert end - start == 45 * 3600 + 37 * 60
