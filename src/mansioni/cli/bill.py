"""``bill``: mark a client's entries of a period as invoiced.

The period is said as for ``report`` (``--month [MONTH]``, ``--week``, ``--from/--to``,
one of them, always: nothing is marked by default). ``services.billing`` marks the
entries in one journaled operation and works out what it marked as the report prices
it; this says so, and what it left.
"""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni.cli.commands import command_help
from mansioni.cli.common import FROM_DAY, MONTH, MONTH_ARG, TO_DAY, WEEK, context
from mansioni.domain.text import shown
from mansioni.errors import InputError
from mansioni.i18n import _, ngettext


def register(app: typer.Typer) -> None:
    app.command("bill", help=command_help("bill"))(bill)


def bill(
    ctx: typer.Context,
    month_words: MONTH_ARG = None,
    client: Annotated[str | None, typer.Option("--client", help=_("The client invoiced."))] = None,
    week: WEEK = False,
    month: MONTH = False,
    start: FROM_DAY = None,
    end: TO_DAY = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help=_("A note kept with the marking: the invoice's number.")),
    ] = None,
) -> None:
    from mansioni.cli.report import choose_period
    from mansioni.report.period import duration, money_text, span_text
    from mansioni.services.billing import bill as mark

    c = context(ctx)
    if client is None:
        raise InputError(
            _("Say which client the invoice is for, with --client."),
            hint=_("For example: mansioni bill --client rossi --month 2026-11"),
        )
    if not (week or month or month_words or start is not None or end is not None):
        raise InputError(
            _("Say which period the invoice covers: --month [MONTH], --week or --from/--to."),
            hint=_("For example: mansioni bill --client rossi --month 2026-11"),
        )
    first, last = choose_period(
        today=c.moment.date(),
        week=week,
        month=month,
        month_text=" ".join(month_words) if month_words else None,
        start=start,
        end=end,
        moment=c.moment,
        example="mansioni bill --client rossi",
        takes_task=False,
    )
    done = mark(
        c.store,
        client=client,
        first=first,
        last=last,
        zone=c.zone,
        person=c.person,
        now=c.now,
        note=note,
    )
    period = span_text(first, last)
    name = shown(done.client)
    if done.invoice_id is None:
        if done.already:
            typer.echo(
                ngettext(
                    "Nothing new to invoice: the {n} entry of {client} in {period} is invoiced already.",
                    "Nothing new to invoice: the {n} entries of {client} in {period} are invoiced already.",
                    done.already,
                ).format(n=done.already, client=name, period=period)
            )
        else:
            typer.echo(
                _("{client} has no finished entry in {period}: nothing to invoice.").format(
                    client=name, period=period
                )
            )
    else:
        typer.echo(
            ngettext(
                "Marked {n} entry of {client} in {period} as invoiced.",
                "Marked {n} entries of {client} in {period} as invoiced.",
                done.marked,
            ).format(n=done.marked, client=name, period=period)
        )
        for figures in done.figures:
            typer.echo(
                _("On this invoice: {billed} billed, {amount}.").format(
                    billed=duration(figures.billed_seconds),
                    amount=money_text(figures.amount_cents, figures.currency),
                )
            )
        if done.already:
            typer.echo(
                ngettext(
                    "{n} entry of the period was invoiced already.",
                    "{n} entries of the period were invoiced already.",
                    done.already,
                ).format(n=done.already)
            )
    if done.running:
        typer.echo(
            ngettext(
                "Not marked: {n} timer still running in the period; stop it, then bill again.",
                "Not marked: {n} timers still running in the period; stop them, then bill again.",
                done.running,
            ).format(n=done.running),
            err=True,
        )
    if done.invoice_id is not None:
        typer.echo(_("mansioni undo takes the marking back."))
