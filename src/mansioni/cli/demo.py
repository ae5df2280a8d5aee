"""``mansioni demo``: a realistic sample in a store of its own, and a look at it."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
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
    from mansioni.cli.common import width
    from mansioni.cli.layout import wrap

    built = _(
        "Demo store built in {folder}: {clients} clients, {tasks} tasks, {entries} entries."
    ).format(folder=folder, clients=summary.clients, tasks=summary.tasks, entries=summary.entries)
    for line in wrap(built, width()):
        typer.echo(line)
    typer.echo("")
    from mansioni.cli.review import review_tasks

    review_tasks(ctx, task=None, client=None, as_of=None, as_json=False)
    _day_and_month(ctx, c, summary.invoiced)
    typer.echo("")
    from mansioni.cli.layout import command_lines
    from mansioni.domain.display import shell_word

    look = _("Look closer (or with history caffe/inbox, log --month, report --month --by day):")
    command = f"MANSIONI_HOME={shell_word(str(folder))} mansioni review caffe/inbox"
    for line in wrap(look, width()) + command_lines(command, width(), indent="  "):
        typer.echo(line)


def _day_and_month(ctx: typer.Context, c: Context, invoiced: date) -> None:
    """Yesterday's work day by day, as ``log`` shows it, and last month per client, as
    ``report`` sums it, with the invoiced month of ``demo.BILLED``."""
    from mansioni.cli.common import width
    from mansioni.cli.layout import Column, show, table_lines, wrap
    from mansioni.cli.log import log
    from mansioni.cli.report import build_report
    from mansioni.report import period
    from mansioni.services.demo import BILLED

    yesterday = (c.moment - timedelta(days=1)).date()
    typer.echo("")
    typer.echo(_("Yesterday: mansioni log --from {day}").format(day=yesterday.isoformat()))
    log(ctx, start=yesterday.isoformat(), end=yesterday.isoformat())
    last_day = (invoiced + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    result = build_report(c, invoiced, last_day)
    typer.echo("")
    heading = _(
        "Last month per client: mansioni report --month {month}. {client}'s is invoiced"
        " (mansioni bill)."
    ).format(month=f"{invoiced:%Y-%m}", client=BILLED)
    for line in wrap(heading, width()):
        typer.echo(line)
    headers = period.subtotal_headers()
    columns = [
        Column(h, right=i in period.SUBTOTAL_NUMERIC, name=i == 0) for i, h in enumerate(headers)
    ]
    show(table_lines(columns, [(None, period.subtotal_rows(result))], width()))
