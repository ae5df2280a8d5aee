"""Plain-text views of the timer's results, shared by the quick and the full path, and
the question both ask before a timer that looks forgotten becomes one long entry.

Standard library only: ``status`` may run in a shell prompt.
"""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni.domain.display import format_duration, local_time, shell_word
from mansioni.domain.forgotten import reason
from mansioni.domain.text import one_line, shown
from mansioni.errors import ConflictError, InputError
from mansioni.i18n import _, ngettext
from mansioni.services.timer import ForgottenTimer, Started, Status, Timed

TYPE_CHECKING = False  # ``typing`` stays off the quick path
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")

#: What answers yes to the question, in either language (``y``, ``s`` for "sì").
YES = frozenset({"y", "yes", "s", "si", "sì"})


def stopped_line(timed: Timed, zone: str, now: int) -> str:
    entry = timed.entry
    assert entry.end is not None
    return _("Stopped {task} at {time} ({duration}).").format(
        task=shown(timed.task.full),
        time=local_time(entry.end, zone, now),
        duration=format_duration(entry.end - entry.start),
    )


def started_lines(result: Started, zone: str, now: int) -> list[str]:
    lines = [stopped_line(result.stopped, zone, now)] if result.stopped else []
    if result.replaced:
        lines.append(
            _("Replaced the timer of {task}, started at this same instant.").format(
                task=shown(result.replaced.task.full)
            )
        )
    started = result.started
    template = (
        _("Resumed {task} at {time}, in its last occurrence.")
        if result.resumed
        else _("Started {task} at {time}.")
    )
    lines.append(
        template.format(
            task=shown(started.task.full), time=local_time(started.entry.start, zone, now)
        )
    )
    return lines


def cancelled_line(timed: Timed, zone: str, now: int) -> str:
    return _(
        "Cancelled the timer of {task} started at {time}: nothing recorded (mansioni undo brings it back)."
    ).format(task=shown(timed.task.full), time=local_time(timed.entry.start, zone, now))


def added_line(timed: Timed, zone: str, now: int) -> str:
    entry = timed.entry
    assert entry.end is not None
    return _("Added entry {id}: {task}, {start} to {end} ({duration}).").format(
        id=entry.id,
        task=shown(timed.task.full),
        start=local_time(entry.start, zone, now),
        end=local_time(entry.end, zone, now),
        duration=format_duration(entry.end - entry.start),
    )


def status_lines(status: Status, zone: str) -> list[str]:
    now = status.now
    if status.running is None:
        lines = [_("No timer running.")]
    else:
        entry = status.running.entry
        line = _("Running: {task} since {time} ({elapsed}).").format(
            task=shown(status.running.task.full),
            time=local_time(entry.start, zone, now),
            elapsed=format_duration(now - entry.start),
        )
        if entry.note:
            # One line, like the log's: status may run in a shell prompt.
            line += " " + _("Note: {note}").format(note=one_line(entry.note))
        lines = [line]
        if status.forgotten is not None:
            lines.append(
                _(
                    "Warning: it has run {reason}; was it forgotten? To stop it at the time you stopped working, for example: {command}"
                ).format(
                    reason=reason(status.forgotten, status.limit),
                    command=stop_at_command(status.forgotten.likely_end, zone),
                )
            )
    if status.today:
        parts = ", ".join(f"{shown(client)} {format_duration(s)}" for client, s in status.today)
        lines.append(
            _("Today: {total} ({clients}).").format(
                total=format_duration(status.today_total), clients=parts
            )
        )
    else:
        lines.append(_("Today: nothing recorded yet."))
    if status.awaiting:
        # One line, whatever the number: status may run in a shell prompt.
        names = [shown(task.full) for task, _ended in status.awaiting]
        more = len(names) - 2
        if more > 0:
            line = ngettext(
                "Trial ended with no decision: {names} and {n} more task (mansioni review).",
                "Trial ended with no decision: {names} and {n} more tasks (mansioni review).",
                more,
            )
        else:
            line = _("Trial ended with no decision: {names} (mansioni review).")
        lines.append(line.format(names=", ".join(names[:2]), n=more))
    return lines


def status_json(status: Status) -> dict:
    running = None
    if status.running is not None:
        entry = status.running.entry
        running = {
            "id": entry.id,
            "task": status.running.task.full,
            "client": status.running.task.client,
            "start": datetime.fromtimestamp(entry.start, ZoneInfo(entry.zone)).isoformat(),
            "elapsed_seconds": status.now - entry.start,
            "note": entry.note,
            "forgotten": _forgotten_json(status, entry.zone),
        }
    return {
        "trials_awaiting_decision": [
            {"task": task.full, "trial_end": ended.isoformat()} for task, ended in status.awaiting
        ],
        "running": running,
        "today": {
            "total_seconds": status.today_total,
            "clients": [{"client": c, "seconds": s} for c, s in status.today],
        },
    }


def _forgotten_json(status: Status, zone: str) -> dict | None:
    found = status.forgotten
    if found is None:
        return None
    return {
        "past_limit": found.past_limit,
        "past_midnight": found.past_midnight,
        "limit_seconds": status.limit,
        "likely_end": datetime.fromtimestamp(found.likely_end, ZoneInfo(zone)).isoformat(),
    }


# -- a timer that looks forgotten ----------------------------------------------------------


def command(words: list[str]) -> str:
    """``words`` as one line to paste in a shell: ``mansioni stop --at '2026-12-04 23:59'``."""
    return " ".join(["mansioni", *(shell_word(word) for word in words)])


def stop_at_command(likely_end: int, zone: str, note: str | None = None) -> str:
    """``mansioni stop --at ...``: the instant written as ``--at`` reads it in ``zone``."""
    from mansioni.domain.timeparse import typed_instant

    words = ["stop", "--at", typed_instant(likely_end, ZoneInfo(zone))]
    return command(words + (["--note", note] if note else []))


def can_ask() -> bool:
    """Whether someone can answer a question: stdin is a terminal."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed, or no file behind it
        return False


def ask(question: str) -> bool:
    """Ask ``question`` on stderr and read the answer; only a yes is yes (an empty line,
    the end of input, anything else is no)."""
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        sys.stderr.write("\n")  # the end of input (Ctrl-D): the next line starts clean
    return answer.strip().casefold() in YES


def keeping_forgotten(
    call: Callable[[int | None], T],
    *,
    zone: str,
    again: list[str],
    note: str | None = None,
    then: list[str] | None = None,
) -> T:
    """``call(None)``: a ``start`` or ``stop`` of the timer service. If it finds the
    running timer looks forgotten (``ForgottenTimer``, nothing written), ask on a
    terminal whether to keep it whole, then ``call(id)`` of that timer on yes; when no
    one can answer, or on no, nothing is written and the error says what to type.

    ``again``: the words of the same command with ``--yes``; ``note``: the note the
    ``stop`` was given (it goes with ``stop --at``); ``then``: the words of the command
    to run after ``stop --at`` (the ``start`` that was refused).
    """
    try:
        return call(None)
    except ForgottenTimer as exc:
        elapsed = format_duration(exc.end - exc.timed.entry.start)
        stop = stop_at_command(exc.found.likely_end, zone, note)
        fix = " && ".join([stop, command(then)]) if then else stop
        if then:
            fix_line = _(
                "Stop it at the time you stopped working, then start again, for example: {command}"
            )
        else:
            fix_line = _("Stop it at the time you stopped working, for example: {command}")
        keep_line = _("Or keep it whole ({elapsed}): {command}")
        if not can_ask():
            raise InputError(
                exc.message,
                hint="\n  ".join(
                    [
                        fix_line.format(command=fix),
                        keep_line.format(elapsed=elapsed, command=command(again)),
                    ]
                ),
            ) from None
        question = _("Keep it whole ({elapsed})? [y/N] ").format(elapsed=elapsed)
        sys.stderr.write(shown(exc.message, lines=True) + "\n")
        if not ask(question):
            raise ConflictError(
                _("Nothing recorded: the timer of {task} still runs.").format(
                    task=exc.timed.task.full
                ),
                hint=fix_line.format(command=fix),
            ) from None
        return call(exc.timed.entry.id)
