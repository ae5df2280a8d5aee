"""Reading the times, days, ranges and durations people type.

Invariants:

* Every instant returned is an aware ``datetime`` in UTC (``tzinfo`` is
  ``timezone.utc``) with whole seconds (``microsecond == 0``); every duration is
  a strictly positive ``timedelta`` of whole seconds, at most 7 days.
* Wall-clock times without an explicit offset are read in the caller's ``zone``.
  A wall time that does not exist (clocks jumped forward) or that occurs twice
  (clocks went back) is refused with an example of an unambiguous form: it is
  never guessed. Gaps and folds are found by converting through UTC with
  ``fold=0`` and ``fold=1``, never from a table of dates.
* An explicit offset (``Z``, ``+01:00``) is taken as written: no DST question arises.
* "Today" is ``now`` seen in ``zone``. Nothing here reads the clock, the
  environment or the disk: ``now`` and ``zone`` always come from the caller.
* Input is case-insensitive, accent-insensitive and whitespace-tolerant. Bad input
  raises ``InputError`` (with a ``hint`` of forms that work) and nothing else.
* The ends of a period (``--from``, ``--to``: :func:`parse_bound`) take a day or an
  instant: a day is taken whole, a time cuts at that instant.
* Only the standard library and pure modules of ``mansioni.domain`` are imported: this
  module is on the hot path.

Why one module of this length: the forms share their words (weekdays, "ago",
"yesterday"), their zone rules and their hints, and one grammar is easier to keep
unambiguous when all of it is in view.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo  # already loaded by any caller that has a zone

from mansioni.domain.calendar import day_start
from mansioni.domain.display import format_duration
from mansioni.errors import InputError
from mansioni.i18n import _

__all__ = [
    "MAX_DURATION",
    "format_duration",
    "parse_bound",
    "parse_day",
    "parse_duration",
    "parse_instant",
    "parse_point",
    "parse_range",
    "typed_instant",
]

MAX_DURATION = timedelta(days=7)
#: A range whose end time is earlier than its start crosses midnight only up to this long.
MAX_OVERNIGHT = timedelta(hours=12)
_MAX_DURATION_SECONDS = MAX_DURATION // timedelta(seconds=1)

# --- patterns (all matched against the normalized text: folded, single spaces) ---

_NUM = r"\d{1,6}(?:[.,]\d{1,6})?"
_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
_TIME_FRACTION = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:[.,]\d{1,9})?)?"
_OFFSET = r"(?P<offset>z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)"

_TIME_ONLY = re.compile(_TIME, re.ASCII)
_DAY_TIME = re.compile(rf"(?:(?P<day>\S+) )?{_TIME}", re.ASCII)
# Year first: 2026-11-20, or 2026/11/20 as Watson users write it (one separator throughout).
_YMD = r"(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<dom>\d{1,2})"
_ISO_DATETIME = re.compile(rf"{_YMD}(?:(?:t| ){_TIME_FRACTION}{_OFFSET}?)?", re.ASCII)
_ISO_DATE = re.compile(_YMD, re.ASCII)
_DMY_DATE = re.compile(r"(?P<dom>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}))?", re.ASCII)
_RELATIVE = re.compile(r"(?P<amount>.+) (?:ago|fa)", re.ASCII)

_ISO_DURATION = re.compile(
    rf"p(?:(?P<d>{_NUM})d)?(?P<t>t(?:(?P<h>{_NUM})h)?(?:(?P<m>{_NUM})m)?(?:(?P<s>{_NUM})s)?)?",
    re.ASCII,
)
_CLOCK_DURATION = re.compile(r"(?P<h>\d{1,3}):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?", re.ASCII)
_DURATION_PART = re.compile(rf"(?P<amount>{_NUM}) ?(?P<unit>[a-z]*) ?", re.ASCII)

# A range "start - end": a dash with spaces around it, or else the first dash
# right after a time (so the dashes of a date are not taken for it) that is not
# a negative offset followed by a duration ("...T09:00-05:00 45m").
_SPACED_DASH = re.compile(r" - ", re.ASCII)
_TIGHT_DASH_RANGE = re.compile(
    r"(?P<start>.*?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?z?)"
    r"(?:-(?!\d{2}(?::?\d{2}){0,2} )|- | -)"
    r"(?P<end>.+)",
    re.ASCII,
)
# A range "start duration": a start ending with a time (and maybe an offset), a space,
# then the duration.
_START_DURATION_RANGE = re.compile(
    rf"(?P<start>.*?\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?{_OFFSET}?) (?P<duration>.+)", re.ASCII
)

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2212": "-"})  # fmt: skip

_NOW_WORDS = frozenset({"now", "adesso", "ora"})
_DAY_OFFSETS = {
    "today": 0, "oggi": 0,
    "yesterday": -1, "ieri": -1,
    "tomorrow": 1, "domani": 1,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "mon": 0, "lunedi": 0, "lun": 0,
    "tuesday": 1, "tue": 1, "martedi": 1, "mar": 1,
    "wednesday": 2, "wed": 2, "mercoledi": 2, "mer": 2,
    "thursday": 3, "thu": 3, "giovedi": 3, "gio": 3,
    "friday": 4, "fri": 4, "venerdi": 4, "ven": 4,
    "saturday": 5, "sat": 5, "sabato": 5, "sab": 5,
    "sunday": 6, "sun": 6, "domenica": 6, "dom": 6,
}  # fmt: skip

_HOUR_UNITS = ("h", "hr", "hrs", "hour", "hours", "ora", "ore")
_MINUTE_UNITS = ("m", "min", "mins", "minute", "minutes", "minuto", "minuti")
_SECOND_UNITS = ("s", "sec", "secs", "second", "seconds", "secondo", "secondi")
_UNIT_SECONDS = {
    **dict.fromkeys(_HOUR_UNITS, 3600),
    **dict.fromkeys(_MINUTE_UNITS, 60),
    **dict.fromkeys(_SECOND_UNITS, 1),
}


# --- hints (lists of forms that work) ---


def _instant_hint() -> str:
    return _("9:30, yesterday 17:00, 2026-11-20 09:00, 15m ago")


def _duration_hint() -> str:
    return _("45m, 1h30, 1:30, PT1H30M")


def _range_hint() -> str:
    return _("14:00-14:40, 9:00 1h30, yesterday 17:00-18:15")


def _day_hint() -> str:
    return _("today, yesterday, monday, 2026-11-20, 20/11/2026")


def _bound_hint() -> str:
    return _("2026-11-20, 2026/11/20, monday, yesterday, '2026-11-20 12:30', 14:05")


# --- public API ---


def parse_instant(text: str, *, now: datetime, zone: ZoneInfo, day: date | None = None) -> datetime:
    """The instant (UTC, whole seconds) that ``text`` names.

    ``now`` is the current moment (aware); ``zone`` the zone of wall-clock times.
    A time alone falls on ``day`` when given, else on today in ``zone``.
    """
    _require_aware(now)
    found = _instant(_normalize(text), now=now, zone=zone, day=day, text=text)
    if found is None:
        raise InputError(
            _("Cannot understand the time {text!r}.").format(text=text.strip()),
            hint=_instant_hint(),
        )
    return found


def parse_point(text: str, *, now: datetime, zone: ZoneInfo) -> date | datetime:
    """A whole day (a ``date``) or an instant (UTC, whole seconds): what one end of a
    period (``--from``, ``--to``) names.

    What names a day (``2026-11-20``, ``2026/11/20``, ``20/11``, ``monday``, ``ieri``) is
    a day; anything with a time of day (``2026-11-20 12:30``, ``...T12:30:43+03:00``,
    ``14:05``, ``15m ago``, ``now``) is that instant, as :func:`parse_instant` reads it.
    """
    _require_aware(now)
    norm = _normalize(text)
    try:
        day = _day_from_word(norm, now.astimezone(zone).date(), text)
        if day is not None:
            return day
        found = _instant(norm, now=now, zone=zone, day=None, text=text)
    except InputError as exc:
        if exc.hint not in (_day_hint(), _instant_hint()):
            raise  # a hint made for this text (the two instants of a fold...)
        raise InputError(exc.message, hint=_bound_hint()) from None
    if found is None:
        raise InputError(
            _("Cannot understand the day {text!r}.").format(text=text.strip()),
            hint=_bound_hint(),
        )
    return found


def parse_bound(text: str, *, now: datetime, zone: ZoneInfo, end: bool) -> datetime:
    """The instant (UTC) where a period starts (``end`` false: ``--from``) or ends
    (``end`` true: ``--to``, the first instant no longer in it).

    A bound with a time cuts at that instant, whichever end it is; a day alone is taken
    whole: ``--from`` at its first instant, ``--to`` at the first instant of the next
    day (the day is included). A day begins where ``domain.calendar`` says (at a clock
    jump over midnight, at the jump).
    """
    point = parse_point(text, now=now, zone=zone)
    if isinstance(point, datetime):
        return point
    try:
        return _day_start(_shift(point, 1, text) if end else point, zone, text)
    except InputError as exc:  # out of range: the first or the last day there is
        raise InputError(exc.message, hint=_bound_hint()) from None


def typed_instant(instant: int, zone: ZoneInfo) -> str:
    """What to type (``--at``) for ``instant`` in ``zone``, read back by
    :func:`parse_instant` as that same instant: ``2026-12-04 23:59`` (seconds only when
    not zero), with its offset (``2026-10-25T02:30+01:00``) where that wall time occurs
    twice or not at all."""
    local = datetime.fromtimestamp(instant, zone)
    wall = local.replace(tzinfo=None)
    text = f"{wall.date().isoformat()} {_clock(wall)}"
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    return text if first.utcoffset() == second.utcoffset() else _iso_minutes(local, offset=True)


def parse_duration(text: str) -> timedelta:
    """The strictly positive duration (whole seconds, at most 7 days) ``text`` names."""
    norm = _normalize(text)
    seconds = _duration_seconds(norm)
    if seconds is None:
        raise InputError(
            _("Cannot understand the duration {text!r}.").format(text=text.strip()),
            hint=_duration_hint(),
        )
    if seconds <= 0:
        raise InputError(
            _("The duration {text!r} is not longer than zero.").format(text=text.strip()),
            hint=_duration_hint(),
        )
    if seconds > _MAX_DURATION_SECONDS:
        raise InputError(
            _("The duration {text!r} is longer than 7 days.").format(text=text.strip()),
            hint=_duration_hint(),
        )
    return timedelta(seconds=seconds)


def parse_range(
    text: str, *, now: datetime, zone: ZoneInfo, day: date | None = None
) -> tuple[datetime, datetime]:
    """The (start, end) instants (UTC) of ``text``: ``start-end`` or ``start duration``.

    An end given as a time alone falls on the start's day in ``zone``, or on the
    next day when that time is earlier than the start's (``23:00-01:00``).
    A duration is added in absolute time, across any DST change.
    """
    norm = _normalize(text)
    parts = _SPACED_DASH.split(norm)
    if len(parts) == 1 and (m := _TIGHT_DASH_RANGE.fullmatch(norm)):
        parts = [m["start"], m["end"]]
    if len(parts) == 2:
        start = parse_instant(parts[0], now=now, zone=zone, day=day)
        if clock := _TIME_ONLY.fullmatch(parts[1]):
            end = _end_on_start_day(start, _time_from(clock, parts[1]), zone, text)
        else:
            end = parse_instant(parts[1], now=now, zone=zone, day=day)
    elif len(parts) == 1 and (m := _START_DURATION_RANGE.fullmatch(norm)):
        if _CLOCK_DURATION.fullmatch(m["duration"]):
            raise InputError(
                _(
                    "In {text!r} it is unclear whether {part!r} is an end time or a duration."
                ).format(text=text.strip(), part=m["duration"]),
                hint=_("9:00-10:30 or 9:00 1h30"),
            )
        start = parse_instant(m["start"], now=now, zone=zone, day=day)
        end = start + parse_duration(m["duration"])
    else:
        raise InputError(
            _("Cannot understand the range {text!r}.").format(text=text.strip()),
            hint=_range_hint(),
        )
    if end <= start:
        raise InputError(
            _("In {text!r} the end {end} is not after the start {start}.").format(
                text=text.strip(), start=_local(start, zone), end=_local(end, zone)
            ),
            hint=_range_hint(),
        )
    return start, end


def parse_day(text: str, *, today: date) -> date:
    """The calendar day ``text`` names; weekdays mean the latest one on or before ``today``."""
    found = _day_from_word(_normalize(text), today, text)
    if found is None:
        raise InputError(
            _("Cannot understand the day {text!r}.").format(text=text.strip()),
            hint=_day_hint(),
        )
    return found


# --- helpers ---


def _normalize(text: str) -> str:
    """Case-folded, accents removed, dashes unified, single spaces, no ends."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_DASHES).split())


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")


def _to_utc(moment: datetime, text: str) -> datetime:
    try:
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError:
        raise _out_of_range(text) from None


def _out_of_range(text: str) -> InputError:
    return InputError(
        _("The date in {text!r} is out of range.").format(text=text.strip()),
        hint=_instant_hint(),
    )


def _make_date(year: int, month: int, dom: int, text: str) -> date:
    try:
        return date(year, month, dom)
    except ValueError:
        raise InputError(
            _("There is no such date as {text!r}.").format(text=text.strip()),
            hint=_day_hint(),
        ) from None


def _shift(day: date, days: int, text: str) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise _out_of_range(text) from None


def _day_from_word(word: str, today: date, text: str) -> date | None:
    """The day a single normalized word names, or None if it names no day."""
    if word in _DAY_OFFSETS:
        return _shift(today, _DAY_OFFSETS[word], text)
    if word in _WEEKDAYS:
        return _shift(today, -((today.weekday() - _WEEKDAYS[word]) % 7), text)
    m = _ISO_DATE.fullmatch(word) or _DMY_DATE.fullmatch(word)
    if m is None:
        return None
    year = int(m["year"]) if m["year"] else today.year
    return _make_date(year, int(m["month"]), int(m["dom"]), text)


def _instant(
    norm: str, *, now: datetime, zone: ZoneInfo, day: date | None, text: str
) -> datetime | None:
    """The instant a normalized ``norm`` names, or None when it is no form of one."""
    if norm in _NOW_WORDS:
        return _to_utc(now, text)
    if m := _RELATIVE.fullmatch(norm):
        return _to_utc(now, text) - parse_duration(m["amount"])
    if m := _ISO_DATETIME.fullmatch(norm):
        return _iso_instant(m, zone, text)
    wall = _local_wall(norm, today=now.astimezone(zone).date(), day=day, text=text)
    if wall is None:
        return None
    return _resolve_local(wall, zone, text)


def _day_start(day: date, zone: ZoneInfo, text: str) -> datetime:
    """The first instant of ``day`` in ``zone`` (``domain.calendar.day_start``), in UTC."""
    try:
        return datetime.fromtimestamp(day_start(day, zone), UTC)
    except (OverflowError, ValueError, OSError):  # year 1, or past year 9999
        raise _out_of_range(text) from None


def _iso_instant(m: re.Match[str], zone: ZoneInfo, text: str) -> datetime:
    """``2026-11-20``, ``2026-11-20 09:00``, ``2026-11-20T09:00:00.5+01:00``, ``...Z``."""
    on = _make_date(int(m["year"]), int(m["month"]), int(m["dom"]), text)
    clock = _time_from(m, text) if m["hour"] else time()
    if m["offset"]:
        return _to_utc(datetime.combine(on, clock, _offset_from(m["offset"], text)), text)
    return _resolve_local(datetime.combine(on, clock), zone, text)


def _local_wall(norm: str, *, today: date, day: date | None, text: str) -> datetime | None:
    """The naive wall time of ``[day word] time`` or of a bare ``20/11[/2026]``."""
    if m := _DAY_TIME.fullmatch(norm):
        if m["day"] is None:
            on = day if day is not None else today
        else:
            found = _day_from_word(m["day"], today, text)
            if found is None:
                return None
            on = found
        return datetime.combine(on, _time_from(m, text))
    if _DMY_DATE.fullmatch(norm):
        found = _day_from_word(norm, today, text)
        return None if found is None else datetime.combine(found, time())
    return None


def _time_from(m: re.Match[str], text: str) -> time:
    hour, minute = int(m["hour"]), int(m["minute"])
    second = int(m["second"]) if m["second"] else 0
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(
            _("{text!r} is not a time of day: hours go from 0 to 23, minutes from 0 to 59.").format(
                text=text.strip()
            ),
            hint=_instant_hint(),
        )
    return time(hour, minute, second)


def _offset_from(raw: str, text: str) -> timezone:
    if raw == "z":
        return UTC
    digits = raw[1:].replace(":", "")  # 2, 4 or 6 digits, by the pattern
    hours, minutes, seconds = int(digits[0:2]), int(digits[2:4] or 0), int(digits[4:6] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise InputError(
            _("{offset!r} in {text!r} is not a valid UTC offset.").format(
                offset=raw.upper(), text=text.strip()
            ),
            hint=_("2026-11-20T09:00+01:00, 2026-11-20T08:00Z"),
        )
    sign = -1 if raw[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes, seconds=seconds))


def _resolve_local(wall: datetime, zone: ZoneInfo, text: str) -> datetime:
    """The UTC instant of the naive wall time ``wall`` in ``zone``; refuses gaps and folds."""
    try:
        first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
        first_local, second_local = first.astimezone(zone), second.astimezone(zone)
    except OverflowError:
        raise _out_of_range(text) from None
    if first_local.replace(tzinfo=None) != wall:
        # In a gap, fold=0 reads the wall time with the offset from before the jump
        # (landing after the gap) and fold=1 with the offset from after it (before).
        raise InputError(
            _("The time {time} does not exist on {date}: the clocks jumped forward.").format(
                time=_clock(wall), date=wall.date().isoformat()
            ),
            hint=_("{later} or {earlier}").format(
                later=_iso_minutes(first_local, offset=False),
                earlier=_iso_minutes(second_local, offset=True),
            ),
        )
    if first != second:
        raise InputError(
            _("The time {time} occurs twice on {date}: the clocks went back.").format(
                time=_clock(wall), date=wall.date().isoformat()
            ),
            hint=_("{first} (the first) or {second} (the second)").format(
                first=_iso_minutes(first_local, offset=True),
                second=_iso_minutes(second_local, offset=True),
            ),
        )
    return first.replace(microsecond=0)


def _end_on_start_day(start: datetime, clock: time, zone: ZoneInfo, text: str) -> datetime:
    """An end given as a bare time: on the start's local day, or the next if earlier."""
    start_local = start.astimezone(zone)
    on = start_local.date()
    if clock < start_local.time():
        on = _shift(on, 1, text)
        end = _resolve_local(datetime.combine(on, clock), zone, text)
        if end - start > MAX_OVERNIGHT:
            # 14:40-14:00 is a slip far more often than a 23-hour shift.
            raise InputError(
                _("In {text!r} the end comes before the start.").format(text=text),
                hint=_(
                    "Write the start first (14:00-14:40); to cross midnight, name the end's day: '22:00-tomorrow 02:00'"
                ),
            )
        return end
    return _resolve_local(datetime.combine(on, clock), zone, text)


def _duration_seconds(norm: str) -> int | None:
    """Whole seconds of a normalized duration, or None when it is not one."""
    if m := _ISO_DURATION.fullmatch(norm):
        if m["t"] == "t" or not any(m[g] for g in "dhms"):
            return None
        scales = {"d": 86400, "h": 3600, "m": 60, "s": 1}
        return sum(_scaled(m[g], scale) for g, scale in scales.items() if m[g])
    if m := _CLOCK_DURATION.fullmatch(norm):
        return int(m["h"]) * 3600 + int(m["m"]) * 60 + int(m["s"] or 0)
    return _unit_duration_seconds(norm)


def _unit_duration_seconds(norm: str) -> int | None:
    """``1h30m``, ``1h 30``, ``1.5h``, ``90 minuti``...: units in decreasing order."""
    total, pos, last_scale = 0, 0, None
    while pos < len(norm):
        m = _DURATION_PART.match(norm, pos)
        if m is None:
            return None
        amount, unit = m["amount"], m["unit"]
        if unit:
            scale = _UNIT_SECONDS.get(unit)
        elif last_scale == 3600 and m.end() == len(norm) and amount.isdigit() and int(amount) < 60:
            scale = 60  # "1h30": the bare number after the hours is minutes
        else:
            scale = None  # a bare number ("90") is ambiguous
        if scale is None or (last_scale is not None and scale >= last_scale):
            return None
        total += _scaled(amount, scale)
        pos, last_scale = m.end(), scale
    return total if last_scale is not None else None


def _scaled(amount: str, scale: int) -> int:
    """``amount`` (``"1.5"`` or ``"1,5"``) times ``scale``, truncated to whole seconds."""
    whole, _sep, frac = amount.replace(",", ".").partition(".")
    denominator: int = 10 ** len(frac)
    return int(whole + frac) * scale // denominator


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")


def _iso_minutes(moment: datetime, *, offset: bool) -> str:
    """``2025-03-30T03:30`` (with ``+01:00`` when ``offset``), seconds only if non-zero."""
    spec = "seconds" if moment.second else "minutes"
    shown = moment if offset else moment.replace(tzinfo=None)
    return shown.isoformat(timespec=spec)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.date().isoformat()} {_clock(local)}"
