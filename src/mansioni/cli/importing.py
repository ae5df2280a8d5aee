"""``import``: bring history in from other time trackers, or restore a jsonl backup.

One sub-command per source. Every import is one transaction: a bad row stops it
with the file, line and reason, and nothing is written (``--skip-invalid`` imports
the rest and lists what it skipped); ``--dry-run`` runs the whole import and then
rolls it back, so what it shows is exactly what an import would do.

Why one module of this length: one sub-command per source (Watson, Timewarrior,
Toggl, Clockify, a jsonl backup), each a few options over the one ``_import``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import Context, context, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.layout import Column, fit, show, table_lines
from mansioni.cli.progress import progress
from mansioni.domain.display import format_duration, local_time
from mansioni.domain.text import shown
from mansioni.errors import InputError
from mansioni.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.services.importing import Summary
    from mansioni.sources.mapping import Mapping
    from mansioni.sources.record import BadRow, SourceEntry
    from mansioni.sources.sheet import Layout

imports = typer.Typer(
    name="import",
    help=command_help("import"),
    no_args_is_help=True,
)

#: How each source is named to the user.
SOURCE_NAMES = {
    "watson": "Watson",
    "timewarrior": "Timewarrior",
    "toggl": "Toggl Track",
    "clockify": "Clockify",
}

ClientOption = Annotated[
    str | None,
    typer.Option(
        "--client",
        help=_(
            "The client of entries that name none (a project written client/task names its own)."
        ),
    ),
]
MapOption = Annotated[
    Path | None,
    typer.Option(
        "--map",
        metavar="FILE",
        help=_("A TOML file mapping the source's clients, projects, tags and people to yours."),
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help=_("Show what would be imported; write nothing."))
]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-invalid", help=_("Import the valid rows and list the others, instead of stopping.")
    ),
]
OverlapOption = Annotated[
    bool,
    typer.Option("--overlap", help=_("Import entries that overlap others of the same person.")),
]
DateFormatOption = Annotated[
    str | None,
    typer.Option(
        "--date-format",
        help=_(
            "How the file writes dates, e.g. DD/MM/YYYY or MM/DD/YYYY. By default it is read "
            "from the dates themselves, day first when they fit both."
        ),
    ),
]
ZoneOption = Annotated[
    str | None,
    typer.Option(
        "--zone",
        help=_("The time zone the file's times are in (your account's); default: yours."),
    ),
]


def register(app: typer.Typer) -> None:
    from mansioni.cli import restore

    imports.command(
        "watson",
        help=_(
            "Import Watson's frames, with their projects and tags.\n\n"
            "$ mansioni import watson ~/.config/watson --client 'Studio Rossi'"
        ),
    )(watson)
    imports.command(
        "timewarrior",
        help=_(
            "Import Timewarrior's intervals, with their tags and annotations.\n\n"
            "$ mansioni import timewarrior ~/.timewarrior --client 'Studio Rossi'"
        ),
    )(timewarrior)
    imports.command(
        "toggl",
        help=_(
            "Import a Toggl Track detailed report (CSV).\n\n"
            "$ mansioni import toggl Toggl_time_entries_2026-01-01_to_2026-11-30.csv"
        ),
    )(_report_command("toggl", "Toggl_time_entries.csv"))
    imports.command(
        "clockify",
        help=_(
            "Import a Clockify detailed report (CSV).\n\n"
            "$ mansioni import clockify Clockify_Time_Report_Detailed_01_01_2026-30_11_2026.csv"
        ),
    )(_report_command("clockify", "Clockify_Time_Report_Detailed.csv"))
    restore.register(imports)
    app.add_typer(imports, name="import")


def watson(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH", help=_("Watson's folder or its frames file; default: Watson's own.")
        ),
    ] = None,
    client: ClientOption = None,
    map_file: MapOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipOption = False,
    allow_overlap: OverlapOption = False,
) -> None:
    from mansioni.sources.record import BadRow
    from mansioni.sources.watson import default_path, read_frames, running_frame

    where = _existing(path or default_path(), "mansioni import watson ~/.config/watson")
    # The file is checked whole here; its frames are read one by one as they are imported.
    rows: Iterable[SourceEntry | BadRow] = read_frames(where)
    notes = []
    running = running_frame(where)
    if isinstance(running, BadRow):  # the state file only says what runs: never worth stopping for
        notes.append(
            _(
                "Watson's state file could not be read ({reason}): a running frame may be missing."
            ).format(reason=running.reason)
        )
    elif running is not None:
        rows = chain(rows, [running])
    _import(
        ctx,
        "watson",
        rows,
        client,
        map_file,
        dry_run,
        skip_invalid,
        allow_overlap,
        notes,
        read_first=False,
        unique_keys=True,
    )


def timewarrior(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help=_("Timewarrior's folder or its data folder; default: Timewarrior's own."),
        ),
    ] = None,
    client: ClientOption = None,
    map_file: MapOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipOption = False,
    allow_overlap: OverlapOption = False,
) -> None:
    from mansioni.sources.timewarrior import default_path, read_data

    where = _existing(path or default_path(), "mansioni import timewarrior ~/.timewarrior")
    rows = read_data(where)
    _import(ctx, "timewarrior", rows, client, map_file, dry_run, skip_invalid, allow_overlap)


def _report_command(source: str, example: str):  # noqa: ANN202 - a Typer command
    """The command importing a detailed report of ``source`` (``toggl``, ``clockify``)."""

    def command(
        ctx: typer.Context,
        file: Annotated[
            Path, typer.Argument(metavar="FILE", help=_("The CSV file of a detailed report."))
        ],
        zone: ZoneOption = None,
        date_format: DateFormatOption = None,
        client: ClientOption = None,
        map_file: MapOption = None,
        dry_run: DryRunOption = False,
        skip_invalid: SkipOption = False,
        allow_overlap: OverlapOption = False,
    ) -> None:
        from importlib import import_module

        layout = import_module(f"mansioni.sources.{source}").LAYOUT
        where = _existing(file, f"mansioni import {source} {example}")
        rows, guessed = _sheet_rows(ctx, layout, where, zone, date_format)
        _import(
            ctx,
            source,
            rows,
            client,
            map_file,
            dry_run,
            skip_invalid,
            allow_overlap,
            guessed=guessed,
        )

    return command


# --- shared steps ----------------------------------------------------------------------------


def _existing(path: Path, example: str) -> Path:
    path = path.expanduser()
    if not path.exists():
        raise InputError(
            _("There is no {path}.").format(path=path),
            hint=_("For example: {example}").format(example=example),
        )
    return path


def _sheet_rows(
    ctx: typer.Context, layout: Layout, file: Path, zone: str | None, date_format: str | None
) -> tuple[Iterator[SourceEntry | BadRow], str | None]:
    """The rows of a Toggl or Clockify report, and the date format it was read with when
    its dates could be read day first or month first (every day in it is 1 to 12)."""
    from mansioni.sources import sheet

    info = sheet.inspect(file, layout, date_format=date_format)
    rows = sheet.read(
        file, layout, zone=_zone(ctx, zone), date_format=date_format or info.date_format
    )
    return rows, None if info.date_format_shown else info.date_format


def _zone(ctx: typer.Context, zone: str | None) -> str:
    if zone is None:
        return context(ctx).zone
    from mansioni.sources.sheet_values import zone_info

    zone_info(zone)  # refuses a name that is no zone, with an example
    return zone


def _mapping(map_file: Path | None) -> Mapping:
    from mansioni.sources.mapping import Mapping, load_mapping

    if map_file is None:
        return Mapping()
    path = _existing(map_file, "--map mapping.toml")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            _("Could not read {file}: {reason}.").format(file=map_file, reason=exc),
            hint=_("A mapping file is a UTF-8 text file in TOML."),
        ) from None
    return load_mapping(text, file=str(map_file))


@contextmanager
def _store_for(c: Context, dry_run: bool) -> Iterator[None]:
    """Open the store, creating or upgrading it, so ``c.store`` is the quick one.

    A dry run changes nothing, not even the store's schema: on a store that does not
    exist yet, or that an upgrade would change, it runs on a new store or on a copy
    in a temporary folder, removed afterwards.
    """
    from mansioni.store.paths import sqlite_path, store_url
    from mansioni.store.quick import QuickStore

    file = sqlite_path(store_url())
    scratch = None
    if dry_run and file is not None and QuickStore.at_head(file) is None:
        from mansioni.store.orm.engine import scratch_copy

        scratch = scratch_copy(file)  # a full disk: a StoreError, nothing left behind
        c.point_at("sqlite:///" + os.path.join(scratch, "mansioni.db"))
    try:
        c.orm_store  # noqa: B018 - creates or upgrades the store, so c.store can be the quick one
        yield
    finally:
        if scratch is not None:
            c.close()
            shutil.rmtree(scratch, ignore_errors=True)


def _import(
    ctx: typer.Context,
    source: str,
    rows: Iterable[SourceEntry | BadRow],
    client: str | None,
    map_file: Path | None,
    dry_run: bool,
    skip_invalid: bool,
    allow_overlap: bool,
    notes: list[str] | None = None,
    *,
    guessed: str | None = None,
    read_first: bool = True,
    unique_keys: bool = False,
) -> None:
    """Read ``rows``, then import them; ``guessed`` is the date format a report was read
    with when its dates could not tell (see ``_date_notice``). ``read_first=False`` is
    for a reader that has checked its file whole already: its rows are read as the
    import goes, never all held at once. ``unique_keys``: see ``importing.run``."""
    from mansioni.services import importing

    c = context(ctx)
    mapping = _mapping(map_file)
    read = rows
    if read_first:
        with progress(_("Reading"), None) as advance:
            # Read whole before the store is opened: a file that cannot be read leaves no
            # trace, not even a new empty store.
            read = [row for row in rows if advance() is None]
    with _store_for(c, dry_run), progress(_("Importing"), None) as advance:

        def on_write(_done: int, total: int) -> None:
            advance(1, total=total)

        summary = importing.run(
            c.store,
            read,
            source=source,
            mapping=mapping,
            client=client,
            person=c.person,
            zone=c.zone,
            now=c.now,
            skip_invalid=skip_invalid,
            allow_overlap=allow_overlap,
            dry_run=dry_run,
            unique_keys=unique_keys,
            on_write=on_write,
        )
    notes = list(notes or [])
    if guessed is not None:
        notes.append(_date_notice(guessed, source, summary))
    _show(summary, c, notes)


def _date_notice(pattern: str, source: str, summary: Summary) -> str:
    """Said when every day in a file is 1 to 12, so its dates could be read either way."""
    other = "MM/DD/YYYY" if pattern.startswith("DD") else "DD/MM/YYYY"
    if summary.dry_run or not summary.imported:
        return _(
            "The file's dates could be read day first or month first; they were read as "
            "{pattern}. If that is wrong, pass --date-format {other}."
        ).format(pattern=pattern, other=other)
    return _(
        "The file's dates could be read day first or month first; they were read as {pattern}. "
        "If that is wrong: mansioni undo, then mansioni import {source} FILE --date-format {other}"
    ).format(pattern=pattern, source=source, other=other)


def _show(summary: Summary, c: Context, extra: list[str]) -> None:
    name = SOURCE_NAMES[summary.source]
    lines = []
    if summary.dry_run:
        lines.append(_("Dry run: nothing was written."))
        lines.append(
            ngettext(
                "{n} entry would be imported from {source}.",
                "{n} entries would be imported from {source}.",
                summary.imported,
            ).format(n=summary.imported, source=name)
        )
    else:
        lines.append(
            ngettext(
                "{n} entry imported from {source}.",
                "{n} entries imported from {source}.",
                summary.imported,
            ).format(n=summary.imported, source=name)
        )
    if summary.already:
        lines.append(
            ngettext(
                "{n} entry was imported before: left as it is.",
                "{n} entries were imported before: left as they are.",
                summary.already,
            ).format(n=summary.already)
        )
    if summary.empty:
        lines.append(
            ngettext(
                "{n} entry of no length left out.",
                "{n} entries of no length left out.",
                summary.empty,
            ).format(n=summary.empty)
        )
    if summary.new_clients:
        lines.append(_("New clients: {names}").format(names=", ".join(summary.new_clients)))
    if summary.new_tasks:
        lines.append(_("New tasks: {names}").format(names=", ".join(summary.new_tasks)))
    # Names and reasons come from the file: their control characters are shown.
    width = terminal_width()
    echo_lines(fit([shown(line) for line in lines], width))
    if summary.totals:
        _totals_table(summary)
    notes = list(extra)
    for entry in summary.running:
        notes.append(
            _("Still running in {source}, not imported: {what} (since {start}).").format(
                source=name, what=_source_label(entry), start=local_time(entry.start, c.zone, c.now)
            )
        )
    if summary.skipped:
        notes.append(
            ngettext("{n} row skipped:", "{n} rows skipped:", len(summary.skipped)).format(
                n=len(summary.skipped)
            )
        )
        notes.extend(
            "  "
            + _("{file}, line {line}: {reason}").format(file=b.file, line=b.line, reason=b.reason)
            for b in summary.skipped
        )
    if notes:
        shown_notes = [shown(line) for line in (["", *notes] if summary.totals or lines else notes)]
        echo_lines(fit(shown_notes, width))


def _totals_table(summary: Summary) -> None:
    """What the import brings to each task, in columns that fit the terminal."""
    columns = [
        Column(_("Task"), name=True),
        Column(_("Entries"), right=True),
        Column(_("Time"), right=True),
        Column(""),
    ]
    rows = [
        [
            shown(total.full),
            str(total.entries),
            format_duration(total.seconds),
            _("new") if total.new else "",
        ]
        for total in sorted(summary.totals.values(), key=lambda t: t.full.casefold())
    ]
    show(table_lines(columns, [(None, rows)], terminal_width()))


def _source_label(entry: SourceEntry) -> str:
    parts = [p for p in (entry.client, entry.project) if p]
    label = "/".join(parts) if parts else ", ".join(entry.tags)
    return label or "?"
