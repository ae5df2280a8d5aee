"""What every full-path command shares: the store, the clock, output helpers, formats."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer

from mansioni import clock
from mansioni.domain.timeparse import parse_instant
from mansioni.i18n import language
from mansioni.store.orm.engine import AlchemyStore
from mansioni.store.paths import store_url

_BABEL_LOCALE = {"en": "en_GB", "it": "it_IT"}


class Context:
    """The store, the person and the zone of one command, opened once."""

    def __init__(self) -> None:
        self._store: AlchemyStore | None = None
        self.person = clock.person()
        self.zone = clock.zone_name()
        self.tz = ZoneInfo(self.zone)
        self.now = clock.now()

    @property
    def store(self) -> AlchemyStore:
        if self._store is None:
            self._store = AlchemyStore(store_url())
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()

    def instant(self, text: str, *, day: date | None = None) -> int:
        return int(parse_instant(text, now=self.moment, zone=self.tz, day=day).timestamp())

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.now, self.tz)


def context(ctx: typer.Context) -> Context:
    """The command's ``Context``, made on first use and closed when the command ends."""
    root = ctx.find_root()
    if not isinstance(root.obj, Context):
        root.obj = Context()
        root.call_on_close(root.obj.close)
    return root.obj


def babel_locale() -> str:
    return _BABEL_LOCALE[language()]


def money(cents: int | None, currency: str) -> str:
    if cents is None:
        return "-"
    from babel.numbers import format_currency

    return format_currency(cents / 100, currency, locale=babel_locale())


def day_label(moment: datetime) -> str:
    from babel.dates import format_date

    return format_date(moment.date(), "EEE d MMM y", locale=babel_locale())


def echo_lines(lines: list[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def echo_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def console():  # noqa: ANN201 - Rich is imported only when a table is drawn
    from rich.console import Console

    # On a pipe Rich would wrap at 80 columns; a table piped to a file or grep should
    # keep one row a line. (A table only takes the width its content needs.)
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 240
    return Console(highlight=False, width=wide)
