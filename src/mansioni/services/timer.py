"""The timer: start, stop, cancel, status, and entries added after the fact.

Each function is one write (or read) transaction on a ``Store``, with ``now``
passed in. They are shared by the quick command path and the full one, so the
rows written are the same whichever path ran. Only the standard library and our
own pure modules are imported here.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni.domain.calendar import day_bounds
from mansioni.domain.display import format_duration, local_time, shell_word
from mansioni.domain.entries import Entry, check_interval, check_note, overlap
from mansioni.domain.forgotten import Forgotten, forgotten, reason
from mansioni.domain.names import client_ref, resolve_task
from mansioni.errors import ConflictError, InputError
from mansioni.i18n import _
from mansioni.store import records
from mansioni.store.writer import Writer

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from collections.abc import Callable

    from mansioni.store.base import Store
    from mansioni.store.db import Db


# Named tuples rather than dataclasses: see ``mansioni.domain.entries``.

#: An entry with the name of its task.
Timed = namedtuple("Timed", "entry task")
#: An entry added by hand; ``moved_from``: the task's story start before it, when the
#: entry began earlier and so moved the start back (None otherwise); ``invoiced``: the
#: invoice whose period the entry falls in (a row with ``first_day``, ``last_day``,
#: ``client`` and ``client_ref``, how to type it: ``domain.names.client_ref``), or None: the entry is not on it, a new ``bill`` of that period marks it.
Added = namedtuple("Added", "entry task moved_from invoiced")

#: What ``start`` did: the new timer, the one it stopped, whether it resumed an
#: occurrence, and a timer started in the same second that it replaced.
Started = namedtuple("Started", "started stopped resumed replaced", defaults=(None,))


class Status(
    namedtuple("Status", "running today now awaiting forgotten limit", defaults=((), None, None))
):
    """The running timer (a ``Timed`` or None), today's ``(client, seconds)``, now, the
    tasks whose trial ended without a decision (``(TaskName, trial end day)``), and
    whether the running timer looks forgotten (a ``domain.forgotten.Forgotten`` or None;
    ``limit``: the limit it was checked against, in seconds)."""

    __slots__ = ()

    @property
    def today_total(self) -> int:
        return sum(seconds for _client, seconds in self.today)


class ForgottenTimer(InputError):
    """Stopping the running timer at ``end`` would record an entry that looks forgotten
    (``domain.forgotten``: past the limit, or past midnight); nothing was written.

    ``timed``: the running timer; ``found``: why, and when its work likely ended;
    ``limit``: in seconds. The command line asks whether to keep it whole, or says what
    to type (``cli.timer_view``): only it knows the command that was typed.
    """

    def __init__(self, timed: Timed, end: int, found: Forgotten, limit: int) -> None:
        entry = timed.entry
        super().__init__(
            _(
                "The timer of {task} has run since {time} ({elapsed}), {reason}: was it forgotten?"
            ).format(
                task=timed.task.full,
                time=local_time(entry.start, entry.zone, end),
                elapsed=format_duration(end - entry.start),
                reason=reason(found, limit),
            )
        )
        self.timed, self.end, self.found, self.limit = timed, end, found, limit


def _check_forgotten(
    db: Db, current: Entry, end: int, limit: int | None, keep_whole: bool, confirmed: int | None
) -> None:
    """Raise ``ForgottenTimer`` when ending ``current`` at ``end`` would record an entry
    that looks forgotten, unless it is to be kept whole: every timer (``keep_whole``,
    ``--yes``) or this one (``confirmed``: the id of the timer the user was asked about;
    another one, started meanwhile by another shell, is checked anew)."""
    if limit is None or keep_whole or confirmed == current.id:
        return
    found = forgotten(current.start, end, current.zone, limit)
    if found is not None:
        timed = Timed(current, records.task_name(db, current.task_id))
        raise ForgottenTimer(timed, end, found, limit)


def check_no_overlap(db: Db, person: str, start: int, end: int | None, ignore: set[int]) -> None:
    """Refuse ``[start, end)`` if it shares time with an entry of ``person`` not in ``ignore``."""
    for other in records.touching(db, person, start, end):
        if other.id in ignore or not overlap(start, end, other.start, other.end):
            continue
        task = records.task_name(db, other.task_id)
        raise InputError(
            _("This overlaps entry {id} ({task}).").format(id=other.id, task=task.full),
            hint=_("Change the times, or pass --overlap if you really worked on both at once."),
        )


def start(
    store: Store,
    *,
    task: str,
    person: str,
    now: int,
    zone: str,
    at: int | None = None,
    note: str | None = None,
    resume: bool = False,
    allow_overlap: bool = False,
    clock: Callable[[], int] | None = None,
    limit: int | None = None,
    keep_whole: bool = False,
    confirmed: int | None = None,
) -> Started:
    """Start timing ``task``; a running timer is stopped at the same instant. Without
    ``at`` it starts when the write lock is held: ``clock()`` read then (``now`` without a
    clock), never before the end of an entry a racing ``stop`` just wrote.

    With a ``limit`` (seconds), a running timer that would so become an entry that looks
    forgotten (``domain.forgotten``) is not stopped: ``ForgottenTimer`` is raised and
    nothing is written, unless ``keep_whole`` or ``confirmed`` (see ``stop``)."""
    note = check_note(note)
    begin = now if at is None else at
    check_interval(begin, None, now)
    with store.write() as db:
        if clock is not None:
            now = max(now, clock())
            begin = now if at is None else at
        target = resolve_task(task, records.task_names(db))
        writer = Writer(db, person=person, command="start", now=now)
        stopped = replaced = None
        current = records.running(db, person)
        if at is None and current is not None and current.start > begin:
            # Another shell started a timer while this one waited for the lock:
            # "now" is the moment we got it, never before the timer we stop.
            begin = current.start
        if current is not None and current.start == begin:
            # Started in this very second (a double start, or two shells racing):
            # the new start takes its place instead of leaving an empty entry.
            writer.delete("entry", current.id)
            replaced = Timed(current, records.task_name(db, current.task_id))
        elif current is not None:
            if begin < current.start:
                raise InputError(
                    _(
                        "The timer of {task} started at {time}: a new start cannot come before it."
                    ).format(
                        task=records.task_name(db, current.task_id).full,
                        time=local_time(current.start, current.zone, now),
                    ),
                    hint=_(
                        "Stop it first (e.g. mansioni stop --at 10:45), or start later: --at {time}"
                    ).format(time=local_time(current.start, current.zone, now)),
                )
            check_interval(current.start, begin, now)
            _check_forgotten(db, current, begin, limit, keep_whole, confirmed)
            writer.update("entry", current.id, {"end_utc": begin})
            stopped = Timed(current._replace(end=begin), records.task_name(db, current.task_id))
        if not allow_overlap:
            check_no_overlap(db, person, begin, None, {current.id} if current else set())
        occurrence_id = None
        if resume:
            last = records.last_of_task(db, target.id, person)
            if last is None:
                raise InputError(
                    _("{task} has no earlier entry to resume.").format(task=target.full),
                    hint=_("Start it without --resume: mansioni start {task}").format(
                        task=shell_word(target.full)
                    ),
                )
            occurrence_id = last.occurrence
        entry_id = writer.insert(
            "entry",
            {
                "task_id": target.id,
                "person": person,
                "start_utc": begin,
                "end_utc": None,
                "zone": zone,
                "note": note,
                "occurrence_id": occurrence_id,
                "atypical": False,
                "created_utc": now,
            },
        )
        entry = Entry(entry_id, target.id, person, begin, None, zone, note, occurrence_id, False)
        return Started(Timed(entry, target), stopped, resume, replaced)


def _need_running(db: Db, person: str) -> Entry:
    current = records.running(db, person)
    if current is None:
        raise ConflictError(
            _("No timer is running."),
            hint=_("Start one with: mansioni start rossi/newsletter"),
        )
    return current


def stop(
    store: Store,
    *,
    person: str,
    now: int,
    at: int | None = None,
    note: str | None = None,
    clock: Callable[[], int] | None = None,
    limit: int | None = None,
    keep_whole: bool = False,
    confirmed: int | None = None,
) -> Timed:
    """Stop the running timer at ``at``, else at the instant the write lock is held:
    ``clock()`` read then (``now`` without a clock). A timer another shell started while
    this one waited for the lock is then never stopped before it began.

    Without ``at`` and with a ``limit`` (seconds), a timer that looks forgotten
    (``domain.forgotten``: it ran past the limit or past midnight) is not stopped:
    ``ForgottenTimer`` is raised and nothing is written, unless ``keep_whole`` (``--yes``)
    or ``confirmed`` is its id (the user was asked, and said to keep it whole). A time
    typed with ``--at`` is the user's own answer: it is never questioned."""
    note = check_note(note)
    with store.write() as db:
        if clock is not None:
            now = max(now, clock())
        end = now if at is None else at
        current = _need_running(db, person)
        # A time typed with --at is input; without it, a timer that started at this
        # very instant (or later, on a clock ahead of ours) has nothing to stop yet.
        refusal = InputError if at is not None else ConflictError
        if end < current.start:
            raise refusal(
                _("The timer started at {time}: it cannot stop before that.").format(
                    time=local_time(current.start, current.zone, now)
                ),
                hint=_(
                    "Stop it later, e.g. mansioni stop --at 10:45, or throw it away: mansioni cancel"
                ),
            )
        if end == current.start:
            raise refusal(
                _("The timer started at this very instant: there is nothing to record."),
                hint=_("Throw it away with: mansioni cancel"),
            )
        check_interval(current.start, end, now)
        if at is None:
            _check_forgotten(db, current, end, limit, keep_whole, confirmed)
        changes: dict[str, object] = {"end_utc": end}
        if note:
            changes["note"] = f"{current.note}; {note}" if current.note else note
        row = Writer(db, person=person, command="stop", now=now).update(
            "entry", current.id, changes
        )
        return Timed(records.to_entry(row), records.task_name(db, current.task_id))


def cancel(store: Store, *, person: str, now: int) -> Timed:
    """Throw the running timer away (``undo`` brings it back)."""
    with store.write() as db:
        current = _need_running(db, person)
        Writer(db, person=person, command="cancel", now=now).delete("entry", current.id)
        return Timed(current, records.task_name(db, current.task_id))


def add(
    store: Store,
    *,
    task: str,
    person: str,
    now: int,
    zone: str,
    begin: int,
    end: int,
    note: str | None = None,
    allow_overlap: bool = False,
) -> Added:
    """Record work done without the timer; say whether it moved the task's story start."""
    from mansioni.store.queries.events import task_start
    from mansioni.store.queries.invoices import invoice_covering
    from mansioni.store.records import client_names

    note = check_note(note, example="mansioni add rossi/invoices 14:00-14:40 --note 'issue 42'")
    check_interval(begin, end, now, command="add")
    with store.write() as db:
        target = resolve_task(task, records.task_names(db))
        if not allow_overlap:
            check_no_overlap(db, person, begin, end, set())
        values = {
            "task_id": target.id,
            "person": person,
            "start_utc": begin,
            "end_utc": end,
            "zone": zone,
            "note": note,
            "occurrence_id": None,
            "atypical": False,
            "created_utc": now,
        }
        start = task_start(db, target.id)
        entry_id = Writer(db, person=person, command="add", now=now).insert("entry", values)
        entry = Entry(entry_id, target.id, person, begin, end, zone, note)
        invoiced = invoice_covering(db, target.id, begin)
        if invoiced is not None:  # how to type its client, for the bill command to suggest
            names = [c.name for c in client_names(db)]
            invoiced = {**invoiced, "client_ref": client_ref(invoiced["client"], names)}
        return Added(entry, target, start if begin < start else None, invoiced)


def status(store: Store, *, person: str, now: int, zone: str, limit: int | None = None) -> Status:
    """What runs, since when, and today's time per client (in the user's zone); with a
    ``limit`` (seconds), whether the running timer looks forgotten (``domain.forgotten``)."""
    today = datetime.fromtimestamp(now, ZoneInfo(zone)).date()
    lo, hi = day_bounds(today, ZoneInfo(zone))
    with store.read() as db:
        current = records.running(db, person)
        running = Timed(current, records.task_name(db, current.task_id)) if current else None
        totals = records.client_totals(db, person, lo, hi, now)
        awaiting = records.trials_awaiting_decision(db, today=today, zone=ZoneInfo(zone))
    found = None
    if current is not None and limit is not None:
        found = forgotten(current.start, max(now, current.start), current.zone, limit)
    return Status(running, totals, now, tuple(awaiting), found, limit)
