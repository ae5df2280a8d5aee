"""``export`` and ``backup``: the data out of the store, for a spreadsheet or for safe keeping.

An export is written as it is read, one batch at a time, so a long history costs
no more memory than a short one. With ``-o FILE`` it goes to a temporary file next
to FILE, which replaces FILE only once complete and on disk, like every file the
tool writes (``mansioni.cli.output``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import FROM_INSTANT, TO_INSTANT, Context, bounds, context, echo_lines
from mansioni.cli.output import check_output, choose_format, format_name, sink
from mansioni.cli.progress import progress
from mansioni.domain.text import json_text, shown
from mansioni.errors import ExitCode, InputError
from mansioni.i18n import _, language, ngettext
from mansioni.i18n.sizes import file_size
from mansioni.report.spreadsheet import to_csv
from mansioni.services.export import (
    BACKUP_STEPS,
    ENTRY_COLUMNS,
    backup,
    entries,
    everything,
    jsonl_line,
    row_record,
)
from mansioni.store.paths import sqlite_path, store_url

FORMATS = ("csv", "json", "jsonl")


def register(app: typer.Typer) -> None:
    app.command(
        "export",
        help=command_help("export"),
    )(export_entries)
    app.command(
        "backup",
        help=command_help("backup"),
    )(backup_store)


# --- export --------------------------------------------------------------------------------


def _period(c: Context, start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """``--from`` and ``--to`` as ``[lo, hi)`` instants in the user's zone: a day whole,
    a time cutting at that instant (``cli.common.bounds``)."""
    example = _("For example: mansioni export --format csv --from 2026-11-01 --to 2026-11-30")
    return bounds(c, start, end, example=example)


def write_csv(
    batches: Iterator[list[dict]], write: Callable[[str], object], step: Callable[[int], object]
) -> None:
    headers = ENTRY_COLUMNS
    head = to_csv(headers, [], language=language())  # the byte-order mark and the headers
    write(head)
    for batch in batches:
        chunk = to_csv(headers, ([e[k] for k in headers] for e in batch), language=language())
        write(chunk[len(head) :])
        step(len(batch))


def write_json(
    batches: Iterator[list[dict]], write: Callable[[str], object], step: Callable[[int], object]
) -> None:
    """A JSON list written as it is read: the same text as ``json_text(list)``."""
    first = True
    write("[")
    for batch in batches:
        parts = []
        for entry in batch:
            # An entry is flat, so its ``indent=2`` form inside a list is the compact form
            # with these separators: json's C encoder writes it, three times faster.
            # Every control character as an escape (``json_text``): the text reads back exact.
            inner = json_text(entry, indent=None, separators=(",\n    ", ": "))
            parts.append(("\n" if first else ",\n") + "  {\n    " + inner[1:-1] + "\n  }")
            first = False
        write("".join(parts))
        step(len(batch))
    write("]\n" if first else "\n]\n")


def export_entries(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help=_(
                "csv or json: the finished time entries, for a spreadsheet or a script; "
                "jsonl: the whole store, for a backup."
            ),
        ),
    ],
    start: FROM_INSTANT = None,
    end: TO_INSTANT = None,
    client: Annotated[str | None, typer.Option("--client", help=_("Only this client."))] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help=_("Write to this file instead of the terminal.")),
    ] = None,
) -> None:
    chosen = choose_format(fmt, FORMATS, example="mansioni export --format csv -o hours.csv")
    if chosen == "jsonl" and (start or end or client):
        raise InputError(
            _(
                "A jsonl export is a backup of the whole store: --from, --to and --client do not apply to it."
            ),
            hint=_(
                "For example: mansioni export --format jsonl -o backup.jsonl; for a part: mansioni export --format csv --client rossi"
            ),
        )
    c = context(ctx)
    lo, hi = _period(c, start, end)
    check_output(output)
    try:
        if chosen == "jsonl":
            _export_jsonl(c, output)
        else:
            _export_entries(c, chosen, output, lo=lo, hi=hi, client=client)
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other tools do.
        _silence_stdout()
        raise typer.Exit(int(ExitCode.FAILURE)) from None


def _export_entries(
    c: Context, fmt: str, output: str | None, *, lo: int | None, hi: int | None, client: str | None
) -> None:
    writer = write_csv if fmt == "csv" else write_json
    with entries(c.store, lo=lo, hi=hi, client=client) as found:
        what = ngettext(
            "{n} time entry ({format})", "{n} time entries ({format})", found.total
        ).format(n=found.total, format=format_name(fmt))
        with (
            sink(output, private=False, what=what) as write,
            _progress(output, found.total) as step,
        ):
            writer(found.batches, write, step)


def _export_jsonl(c: Context, output: str | None) -> None:
    with everything(c.store, exported_utc=c.now) as (header, found):
        what = _("a backup of the whole store ({format})").format(format=format_name("jsonl"))
        with (
            sink(output, private=True, what=what) as write,
            _progress(output, found.total) as step,
        ):
            write(jsonl_line(header))
            for batch in found.batches:
                write("".join(jsonl_line(row_record(t, r)) for t, r in batch))
                step(len(batch))


def _progress(output: str | None, total: int) -> AbstractContextManager[Callable[..., None]]:
    """A progress bar on stderr for a long export (``mansioni.cli.progress``), unless the
    export itself goes to the terminal: the rows show it moving, and a bar would cut them."""
    if (output is None or output == "-") and _stdout_is_terminal():
        return nullcontext(_uncounted)
    return progress(_("Exporting"), total)


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _uncounted(n: int = 1) -> None:
    """``advance`` when the export goes to the terminal: there is no bar to move."""


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# --- backup --------------------------------------------------------------------------------


def backup_store(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help=_("Where to write the copy; a file already there is replaced."),
        ),
    ],
) -> None:
    with progress(_("Backing up"), BACKUP_STEPS) as advance:
        done = backup(file, store_file=sqlite_path(store_url()), on_step=advance)
    echo_lines(
        [
            _("Copied the store to {path} ({size}).").format(
                path=shown(str(done.path)), size=file_size(done.size)
            ),
            _("Clients: {clients}, tasks: {tasks}, entries: {entries}.").format(
                clients=done.clients, tasks=done.tasks, entries=done.entries
            ),
        ]
    )
