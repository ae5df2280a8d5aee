"""``mansioni client …`` and ``mansioni task …``: their options, parsed; what they print
is drawn by ``mansioni.report.catalog``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import Context, context, echo_json, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.layout import Column, fit, show, table_lines
from mansioni.domain.text import shown
from mansioni.domain.timeparse import parse_duration
from mansioni.domain.values import (
    BASIS_WORDS,
    STATE_WORDS,
    parse_choice,
    parse_currency,
    parse_days,
    parse_money,
)
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.report.catalog import (
    client_dict,
    client_headers,
    client_lines,
    client_row,
    task_dict,
    task_headers,
    task_lines,
    task_row,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType


def _catalog() -> ModuleType:
    """The catalog service, imported when a catalog command runs."""
    from mansioni.services import catalog

    return catalog


clients = typer.Typer(
    help=command_help("client"),
    no_args_is_help=True,
)
tasks = typer.Typer(
    help=command_help("task"),
    no_args_is_help=True,
)

JSON = Annotated[bool, typer.Option("--json", help=_("Print JSON."))]
ALL = Annotated[bool, typer.Option("--all", help=_("Include archived ones."))]
CURRENCY = Annotated[str | None, typer.Option("--currency", help=_("ISO code: EUR, USD, CHF."))]
HOUR_VALUE = Annotated[
    str | None,
    typer.Option("--hour-value", help=_("What one hour of the client's own time is worth: 90.")),
]
RATE = Annotated[str | None, typer.Option("--rate", help=_("Your hourly rate: 28 or 28.50."))]
ROUNDING = Annotated[
    str | None, typer.Option("--rounding", help=_("Billing increment: 15m, 6m, 1h."))
]
MINIMUM = Annotated[
    str | None,
    typer.Option("--minimum", help=_("Least time billed for a piece of work: 30m, 1h.")),
]
DESCRIPTION = Annotated[
    str | None,
    typer.Option("--description", "--note", help=_("What the duty is, or its procedure notes.")),
]
ESTIMATE = Annotated[
    str | None,
    typer.Option("--estimate", help=_("The client's estimate of their own time: 45m, 1h30.")),
]
BASIS = Annotated[
    str | None,
    typer.Option("--basis", help=_("What the estimate is for: occurrence, week or month.")),
]
OVERSIGHT = Annotated[
    str | None,
    typer.Option(
        "--oversight", help=_("The client's own time per occurrence (briefing, checking): 10m.")
    ),
]
TRIAL = Annotated[str | None, typer.Option("--trial", help=_("Trial length: 90d, 12w."))]
SINCE = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help=_("The day the work began, if before today: 2026-10-19. Its history counts from it."),
    ),
]


#: The earliest year ``--since`` takes: the clock's epoch.
EARLIEST_SINCE = 1970


def _since(c: Context, text: str | None, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with ``since_utc``: the start of the day ``--since`` names, on the
    user's clock; never a day to come."""
    if text is None:
        return values
    from mansioni.domain.calendar import day_bounds
    from mansioni.domain.timeparse import parse_day

    today = c.moment.date()
    day = parse_day(text, today=today)
    if day > today:
        raise InputError(
            _("--since names a day to come: the work began on a day already past."),
            hint=_("For example: --since 2026-10-19"),
        )
    if day.year < EARLIEST_SINCE:
        raise InputError(
            _("--since goes back to {year} at the earliest.").format(year=EARLIEST_SINCE),
            hint=_("For example: --since 2026-10-19"),
        )
    return {**values, "since_utc": day_bounds(day, c.tz)[0]}


def _parsed(fields: dict[str, tuple[str | None, Callable[[str], Any]]]) -> dict[str, Any]:
    """``{column: parse(text)}`` for every option that was given (``text`` not None)."""
    return {column: parse(text) for column, (text, parse) in fields.items() if text is not None}


def _minutes(text: str) -> int:
    return int(parse_duration(text).total_seconds() // 60) or 1


def _seconds(text: str) -> int:
    return int(parse_duration(text).total_seconds())


def _seconds_or_zero(text: str) -> int:
    """Like ``_seconds``, and ``0`` (or ``0m``) for none: oversight can be taken back to nothing."""
    if text.strip().lower() in ("0", "0m", "0s", "0h", "0:00"):
        return 0
    return _seconds(text)


def _client_values(
    name: str | None = None,
    currency: str | None = None,
    hour_value: str | None = None,
    rate: str | None = None,
    rounding: str | None = None,
    minimum: str | None = None,
) -> dict[str, Any]:
    return _parsed(
        {
            "name": (name, str),
            "currency": (currency, parse_currency),
            "hour_value_cents": (hour_value, parse_money),
            "rate_cents": (rate, parse_money),
            "rounding_minutes": (rounding, _minutes),
            "minimum_minutes": (minimum, _minutes),
        }
    )


@clients.command(
    "add", help=_("Add a client.\n\n$ mansioni client add 'Studio Rossi' --hour-value 90 --rate 28")
)
def client_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("The client's name."))],
    currency: CURRENCY = None,
    hour_value: HOUR_VALUE = None,
    rate: RATE = None,
    rounding: ROUNDING = None,
    minimum: MINIMUM = None,
    since: SINCE = None,
) -> None:
    from mansioni import config

    c = context(ctx)
    values = _client_values(name, currency, hour_value, rate, rounding, minimum)
    values = {**config.client_defaults(), **_since(c, since, values)}  # options win
    client = _catalog().add_client(c.store, values=values, person=c.person, now=c.now)
    typer.echo(_("Added client {name}.").format(name=shown(client.name)))


@clients.command("list", help=_("List the clients.\n\n$ mansioni client list --json"))
def client_list(ctx: typer.Context, include_all: ALL = False, as_json: JSON = False) -> None:
    c = context(ctx)
    found = _catalog().list_clients(c.store, include_archived=include_all)
    if as_json:
        echo_json([client_dict(x) for x in found])
        return
    if not found:
        typer.echo(_("No clients yet. Add one: mansioni client add 'Studio Rossi' --rate 28"))
        return
    headers = client_headers()
    columns = [Column(headers[0], name=True), *(Column(h) for h in headers[1:])]
    # on a narrow terminal the currency goes first: the amounts say it
    layouts = (tuple(range(len(columns))), (0, *range(2, len(columns))))
    show(table_lines(columns, [(None, [client_row(x) for x in found])], terminal_width(), layouts))


@clients.command("show", help=_("Show a client and its tasks.\n\n$ mansioni client show rossi"))
def client_show(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="CLIENT", help=_("Any unambiguous part of the name."))
    ],
    as_json: JSON = False,
) -> None:
    c = context(ctx)
    client, its_tasks = _catalog().show_client(c.store, name)
    if as_json:
        echo_json({**client_dict(client), "tasks": [t.as_dict() for t in its_tasks]})
        return
    echo_lines(_fitted(client_lines(client, its_tasks, c.tz)))


@clients.command("edit", help=_("Change a client.\n\n$ mansioni client edit rossi --rate 30"))
def client_edit(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="CLIENT", help=_("Any unambiguous part of the name."))
    ],
    new_name: Annotated[str | None, typer.Option("--name", help=_("A new name."))] = None,
    currency: CURRENCY = None,
    hour_value: HOUR_VALUE = None,
    rate: RATE = None,
    rounding: ROUNDING = None,
    minimum: MINIMUM = None,
    since: SINCE = None,
    active: Annotated[
        bool, typer.Option("--active", help=_("Bring an archived client back."))
    ] = False,
) -> None:
    c = context(ctx)
    values = _since(
        c, since, _client_values(new_name, currency, hour_value, rate, rounding, minimum)
    )
    if active:
        values["archived"] = False
    client = _catalog().edit_client(c.store, name, changes=values, person=c.person, now=c.now)
    typer.echo(_("Updated client {name}.").format(name=shown(client.name)))


@clients.command(
    "archive",
    help=_("Archive a client: hidden from lists, history kept.\n\n$ mansioni client archive rossi"),
)
def client_archive(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="CLIENT", help=_("Any unambiguous part of the name."))
    ],
) -> None:
    c = context(ctx)
    client = _catalog().archive_client(c.store, name, person=c.person, now=c.now)
    typer.echo(_("Archived client {name}.").format(name=shown(client.name)))


# -- tasks -------------------------------------------------------------------------


def _task_values(
    name: str | None = None,
    description: str | None = None,
    estimate: str | None = None,
    basis: str | None = None,
    rate: str | None = None,
    oversight: str | None = None,
    trial: str | None = None,
    state: str | None = None,
) -> dict[str, Any]:
    return _parsed(
        {
            "name": (name, str),
            "description": (description, lambda text: text or None),
            "estimate_seconds": (estimate, _seconds),
            "estimate_basis": (basis, lambda t: parse_choice(t, BASIS_WORDS, what=_("basis"))),
            "rate_cents": (rate, parse_money),
            "oversight_seconds": (oversight, _seconds_or_zero),
            "trial_days": (trial, parse_days),
            "state": (state, lambda t: parse_choice(t, STATE_WORDS, what=_("state"))),
        }
    )


@tasks.command(
    "add",
    help=_(
        "Add a task to a client.\n\n$ mansioni task add rossi/newsletter --estimate 45m --trial 90d --note 'weekly, Mailchimp'"
    ),
)
def task_add(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(metavar="CLIENT/TASK", help=_("The client and the new task's name."))
    ],
    description: DESCRIPTION = None,
    estimate: ESTIMATE = None,
    basis: BASIS = None,
    rate: RATE = None,
    oversight: OVERSIGHT = None,
    trial: TRIAL = None,
    since: SINCE = None,
) -> None:
    from mansioni import config

    c = context(ctx)
    values = _task_values(None, description, estimate, basis, rate, oversight, trial)
    values = {**config.task_defaults(), **_since(c, since, values)}  # options win
    task, client = _catalog().add_task(c.store, ref, values=values, person=c.person, now=c.now)
    typer.echo(_("Added task {task}.").format(task=shown(f"{client.name}/{task.name}")))


@tasks.command("list", help=_("List the tasks.\n\n$ mansioni task list --client rossi"))
def task_list(
    ctx: typer.Context,
    client: Annotated[
        str | None, typer.Option("--client", help=_("Only this client's tasks."))
    ] = None,
    include_all: ALL = False,
    as_json: JSON = False,
) -> None:
    c = context(ctx)
    found = _catalog().list_tasks(c.store, client=client, include_archived=include_all)
    if as_json:
        echo_json([task_dict(t, cl) for t, cl in found])
        return
    if not found:
        typer.echo(_("No tasks yet. Add one: mansioni task add rossi/newsletter --estimate 45m"))
        return
    headers = task_headers()
    columns = [Column(headers[0], name=True, lead=2), *(Column(h) for h in headers[1:])]
    groups: dict[str, list[list[str]]] = {}
    for t, cl in found:  # by client, then by task
        groups.setdefault(shown(cl.name), []).append(task_row(t, cl))
    # on a narrow terminal the trial's length goes first (task show says it)
    layouts = ((0, 1, 2, 3, 4), (0, 1, 2, 4))
    show(table_lines(columns, list(groups.items()), terminal_width(), layouts))


@tasks.command("show", help=_("Show a task.\n\n$ mansioni task show rossi/newsletter"))
def task_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="TASK", help=_("The task, as client/task."))],
    as_json: JSON = False,
) -> None:
    c = context(ctx)
    task, client, totals = _catalog().show_task(c.store, ref)
    if as_json:
        echo_json({**task_dict(task, client), "totals": totals.as_dict()})
        return
    echo_lines(_fitted(task_lines(task, client, totals, c.tz)))


def _fitted(lines: list[str]) -> list[str]:
    """``show``'s lines (a description may hold several) wrapped to the terminal."""
    return fit([part for line in lines for part in line.split("\n")], terminal_width())


@tasks.command(
    "edit", help=_("Change a task.\n\n$ mansioni task edit rossi/newsletter --estimate 50m")
)
def task_edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="TASK", help=_("The task, as client/task."))],
    new_name: Annotated[str | None, typer.Option("--name", help=_("A new name."))] = None,
    description: DESCRIPTION = None,
    estimate: ESTIMATE = None,
    basis: BASIS = None,
    rate: RATE = None,
    oversight: OVERSIGHT = None,
    trial: TRIAL = None,
    state: Annotated[
        str | None,
        typer.Option("--state", help=_("trial, active, handed-back or archived.")),
    ] = None,
    since: SINCE = None,
) -> None:
    c = context(ctx)
    values = _since(
        c,
        since,
        _task_values(new_name, description, estimate, basis, rate, oversight, trial, state),
    )
    task, client = _catalog().edit_task(c.store, ref, changes=values, person=c.person, now=c.now)
    typer.echo(_("Updated task {task}.").format(task=shown(f"{client.name}/{task.name}")))


@tasks.command(
    "archive",
    help=_(
        "Archive a task: hidden from lists, history kept.\n\n$ mansioni task archive rossi/newsletter"
    ),
)
def task_archive(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="TASK", help=_("The task, as client/task."))],
) -> None:
    c = context(ctx)
    task, client = _catalog().archive_task(c.store, ref, person=c.person, now=c.now)
    typer.echo(_("Archived task {task}.").format(task=shown(f"{client.name}/{task.name}")))
