"""Clients and tasks as ``client``/``task`` ``list`` and ``show`` print them: the
headers and cells of a list (``mansioni.cli.layout`` fits them to the terminal), lines
of text, or the dictionaries ``--json`` prints.
"""

from __future__ import annotations

from mansioni.domain.text import shown
from mansioni.domain.timeparse import format_duration
from mansioni.i18n import _, ngettext
from mansioni.report.labels import BASIS_LABEL, STATE_LABEL
from mansioni.report.verdict_text import money

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
    from zoneinfo import ZoneInfo

    from mansioni.store.queries.catalog import ClientRecord, TaskRecord, TaskTotals


def client_dict(client: ClientRecord) -> dict[str, Any]:
    return client.as_dict()


def task_dict(task: TaskRecord, client: ClientRecord) -> dict[str, Any]:
    return {**task.as_dict(), "client": client.name, "full_name": f"{client.name}/{task.name}"}


def _minutes(count: int | None) -> str:
    return ngettext("{n} minute", "{n} minutes", count).format(n=count) if count else "-"


def began_line(since_utc: int | None, tz: ZoneInfo | None) -> list[str]:
    """The day the work began, as set with ``--since`` (nothing when it was not set)."""
    if since_utc is None or tz is None:
        return []
    from mansioni.domain.calendar import local_date
    from mansioni.i18n.dates import day

    return [_("Work began on {day} (--since).").format(day=day(local_date(since_utc, tz)))]


def client_lines(
    client: ClientRecord, tasks: list[TaskRecord], tz: ZoneInfo | None = None
) -> list[str]:
    """``client show``: the client's terms, then its tasks."""
    lines = [
        _("Client: {name}").format(name=shown(client.name)),
        _("Currency: {currency}").format(currency=client.currency),
        _("Value of the client's hour: {value}").format(
            value=money(client.hour_value_cents, client.currency)
        ),
        _("Hourly rate: {rate}").format(rate=money(client.rate_cents, client.currency)),
        _("Rounding: {minutes}").format(minutes=_minutes(client.rounding_minutes)),
        _("Minimum per piece of work: {minutes}").format(minutes=_minutes(client.minimum_minutes)),
    ]
    lines += began_line(client.since_utc, tz)
    if client.archived:
        lines.append(_("Archived."))
    lines.append(_("Tasks: {names}").format(names=", ".join(shown(t.name) for t in tasks) or "-"))
    return lines


def client_headers() -> list[str]:
    """``client list``'s columns, in order (``client_row`` gives their cells)."""
    return [
        _("Client"),
        _("Currency"),
        _("Hour value"),
        _("Rate"),
        _("Rounding"),
        _("Minimum"),
        _("State"),
    ]


def client_row(x: ClientRecord) -> list[str]:
    """``client list``: one client's cells."""
    return [
        shown(x.name),
        shown(x.currency),
        money(x.hour_value_cents, x.currency),
        money(x.rate_cents, x.currency),
        _minutes(x.rounding_minutes),  # as client show says them
        _minutes(x.minimum_minutes),
        _("archived") if x.archived else _("active"),
    ]


def estimate_text(task: TaskRecord) -> str:
    if task.estimate_seconds is None:
        return "-"
    return f"{format_duration(task.estimate_seconds)} {BASIS_LABEL[task.estimate_basis]()}"


def _days(count: int) -> str:
    return ngettext("{n} day", "{n} days", count).format(n=count)


def task_headers() -> list[str]:
    """``task list``'s columns, in order (``task_row`` gives their cells)."""
    return [_("Task"), _("Client's estimate"), _("Rate"), _("Trial"), _("State")]


def task_row(t: TaskRecord, cl: ClientRecord) -> list[str]:
    """``task list``: one task's cells, under its client's name (so the task's own name),
    with the rate it is billed at."""
    rate = t.rate_cents if t.rate_cents is not None else cl.rate_cents
    return [
        shown(t.name),
        estimate_text(t),
        money(rate, cl.currency),
        _days(t.trial_days),
        STATE_LABEL[t.state](),
    ]


def task_lines(
    task: TaskRecord, client: ClientRecord, totals: TaskTotals, tz: ZoneInfo | None = None
) -> list[str]:
    """``task show``: the task's terms and what is recorded for it."""
    rate = task.rate_cents if task.rate_cents is not None else client.rate_cents
    lines = [
        _("Task: {task}").format(task=shown(f"{client.name}/{task.name}")),
        _("State: {state}").format(state=STATE_LABEL[task.state]()),
        _("Client's estimate: {estimate}").format(estimate=estimate_text(task)),
        _("Hourly rate: {rate}").format(rate=money(rate, client.currency)),
        _("Client's oversight: {time}").format(time=format_duration(task.oversight_seconds)),
        _("Trial: {days}").format(days=_days(task.trial_days)),
        _("Recorded: {time} in {occurrences} ({entries})").format(
            time=format_duration(totals.seconds),
            occurrences=ngettext("{n} occurrence", "{n} occurrences", totals.occurrences).format(
                n=totals.occurrences
            ),
            entries=ngettext("{n} entry", "{n} entries", totals.entries).format(n=totals.entries),
        ),
    ]
    lines += began_line(task.since_utc, tz)
    if task.description:
        lines.append(_("Description: {text}").format(text=shown(task.description, lines=True)))
    return lines
