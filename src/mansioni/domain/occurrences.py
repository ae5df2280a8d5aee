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
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mansioni.domain.entries import Entry


@dataclass(frozen=True)
class Occurrence:
    key: tuple[int, ...]
    start: int  # the earliest start of its entries (epoch seconds)
    day: date  # that start's day on the user's clock
    seconds: int
    entries: int
    atypical: bool


def _bucket(entry: Entry, basis: str, zone: ZoneInfo) -> tuple[int, ...]:
    if basis == "occurrence":
        return (entry.occurrence,)
    local = datetime.fromtimestamp(entry.start, zone).date()
    if basis == "week":
        year, week, _weekday = local.isocalendar()
        return (year, week)
    if basis == "month":
        return (local.year, local.month)
    raise ValueError(f"unknown basis: {basis}")


def occurrences(entries: Iterable[Entry], *, basis: str, zone: ZoneInfo) -> list[Occurrence]:
    """The occurrences made by finished ``entries``, in time order.

    Running entries (no end) are left out: an occurrence under way is not yet a timing.
    """
    groups: dict[tuple[int, ...], list[Entry]] = {}
    for entry in entries:
        if entry.end is None:
            continue
        groups.setdefault(_bucket(entry, basis, zone), []).append(entry)
    found = []
    for key, members in groups.items():
        start = min(e.start for e in members)
        found.append(
            Occurrence(
                key=key,
                start=start,
                day=datetime.fromtimestamp(start, zone).date(),
                seconds=sum(e.end - e.start for e in members if e.end is not None),
                entries=len(members),
                atypical=any(e.atypical for e in members),
            )
        )
    found.sort(key=lambda o: (o.start, o.key))
    return found
