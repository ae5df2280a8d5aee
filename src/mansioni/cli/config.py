"""``mansioni config show | get | set | unset | path``: the configuration file."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer

from mansioni import config
from mansioni.cli.commands import command_help
from mansioni.cli.common import echo_json, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.info import setting_lines
from mansioni.cli.layout import fit
from mansioni.domain.text import shown
from mansioni.errors import ConflictError, InputError, MansioniError
from mansioni.i18n import _

config_app = typer.Typer(help=command_help("config"), no_args_is_help=True)

KEY = Annotated[
    str,
    typer.Argument(
        metavar="KEY", help=_("A setting: name, timezone, rate... (mansioni config show)."), show_default=False
    ),
]  # fmt: skip


def _key(text: str) -> config.Key:
    found = config.BY_NAME.get(text.strip().lower())
    if found is None:
        raise InputError(
            _("{text!r} is not a setting.").format(text=text),
            hint=_("Choose one of: {choices}").format(
                choices=", ".join(k.name for k in config.KEYS)
            ),
        )
    return found


def _command_example(key: config.Key) -> str:
    """``mansioni config set KEY VALUE`` with the key's example value."""
    import tomllib

    example = tomllib.loads(key.example)[key.name]
    return f"mansioni config set {key.name} {shlex.quote(str(example))}"


@config_app.command(
    "show",
    help=_(
        "Every setting, the value in use and where it comes from: an environment variable, the configuration file or the default.\n\n$ mansioni config show"
    ),
)
def show(
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    settings = config.settings()
    path = config.file_path()
    if as_json:
        echo_json({"file": path, "settings": {s.key: s.as_dict() for s in settings}})
        return
    if config.read().exists:
        head = _("Configuration file: {path}").format(path=shown(path))
    else:
        head = _("Configuration file: {path} (none)").format(path=shown(path))
    width = terminal_width()
    echo_lines([*fit([head], width), *setting_lines(settings, width)])


@config_app.command(
    "get", help=_("The value in use of one setting.\n\n$ mansioni config get timezone")
)
def get(key: KEY) -> None:
    chosen = _key(key)
    setting = next(s for s in config.settings() if s.key == chosen.name)
    if setting.value is None:
        raise ConflictError(
            _("{key} is not set.").format(key=chosen.name),
            hint=_("Set it with: {example}").format(example=_command_example(chosen)),
        )
    echo_lines([shown(config.shown_value(chosen.name, setting.value))])


@config_app.command(
    "set",
    help=_(
        "Set a value in the configuration file; it is checked first, and the file's other lines are kept.\n\n$ mansioni config set name 'Vera Bianchi'"
    ),
)
def set_(
    key: KEY,
    value: Annotated[
        str,
        typer.Argument(metavar="VALUE", help=_("The new value."), show_default=False),
    ],
) -> None:
    chosen = _key(key)
    try:
        literal = config.toml_literal(chosen.name, value)
    except config._Bad as bad:
        raise InputError(
            _("Cannot set {key}: {reason}").format(key=chosen.name, reason=bad.reason),
            hint=_("For example: {example}").format(example=_command_example(chosen)),
        ) from None
    path = _write(chosen.name, literal)
    echo_lines([_("Set {key} in {path}.").format(key=chosen.name, path=shown(path))])
    _say_what_wins(chosen)


@config_app.command(
    "unset",
    help=_(
        "Remove a setting from the configuration file: its default applies again.\n\n$ mansioni config unset rate"
    ),
)
def unset(key: KEY) -> None:
    name = key.strip()
    found = config.read()
    if name not in found.data:
        _key(name)  # not a setting at all: say which are
        raise ConflictError(
            _("{key} is not in the configuration file.").format(key=name),
            hint=_("See the settings with: mansioni config show"),
        )
    path = _write(name, None)
    echo_lines([_("Removed {key} from {path}.").format(key=name, path=shown(path))])


@config_app.command(
    "path",
    help=_("The configuration file's path (it may not exist yet).\n\n$ mansioni config path"),
)
def path() -> None:
    echo_lines([shown(config.file_path())])


def _write(key: str, literal: str | None) -> str:
    try:
        return config.write_setting(key, literal)
    except MansioniError:
        raise
    except OSError as exc:
        raise ConflictError(
            _("Cannot write the configuration file {path}: {reason}.").format(
                path=config.file_path(), reason=exc.strerror or exc
            ),
            hint=_("Check the folder's permissions, or name another file with MANSIONI_CONFIG."),
        ) from None


def _say_what_wins(key: config.Key) -> None:
    """An environment variable that sets ``key`` wins over the file: say so."""
    import os

    for var in key.env:
        if os.environ.get(var, "").strip():
            typer.echo(
                _("{variable} is set, and wins over the file.").format(variable=var), err=True
            )
            return
