"""``mansioni info``: where the store is, and what the tool knows of its surroundings."""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni import __version__
from mansioni.cli.commands import command_help
from mansioni.cli.common import context, echo_json, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.layout import GAP, fit, wrap
from mansioni.domain.text import shown
from mansioni.i18n import _, language
from mansioni.store import revision
from mansioni.store.paths import sqlite_path, store_url


def register(app: typer.Typer) -> None:
    app.command("info", help=command_help("info"))(info)


def info(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    from mansioni import config

    c = context(ctx)
    settings = config.settings()  # a bad configuration file: its error, the store unread
    url = store_url()
    path = sqlite_path(url)
    with c.store.read() as db:
        counts = {
            table: int(db.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])
            for table in ("client", "task", "entry", "operation")
        }
    data = {
        "version": __version__,
        "store": path if path is not None else _printable(url),
        "schema": revision.HEAD,
        "language": language(),
        "zone": c.zone,
        "person": c.person,
        "counts": counts,
        "config_file": config.file_path(),
        "settings": {s.key: s.as_dict() for s in settings},
    }
    if as_json:
        echo_json(data)
        return
    width = terminal_width()
    echo_lines(
        fit(
            [
                _("mansioni {version}").format(version=__version__),
                _("Store: {store} (schema {schema})").format(
                    store=shown(data["store"]), schema=revision.HEAD
                ),
                _("Language: {lang}; zone: {zone}; you are: {person}").format(
                    lang=data["language"], zone=c.zone, person=shown(c.person)
                ),
                _(
                    "Clients: {client}, tasks: {task}, entries: {entry}, changes journaled: {operation}"
                ).format(**counts),
                _("Configuration file: {path}").format(path=shown(data["config_file"]))
                if config.read().exists
                else _("Configuration file: {path} (none)").format(path=shown(data["config_file"])),
            ],
            width,
        )
        + setting_lines(settings, width)
    )


def setting_lines(settings: list, width: int | None = None) -> list[str]:  # list[config.Setting]
    """One line a setting: its key, the value in use and where it comes from, in columns
    that fit ``width`` (the terminal's if not given). A setting too long for its line
    keeps its key and value (wrapped between words) and has its source on the next."""
    width = terminal_width() if width is None else width
    keys = max(len(s.key) for s in settings)
    lead = 2 + keys + GAP
    values = [shown(s.shown()) for s in settings]
    sources = [f"({s.source()})" for s in settings]
    room = width - lead - GAP - max(len(source) for source in sources)
    column = max(0, min(40, room, max(len(value) for value in values)))
    lines = []
    for s, value, source in zip(settings, values, sources, strict=True):
        head = f"  {s.key.ljust(keys)}  "
        line = f"{head}{value.ljust(column)}  {source}"
        if len(line) <= width:
            lines.append(line)
            continue
        if len(head) + len(value) > width and len(value.split()) == 1:
            lines += [head.rstrip(), " " * lead + value]  # a path: whole, on a line of its own
        else:
            lines += wrap(value, width, indent=head, hanging=" " * lead)
        lines.append(" " * lead + source)
    return lines


def _printable(url: str) -> str:
    from mansioni.store.orm.engine import safe_url

    return safe_url(url)
