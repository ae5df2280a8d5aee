"""A progress bar on stderr for work that turns out to be long; nothing for quick work.

``progress(label, total)`` is a context manager yielding ``advance(n=1)``: call it as
the work goes. The bar appears only when stderr is a terminal and only once the work
has taken more than ``SHOW_AFTER`` seconds, and it is removed when the work ends, so
quick commands, pipes, files and tests never see it. Until it appears, ``advance``
only counts: Rich is imported only to draw it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

#: Seconds of work before a bar is worth showing.
SHOW_AFTER = 1.0
#: At most this often the bar is redrawn (seconds), however often ``advance`` is called.
REDRAW_EVERY = 0.1


class _Bar:
    """The count so far, and the bar once it is shown."""

    def __init__(
        self,
        label: str,
        total: int | None,
        console: Console | None,
        clock: Callable[[], float],
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.console = console
        self.clock = clock
        self.started = clock()
        self.drawn = self.started
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def advance(self, n: int = 1, *, total: int | None = None) -> None:
        """Count ``n`` more steps done; ``total``, when given, is the new number of steps."""
        self.done += n
        if total is not None:
            self.total = total
        now = self.clock()
        if self.bar is None:
            if now - self.started > SHOW_AFTER:
                self._show()
                self.drawn = now
        elif now - self.drawn >= REDRAW_EVERY:
            self._draw()
            self.drawn = now

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            console=self.console or Console(stderr=True),
            transient=True,
            auto_refresh=False,  # redrawn as the work advances: no thread of its own
        )
        self.task = self.bar.add_task(self.label, total=self.total, completed=self.done)
        self.bar.start()  # draws it

    def _draw(self, refresh: bool = True) -> None:
        assert self.bar is not None and self.task is not None
        self.bar.update(self.task, completed=self.done, total=self.total, refresh=refresh)

    def close(self) -> None:
        if self.bar is not None:
            self._draw(refresh=False)
            self.bar.stop()  # draws the last count, then erases the bar (transient)


def _is_terminal(console: Console | None) -> bool:
    if console is not None:
        return console.is_terminal
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


@contextmanager
def progress(
    label: str,
    total: int | None,
    *,
    console: Console | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Callable[..., None]]:
    """Yield ``advance(n=1, *, total=None)``; draw a bar on stderr if the work is long.

    ``total`` may be None when it is not known yet (``advance(total=...)`` gives it
    later). ``console`` (a Rich console, instead of one on stderr) and ``clock`` are
    for tests.
    """
    if not _is_terminal(console):
        yield _count_nothing
        return
    bar = _Bar(label, total, console, clock)
    try:
        yield bar.advance
    finally:
        bar.close()


def _count_nothing(n: int = 1, *, total: int | None = None) -> None:
    """``advance`` when no bar can be shown."""
