"""When a running timer looks forgotten, and when its work likely ended.

A timer looks forgotten when stopping it at a given instant would record an entry
longer than a limit (the configuration's ``timer_limit``, 8 hours unless set) or one
that runs past midnight on the clock of the zone it was started in. Stopped as it is,
such a timer becomes one entry across an evening, a night or a weekend, which is
almost never work done: ``status`` says so, and ``stop`` and ``start`` ask first.

Pure: instants (whole seconds since the epoch), the zone and the limit come from the
caller. Only the standard library and pure modules are imported: ``status`` runs this
on the quick path.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import timedelta
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import day_start, local_date
from mansioni.domain.days import ends_on_another_day
from mansioni.i18n import _, ngettext

#: The limit when the configuration sets none: 8 hours, in seconds (``config.DEFAULTS``
#: states it in minutes, as the setting is written; a test holds the two equal).
DEFAULT_LIMIT = 8 * 3600

#: Why a timer looks forgotten (``past_limit``, ``past_midnight``: either or both) and
#: ``likely_end``: an instant to suggest for ``stop --at`` (see :func:`likely_end`).
#: A named tuple, not a dataclass: ``dataclasses`` costs ``status`` its import.
Forgotten = namedtuple("Forgotten", "past_limit past_midnight likely_end")


def forgotten(start: int, end: int, zone: str, limit: int) -> Forgotten | None:
    """Whether the entry ``[start, end)`` of a timer started in ``zone`` looks forgotten:
    longer than ``limit`` seconds, or across midnight in ``zone``
    (``domain.days.ends_on_another_day``: one that ends as its day does is not);
    ``None`` when it does not."""
    tz = ZoneInfo(zone)
    past_limit = end - start > limit
    past_midnight = ends_on_another_day(start, end, tz)
    if not (past_limit or past_midnight):
        return None
    return Forgotten(past_limit, past_midnight, likely_end(start, end, tz, limit))


def likely_end(start: int, end: int, zone: ZoneInfo, limit: int) -> int:
    """When the work of a forgotten timer likely ended, to suggest: ``limit`` after its
    start, or the last minute of the day it started (in ``zone``), whichever comes first;
    on a whole minute, after ``start`` and never after ``end`` (else ``end`` itself)."""
    next_day = day_start(local_date(start, zone) + timedelta(days=1), zone)
    guess = min(start + limit, next_day - 60, end)
    guess -= guess % 60
    return guess if guess > start else end


def reason(found: Forgotten, limit: int) -> str:
    """Why it looks forgotten, in words: ``past midnight and for more than 8 hours``."""
    if found.past_limit and found.past_midnight:
        text = _("past midnight and for more than {limit}")
    elif found.past_limit:
        text = _("for more than {limit}")
    else:
        text = _("past midnight")
    return text.format(limit=limit_words(limit))


def limit_words(limit: int) -> str:
    """The limit as a person says it: ``8 hours``, ``1 hour``, ``2 h 30 min``."""
    hours, minutes = divmod(limit // 60, 60)
    if not minutes:
        return ngettext("{n} hour", "{n} hours", hours).format(n=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
