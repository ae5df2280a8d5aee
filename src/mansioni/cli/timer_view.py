"""Plain-text views of the timer's results, shared by the quick and the full path.

Standard library only: ``status`` may run in a shell prompt.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni.domain.display import format_duration, local_time
from mansioni.domain.text import one_line, shown
from mansioni.i18n import _, ngettext
from mansioni.services.timer import Started, Status, Timed


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
