"""The table of commands in ``mansioni.cli.app`` is true, and a command loads only its module.

``mansioni --help`` lists the commands from the table alone and a command imports only
the module the table names for it; so the table must say exactly what the modules
define: the same names, the same help, the same kind, nothing missing or extra.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.core import TyperGroup

import mansioni.cli
from mansioni.cli.app import Command, Group, Root, app, holder
from mansioni.cli.commands import COMMANDS, GROUP

#: Modules whose commands a table module adds inside one of its groups.
INSIDE_A_GROUP = {"restore": ("import", "jsonl")}


def built() -> dict[str, object]:
    """Every command of the full app, built from every module."""
    root = typer.main.get_command(app)
    return dict(root.commands.items())


def test_every_command_is_the_one_the_table_says() -> None:
    commands = built()
    assert list(commands) == [entry.name for entry in COMMANDS]
    for entry in COMMANDS:
        command = commands[entry.name]
        assert command.name == entry.name
        assert command.help == entry.help, f"the table's help of {entry.name!r} is stale"
        assert isinstance(command, TyperGroup) == (entry.kind == GROUP), entry.name
        # What the list on the help page takes from the table, not from the command:
        assert not command.hidden and not command.deprecated and command.short_help is None
        assert not getattr(command, "rich_help_panel", None)


def test_each_module_defines_its_table_commands_and_no_other() -> None:
    for module in {entry.module for entry in COMMANDS}:
        defined = {info.name for info in holder(module).registered_commands}
        defined |= {info.name for info in holder(module).registered_groups}
        listed = {entry.name for entry in COMMANDS if entry.module == module}
        assert defined == listed, f"mansioni.cli.{module}"


def test_no_module_with_commands_is_left_out() -> None:
    in_table = {entry.module for entry in COMMANDS}
    commands = built()
    for found in pkgutil.iter_modules(mansioni.cli.__path__):
        module = importlib.import_module(f"mansioni.cli.{found.name}")
        has_commands = hasattr(module, "register") or any(
            isinstance(value, typer.Typer) for name, value in vars(module).items() if name != "app"
        )
        if not has_commands or found.name in in_table:
            continue
        assert found.name in INSIDE_A_GROUP, f"mansioni.cli.{found.name} is not in the table"
        group, name = INSIDE_A_GROUP[found.name]
        assert name in commands[group].commands


def test_every_command_speaks_through_our_classes() -> None:
    def walk(command) -> None:  # noqa: ANN001
        assert isinstance(command, Command | Group), command.name
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    root = typer.main.get_command(app)
    assert isinstance(root, Root)
    for command in built().values():
        walk(command)


def test_the_help_page_from_the_table_is_the_one_of_the_commands(capsys) -> None:
    root = typer.main.get_command(app)
    ctx = typer.Context(root, info_name="mansioni")
    root.get_help(ctx)  # Rich draws it on stdout
    from_table = capsys.readouterr().out
    assert "Where your data is, and the settings in use." in from_table
    Group.format_help(root, ctx, ctx.make_formatter())  # the same, from the commands
    assert capsys.readouterr().out == from_table


CHILD = """
import json, sys
from mansioni.cli.app import COMMANDS, run_app
code = run_app(sys.argv[1:])
modules = sorted({entry.module for entry in COMMANDS if "mansioni.cli." + entry.module in sys.modules})
heavy = sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic", "pendulum", "rich") if m in sys.modules)
print(json.dumps({"code": code, "modules": modules, "heavy": heavy}))
"""


@pytest.mark.parametrize(
    ("args", "modules", "heavy"),
    [
        (["info"], ["info"], []),
        (["log", "--month"], ["log"], []),
        (["--help"], [], ["rich"]),
    ],
)
def test_a_command_imports_only_its_module(cli, args, modules, heavy) -> None:
    cli("client", "add", "Studio Rossi")  # a store at this program's schema
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen == {"code": 0, "modules": modules, "heavy": heavy}
