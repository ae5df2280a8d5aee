"""``log``, ``edit``, ``delete`` and ``undo``."""

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
    app.command("edit", help=command_help("edit"))(edit)
    app.command("delete", help=command_help("delete"))(delete)
    app.command("undo", help=command_help("undo"))(undo)


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


def edit(
    ctx: typer.Context,
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", help=_("The entry's id, from mansioni log."))
    ],
    start: Annotated[
        str | None,
        typer.Option("--start", help=_("New start: 9:05 (same day), or a full date and time.")),
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help=_("New end."))] = None,
    task: Annotated[str | None, typer.Option("--task", help=_("Move it to another task."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("New note ('' removes it)."))] = None,
    atypical: Annotated[
        bool | None,
        typer.Option(
            "--atypical/--typical",
            help=_("Keep its occurrence out of the statistics (or back in)."),
        ),
    ] = None,
    overlap: Annotated[
        bool, typer.Option("--overlap", help=_("Allow overlapping another entry of yours."))
    ] = False,
) -> None:
    from mansioni.services import entries

    c = context(ctx)
    line = entries.edit(
        c.store,
        entry_id,
        person=c.person,
        now=c.now,
        start=start,
        end=end,
        task=task,
        note=note,
        atypical=atypical,
        allow_overlap=overlap,
    )
    typer.echo(
        _("Updated entry {id} ({task}).").format(id=line.entry.id, task=shown(line.task.full))
    )


def delete(
    ctx: typer.Context,
    entry_id: Annotated[
        int, typer.Argument(metavar="ID", help=_("The entry's id, from mansioni log."))
    ],
) -> None:
    from mansioni.services import entries

    c = context(ctx)
    line = entries.delete(c.store, entry_id, person=c.person, now=c.now)
    typer.echo(
        _("Deleted entry {id} ({task}, {time}); mansioni undo brings it back.").format(
            id=line.entry.id,
            task=shown(line.task.full),
            time=format_duration(line.entry.seconds(c.now)),
        )
    )


_UNDONE = {
    "insert": lambda: _("{what} {id} removed"),
    "update": lambda: _("{what} {id} restored"),
    "delete": lambda: _("{what} {id} brought back"),
}
#: An operation that changed more rows than this (an import) is told by counts.
LISTED = 12
_UNDONE_MANY = {
    "insert": lambda: _("{what}: {n} removed"),
    "update": lambda: _("{what}: {n} restored"),
    "delete": lambda: _("{what}: {n} brought back"),
}


def _undone_changes(changes: list[tuple[str, int, str]]) -> str:
    """What an undo changed: each row, or for a long operation the count of each kind."""
    from mansioni.services.undo import TABLE_LABEL

    label = TABLE_LABEL
    if len(changes) <= LISTED:
        return "; ".join(
            _UNDONE[action]().format(what=label[table](), id=row_id)
            for table, row_id, action in changes
        )
    from collections import Counter

    counts = Counter((table, action) for table, _row_id, action in changes)
    return "; ".join(
        _UNDONE_MANY[action]().format(what=label[table](), n=n)
        for (table, action), n in counts.items()
    )


def undo(
    ctx: typer.Context,
    steps: Annotated[
        int, typer.Option("--steps", help=_("How many changes to undo, from 1 to 100."))
    ] = 1,
) -> None:
    import mansioni.services.undo

    if not 1 <= steps <= 100:
        raise InputError(
            _("--steps goes from 1 to 100, not {n}.").format(n=steps),
            hint=_("For example: mansioni undo --steps 2"),
        )
    c = context(ctx)
    done = mansioni.services.undo.undo(c.store, person=c.person, now=c.now, steps=steps)
    lines = []
    for op in done:
        moment = datetime.fromtimestamp(op.at, c.tz)
        lines.append(
            _("Undone: {operation} ({day}, {time}); {changes}.").format(
                operation=shown(mansioni.services.undo.operation_words(op.command)),
                day=day_label(moment),
                time=moment.strftime("%H:%M"),
                changes=_undone_changes(op.changes),
            )
        )
    echo_lines(lines)
