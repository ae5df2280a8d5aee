"""``undo`` and ``redo``: take back the last changes, or do them again, journal in hand.

Each says in words what it took back or did again (``cli.journal_words``): the duty,
the day, the times, the decision; never a row's id or where it is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import context, day_label, echo_lines
from mansioni.domain.text import shown
from mansioni.errors import InputError
from mansioni.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from mansioni.services.undo import Step


def register(app: typer.Typer) -> None:
    app.command("undo", help=command_help("undo"))(undo)
    app.command("redo", help=command_help("redo"))(redo)


#: How each report begins: one line (``Undone: ...``) or a heading (``Undone: deleting
#: 3 entries (Fri 27 Nov 2026, 10:00):``), for undo, redo and a dry run of each.
_ONE = {
    "undo": lambda: _("Undone: {change}."),
    "redo": lambda: _("Redone: {change}."),
}
_HEAD = {
    "undo": lambda: _("Undone: {operation} ({day}, {time}):"),
    "redo": lambda: _("Redone: {operation} ({day}, {time}):"),
    ("undo", True): lambda: _("Undo would take back {operation} ({day}, {time}):"),
    ("redo", True): lambda: _("Redo would do again: {operation} ({day}, {time}):"),
}


def said(done: list[Step], *, verb: str, tz: ZoneInfo, dry_run: bool = False) -> list[str]:
    """What ``done`` (steps of ``verb``: undo or redo) changed, in words, line by line."""
    from mansioni.cli.journal_words import counts, phrases
    from mansioni.services.undo import LISTED

    lines: list[str] = []
    for step in done:
        counted = len(step.changes) > LISTED
        items = counts(step, would=dry_run) if counted else phrases(step, would=dry_run)
        if len(items) == 1 and not counted and not dry_run:
            lines.append(_ONE[verb]().format(change=items[0]))
            continue
        moment = datetime.fromtimestamp(step.at, tz)
        head = _HEAD[(verb, True) if dry_run else verb]()
        lines.append(
            head.format(operation=shown(step.words), day=day_label(moment), time=f"{moment:%H:%M}")
        )
        lines.extend(f"  - {item}" for item in items)
    if dry_run:
        lines.append(_("Nothing was changed."))
    return lines


def _check_steps(steps: int, command: str) -> None:
    if not 1 <= steps <= 100:
        raise InputError(
            _("--steps goes from 1 to 100, not {n}.").format(n=steps),
            hint=_("For example: mansioni {command} --steps 2").format(command=command),
        )


def undo(
    ctx: typer.Context,
    steps: Annotated[
        int, typer.Option("--steps", help=_("How many changes to undo, from 1 to 100."))
    ] = 1,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Say what undo would take back; change nothing."))
    ] = False,
) -> None:
    from mansioni.cli.journal_words import what
    from mansioni.services import undo as service

    _check_steps(steps, "undo")
    c = context(ctx)
    done = service.undo(
        c.store, person=c.person, now=c.now, steps=steps, dry_run=dry_run, describe=what
    )
    echo_lines(said(done, verb="undo", tz=c.tz, dry_run=dry_run))


def redo(
    ctx: typer.Context,
    steps: Annotated[
        int, typer.Option("--steps", help=_("How many undone changes to do again, from 1 to 100."))
    ] = 1,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Say what redo would do again; change nothing."))
    ] = False,
) -> None:
    from mansioni.cli.journal_words import what
    from mansioni.services import undo as service

    _check_steps(steps, "redo")
    c = context(ctx)
    done = service.redo(
        c.store, person=c.person, now=c.now, steps=steps, dry_run=dry_run, describe=what
    )
    echo_lines(said(done, verb="redo", tz=c.tz, dry_run=dry_run))
