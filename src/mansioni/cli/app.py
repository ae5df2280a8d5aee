"""The full command line: one table of its commands, each built only when it runs.

The table (``cli.commands.COMMANDS``) names every command and group of ``mansioni``,
the module of ``mansioni.cli`` that defines it and its help, in the order ``mansioni
--help`` lists them. The help page is drawn from the table alone; ``mansioni log``
imports ``mansioni.cli.entries`` (through its ``register``) and no other command's
module. ``tests/test_command_table.py`` builds every module and keeps the table true.

Every command is one of the classes below, Typer's own with the framework's words in
the user's language (``mansioni.i18n.framework``). Every ``MansioniError`` raised below
becomes one clear message and its exit status (``cli.errors.report``); unexpected errors
keep their traceback but never show local variables, which could hold a client's data.
"""

from __future__ import annotations

import copy
import functools
import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from mansioni import __version__
from mansioni.cli import errors
from mansioni.cli.commands import _BY_NAME, COMMANDS
from mansioni.errors import MansioniError
from mansioni.i18n import _, framework

# --- every command's class: the framework's words in the user's language -----------------


class _InTheUsersLanguage:
    """The usage line, ``--help`` and the help page in the user's language (mixed into
    Typer's own command and group classes)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, pieces, _("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        framework.prepare_help()
        super().format_help(ctx, formatter)  # type: ignore[misc]


class Command(_InTheUsersLanguage, TyperCommand):
    """A command that speaks the user's language."""


class Group(_InTheUsersLanguage, TyperGroup):
    """A group of commands (``client``, ``task``, ``import``), as :class:`Command` speaks."""


class Root(Group):
    """``mansioni`` itself: the table's commands, each built the first time it is looked up,
    and the error boundary of every command."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names alone: nothing is built

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The help page, its list of commands drawn from the table alone."""
        listing = copy.copy(self)
        listing.commands = {
            entry.name: Command(entry.name, help=_(entry.help)) for entry in COMMANDS
        }
        Group.format_help(listing, ctx, formatter)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:  # fmt: skip
        with _usage_errors_in_language():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            with _usage_errors_in_language():
                return super().invoke(ctx)
        except MansioniError as exc:
            raise typer.Exit(errors.report(exc)) from None


@contextmanager
def _usage_errors_in_language() -> Iterator[None]:
    """Typer's usage errors (exit status 2) said in the user's language."""
    try:
        yield
    except (typer.TyperException, typer.Abort, EOFError) as exc:
        framework.prepare_help()  # Typer is about to draw the error
        ctx = getattr(exc, "ctx", None)
        if (
            isinstance(exc, typer.TyperException)
            and exc.exit_code == 2
            and ctx is not None
            and type(exc).__name__ != "NoArgsIsHelpError"  # it shows the help page
        ):
            message = exc.format_message()
            said = framework.translate_usage_error(message)
            if said != message:
                ctx.fail(said)
        raise


# --- the table, built on demand ----------------------------------------------------------


class _Commands(Mapping[str, Any]):
    """The root's commands by name, in the table's order; a module is imported, and its
    commands built, the first time one of them is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Mapping[str, Any]] = {}

    def __getitem__(self, name: str) -> Any:
        entry = _BY_NAME[name]
        commands = self._built.get(entry.module)
        if commands is None:
            commands = self._built[entry.module] = _convert(holder(entry.module))
        if name not in commands:
            raise RuntimeError(f"mansioni.cli.{entry.module} defines no command {name!r}")
        return commands[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_BY_NAME)

    def __len__(self) -> int:
        return len(_BY_NAME)


@functools.cache
def holder(module: str) -> typer.Typer:
    """A Typer app with what ``mansioni.cli.<module>`` defines (imported here, once)."""
    code = importlib.import_module(f"mansioni.cli.{module}")
    app = typer.Typer(add_completion=False)
    for entry in COMMANDS:
        if entry.module == module and entry.typer_app:
            app.add_typer(getattr(code, entry.typer_app), name=entry.name)
    register = getattr(code, "register", None)
    if register is not None:
        register(app)
    _adopt(app)
    return app


def _adopt(app: typer.Typer) -> None:
    """Make every command and group of ``app`` one of ours (as ``cls=`` would)."""
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # Typer's default
            command.cls = Command
    for group in app.registered_groups:
        if not group.cls or group.cls is TyperGroup:  # Typer's default (a placeholder)
            group.cls = Group
        if group.typer_instance is not None:
            _adopt(group.typer_instance)


def _convert(app: typer.Typer) -> Mapping[str, Any]:
    """The click commands of ``app``, by name."""
    built = typer.main.get_command(app)
    return built.commands if isinstance(built, TyperGroup) else {built.name: built}


# --- the root ------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mansioni {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=Root,
    name="mansioni",
    help=_(
        "Time tracking and trial-period reviews for virtual assistants.\n\n"
        "$ mansioni start rossi/newsletter"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = None,
) -> None:
    pass


def run_app(argv: list[str]) -> int:
    """Run the full command line; return its exit status."""
    try:
        app(args=argv, prog_name="mansioni", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0
