"""From time entries to occurrences: the unit the review reasons about.

For a duty done per occurrence, an occurrence is one entry, or several joined with
``start --resume`` (``Entry.occurrence``). For a duty whose estimate is per week or
per month, an occurrence is one calendar week (Monday to Sunday) or month of that
task's time. Calendar days, weeks and months are those of the user's zone, so an
entry is counted on the day it was on the user's clock, across DST changes too.

An occurrence is atypical when any of its entries is flagged atypical: it stays in
the totals and out of the statistics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import local_date, unit_key
from mansioni.domain.entries import Entry


@dataclass(frozen=True)
class Occurrence:
    """One time the duty was done: its day on the user's clock and its seconds (the sum
    of its entries).

    Read from the store it also has its ``key`` (the id of the entry that began it, or
    the calendar unit's :func:`~mansioni.domain.calendar.unit_key`), its ``start`` (the
    earliest start of its entries, epoch seconds), how many ``entries`` it has and
    whether it is ``atypical``; the review itself needs only the day and the seconds.
    """

    day: date
    seconds: float
    key: tuple[int, ...] = ()
    start: int = 0
    entries: int = 1
    atypical: bool = False


def key_of(entry: Entry, basis: str, zone: ZoneInfo) -> tuple[int, ...]:
    """The occurrence ``entry`` belongs to, for a duty estimated per ``basis``."""
    if basis == "occurrence":
        return (entry.occurrence,)
    if basis in ("week", "month"):
        return unit_key(local_date(entry.start, zone), basis)
    raise ValueError(f"unknown basis: {basis}")


def occurrences(entries: Iterable[Entry], *, basis: str, zone: ZoneInfo) -> list[Occurrence]:
    """The occurrences made by finished ``entries``, in time order.

    Running entries (no end) are left out: an occurrence under way is not yet a timing.
    """
    groups: dict[tuple[int, ...], list[Entry]] = {}
    for entry in entries:
        if entry.end is None:
            continue
        groups.setdefault(key_of(entry, basis, zone), []).append(entry)
    found = []
    for key, members in groups.items():
        start = min(e.start for e in members)
        found.append(
            Occurrence(
                key=key,
                start=start,
                day=local_date(start, zone),
                seconds=sum(e.end - e.start for e in members if e.end is not None),
                entries=len(members),
                atypical=any(e.atypical for e in members),
            )
        )
    found.sort(key=lambda o: (o.start, o.key))
    return found
