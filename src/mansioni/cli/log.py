"""``log``: the entries of a period, with their ids, day by day.

A heading per day with the day's total, the entries under it, a total per calendar week
when the entries fall in more than one, the grand total at the end. An entry counts,
whole, on the day it begins (``domain.days``, the rule ``report --by day`` follows
too); one that runs past midnight writes its end with its day. Every line fits the
terminal (``cli.common.width``): a note is shortened where a word ends, a task's name
only where nothing else would fit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import (
    FROM_INSTANT,
    MONTH,
    MONTH_ARG,
    TO_INSTANT,
    Context,
    context,
    echo_json,
    echo_lines,
    entry_times,
    width,
)
from mansioni.domain.calendar import days_bounds, unit_bounds, unit_days
from mansioni.domain.days import by_day, by_week, day_of
from mansioni.domain.text import one_line, shorten, shown
from mansioni.domain.timeparse import format_duration
from mansioni.errors import InputError
from mansioni.i18n import _, ngettext
from mansioni.i18n.dates import interval, weekday

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.entries import LogLine


def register(app: typer.Typer) -> None:
    app.command("log", help=command_help("log"))(log)


def period(
    c: Context,
    *,
    today: bool,
    week: bool,
    month: bool,
    start: str | None,
    end: str | None,
    month_text: str | None = None,
) -> tuple[int | None, int | None]:
    """The ``[lo, hi)`` instants a log covers, in the user's zone: this week when nothing
    is asked. ``--from``/``--to`` may cut at an instant (``cli.common.bounds``); a month
    named (after ``--month``, or alone) is read as ``report`` and ``bill`` read it
    (``cli.report.choose_period``)."""
    chosen = sum([today, week, month or month_text is not None, bool(start or end)])
    if chosen > 1:
        raise InputError(
            _("Choose one period: --today, --week, --month [MONTH], or --from/--to."),
            hint=_("For example: mansioni log --from 2026-11-01 --to 2026-11-15"),
        )
    if start or end:
        from mansioni.cli.common import bounds

        example = _("For example: mansioni log --from 2026-11-01 --to 2026-11-15")
        return bounds(c, start, end, example=example)
    if month_text is not None:  # read as report reads it (imported only then)
        from mansioni.cli.report import choose_period

        first, last = choose_period(
            today=c.moment.date(),
            week=False,
            month=month,
            month_text=month_text,
            start=None,
            end=None,
            moment=c.moment,
            example="mansioni log",
        )
        return days_bounds(first, last, c.tz)
    from mansioni import config

    unit = "month" if month else "day" if today else "week"
    return unit_bounds(c.moment.date(), unit, c.tz, week_start=config.week_start())


def log(
    ctx: typer.Context,
    month_words: MONTH_ARG = None,
    today: Annotated[bool, typer.Option("--today", help=_("Today's entries."))] = False,
    week: Annotated[
        bool, typer.Option("--week", help=_("This week's entries (the default)."))
    ] = False,
    month: MONTH = False,
    start: FROM_INSTANT = None,
    end: TO_INSTANT = None,
    client: Annotated[str | None, typer.Option("--client", help=_("Only this client."))] = None,
    task: Annotated[str | None, typer.Option("--task", help=_("Only this task."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    from mansioni import config
    from mansioni.services import entries

    c = context(ctx)
    lo, hi = period(
        c,
        today=today,
        week=week,
        month=month,
        start=start,
        end=end,
        month_text=" ".join(month_words) if month_words else None,
    )
    lines = entries.log(c.store, person=c.person, lo=lo, hi=hi, client=client, task=task)
    if as_json:
        echo_json([_entry_json(line, c.now, c.tz) for line in lines])
        return
    if not lines:
        typer.echo(_("No entries in this period."))
        return
    first = day_of(lo, c.tz) if lo is not None else None
    last = day_of(hi - 1, c.tz) if hi is not None else None
    echo_lines(
        day_view(
            lines,
            now=c.now,
            zone=c.tz,
            columns=width(),
            week_start=config.week_start(),
            period=(first, last),
        )
    )


# -- the day view ----------------------------------------------------------------------


def day_view(
    lines: list[LogLine],
    *,
    now: int,
    zone: ZoneInfo,
    columns: int,
    week_start: int = 0,
    period: tuple[date | None, date | None] = (None, None),
) -> list[str]:
    """The entries under a heading per day with the day's total (``domain.days``: an
    entry counts, whole, on the day it begins, on the clock of ``zone``); when they fall
    in more than one calendar week, a total after each week, named by its days in the
    ``period`` (first and last day, None where it is open); the grand total at the end
    (one week's line would only say it again). No line is longer than ``columns``
    where the fixed columns leave any room for the task."""
    per_day = dict(by_day(lines, lambda line: line.entry.start, zone))
    groups: list[tuple[date | None, list[date]]] = list(by_week(per_day, week_start=week_start))
    if len(groups) < 2:
        groups = [(None, list(per_day))]
    id_width = max(len(str(line.entry.id)) for line in lines)
    out: list[str] = []
    for first, days in groups:
        week_seconds = week_entries = 0
        for day in days:
            its = per_day[day]
            seconds = sum(line.entry.seconds(now) for line in its)
            week_seconds += seconds
            week_entries += len(its)
            out.append(f"{weekday(day)} ({format_duration(seconds)})")
            out += _entry_lines(day, its, now=now, columns=columns, id_width=id_width)
            out.append("")
        if first is not None:
            out.append(
                ngettext(
                    "Week {days}: {time} in {n} entry.",
                    "Week {days}: {time} in {n} entries.",
                    week_entries,
                ).format(
                    days=_week_days(first, week_start, period),
                    time=format_duration(week_seconds),
                    n=week_entries,
                )
            )
            out.append("")
    total = sum(line.entry.seconds(now) for line in lines)
    out.append(
        ngettext("Total: {time} in {n} entry.", "Total: {time} in {n} entries.", len(lines)).format(
            time=format_duration(total), n=len(lines)
        )
    )
    return out


def _week_days(first: date, week_start: int, period: tuple[date | None, date | None]) -> str:
    """``30 Nov – 6 Dec 2026``: the days of the week that begins on ``first`` that lie in
    the period (a month's first and last weeks are cut by it), as the language writes a
    span of days (``i18n.dates.interval``)."""
    a, b = unit_days(first, "week", week_start=week_start)
    if period[0] is not None:
        a = max(a, period[0])
    if period[1] is not None:
        b = min(b, period[1])
    return interval(a, max(a, b))


def _when(line: LogLine, day: date) -> str:
    """``09:00-09:40``; ``17:00 → Sun 6 Dec 14:37`` across midnight; ``15:00 → running``
    (``cli.common.entry_times``, as ``edit``, ``delete`` and ``undo`` write them): on the
    clock the entry was recorded on; a start on another date than the heading's (an
    entry recorded in another zone) shows its day too."""
    e = line.entry
    return entry_times(e.start, e.end, ZoneInfo(e.zone), day=day)


def _entry_lines(
    day: date, its: list[LogLine], *, now: int, columns: int, id_width: int
) -> list[str]:
    """One line an entry, the columns of one day aligned."""
    whens = [_when(line, day) for line in its]
    durations = [format_duration(line.entry.seconds(now)) for line in its]
    when_width = max(map(len, whens))
    duration_width = max(map(len, durations))
    out = []
    for line, when, duration in zip(its, whens, durations, strict=True):
        e = line.entry
        flags = []
        if e.atypical:
            flags.append(_("[atypical]"))
        if e.occurrence_id is not None:
            flags.append(_("[resumes {id}]").format(id=e.occurrence_id))
        head = f"  {e.id:>{id_width}}  {when:<{when_width}}  {duration:>{duration_width}}  "
        text = fit(
            shown(line.task.full),
            one_line(e.note) if e.note else "",
            " ".join(flags),
            columns - len(head),
        )
        out.append((head + text).rstrip())
    return out


def fit(task: str, note: str, flags: str, room: int) -> str:
    """The task, the note and the flags in ``room`` characters, as much of each as fits:
    the flags whole; the note shortened where a word ends, never inside one (or only
    ``…`` to say there is one); the task's name shortened (``domain.text.shorten``)
    only where even that leaves no room for it."""
    tail = f"  {flags}" if flags else ""
    room -= len(tail)
    if note:
        if len(task) + 2 + len(note) <= room:
            return f"{task}  {note}{tail}"
        cut = shorten(note, room - len(task) - 2, whole_words=True)
        if cut:
            return f"{task}  {cut}{tail}"
    if len(task) <= room:
        return task + tail
    return shorten(task, max(room, 1)) + tail


def _entry_json(line: LogLine, now: int, zone: ZoneInfo) -> dict:
    e = line.entry
    tz = ZoneInfo(e.zone)
    return {
        "id": e.id,
        "task": line.task.full,
        "client": line.task.client,
        "start": datetime.fromtimestamp(e.start, tz).isoformat(),
        "end": datetime.fromtimestamp(e.end, tz).isoformat() if e.end is not None else None,
        "seconds": e.seconds(now),
        "zone": e.zone,
        "note": e.note,
        "occurrence": e.occurrence,
        "atypical": e.atypical,
        "day": day_of(e.start, zone).isoformat(),  # the day it counts on (domain.days)
    }
