"""``mansioni demo``: a realistic sample in a store of its own, and a look at it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import Context, context
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.store.paths import DB_FILENAME


def register(app: typer.Typer) -> None:
    app.command(
        "demo",
        help=command_help("demo"),
    )(run)


def run(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help=_("Where to build it (an empty folder); default: a new temporary folder."),
        ),
    ] = None,
) -> None:
    folder = home if home is not None else Path(tempfile.mkdtemp(prefix="mansioni-demo-"))
    db_file = folder / DB_FILENAME
    if db_file.exists():
        raise InputError(
            _("{path} already holds a store; the demo needs an empty folder.").format(path=folder),
            hint=_("Run it without --home, or with a new folder: mansioni demo --home /tmp/demo"),
        )
    c: Context = context(ctx)
    c.point_at(f"sqlite:///{db_file}")
    from mansioni.services import demo

    summary = demo.build(c.orm_store, person=c.person, now=c.now, zone=c.zone)
    typer.echo(
        _(
            "Demo store built in {folder}: {clients} clients, {tasks} tasks, {entries} entries."
        ).format(
            folder=folder, clients=summary.clients, tasks=summary.tasks, entries=summary.entries
        )
    )
    typer.echo("")
    from mansioni.cli.review import review_tasks

    review_tasks(ctx, task=None, client=None, as_of=None, as_json=False)
    typer.echo("")
    typer.echo(
        _(
            "Look closer: MANSIONI_HOME={folder} mansioni review caffe/inbox (or history, log --month)"
        ).format(folder=folder)
    )
