"""Calendar days, weeks and months on the user's clock: the one place they are worked out.

A day, a week (Monday to Sunday, or from the ``week_start`` the caller passes: 0 is
Monday, 6 Sunday, as ``date.weekday()``) or a month is a span of instants ``[lo, hi)``:
from the first instant whose date on the clock of the zone is its first day, to the
first instant of the one after. Everything that counts "this week", "the month of
November" or "the weeks of a period" (``log``, ``report``, ``review``, the
occurrences of a weekly duty) asks this module, so an entry is on the same day, in
the same week, for every command, across DST changes too.

Two cases make this more than ``datetime.combine``:

- where the clock jumps over midnight, a day begins at the jump (the first instant
  whose date is that day), not at a midnight that never was;
- where the clock goes back across midnight, an instant's date is not monotonic:
  the same week or month can come back for an hour. :func:`calendar_spans` cuts
  time exactly where the date changes, to the second, so such a unit appears in two
  stretches with the same key.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

_EPOCH = date(1970, 1, 1)
_DAY = 86_400
#: How far apart the zone's UTC offset is sampled; a change is then found to the second.
_OFFSET_STEP = 6 * 3600


def local_date(instant: int, zone: ZoneInfo) -> date:
    """The day ``instant`` falls on, on the clock of ``zone``."""
    return datetime.fromtimestamp(instant, zone).date()


def unit_start(day: date, unit: str, *, week_start: int = 0) -> date:
    """The first day of the day, week (its Monday, or its ``week_start``) or month that
    ``day`` is in."""
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=(day.weekday() - week_start) % 7)
    if unit == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown calendar unit: {unit}")


def next_unit(day: date, unit: str, *, week_start: int = 0) -> date:
    """The first day of the day, week or month after the one ``day`` is in."""
    first = unit_start(day, unit, week_start=week_start)
    if unit == "day":
        return first + timedelta(days=1)
    if unit == "week":
        return first + timedelta(days=7)
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def unit_days(day: date, unit: str, *, week_start: int = 0) -> tuple[date, date]:
    """The first and the last day of the day, week or month ``day`` is in."""
    return (
        unit_start(day, unit, week_start=week_start),
        next_unit(day, unit, week_start=week_start) - timedelta(days=1),
    )


def unit_key(day: date, unit: str, *, week_start: int = 0) -> tuple[int, ...]:
    """What names the unit ``day`` is in: ``(year, month, day)``, the ISO ``(year,
    week)``, or ``(year, month)``. A week starting on another day than Monday is named
    by the ISO week of the Monday before its first day (:func:`key_day` goes back)."""
    if unit == "day":
        return (day.year, day.month, day.day)
    if unit == "week":
        monday = unit_start(day, unit, week_start=week_start) - timedelta(days=week_start)
        year, week, _weekday = monday.isocalendar()
        return (year, week)
    if unit == "month":
        return (day.year, day.month)
    raise ValueError(f"unknown calendar unit: {unit}")


def day_start(day: date, zone: ZoneInfo) -> int:
    """The first instant whose date on the clock of ``zone`` is ``day`` or later: local
    midnight, or where the clock jumps past it."""
    guess = int(datetime.combine(day, time(0), tzinfo=zone).timestamp())
    if local_date(guess - 1, zone) < day <= local_date(guess, zone):
        return guess
    low, high = guess - 2 * _DAY, guess + 2 * _DAY  # a day before, a day after
    while high - low > 1:
        mid = (low + high) // 2
        if local_date(mid, zone) >= day:
            high = mid
        else:
            low = mid
    return high


def day_bounds(day: date, zone: ZoneInfo) -> tuple[int, int]:
    """``[lo, hi)``: the instants of ``day`` on the clock of ``zone``."""
    return day_start(day, zone), day_start(day + timedelta(days=1), zone)


def days_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[int, int]:
    """``[lo, hi)``: the instants of the days ``first`` to ``last``, inclusive."""
    return day_start(first, zone), day_start(last + timedelta(days=1), zone)


def unit_bounds(day: date, unit: str, zone: ZoneInfo, *, week_start: int = 0) -> tuple[int, int]:
    """``[lo, hi)``: the instants of the day, week or month ``day`` is in."""
    first, last = unit_days(day, unit, week_start=week_start)
    return day_start(first, zone), day_start(last + timedelta(days=1), zone)


# -- time cut where the date changes -------------------------------------------------------


def _offset(zone: ZoneInfo, instant: int) -> int:
    offset = datetime.fromtimestamp(instant, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@lru_cache(maxsize=512)
def _offset_changes(zone: ZoneInfo, year: int) -> tuple[tuple[int, int], ...]:
    """Every change of the zone's UTC offset in ``(start of year, start of next year]``
    (UTC years): the instant it takes effect and the offset from then on.

    The offset is sampled every ``_OFFSET_STEP`` and each change bisected to the second:
    exact for any offset (whole hours or not, seconds of local mean time included), as
    long as no two changes fall within one step of each other (none in the tz database).
    """
    a = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    b = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    found: list[tuple[int, int]] = []
    t, off = a, _offset(zone, a)
    while t < b:
        u = min(t + _OFFSET_STEP, b)
        while _offset(zone, u) != off:
            low, high = t, u  # the offset is ``off`` at ``low`` and not at ``high``
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(zone, mid) == off:
                    low = mid
                else:
                    high = mid
            t, off = high, _offset(zone, high)
            found.append((t, off))
        t = u
    return tuple(found)


def _offset_runs(zone: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """``[lo, hi)`` cut where the zone's offset changes: ``(start, end, offset)`` each."""
    runs = []
    t, off = lo, _offset(zone, lo)
    first, last = (datetime.fromtimestamp(x, UTC).year for x in (lo, hi - 1))
    for year in range(first - 1, last + 1):
        for at, new in _offset_changes(zone, year):
            if lo < at < hi:
                runs.append((t, at, off))
                t, off = at, new
    runs.append((t, hi, off))
    return runs


def calendar_spans(
    zone: ZoneInfo, lo: int, hi: int, unit: str, *, week_start: int = 0
) -> list[tuple[int, int, tuple[int, ...]]]:
    """``[lo, hi)`` cut into stretches that each lie in one calendar day, week or month on
    the clock of ``zone``: ``(start, end, key)`` (the unit's :func:`unit_key`), in time
    order.

    Within a run of constant offset the local day of an instant is a plain division, so
    the cuts are exact to the second in any zone. Where the clock goes back across
    midnight a unit can come back: its key then appears in two stretches.
    """
    spans: list[tuple[int, int, tuple[int, ...]]] = []
    for a, b, off in _offset_runs(zone, lo, hi):
        t = a
        while t < b:
            day = _EPOCH + timedelta(days=(t + off) // _DAY)
            key = unit_key(day, unit, week_start=week_start)
            end = min(b, (next_unit(day, unit, week_start=week_start) - _EPOCH).days * _DAY - off)
            if spans and spans[-1][2] == key and spans[-1][1] == t:
                spans[-1] = (spans[-1][0], end, key)
            else:
                spans.append((t, end, key))
            t = end
    return spans


def key_day(key: tuple[int, ...], unit: str, *, week_start: int = 0) -> date:
    """The first day of the unit a :func:`unit_key` names."""
    if unit == "week":
        return date.fromisocalendar(key[0], key[1], 1) + timedelta(days=week_start)
    if unit == "month":
        return date(key[0], key[1], 1)
    return date(*key)


def period_spans(
    first: date, last: date, unit: str, zone: ZoneInfo, *, week_start: int = 0
) -> list[tuple[int, int, tuple[int, ...]]]:
    """The days ``first`` to ``last`` cut into calendar units: :func:`calendar_spans`
    of the period's instants (so the first and last units are clipped to it)."""
    lo, hi = days_bounds(first, last, zone)
    return calendar_spans(zone, lo, hi, unit, week_start=week_start) if lo < hi else []


def whole_units(first: date, last: date, unit: str) -> list[tuple[date, date]]:
    """The weeks or months (first and last day) lying wholly inside ``first``..``last``."""
    found = []
    day = unit_start(first, unit)
    if day < first:
        day = next_unit(day, unit)
    while next_unit(day, unit) - timedelta(days=1) <= last:
        found.append((day, next_unit(day, unit) - timedelta(days=1)))
        day = next_unit(day, unit)
    return found
