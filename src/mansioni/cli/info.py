"""``mansioni info``: where the store is, and what the tool knows of its surroundings."""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni import __version__
from mansioni.cli.commands import command_help
from mansioni.cli.common import context, echo_json
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
    typer.echo(
        "\n".join(
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
                *setting_lines(settings),
            ]
        )
    )


def setting_lines(settings: list) -> list[str]:  # list[config.Setting]
    """One line a setting: its key, the value in use and where it comes from."""
    keys = max(len(s.key) for s in settings)
    values = min(40, max(len(shown(s.shown())) for s in settings))
    return [
        f"  {s.key.ljust(keys)}  {shown(s.shown()).ljust(values)}  ({s.source()})" for s in settings
    ]


def _printable(url: str) -> str:
    from mansioni.store.orm.engine import safe_url

    return safe_url(url)
