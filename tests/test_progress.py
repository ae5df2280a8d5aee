"""The progress bar: only on a terminal, only for work that takes over a second."""

from __future__ import annotations

import io
import subprocess
import sys

from rich.console import Console

from mansioni.cli.progress import SHOW_AFTER, progress


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80, color_system=None), out


def test_nothing_is_written_when_stderr_is_not_a_terminal(capsys):
    clock = Clock()
    with progress("Reviewing", 10, clock=clock) as advance:
        for _ in range(10):
            clock.now += 1.0
            advance()
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_a_console_that_is_no_terminal_gets_nothing():
    out = io.StringIO()
    clock = Clock()
    with progress("Reviewing", 3, console=Console(file=out), clock=clock) as advance:
        clock.now += 5
        advance(3)
    assert out.getvalue() == ""


def test_quick_work_on_a_terminal_draws_nothing():
    console, out = terminal()
    clock = Clock()
    with progress("Reviewing", 40, console=console, clock=clock) as advance:
        for _ in range(40):
            clock.now += SHOW_AFTER / 50
            advance()
    assert out.getvalue() == ""


def test_long_work_on_a_terminal_draws_the_bar_with_the_count():
    console, out = terminal()
    clock = Clock()
    with progress("Reviewing", 10, console=console, clock=clock) as advance:
        advance(2)
        clock.now += 0.5
        advance()
        assert out.getvalue() == ""  # half a second in: not yet
        clock.now += 0.6
        advance()  # 1.1 s: shown, with the four steps counted while hidden
        assert "Reviewing" in out.getvalue() and "4/10" in out.getvalue()
        clock.now += 1.0
        advance(3)
        assert "7/10" in out.getvalue()
    assert out.getvalue().count("Reviewing") >= 2


def test_the_total_can_come_later():
    console, out = terminal()
    clock = Clock()
    with progress("Reviewing", None, console=console, clock=clock) as advance:
        clock.now += 2
        advance(1, total=40)
        clock.now += 1
        advance(1, total=40)
    assert "2/40" in out.getvalue()


def test_redrawing_is_limited_however_often_it_advances():
    console, out = terminal()
    clock = Clock()
    with progress("Reviewing", 1000, console=console, clock=clock) as advance:
        clock.now += 2
        advance()
        shown = out.getvalue()
        for _ in range(500):
            advance()  # no time passes: no redraw
        assert out.getvalue() == shown
        clock.now += 1
        advance()
    assert "502/1000" in out.getvalue()


def test_the_bar_is_removed_at_the_end():
    console, out = terminal()
    clock = Clock()
    with progress("Reviewing", 2, console=console, clock=clock) as advance:
        clock.now += 2
        advance(2)
    drawn = out.getvalue()
    assert "2/2" in drawn
    # transient: at the end the cursor comes back, moves up over the bar and clears its line
    assert drawn.endswith("\x1b[?25h\r\x1b[1A\x1b[2K")


def test_without_a_bar_rich_is_not_imported():
    code = (
        "import sys\n"
        "from mansioni.cli.progress import progress\n"
        "with progress('x', 3) as advance:\n"
        "    advance(); advance(2)\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]" and done.stderr == ""
