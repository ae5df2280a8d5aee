"""``start``, ``stop``, ``cancel``, ``status`` and ``add`` on the full path.

The quick path (``mansioni.cli.quick``) answers the common forms of the first
four; these definitions are the reference for their usage and help, and serve
every store the quick path does not (a new store, PostgreSQL, ...).
"""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni import clock
from mansioni.cli import timer_view
from mansioni.cli.commands import command_help
from mansioni.cli.common import context, echo_json, echo_lines
from mansioni.domain.text import shown
from mansioni.domain.timeparse import parse_day, parse_range
from mansioni.i18n import _
from mansioni.services import timer

AT = Annotated[
    str | None,
    typer.Option("--at", help=_("When, if not now: 9:30, 'yesterday 17:00', '15m ago', ISO 8601.")),
]
NOTE = Annotated[str | None, typer.Option("--note", help=_("A note kept with the entry."))]
OVERLAP = Annotated[
    bool, typer.Option("--overlap", help=_("Allow overlapping another entry of yours."))
]
YES = Annotated[
    bool,
    typer.Option(
        "--yes",
        help=_(
            "Keep whole, without asking, a running timer that looks forgotten (past the timer_limit or midnight)."
        ),
    ),
]


def register(app: typer.Typer) -> None:
    app.command(
        "start",
        help=command_help("start"),
    )(start)
    app.command("stop", help=command_help("stop"))(stop)
    app.command(
        "cancel",
        help=command_help("cancel"),
    )(cancel)
    app.command(
        "status",
        help=command_help("status"),
    )(status)
    app.command(
        "add",
        help=command_help("add"),
    )(add)


def start(
    ctx: typer.Context,
    task: Annotated[
        str, typer.Argument(metavar="TASK", help=_("The task, as client/task: rossi/newsletter."))
    ],
    at: AT = None,
    note: NOTE = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help=_("Continue the task's last occurrence (work interrupted earlier).")
        ),
    ] = False,
    overlap: OVERLAP = False,
    yes: YES = False,
) -> None:
    from mansioni import config

    c = context(ctx)
    begin = c.instant(at) if at else None
    limit = config.timer_limit()
    # The same command, should the running timer look forgotten (see timer_view).
    words = ["start", task, *(["--at", at] if at else []), *(["--note", note] if note else [])]
    words += [*(["--resume"] if resume else []), *(["--overlap"] if overlap else [])]
    result = timer_view.keeping_forgotten(
        lambda confirmed: timer.start(
            c.store,
            task=task,
            person=c.person,
            now=c.now,
            zone=c.zone,
            at=begin,
            note=note,
            resume=resume,
            allow_overlap=overlap,
            clock=clock.now,  # read again under the write lock
            limit=limit,
            keep_whole=yes,
            confirmed=confirmed,
        ),
        zone=c.zone,
        again=[*words, "--yes"],
        then=words,
    )
    echo_lines(timer_view.started_lines(result, c.zone, c.now))


def stop(ctx: typer.Context, at: AT = None, note: NOTE = None, yes: YES = False) -> None:
    from mansioni import config

    c = context(ctx)
    end = c.instant(at) if at else None
    limit = config.timer_limit()
    stopped = timer_view.keeping_forgotten(
        lambda confirmed: timer.stop(
            c.store,
            person=c.person,
            now=c.now,
            at=end,
            note=note,
            clock=clock.now,  # read again under the write lock
            limit=limit,
            keep_whole=yes,
            confirmed=confirmed,
        ),
        zone=c.zone,
        again=["stop", *(["--note", note] if note else []), "--yes"],
        note=note,
    )
    echo_lines([timer_view.stopped_line(stopped, c.zone, c.now)])


def cancel(ctx: typer.Context) -> None:
    c = context(ctx)
    echo_lines(
        [
            timer_view.cancelled_line(
                timer.cancel(c.store, person=c.person, now=c.now), c.zone, c.now
            )
        ]
    )


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    from mansioni import config

    c = context(ctx)
    limit = config.timer_limit()
    result = timer.status(c.store, person=c.person, now=c.now, zone=c.zone, limit=limit)
    if as_json:
        echo_json(timer_view.status_json(result))
    else:
        echo_lines(timer_view.status_lines(result, c.zone))


def add(
    ctx: typer.Context,
    task: Annotated[
        str, typer.Argument(metavar="TASK", help=_("The task, as client/task: rossi/invoices."))
    ],
    when: Annotated[
        str,
        typer.Argument(
            metavar="RANGE",
            help=_("14:00-14:40, '9:00 1h30', 'yesterday 17:00-18:15', '2026-11-20 09:00-10:00'."),
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", help=_("The day, if not today: yesterday, 2026-11-20, monday.")),
    ] = None,
    note: NOTE = None,
    overlap: OVERLAP = False,
) -> None:
    c = context(ctx)
    day = parse_day(date, today=c.moment.date()) if date else None
    begin, end = parse_range(when, now=c.moment, zone=c.tz, day=day)
    added = timer.add(
        c.store,
        task=task,
        person=c.person,
        now=c.now,
        zone=c.zone,
        begin=int(begin.timestamp()),
        end=int(end.timestamp()),
        note=note,
        allow_overlap=overlap,
    )
    lines = [timer_view.added_line(added, c.zone, c.now)]
    if added.moved_from is not None:
        from mansioni.domain.calendar import local_date
        from mansioni.i18n import dates

        day = local_date(added.entry.start, c.tz)
        before = local_date(added.moved_from, c.tz)
        if day == before:
            line = _("The story of {task} now starts with this entry, earlier that day.")
        else:
            line = _(
                "The story of {task} now starts on {day}, with this entry (it started on {before})."
            )
        lines.append(
            line.format(task=shown(added.task.full), day=dates.day(day), before=dates.day(before))
        )
    if added.invoiced is not None:
        from datetime import date as calendar_day

        from mansioni.domain.display import shell_word
        from mansioni.i18n.dates import interval

        billed = added.invoiced
        lines.append(
            _(
                "Note: this entry falls in a period of {client} invoiced already ({period});"
                " it is not on that invoice. To bill it: {command}"
            ).format(
                client=shown(billed["client"]),
                period=interval(
                    calendar_day.fromisoformat(billed["first_day"]),
                    calendar_day.fromisoformat(billed["last_day"]),
                ),
                command=(
                    f"mansioni bill --client {shell_word(billed['client_ref'])}"
                    f" --from {billed['first_day']} --to {billed['last_day']}"
                ),
            )
        )
    echo_lines(lines)
