"""The full command line: one table of its commands, each built only when it runs.

The table (``cli.commands.COMMANDS``) names every command and group of ``mansioni``,
the module of ``mansioni.cli`` that defines it and its help, in the order ``mansioni
--help`` lists them. The help page is drawn from the table alone; ``mansioni log``
imports ``mansioni.cli.log`` (through its ``register``) and no other command's
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
from typer.core import TyperArgument, TyperCommand, TyperGroup

from mansioni import __version__
from mansioni.cli import errors
from mansioni.cli.commands import _BY_NAME, COMMANDS
from mansioni.errors import MansioniError
from mansioni.i18n import N_, _, framework

# --- every command's class: the framework's words in the user's language -----------------


#: The word a person reads for each kind of value (a usage line, a help page, an error).
LABELS: dict[str, str] = {
    "AMOUNT": N_("AMOUNT"),
    "BASIS": N_("BASIS"),
    "CLIENT": N_("CLIENT"),
    "CLIENT/TASK": N_("CLIENT/TASK"),
    "CURRENCY": N_("CURRENCY"),
    "DATE": N_("DATE"),
    "DECISION": N_("DECISION"),
    "DURATION": N_("DURATION"),
    "FILE": N_("FILE"),
    "FOLDER": N_("FOLDER"),
    "FORMAT": N_("FORMAT"),
    "ID": "ID",
    "KEY": N_("KEY"),
    "LENGTH": N_("LENGTH"),
    "MONTH": N_("MONTH"),
    "N": "N",
    "NAME": N_("NAME"),
    "PATH": N_("PATH"),
    "PATTERN": N_("PATTERN"),
    "RANGE": N_("RANGE"),
    "ROWS": N_("ROWS"),
    "STATE": N_("STATE"),
    "TASK": N_("TASK"),
    "TEXT": N_("TEXT"),
    "VALUE": N_("VALUE"),
    "WHAT": N_("WHAT"),
    "WHEN": N_("WHEN"),
    "ZONE": N_("ZONE"),
}
#: What each option is given, by its long name, when its command names no ``metavar``...
OPTION_LABELS: dict[str, str] = {
    "--as-of": "DATE",
    "--at": "WHEN",
    "--basis": "BASIS",
    "--by": "ROWS",
    "--client": "CLIENT",
    "--currency": "CURRENCY",
    "--date": "DATE",
    "--date-format": "PATTERN",
    "--description": "TEXT",
    "--end": "WHEN",
    "--estimate": "DURATION",
    "--format": "FORMAT",
    "--from": "DATE",
    "--home": "FOLDER",
    "--hour-value": "AMOUNT",
    "--map": "FILE",
    "--minimum": "DURATION",
    "--name": "NAME",
    "--note": "TEXT",
    "--output": "FILE",
    "--oversight": "DURATION",
    "--rate": "AMOUNT",
    "--rounding": "DURATION",
    "--since": "DATE",
    "--start": "WHEN",
    "--state": "STATE",
    "--steps": "N",
    "--task": "TASK",
    "--to": "DATE",
    "--trial": "LENGTH",
    "--zone": "ZONE",
}
#: ...and where one command's option takes another kind of value than elsewhere.
COMMAND_OPTION_LABELS: dict[tuple[str, str], str] = {
    ("change", "--at"): "DATE",
    ("decide", "--at"): "DATE",
    ("estimate", "--at"): "DATE",
}


def _label(code: str) -> str:
    """``code`` (``TASK``, ``[MONTH]``) as a person reads it, in the user's language."""
    code = code.strip("[]")
    return _(LABELS.get(code, code))


def _is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False) or getattr(param, "count", False))


class _InTheUsersLanguage:
    """The usage line, ``--help`` and the help page in the user's language (mixed into
    Typer's own command and group classes).

    Every value is named with a word a person reads (``TASK``, ``DATE``, ``N``; in
    Italian ``MANSIONE``, ``DATA``...), never a programmer's type (``<str>``,
    ``<int range>``): an argument's ``metavar``, else :data:`OPTION_LABELS`.
    """

    def _name_the_values(self) -> None:
        """Give every parameter its label in the language in use (before parsing, a
        usage line or a help page; idempotent)."""
        for param in self.params:  # type: ignore[attr-defined]
            _name_the_value(param, self.name)  # type: ignore[attr-defined]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        self._name_the_values()
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """``[OPTIONS] TASK [MONTH]...``, in the user's language."""
        self._name_the_values()
        pieces = [_("[OPTIONS]")] if self.options_metavar else []  # type: ignore[attr-defined]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if isinstance(param, TyperArgument):
                piece = param.metavar if param.required else f"[{param.metavar}]"
                pieces.append(piece + ("..." if param.nargs != 1 else ""))
        if isinstance(self, TyperGroup):
            pieces.append(_("COMMAND [ARGS]..."))
        return pieces

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, pieces, _("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
            _name_the_value(option, self.name)  # type: ignore[attr-defined]
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        framework.prepare_help()
        self._name_the_values()
        super().format_help(ctx, formatter)  # type: ignore[misc]


def _name_the_value(param: Any, command: str | None) -> None:
    """Name ``param``'s value in the language in use: its ``metavar`` (used by the usage
    line and the errors) and what the help page shows beside it."""
    source = param.__dict__.get("_mansioni_label")
    if source is None:
        if isinstance(param, TyperArgument):
            source = param.metavar or param.name.upper()
        elif _is_flag(param):
            source = ""
        else:
            long = next((o for o in param.opts if o.startswith("--")), "")
            source = (
                param.metavar
                or COMMAND_OPTION_LABELS.get((command or "", long))
                or OPTION_LABELS.get(long, "VALUE")
            )
        param._mansioni_label = source
    param.metavar = _label(source) if source else None
    param.display_type_rich = functools.partial(_value_label, param)


def _value_label(param: Any, ctx: Any = None) -> str | None:
    """What the help page shows beside an option: the word for its value; nothing beside
    a flag or an argument (named already). (A number's range is said by the option's
    help and checked by its command, so no option has ``min=``/``max=``.)"""
    if isinstance(param, TyperArgument) or _is_flag(param) or not param.metavar:
        return None
    return param.metavar


class Command(_InTheUsersLanguage, TyperCommand):
    """A command that speaks the user's language."""


class Group(_InTheUsersLanguage, TyperGroup):
    """A group of commands (``client``, ``task``, ``import``), as :class:`Command` speaks."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.suggest_commands = False  # Typer's guess minds case and accents: ours, below

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """A command name that is none of this group's: "Did you mean" the closest ones,
        case and accents aside (``domain.suggest``)."""
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            if _no_such_option(exc) or not args or not hasattr(exc, "message"):
                raise  # an unknown option: _usage_errors_in_language suggests
            from mansioni.domain.suggest import close_words, did_you_mean

            found = close_words(args[0], self.list_commands(ctx))
            if found:  # Typer's "No such command" is said by its catalog (framework)
                exc.message = f"{exc.message.rstrip('.')}. {did_you_mean(found)}"
            raise


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
        with _usage_errors_in_language(None):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            with _usage_errors_in_language(ctx):
                return super().invoke(ctx)
        except MansioniError as exc:
            raise typer.Exit(errors.report(exc)) from None


@contextmanager
def _usage_errors_in_language(root: Any) -> Iterator[None]:
    """Typer's usage errors (exit status 2) said in the user's language, the way
    ``cli.errors`` says every error."""
    try:
        yield
    except (typer.TyperException, typer.Abort, EOFError) as exc:
        framework.prepare_help()  # Typer is about to draw the error
        ctx = getattr(exc, "ctx", None)
        if _no_such_option(exc):
            _suggest_options(exc)
        if (
            isinstance(exc, typer.TyperException)
            and exc.exit_code == 2
            and (ctx is not None or root is not None)
            and type(exc).__name__ != "NoArgsIsHelpError"  # it shows the help page
        ):
            # Said as every other error is (cli.errors), not in a box of the framework's.
            message = framework.translate_usage_error(exc.format_message())
            if ctx is not None:
                status = errors.usage(message, ctx.get_usage(), ctx.command_path)
            else:  # an option's value missing: the parser knows no context
                path = " ".join(filter(None, (root.command_path, root.invoked_subcommand)))
                status = errors.usage(message, None, path)
            raise typer.Exit(status) from None
        raise


def _no_such_option(exc: BaseException) -> bool:
    """Whether ``exc`` is Typer's "No such option" (named by its class: Typer exports it
    under no public name)."""
    return type(exc).__name__ == "NoSuchOption" and hasattr(exc, "option_name")


def _suggest_options(exc: Any) -> None:
    """An unknown option: "Did you mean" the closest of those its command takes (Typer
    would list any of them with its own closeness, which minds case and accents)."""
    from mansioni.domain.suggest import close_words, did_you_mean

    typed = exc.option_name
    command = exc.ctx.command if exc.ctx is not None else None
    if command is None or not typed.startswith("--"):
        return
    taken = [
        name
        for param in command.get_params(exc.ctx)
        if not getattr(param, "hidden", False)
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("--")
    ]
    found = close_words(typed, taken)
    exc.possibilities = None
    exc.message = f"No such option: {typed}"
    if found:  # "No such option:" is said by framework.translate_usage_error
        exc.message += ". " + did_you_mean(found)


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
