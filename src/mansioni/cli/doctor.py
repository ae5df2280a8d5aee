"""``mansioni doctor``: check the store, one line per check; exit 3 when it is damaged."""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni import clock
from mansioni.cli.commands import command_help
from mansioni.cli.common import echo_json, echo_lines
from mansioni.cli.common import width as terminal_width
from mansioni.cli.layout import with_command, wrap
from mansioni.errors import StoreError
from mansioni.i18n import _
from mansioni.store.paths import store_url


def register(app: typer.Typer) -> None:
    app.command(
        "doctor",
        help=command_help("doctor"),
    )(doctor)


def _labels() -> dict[str, str]:
    from mansioni.services.doctor import OK, PROBLEM, WARNING

    return {OK: _("ok"), WARNING: _("warning"), PROBLEM: _("problem")}


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help=_("Print JSON."))] = False,
) -> None:
    from mansioni.services.doctor import diagnose

    found = diagnose(store_url(), now=clock.now())
    if as_json:
        echo_json(
            {
                "store": found.store,
                "healthy": found.healthy,
                "checks": [
                    {
                        "check": check.name,
                        "status": check.status,
                        "message": check.message,
                        "details": check.details,
                    }
                    for check in found.checks
                ],
            }
        )
    else:
        labels = _labels()
        width = max(len(label) for label in labels.values())
        room = terminal_width()
        lines = wrap(_("Store: {store}").format(store=found.store), room, hanging="  ")
        for check in found.checks:
            lines += with_command(
                check.message,
                room,
                indent=f"{labels[check.status]:<{width}}  ",
                hanging=" " * (width + 2),
            )
            for detail in check.details:
                lines += with_command(
                    detail, room, indent=" " * (width + 4), hanging=" " * (width + 4)
                )
        echo_lines(lines)
    if not found.healthy:
        raise StoreError(
            _("The store has problems (see above)."),
            hint=_(
                "Each problem says what is wrong; a damaged store is best replaced by the newest backup."
            ),
        )
