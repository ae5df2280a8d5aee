"""Time entries as plain values, and the rules every entry obeys.

Instants are whole seconds since the Unix epoch, in UTC; ``zone`` is the IANA
name of the zone the entry was recorded in, used only to show local times. An
entry with ``end is None`` is a running timer; a person has at most one. An
occurrence (one time a duty is done) is an entry plus the entries that resumed
it: ``occurrence_id`` is ``None`` for the entry that began it, else that entry's id.
"""

from __future__ import annotations

from collections import namedtuple

from mansioni.domain.text import check_text
from mansioni.errors import InputError
from mansioni.i18n import _

#: A little slack for clocks: an instant typed as "now" may be a second ahead.
FUTURE_TOLERANCE = 60

#: No entry is longer than a week: a longer one is a forgotten timer. The bound also
#: lets queries read only a bounded index range before the period they ask about.
MAX_ENTRY_SECONDS = 7 * 24 * 3600


# A named tuple, not a dataclass: ``dataclasses`` costs the commands typed all day
# some 20 ms of imports.
_EntryFields = namedtuple(
    "_EntryFields",
    "id task_id person start end zone note occurrence_id atypical",
    defaults=(None, None, False),
)


class Entry(_EntryFields):
    """One timed interval: ``id, task_id, person, start, end, zone, note,
    occurrence_id, atypical`` (instants in epoch seconds, ``end`` None while running)."""

    __slots__ = ()

    @property
    def running(self) -> bool:
        return self.end is None

    @property
    def occurrence(self) -> int:
        return self.occurrence_id if self.occurrence_id is not None else self.id

    def seconds(self, now: int) -> int:
        return (self.end if self.end is not None else now) - self.start


def check_note(
    note: str | None,
    *,
    field: str | None = None,
    example: str = "mansioni start rossi/newsletter --note 'issue 42'",
) -> str | None:
    """A note as typed (``--note``, a description, a change): any text, tabs and line
    breaks included, but no other control character (``domain.text``). ``field`` names
    it in the refusal (a whole phrase, "The note" unless given), ``example`` is a command
    that works."""
    if note is None:
        return None
    return check_text(note, field=field or _("The note"), example=example, note=True)


def check_interval(start: int, end: int | None, now: int, *, command: str = "start") -> None:
    """Refuse starts in the future, and ends that are not after the start or in the future.

    ``command`` (``start``, ``stop``, ``add``, ``edit``) is the one typed: each refusal's
    example uses only what that command takes."""
    hints = _interval_hints(command)
    if start > now + FUTURE_TOLERANCE:
        raise InputError(_("The start is in the future."), hint=hints["future start"])
    if end is None:
        return
    if end <= start:
        raise InputError(_("The end must come after the start."), hint=hints["order"])
    if end - start > MAX_ENTRY_SECONDS:
        raise InputError(_("An entry cannot last more than 7 days."), hint=hints["too long"])
    if end > now + FUTURE_TOLERANCE:
        raise InputError(_("The end is in the future."), hint=hints["future end"])


def _interval_hints(command: str) -> dict[str, str]:
    """What to do instead, in the words of ``command`` (its arguments and options only)."""
    if command == "add":
        return {
            "future start": _(
                "Record work already done: a time up to now, or another day with --date yesterday; use 'mansioni start' for work in progress"
            ),
            "order": _("For example: 14:00-14:40, or 9:00 1h30"),
            "too long": _("Record each stretch of work as an entry, e.g. 14:00-18:30"),
            "future end": _(
                "Record work already done, e.g. 14:00-14:40; use 'mansioni start' for work in progress"
            ),
        }
    if command == "edit":
        return {
            "future start": _("Use a time up to now, e.g. --start 9:05"),
            "order": _("For example: --start 9:05 --end 9:40"),
            "too long": _("Give the real end, e.g. --end 'yesterday 18:00'"),
            "future end": _("Use a time up to now, e.g. --end 9:40"),
        }
    at = _("Use a time up to now, e.g. --at 9:30 or --at '15m ago'")
    return {
        "future start": at,
        "order": _(
            "Stop it later, e.g. mansioni stop --at 10:45, or throw it away: mansioni cancel"
        ),
        "too long": _("Give the real end, e.g. mansioni stop --at 'yesterday 18:00'"),
        "future end": at,
    }


def overlap(a_start: int, a_end: int | None, b_start: int, b_end: int | None) -> bool:
    """Whether two intervals share any time (an open end runs for ever)."""
    a_stop = a_end if a_end is not None else float("inf")
    b_stop = b_end if b_end is not None else float("inf")
    return a_start < b_stop and b_start < a_stop


def clipped(start: int, end: int, lo: int, hi: int) -> int:
    """Seconds of ``[start, end)`` that fall inside ``[lo, hi)``."""
    return max(0, min(end, hi) - max(start, lo))
