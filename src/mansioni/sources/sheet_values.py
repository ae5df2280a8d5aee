"""The values in a Toggl Track or Clockify detailed report, and their instants.

Dates, times of day, durations and tags as the services write them (see ``sheet``
for the formats accepted), and the turning of a local wall-clock time into an
instant in the account's zone, resolved against the duration where the clocks change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mansioni.errors import InputError
from mansioni.i18n import _

# --- dates -----------------------------------------------------------------------

_DATE = re.compile(r"\s*(\d{1,4})([-/.])(\d{1,2})\2(\d{1,4})\.?\s*\Z")

#: The date formats of the services' settings, by the name they are shown with.
DATE_FORMATS = {
    "YYYY-MM-DD": "ymd",
    "YYYY/MM/DD": "ymd",
    "YYYY.MM.DD": "ymd",
    "DD/MM/YYYY": "dmy",
    "DD.MM.YYYY": "dmy",
    "DD-MM-YYYY": "dmy",
    "MM/DD/YYYY": "mdy",
    "MM-DD-YYYY": "mdy",
    "MM.DD.YYYY": "mdy",
}
_ORDER_NAMES = {"ymd": "ymd", "dmy": "dmy", "mdy": "mdy", "day-first": "dmy", "month-first": "mdy"}


def date_order(date_format: str) -> str:
    """``ymd``, ``dmy`` or ``mdy`` for a format name like ``DD/MM/YYYY`` (or ``day-first``).

    Raises ``InputError`` for anything else; the hint lists what works.
    """
    text = date_format.strip()
    order = DATE_FORMATS.get(text.upper()) or _ORDER_NAMES.get(text.lower())
    if order is None:
        raise InputError(
            _("{value!r} is not a date format.").format(value=date_format),
            hint=_("Use one of: {formats}").format(formats=", ".join(DATE_FORMATS)),
        )
    return order


def date_pattern(order: str, separator: str = "/") -> str:
    """How a date of ``order`` is written, for messages: ``DD/MM/YYYY``."""
    parts = {"y": "YYYY", "m": "MM", "d": "DD"}
    return separator.join(parts[letter] for letter in order)


def parse_date(text: str, order: str) -> date | None:
    """The date ``text`` stands for when written in ``order``, or ``None``.

    A four-digit first number always means year first, whatever ``order`` says.
    """
    match = _DATE.match(text)
    if match is None:
        return None
    first, _sep, second, third = match.groups()
    if len(first) == 4:
        year, month, day = first, second, third
    elif len(third) != 4 or order == "ymd":
        return None
    elif order == "dmy":
        day, month, year = first, second, third
    else:
        month, day, year = first, second, third
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


@dataclass(frozen=True)
class DateGuess:
    """The date format of a file: ``order``, the ``separator`` seen, and whether the
    file showed it (``evidence``) or it is the caller's choice or the default."""

    order: str
    separator: str
    evidence: bool

    @property
    def pattern(self) -> str:
        return date_pattern(self.order, self.separator)


def guess_date_order(
    values: Iterable[str],
    spans: Iterable[tuple[str, str, int]] = (),
    *,
    preferred: str | None = None,
) -> DateGuess:
    """The date order of a file from its date strings ``values``.

    ``spans`` are ``(start date, end date, duration in seconds)`` of rows whose dates
    differ: the order under which the end comes as many days after the start as the
    duration says is the right one. ``preferred`` (an order) wins when given; the
    default when nothing tells is day first.
    """
    year_first = other = day_first = month_first = 0
    separators: dict[str, int] = {}
    for value in values:
        match = _DATE.match(value)
        if match is None:
            continue
        first, sep, _second, third = match.groups()
        separators[sep] = separators.get(sep, 0) + 1
        if len(first) == 4:
            year_first += 1
        elif len(third) == 4:
            other += 1
            a, b = int(first), int(_second)
            if a > 12 >= b:
                day_first += 1
            elif b > 12 >= a:
                month_first += 1
    separator = max(separators, key=separators.__getitem__) if separators else "/"
    if preferred is not None:
        return DateGuess(preferred, separator, False)
    if year_first and year_first >= other:
        return DateGuess("ymd", separator, True)
    if day_first or month_first:
        return DateGuess("dmy" if day_first >= month_first else "mdy", separator, True)
    for start, end, seconds in spans:
        plausible = []
        for order in ("dmy", "mdy"):
            first_day, last_day = parse_date(start, order), parse_date(end, order)
            if first_day is None or last_day is None:
                continue
            days = last_day.toordinal() - first_day.toordinal()
            if 0 <= days <= seconds // 86400 + 1:
                plausible.append(order)
        if len(plausible) == 1:
            return DateGuess(plausible[0], separator, True)
    return DateGuess("dmy", separator, False)


# --- times of day and durations ------------------------------------------------

_TIME = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s?[Mm]\.?)?\s*\Z")


def parse_time(text: str) -> tuple[int, int] | None:
    """``(seconds since midnight, step)`` for a time of day, or ``None``.

    ``step`` is 1 when the text shows seconds, else 60.
    """
    match = _TIME.match(text)
    if match is None:
        return None
    hours, minutes, seconds, meridiem = match.groups()
    hour, minute = int(hours), int(minutes)
    second = int(seconds) if seconds is not None else 0
    if minute > 59 or second > 59:
        return None
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem in "Pp" else 0)
    elif hour > 23:
        return None
    return hour * 3600 + minute * 60 + second, 1 if seconds is not None else 60


_CLOCK = re.compile(r"\s*(\d+):(\d{2})(?::(\d{2}))?\s*(min)?\s*\Z", re.IGNORECASE)
_SECONDS = re.compile(r"\s*(\d+)\s*(?:s|sec)\s*\Z", re.IGNORECASE)
_HOURS = re.compile(r"\s*(\d+)(?:[.,](\d+))?\s*(?:h)?\s*\Z", re.IGNORECASE)


def parse_hours(text: str) -> tuple[int, int] | None:
    """``(seconds, step)`` for decimal hours (``1.25``, ``1,25``, ``1.25 h``), or ``None``.

    ``step`` is what one unit of the last decimal is worth, in seconds (36 for 0.01 h).
    """
    match = _HOURS.match(text)
    if match is None:
        return None
    whole, fraction = match.groups()
    fraction = fraction or ""
    scale = 10 ** len(fraction)
    numerator = (int(whole) * scale + (int(fraction) if fraction else 0)) * 3600
    seconds = (2 * numerator + scale) // (2 * scale)  # to the nearest second, halves up
    return seconds, max(1, -(-3600 // scale))


def parse_duration(text: str) -> tuple[int, int] | None:
    """``(seconds, step)`` for a duration as the services write it, or ``None``.

    ``H:MM:SS`` (any number of hours), ``H:MM``, ``MM:SS min``, ``N sec``, or decimal
    hours; ``step`` is the precision of the format, in seconds.
    """
    match = _CLOCK.match(text)
    if match is not None:
        first, second, third, minutes_suffix = match.groups()
        if int(second) > 59 or (third is not None and int(third) > 59):
            return None
        if minutes_suffix:
            if third is not None:
                return None
            return int(first) * 60 + int(second), 1
        if third is None:
            return int(first) * 3600 + int(second) * 60, 60
        return int(first) * 3600 + int(second) * 60 + int(third), 1
    match = _SECONDS.match(text)
    if match is not None:
        return int(match.group(1)), 1
    return parse_hours(text)


def split_tags(text: str) -> tuple[str, ...]:
    """The tags of a Tags cell: both services join them with ``", "`` (so a tag that
    itself holds ``", "`` cannot be told from two)."""
    return tuple(tag for tag in (part.strip() for part in text.split(", ")) if tag)


# --- from wall clock to instants -------------------------------------------------

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class WallClock:
    """Local dates and times in ``zone`` turned into instants, fast on ordinary days."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._offsets: dict[date, int | None] = {}

    def _offset(self, day: date) -> int | None:
        """The UTC offset of ``day`` in seconds if it is the same all day, else ``None``."""
        try:
            return self._offsets[day]
        except KeyError:
            pass
        seen = {
            datetime(
                day.year, day.month, day.day, hour, minute, second, tzinfo=self.zone, fold=fold
            ).utcoffset()
            for hour, minute, second in ((0, 0, 0), (12, 0, 0), (23, 59, 59))
            for fold in (0, 1)
        }
        offset = int(seen.pop().total_seconds()) if len(seen) == 1 else None  # type: ignore[union-attr]
        self._offsets[day] = offset
        return offset

    def base(self, day: date) -> int | None:
        """The instant of ``day``'s local midnight on a day without a change of offset
        (add the seconds since midnight), else ``None``: use ``instants``."""
        offset = self._offset(day)
        return None if offset is None else (day.toordinal() - _EPOCH_ORDINAL) * 86400 - offset

    def instants(self, day: date, seconds: int) -> tuple[int, ...]:
        """The instants the wall clock showed ``day`` at ``seconds`` after midnight: one,
        or two around a change of offset (the ``fold=0`` reading first)."""
        offset = self._offset(day)
        if offset is not None:
            return ((day.toordinal() - _EPOCH_ORDINAL) * 86400 + seconds - offset,)
        hour, rest = divmod(seconds, 3600)
        minute, second = divmod(rest, 60)
        found: list[int] = []
        for fold in (0, 1):
            moment = datetime(
                day.year, day.month, day.day, hour, minute, second, tzinfo=self.zone, fold=fold
            )
            instant = int(moment.timestamp())
            if instant not in found:
                found.append(instant)
        return tuple(found)


def resolve(
    starts: tuple[int, ...], ends: tuple[int, ...], duration: int | None
) -> tuple[int, int]:
    """The start and end among the candidate readings (see ``WallClock.instants``).

    With a duration, the pair whose length is closest to it (the earlier readings on a
    tie); without one, the earliest readings with the end not before the start.
    """
    if len(starts) == 1 and len(ends) == 1:
        return starts[0], ends[0]
    pairs = [(start, end) for start in starts for end in ends]
    if duration is not None:
        return min(pairs, key=lambda pair: abs(pair[1] - pair[0] - duration))
    for start, end in pairs:
        if end >= start:
            return start, end
    return pairs[0]


def wall_seconds(instant: int, tz: ZoneInfo) -> int:
    """The clock time of ``instant`` in ``tz``, as seconds since 1970-01-01 00:00 on that clock."""
    offset = tz.utcoffset(datetime.fromtimestamp(instant, tz))
    return instant + int(offset.total_seconds()) if offset is not None else instant


def zone_info(zone: str) -> ZoneInfo:
    """``ZoneInfo(zone)``, or an ``InputError`` that shows what a zone name looks like."""
    try:
        return ZoneInfo(zone)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise InputError(
            _("{zone} is not a time zone.").format(zone=zone),
            hint=_("Use an IANA name, like Europe/Rome or America/New_York"),
        ) from None
