"""``mansioni client …`` and ``mansioni task …``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from mansioni.cli.common import console, context, echo_json
from mansioni.domain.text import shown
from mansioni.domain.timeparse import format_duration, parse_duration
from mansioni.domain.values import (
    BASIS_WORDS,
    STATE_WORDS,
    parse_choice,
    parse_currency,
    parse_days,
    parse_money,
)
from mansioni.i18n import _, ngettext
from mansioni.report.labels import BASIS_LABEL, STATE_LABEL
from mansioni.report.verdict_text import money

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

    from mansioni.store.orm.models import Client, Task


def _catalog() -> ModuleType:
    """The catalog service, imported when a catalog command runs (it loads SQLModel)."""
    from mansioni.services import catalog

    return catalog


clients = typer.Typer(
    help=_("Clients: who you work for.\n\n$ mansioni client add 'Studio Rossi' --rate 28"),
    no_args_is_help=True,
)
tasks = typer.Typer(
    help=_(
        "Tasks: the duties you do for each client.\n\n$ mansioni task add rossi/newsletter --estimate 45m"
    ),
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


def client_dict(client: Client) -> dict[str, Any]:
    return client.model_dump()


def _client_lines(client: Client) -> list[str]:
    lines = [
        _("Client: {name}").format(name=shown(client.name)),
        _("Currency: {currency}").format(currency=client.currency),
        _("Value of the client's hour: {value}").format(
            value=money(client.hour_value_cents, client.currency)
        ),
        _("Hourly rate: {rate}").format(rate=money(client.rate_cents, client.currency)),
        _("Rounding: {minutes}").format(
            minutes=ngettext("{n} minute", "{n} minutes", client.rounding_minutes).format(
                n=client.rounding_minutes
            )
            if client.rounding_minutes
            else "-"
        ),
        _("Minimum per piece of work: {minutes}").format(
            minutes=ngettext("{n} minute", "{n} minutes", client.minimum_minutes).format(
                n=client.minimum_minutes
            )
            if client.minimum_minutes
            else "-"
        ),
    ]
    if client.archived:
        lines.append(_("Archived."))
    return lines


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
) -> None:
    c = context(ctx)
    values = _client_values(name, currency, hour_value, rate, rounding, minimum)
    client = _catalog().add_client(c.orm_store, values=values, person=c.person, now=c.now)
    typer.echo(_("Added client {name}.").format(name=shown(client.name)))


@clients.command("list", help=_("List the clients.\n\n$ mansioni client list --json"))
def client_list(ctx: typer.Context, include_all: ALL = False, as_json: JSON = False) -> None:
    c = context(ctx)
    found = _catalog().list_clients(c.orm_store, include_archived=include_all)
    if as_json:
        echo_json([client_dict(x) for x in found])
        return
    if not found:
        typer.echo(_("No clients yet. Add one: mansioni client add 'Studio Rossi' --rate 28"))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold")
    for header in (
        _("Client"),
        _("Currency"),
        _("Hour value"),
        _("Rate"),
        _("Rounding"),
        _("Minimum"),
        _("State"),
    ):
        table.add_column(header)
    for x in found:
        table.add_row(
            Text(shown(x.name)),  # Text: a name is never read as Rich markup
            Text(shown(x.currency)),
            money(x.hour_value_cents, x.currency),
            money(x.rate_cents, x.currency),
            f"{x.rounding_minutes}m" if x.rounding_minutes else "-",
            f"{x.minimum_minutes}m" if x.minimum_minutes else "-",
            _("archived") if x.archived else _("active"),
        )
    console().print(table)


@clients.command("show", help=_("Show a client and its tasks.\n\n$ mansioni client show rossi"))
def client_show(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="CLIENT", help=_("Any unambiguous part of the name."))
    ],
    as_json: JSON = False,
) -> None:
    c = context(ctx)
    client, its_tasks = _catalog().show_client(c.orm_store, name)
    if as_json:
        echo_json({**client_dict(client), "tasks": [t.model_dump() for t in its_tasks]})
        return
    lines = _client_lines(client)
    lines.append(
        _("Tasks: {names}").format(names=", ".join(shown(t.name) for t in its_tasks) or "-")
    )
    typer.echo("\n".join(lines))


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
    active: Annotated[
        bool, typer.Option("--active", help=_("Bring an archived client back."))
    ] = False,
) -> None:
    c = context(ctx)
    values = _client_values(new_name, currency, hour_value, rate, rounding, minimum)
    if active:
        values["archived"] = False
    client = _catalog().edit_client(c.orm_store, name, changes=values, person=c.person, now=c.now)
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
    client = _catalog().archive_client(c.orm_store, name, person=c.person, now=c.now)
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


def _estimate(task: Task) -> str:
    if task.estimate_seconds is None:
        return "-"
    return f"{format_duration(task.estimate_seconds)} {BASIS_LABEL[task.estimate_basis]()}"


def task_dict(task: Task, client: Client) -> dict[str, Any]:
    return {**task.model_dump(), "client": client.name, "full_name": f"{client.name}/{task.name}"}


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
) -> None:
    c = context(ctx)
    values = _task_values(None, description, estimate, basis, rate, oversight, trial)
    task, client = _catalog().add_task(c.orm_store, ref, values=values, person=c.person, now=c.now)
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
    found = _catalog().list_tasks(c.orm_store, client=client, include_archived=include_all)
    if as_json:
        echo_json([task_dict(t, cl) for t, cl in found])
        return
    if not found:
        typer.echo(_("No tasks yet. Add one: mansioni task add rossi/newsletter --estimate 45m"))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold")
    for header in (_("Task"), _("Client's estimate"), _("Rate"), _("Trial"), _("State")):
        table.add_column(header)
    for t, cl in found:
        rate = t.rate_cents if t.rate_cents is not None else cl.rate_cents
        table.add_row(
            Text(shown(f"{cl.name}/{t.name}")),  # never read as Rich markup
            _estimate(t),
            money(rate, cl.currency),
            ngettext("{n} day", "{n} days", t.trial_days).format(n=t.trial_days),
            STATE_LABEL[t.state](),
        )
    console().print(table)


@tasks.command("show", help=_("Show a task.\n\n$ mansioni task show rossi/newsletter"))
def task_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="TASK", help=_("The task, as client/task."))],
    as_json: JSON = False,
) -> None:
    c = context(ctx)
    task, client, totals = _catalog().show_task(c.orm_store, ref)
    if as_json:
        echo_json({**task_dict(task, client), "totals": totals})
        return
    rate = task.rate_cents if task.rate_cents is not None else client.rate_cents
    lines = [
        _("Task: {task}").format(task=shown(f"{client.name}/{task.name}")),
        _("State: {state}").format(state=STATE_LABEL[task.state]()),
        _("Client's estimate: {estimate}").format(estimate=_estimate(task)),
        _("Hourly rate: {rate}").format(rate=money(rate, client.currency)),
        _("Client's oversight: {time}").format(time=format_duration(task.oversight_seconds)),
        _("Trial: {days}").format(
            days=ngettext("{n} day", "{n} days", task.trial_days).format(n=task.trial_days)
        ),
        _("Recorded: {time} in {occurrences} ({entries})").format(
            time=format_duration(totals["seconds"]),
            occurrences=ngettext("{n} occurrence", "{n} occurrences", totals["occurrences"]).format(
                n=totals["occurrences"]
            ),
            entries=ngettext("{n} entry", "{n} entries", totals["entries"]).format(
                n=totals["entries"]
            ),
        ),
    ]
    if task.description:
        lines.append(_("Description: {text}").format(text=shown(task.description, lines=True)))
    typer.echo("\n".join(lines))


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
) -> None:
    c = context(ctx)
    values = _task_values(new_name, description, estimate, basis, rate, oversight, trial, state)
    task, client = _catalog().edit_task(
        c.orm_store, ref, changes=values, person=c.person, now=c.now
    )
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
    task, client = _catalog().archive_task(c.orm_store, ref, person=c.person, now=c.now)
    typer.echo(_("Archived task {task}.").format(task=shown(f"{client.name}/{task.name}")))
