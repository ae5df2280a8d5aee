"""The full command line: one Typer app, one sub-app per noun, one error boundary.

Every ``MansioniError`` raised below becomes one clear message and its exit status
(``cli.errors.report``); unexpected errors keep their traceback but never show
local variables, which could hold a client's data.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mansioni import __version__
from mansioni.cli import catalog, entries, errors, timer
from mansioni.errors import MansioniError
from mansioni.i18n import _


class _Group(TyperGroup):
    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MansioniError as exc:
            raise typer.Exit(errors.report(exc)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mansioni {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
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


app.add_typer(catalog.clients, name="client")
app.add_typer(catalog.tasks, name="task")
timer.register(app)
entries.register(app)

from mansioni.cli import demo, doctor, export, importing, info, report, review, story  # noqa: E402

story.register(app)
review.register(app)
demo.register(app)
info.register(app)
doctor.register(app)
export.register(app)
report.register(app)
importing.register(app)


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
