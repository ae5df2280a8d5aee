"""Showing durations and instants, the same way everywhere.

Kept apart from the parsers so that ``status`` need not compile their patterns.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def format_duration(seconds: int) -> str:
    """``seconds`` as ``h:mm`` (whole minutes, truncated): 3599 -> ``0:59``."""
    if seconds < 0:
        return "-" + format_duration(-seconds)
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}:{rest // 60:02d}"


def local_time(instant: int, zone: str, now: int) -> str:
    """``09:05`` on the day of ``now``, ``2026-11-26 17:00`` on any other (in ``zone``)."""
    tz = ZoneInfo(zone)
    moment = datetime.fromtimestamp(instant, tz)
    if moment.date() == datetime.fromtimestamp(now, tz).date():
        return moment.strftime("%H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")


def shell_word(text: str) -> str:
    """``text`` as one shell word, so a suggested command works when pasted (a control
    character, which no one could type there, is shown as ``domain.text.shown`` does)."""
    import shlex

    from mansioni.domain.text import shown

    return shown(shlex.quote(text))
