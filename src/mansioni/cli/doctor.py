"""``mansioni doctor``: check the store, one line per check; exit 3 when it is damaged."""

from __future__ import annotations

from typing import Annotated

import typer

from mansioni import clock
from mansioni.cli.commands import command_help
from mansioni.cli.common import echo_json, echo_lines
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
        lines = [_("Store: {store}").format(store=found.store)]
        for check in found.checks:
            lines.append(f"{labels[check.status]:<{width}}  {check.message}")
            lines.extend(" " * (width + 4) + detail for detail in check.details)
        echo_lines(lines)
    if not found.healthy:
        raise StoreError(
            _("The store has problems (see above)."),
            hint=_(
                "Each problem says what is wrong; a damaged store is best replaced by the newest backup."
            ),
        )
