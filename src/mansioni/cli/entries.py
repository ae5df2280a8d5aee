"""``edit`` and ``delete``: change or remove one entry."""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import context
from mansioni.domain.text import shown
from mansioni.domain.timeparse import format_duration
from mansioni.i18n import _


def register(app: typer.Typer) -> None:
    app.command("edit", help=command_help("edit"))(edit)
    app.command("delete", help=command_help("delete"))(delete)


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
