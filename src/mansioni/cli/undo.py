"""``undo``: take back the last changes, journal in hand."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import context, day_label, echo_lines
from mansioni.domain.text import shown
from mansioni.errors import InputError
from mansioni.i18n import _


def register(app: typer.Typer) -> None:
    app.command("undo", help=command_help("undo"))(undo)


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
