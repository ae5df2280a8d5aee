"""The report by day at a glance: a bar per day, as long as the day's time.

``mansioni report --by day`` in the terminal draws, under its table, one line per day:
the day, its time, and a bar proportional to the longest day of the period, within the
width the console gives. The figures are the table's and the JSON's own (the rows of
``PeriodReport.lines``, a day's currencies added up): a piece of work counts, whole, on
the day it begins (``domain.days``). A period of up to a month shows every one of its
days, those without time too, so a week reads as a week; a longer one, the days with
time only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mansioni.domain.display import format_duration
from mansioni.i18n import _
from mansioni.i18n.dates import weekday

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions

    from mansioni.domain.period import PeriodReport

#: Up to how many days a period shows each of its days, those without time too.
EVERY_DAY_UP_TO = 31
#: A whole block, and the blocks of one to seven eighths of it.
FULL = "█"
EIGHTHS = " ▏▎▍▌▋▊▉"


def day_seconds(r: PeriodReport) -> list[tuple[date, int]]:
    """The days the bars show, in order, each with its time in seconds."""
    found: dict[date, int] = {}
    for line in r.lines:
        if line.day is not None:
            found[line.day] = found.get(line.day, 0) + line.seconds
    if (r.last - r.first).days < EVERY_DAY_UP_TO:
        last = r.last
        if (r.last - r.first).days >= 7:  # a week shows its days to come, a month not
            last = min(last, datetime.fromtimestamp(r.now, ZoneInfo(r.zone)).date())
        days = [r.first + timedelta(days=n) for n in range((last - r.first).days + 1)]
        return [(day, found.get(day, 0)) for day in days]
    return sorted(found.items())


def bar(seconds: int, longest: int, room: int) -> str:
    """A bar of at most ``room`` characters, ``seconds`` against ``longest`` (the full
    width), in eighths of a character; never empty for a day with time."""
    if seconds <= 0 or longest <= 0 or room <= 0:
        return ""
    eighths = max(1, round(seconds * room * 8 / longest))
    whole, part = divmod(eighths, 8)
    return FULL * whole + (EIGHTHS[part] if part else "")


def day_label(day: date, *, with_year: bool) -> str:
    """``Mon 30 Nov``, as the language writes it (with the year where the period spans
    more than one)."""
    return weekday(day, year=with_year)


def lines(r: PeriodReport, width: int) -> list[str]:
    """The bars' lines, none longer than ``width``: day, time, bar. Where the width
    leaves no room for a bar, the day and its time only."""
    days = day_seconds(r)
    if not days:
        return []
    with_year = r.first.year != r.last.year
    labels = [day_label(day, with_year=with_year) for day, _s in days]
    times = [format_duration(seconds) if seconds else "" for _d, seconds in days]
    label_width = max(map(len, labels))
    time_width = max(map(len, times))
    room = width - label_width - 2 - time_width - 2
    longest = max(seconds for _d, seconds in days)
    out = []
    for label, time, (_day, seconds) in zip(labels, times, days, strict=True):
        text = f"{label:<{label_width}}  {time:>{time_width}}  {bar(seconds, longest, room)}"
        out.append(text.rstrip())
    return out


class DayBars:
    """The bars as a Rich renderable, drawn at the width the console gives them."""

    def __init__(self, r: PeriodReport) -> None:
        self.r = r

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[object]:
        from rich.text import Text

        drawn = lines(self.r, options.max_width)
        if not drawn:
            return
        yield Text(_("Time per day"), style="bold")
        for line in drawn:
            yield Text(line, no_wrap=True, overflow="crop")


def day_bars(r: PeriodReport) -> list[object]:
    """What the terminal report adds under its main table: for a report by day with
    time in it, a blank line and the bars; otherwise nothing."""
    if r.by != "day" or not r.lines:
        return []
    from rich.text import Text

    return [Text(""), DayBars(r)]
