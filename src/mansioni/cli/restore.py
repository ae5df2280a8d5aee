"""``import jsonl``: restore a jsonl backup into an empty store.

The file is checked (its header) before the store is opened, so a wrong file
never creates a store; then ``services.restore`` does the whole restore in one
transaction (docs/reference/jsonl-format.md, "Restoring").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mansioni.cli.common import context, echo_lines
from mansioni.cli.progress import progress
from mansioni.i18n import _
from mansioni.store.paths import sqlite_path, store_url


def register(group: typer.Typer) -> None:
    """Add ``jsonl`` to the ``import`` group."""
    group.command(
        "jsonl",
        help=_(
            "Restore a backup made by mansioni export --format jsonl into an empty store: every "
            "row with its own id, the journal included.\n\n$ mansioni import jsonl backup.jsonl"
        ),
    )(jsonl)


def jsonl(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help=_("The backup: a file written by mansioni export --format jsonl.")
        ),
    ],
) -> None:
    from mansioni.services.restore import read_header, restore

    path = Path(file).expanduser()
    header = read_header(path)  # before the store is opened: a wrong file creates none
    c = context(ctx)
    with progress(_("Restoring"), header.total) as advance:
        done = restore(c.orm_store, path, on_progress=advance)
    url = store_url()
    where = sqlite_path(url)
    if where is None:
        from mansioni.store.orm.engine import safe_url

        where = safe_url(url)
    lines = [
        _("Restored {file} into {store}.").format(file=file, store=where),
        _("Clients: {clients}, tasks: {tasks}, entries: {entries}.").format(
            clients=done.counts.get("client", 0),
            tasks=done.counts.get("task", 0),
            entries=done.counts.get("entry", 0),
        ),
    ]
    if done.upgraded_to == done.schema:
        lines.append(_("Schema: {schema}.").format(schema=done.schema))
    else:
        lines.append(
            _("Schema: {schema}, upgraded to {now}.").format(
                schema=done.schema, now=done.upgraded_to
            )
        )
    echo_lines(lines)
