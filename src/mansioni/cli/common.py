"""What every full-path command shares: the store, the clock, output helpers, formats."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from mansioni import clock
from mansioni.domain.text import json_text
from mansioni.domain.timeparse import parse_instant
from mansioni.i18n import _
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


def bounds(
    c: Context, start: str | None, end: str | None, *, example: str
) -> tuple[int | None, int | None]:
    """``--from`` and ``--to`` as the ``[lo, hi)`` instants they cover, in the user's zone
    (``domain.timeparse.parse_bound``): a day is taken whole (``--to`` includes it), a
    time cuts at that instant; ``None`` for a bound not given. ``example`` (the command's
    own) is shown when the two are in the wrong order."""
    from mansioni.domain.timeparse import parse_bound
    from mansioni.errors import InputError
    from mansioni.i18n import _

    def instant(text: str | None, *, end: bool) -> int | None:
        if not text:
            return None
        return int(parse_bound(text, now=c.moment, zone=c.tz, end=end).timestamp())

    lo, hi = instant(start, end=False), instant(end, end=True)
    if lo is not None and hi is not None:
        if hi < lo:
            raise InputError(_("--to must not come before --from."), hint=example)
        if hi == lo:
            raise InputError(
                _("--from and --to name the same instant: there is no time between them."),
                hint=example,
            )
    return lo, hi


def day_bound(text: str, *, moment: datetime, end: bool) -> date:
    """The first (``end`` false) or the last day, included, of a period of whole days
    (``report``, ``bill``) that ``--from`` or ``--to`` names in ``moment``'s zone: a day, or a time
    where a day begins (``--to "2026-11-16 00:00"`` ends with the 15th). A time within a
    day is refused: such a period cannot cut a day, and counting the whole of it would
    not be what was asked."""
    from datetime import timedelta

    from mansioni.domain.calendar import day_start, local_date
    from mansioni.domain.timeparse import parse_point
    from mansioni.errors import InputError
    from mansioni.i18n import _

    zone = moment.tzinfo
    assert isinstance(zone, ZoneInfo)
    point = parse_point(text, now=moment, zone=zone)
    if not isinstance(point, datetime):
        return point
    instant = int(point.timestamp())
    try:
        day = local_date(instant, zone)
        if instant == day_start(day, zone):
            return day - timedelta(days=1) if end else day
    except (OverflowError, ValueError):  # the first or the last day there is
        raise InputError(
            _("That period is out of range."),
            hint=_("For example: mansioni report --from 2026-11-01 --to 2026-11-15"),
        ) from None
    raise InputError(
        _("{text!r} is a time within a day, and this period counts whole days.").format(
            text=text.strip()
        ),
        hint=_(
            "Name the days: --from 2026-11-01 --to 2026-11-15; to cut at a time, list the entries: mansioni log --from '2026-11-01 12:30'"
        ),
    )


def day_label(moment: datetime) -> str:
    """``Fri 27 Nov 2026``: the day of ``moment`` with its weekday (``i18n.dates.weekday``)."""
    from mansioni.i18n.dates import weekday

    return weekday(moment.date())


def entry_times(start: int, end: int | None, zone: ZoneInfo, *, day: date | None = None) -> str:
    """An entry's times as every view writes them (``log``, ``edit``, ``delete``, ``undo``),
    on the clock of ``zone`` (the one it was recorded in): ``09:00-09:40``;
    ``23:00-00:00`` for one that ends as its day does; ``17:00 → Sun 6 Dec 14:37`` for one
    that runs past midnight (``domain.days.ends_on_another_day``; the end's year only
    when it is another); ``15:00 → running``. ``day`` is the day the view names just
    before the times (a ``log`` heading; the entry's own day when not given): a start on
    another date than it (an entry recorded in another zone) shows its day too."""
    from mansioni.domain.days import ends_on_another_day
    from mansioni.i18n import _
    from mansioni.i18n.dates import weekday

    begin = datetime.fromtimestamp(start, zone)
    named = begin.date() if day is None else day
    text = f"{begin:%H:%M}"
    if begin.date() != named:
        text = f"{weekday(begin.date(), year=begin.year != named.year)} {text}"
    if end is None:
        return f"{text} → " + _("running")
    finish = datetime.fromtimestamp(end, zone)
    if ends_on_another_day(start, end, zone):
        other = weekday(finish.date(), year=finish.year != begin.year)
        return f"{text} → {other} {finish:%H:%M}"
    if begin.date() != named:
        return f"{text} → {finish:%H:%M}"
    return f"{text}-{finish:%H:%M}"


def echo_lines(lines: list[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def echo_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


#: ``--from`` and ``--to`` where a bound may be a day or an instant (``log``, ``export``:
#: ``bounds`` reads them).
FROM_INSTANT = Annotated[
    str | None,
    typer.Option(
        "--from",
        help=_("From this day, or this instant: 2026-11-01, monday, '2026-11-01 12:30', 14:05."),
    ),
]
TO_INSTANT = Annotated[
    str | None,
    typer.Option(
        "--to",
        help=_("Up to this day, included, or up to this instant: 2026-11-15, '2026-11-15 18:00'."),
    ),
]


#: The period of whole days a report (or ``bill``) covers: ``choose_period`` reads them.
MONTH_ARG = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[MONTH]",
        help=_("With --month: which month, as 2026-11, 11/2026 or nov 2026 (default: this one)."),
        show_default=False,
    ),
]
WEEK = Annotated[
    bool,
    typer.Option(
        "--week",
        help=_("This calendar week (from Monday, or the week_start set with mansioni config)."),
    ),
]
MONTH = Annotated[bool, typer.Option("--month", help=_("This month, or the MONTH given after it."))]
FROM_DAY = Annotated[
    str | None, typer.Option("--from", help=_("From this day: 2026-11-01, monday."))
]
TO_DAY = Annotated[
    str | None, typer.Option("--to", help=_("Up to this day, included (default: today)."))
]


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
