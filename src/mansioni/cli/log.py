"""``log``: the entries of a period, with their ids."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import Context, context, day_label, echo_json, echo_lines
from mansioni.domain.calendar import day_bounds, unit_bounds
from mansioni.domain.text import one_line, shown
from mansioni.domain.timeparse import format_duration, parse_day
from mansioni.errors import InputError
from mansioni.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.entries import LogLine


def register(app: typer.Typer) -> None:
    app.command("log", help=command_help("log"))(log)


def period(
    c: Context, *, today: bool, week: bool, month: bool, start: str | None, end: str | None
) -> tuple[int | None, int | None]:
    """The ``[lo, hi)`` instants a log covers, in the user's zone."""
    chosen = sum([today, week, month, bool(start or end)])
    if chosen > 1:
        raise InputError(
            _("Choose one period: --today, --week, --month, or --from/--to."),
            hint=_("For example: mansioni log --from 2026-11-01 --to 2026-11-15"),
        )
    if start or end:
        lo = day_bounds(parse_day(start, today=c.moment.date()), c.tz)[0] if start else None
        hi = day_bounds(parse_day(end, today=c.moment.date()), c.tz)[1] if end else None
        if lo is not None and hi is not None and hi <= lo:
            raise InputError(
                _("--to must not come before --from."),
                hint=_("For example: mansioni log --from 2026-11-01 --to 2026-11-15"),
            )
        return lo, hi
    from mansioni import config

    unit = "month" if month else "day" if today else "week"
    return unit_bounds(c.moment.date(), unit, c.tz, week_start=config.week_start())


def log(
    ctx: typer.Context,
    today: Annotated[bool, typer.Option("--today", help=_("Today's entries."))] = False,
    week: Annotated[
        bool, typer.Option("--week", help=_("This week's entries (the default)."))
    ] = False,
    month: Annotated[bool, typer.Option("--month", help=_("This month's entries."))] = False,
    start: Annotated[
        str | None, typer.Option("--from", help=_("From this day: 2026-11-01, monday."))
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help=_("Up to this day, included."))] = None,
    client: Annotated[str | None, typer.Option("--client", help=_("Only this client."))] = None,
    task: Annotated[str | None, typer.Option("--task", help=_("Only this task."))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    from mansioni.services import entries

    c = context(ctx)
    lo, hi = period(c, today=today, week=week, month=month, start=start, end=end)
    lines = entries.log(c.store, person=c.person, lo=lo, hi=hi, client=client, task=task)
    if as_json:
        echo_json([_entry_json(line, c.now) for line in lines])
        return
    if not lines:
        typer.echo(_("No entries in this period."))
        return
    out: list[str] = []
    labels: dict[object, str] = {}
    total = 0
    for line in lines:
        e = line.entry
        tz = ZoneInfo(e.zone)
        begin = datetime.fromtimestamp(e.start, tz)
        label = labels.get(begin.date())
        if label is None:
            label = labels[begin.date()] = day_label(begin)
        finish = (
            datetime.fromtimestamp(e.end, tz).strftime("%H:%M")
            if e.end is not None
            else _("running")
        )
        seconds = e.seconds(c.now)
        total += seconds
        flags = []
        if e.atypical:
            flags.append(_("[atypical]"))
        if e.occurrence_id is not None:
            flags.append(_("[resumes {id}]").format(id=e.occurrence_id))
        out.append(
            f"{e.id:>6}  {label:<16} {begin:%H:%M}-{finish:<5} {format_duration(seconds):>6}  "
            f"{shown(line.task.full)}"
            + (f"  {one_line(e.note)}" if e.note else "")  # one line an entry
            + (f"  {' '.join(flags)}" if flags else "")
        )
    out.append(
        ngettext("Total: {time} in {n} entry.", "Total: {time} in {n} entries.", len(lines)).format(
            time=format_duration(total), n=len(lines)
        )
    )
    echo_lines(out)


def _entry_json(line: LogLine, now: int) -> dict:
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
    }
