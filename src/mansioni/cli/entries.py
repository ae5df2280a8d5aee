"""``edit`` and ``delete``: change an entry (and see it as it is now), or remove one or
several at once (one ``undo`` brings them back)."""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import context, day_label, echo_lines, entry_times
from mansioni.domain.text import one_line, shown
from mansioni.domain.timeparse import format_duration
from mansioni.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.entries import LogLine


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
    force: Annotated[
        bool, typer.Option("--force", help=_("Change it even if it is invoiced."))
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
        force=force,
    )
    typer.echo(
        _("Updated entry {id}: {entry}").format(id=line.entry.id, entry=entry_words(line, c.now))
    )


def delete(
    ctx: typer.Context,
    entry_ids: Annotated[
        list[int],
        typer.Argument(
            metavar="ID", help=_("The entries' ids, from mansioni log: one or several.")
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help=_("Delete them even if they are invoiced."))
    ] = False,
) -> None:
    from mansioni.services import entries

    c = context(ctx)
    lines = entries.delete(c.store, entry_ids, person=c.person, now=c.now, force=force)
    if len(lines) == 1:
        typer.echo(
            _("Deleted entry {id}: {entry}; mansioni undo brings it back.").format(
                id=lines[0].entry.id, entry=entry_words(lines[0], c.now)
            )
        )
        return
    out = [
        ngettext(
            "Deleted {n} entry; mansioni undo brings it back:",
            "Deleted {n} entries; one mansioni undo brings them all back:",
            len(lines),
        ).format(n=len(lines))
    ]
    width = max(len(str(line.entry.id)) for line in lines)
    out.extend(f"  {line.entry.id:>{width}}  {entry_words(line, c.now)}" for line in lines)
    echo_lines(out)


def entry_words(line: LogLine, now: int) -> str:
    """An entry in the words ``log`` uses for it: its day, its times
    (``cli.common.entry_times``: ``09:00-10:00``; ``17:00 → Sun 6 Dec 14:37`` across
    midnight; ``15:00 → running``), its duration, its task, its note and its marks."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    e = line.entry
    tz = ZoneInfo(e.zone)
    begin = datetime.fromtimestamp(e.start, tz)
    when = entry_times(e.start, e.end, tz)
    parts = [day_label(begin), when, format_duration(e.seconds(now)), shown(line.task.full)]
    if e.note:
        parts.append(one_line(e.note))
    if e.atypical:
        parts.append(_("[atypical]"))
    if e.occurrence_id is not None:
        parts.append(_("[resumes {id}]").format(id=e.occurrence_id))
    return "  ".join(parts)
