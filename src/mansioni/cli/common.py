"""What every full-path command shares: the store, the clock, output helpers, formats."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer

from mansioni import clock
from mansioni.domain.text import json_text
from mansioni.domain.timeparse import parse_instant
from mansioni.i18n import babel_locale
from mansioni.store.paths import sqlite_path, store_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.orm.engine import AlchemyStore


class Context:
    """The store, the person and the zone of one command, opened once.

    ``store`` is what services that speak plain SQL (``Db``) get: for a SQLite store
    already at this program's schema, the standard ``sqlite3`` module, as the quick
    commands use, so a report or a review does not import SQLAlchemy (a third of a
    second); anything else (no store yet, a schema to upgrade or refuse, another
    database) goes through ``orm_store``, which creates, upgrades or refuses.
    """

    def __init__(self) -> None:
        self._store: Store | None = None
        self._orm_store: AlchemyStore | None = None
        self._url = store_url()
        self.person = clock.person()
        self.zone = clock.zone_name()
        self.tz = ZoneInfo(self.zone)
        self.now = clock.now()

    @property
    def store(self) -> Store:
        if self._store is None:
            from mansioni.store.quick import QuickStore

            self._store = QuickStore.at_head(sqlite_path(self._url)) or self.orm_store
        return self._store

    @property
    def orm_store(self) -> AlchemyStore:
        if self._orm_store is None:
            from mansioni.store.orm.engine import AlchemyStore

            self._orm_store = AlchemyStore(self._url)
        return self._orm_store

    def point_at(self, url: str) -> None:
        """Use the store at ``url`` instead of the user's (``mansioni demo``)."""
        from mansioni.store.orm.engine import AlchemyStore

        self.close()
        self._store, self._orm_store = None, AlchemyStore(url)
        self._url = url

    def close(self) -> None:
        if self._orm_store is not None:
            self._orm_store.dispose()

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


def at_instant(c: Context, text: str | None, *, day_end: bool = False) -> int | None:
    """``--at`` as an instant: a time means that instant; today (or nothing) means now;
    another day, its start (with ``day_end``, the last second of a day already past)."""
    if text is None:
        return None
    from mansioni.domain.calendar import day_bounds
    from mansioni.domain.timeparse import parse_day
    from mansioni.errors import InputError

    today = c.moment.date()
    try:
        day = parse_day(text, today=today)
    except InputError:
        return c.instant(text)
    if day == today:
        return c.now
    lo, hi = day_bounds(day, c.tz)
    return hi - 1 if day_end and day < today else lo


def day_label(moment: datetime) -> str:
    from babel.dates import format_date

    return format_date(moment.date(), "EEE d MMM y", locale=babel_locale())


def echo_lines(lines: list[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def echo_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def width() -> int:
    """The columns a line may take: the terminal's (``COLUMNS`` first, as Rich reads it),
    else 240 on a pipe, where one row a line matters more than a width (see ``console``)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return 240


def console():  # noqa: ANN201 - Rich is imported only when a table is drawn
    from rich.console import Console

    # On a pipe Rich would wrap at 80 columns; a table piped to a file or grep should
    # keep one row a line. (A table only takes the width its content needs.)
    wide = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 240
    return Console(highlight=False, width=wide)
