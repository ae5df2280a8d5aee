"""Recording a task's story: estimates, changes, decisions.

Each write is one transaction, journaled like every other change. After each event
the task row is brought in line with its current phase (estimate, basis, rate,
state), so lists show what is in force now; the events remain the record.

The first event that carries a new rate for a task is preceded, in the same
operation, by the task's first rate (``domain.billing.FIRST_RATE``): the rate it had
until then, in force from the beginning of its history.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from mansioni.domain.billing import FIRST_RATE
from mansioni.domain.calendar import local_date
from mansioni.domain.display import shell_word
from mansioni.domain.entries import check_note
from mansioni.domain.names import TaskName, resolve_task
from mansioni.domain.phases import FOREVER, Phase
from mansioni.errors import InputError
from mansioni.i18n import _, dates
from mansioni.store import records
from mansioni.store.db import one
from mansioni.store.queries.events import latest_decision, task_phases, task_row, task_start
from mansioni.store.records import task_name
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db


def when(db: Db, task_id: int, at: int | None, now: int, zone: str) -> int:
    """The instant an event takes effect: now, or a past instant from the task's story
    start on (``domain.phases.story_start``; naming the story's first day means its
    start) and not before a decision already recorded, whose judgement it would
    rewrite."""
    if at is None:
        return now
    if at > now:
        raise InputError(
            _("That date is in the future."),
            hint=_("Date it today or earlier, e.g. --at yesterday"),
        )
    tz = ZoneInfo(zone)
    begun = task_start(db, task_id)
    if at < begun and local_date(at, tz) == local_date(begun, tz):
        at = begun  # the story's first day, named: from the moment it starts
    if at < begun:
        day = local_date(begun, tz)
        raise InputError(
            _("The story of this task starts on {day}: nothing can be dated before it.").format(
                day=dates.day(day)
            ),
            hint=_(
                "Date it on or after that day (e.g. --at {iso}), or say when the duty began: mansioni task edit {task} --since 2026-10-01"
            ).format(iso=day.isoformat(), task=shell_word(task_name(db, task_id).full)),
        )
    decided = latest_decision(db, task_id)
    if decided is not None and at < decided:
        day = local_date(decided, tz)
        raise InputError(
            _(
                "A decision was recorded on {day}: what it judged stays as it was judged, so nothing can be dated before it."
            ).format(day=dates.day(day)),
            hint=_("Date it on or after that day, e.g. --at {iso}").format(iso=day.isoformat()),
        )
    return at


def _sync_task(db: Db, writer: Writer, task_id: int, now: int, changes: dict[str, object]) -> None:
    """Bring the task row in line with its current phase, plus ``changes``."""
    current = task_phases(db, task_id, until=FOREVER)[-1]
    task = task_row(db, task_id)
    update: dict[str, object] = {
        "estimate_seconds": current.estimate_seconds,
        "estimate_basis": current.estimate_basis or task["estimate_basis"],
        **changes,
    }
    writer.update("task", task_id, update)


def _event(writer: Writer, task_id: int, at: int, kind: str, **values: object) -> int:
    return writer.insert(
        "task_event",
        {
            "task_id": task_id,
            "kind": kind,
            "at_utc": at,
            "person": writer.person,
            "text": values.get("text"),
            "major": values.get("major"),
            "estimate_seconds": values.get("estimate_seconds"),
            "estimate_basis": values.get("estimate_basis"),
            "rate_cents": values.get("rate_cents"),
            "decision": values.get("decision"),
            "verdict": values.get("verdict"),
            "created_utc": writer.now,
        },
    )


def _first_rate(db: Db, writer: Writer, task_id: int) -> None:
    """Before the task's first rate change: the rate it had until then, as an event."""
    if one(
        db,
        "SELECT id FROM task_event WHERE task_id = :task AND kind = :kind LIMIT 1",
        {"task": task_id, "kind": FIRST_RATE},
    ):
        return
    task = task_row(db, task_id)
    _event(writer, task_id, int(task["created_utc"]), FIRST_RATE, rate_cents=task["rate_cents"])


def record_estimate(writer: Writer, task_id: int, seconds: int, basis: str | None, at: int) -> None:
    """An ``estimate`` event (used by ``task add`` and ``task edit`` too)."""
    _event(writer, task_id, at, "estimate", estimate_seconds=seconds, estimate_basis=basis)


def estimate(
    store: Store,
    task: str,
    *,
    seconds: int,
    basis: str | None,
    at: int | None,
    person: str,
    now: int,
    zone: str,
) -> tuple[TaskName, str]:
    """Record or revise the client's estimate for the task's current phase; return the
    task and the basis the estimate is for."""
    with store.write() as db:
        target = resolve_task(task, records.task_names(db))
        when_at = when(db, target.id, at, now, zone)
        writer = Writer(db, person=person, command="estimate", now=now)
        record_estimate(writer, target.id, seconds, basis, when_at)
        _sync_task(db, writer, target.id, now, {})
        return target, str(task_row(db, target.id)["estimate_basis"])


def change(
    store: Store,
    task: str,
    *,
    text: str,
    minor: bool,
    estimate_seconds: int | None,
    rate_cents: int | None,
    at: int | None,
    person: str,
    now: int,
    zone: str,
) -> tuple[TaskName, Phase]:
    """Record a change to the duty; a major one opens a new phase with a new trial."""
    if not text.strip():
        raise InputError(
            _("Say what changed."),
            hint=_('For example: mansioni change rossi/newsletter "now also schedules the posts"'),
        )
    check_note(
        text,
        field=_("The description of the change"),
        example='mansioni change rossi/newsletter "now also schedules the posts"',
    )
    with store.write() as db:
        target = resolve_task(task, records.task_names(db))
        when_at = when(db, target.id, at, now, zone)
        writer = Writer(db, person=person, command="change", now=now)
        basis = task_row(db, target.id)["estimate_basis"] if estimate_seconds else None
        if rate_cents is not None:
            _first_rate(db, writer, target.id)
        _event(
            writer,
            target.id,
            when_at,
            "change",
            text=text.strip(),
            major=not minor,
            estimate_seconds=estimate_seconds,
            estimate_basis=basis,
            rate_cents=rate_cents,
        )
        changes: dict[str, object] = {}
        if rate_cents is not None:
            changes["rate_cents"] = rate_cents
        if not minor and task_row(db, target.id)["state"] in ("active", "trial"):
            changes["state"] = "trial"
        _sync_task(db, writer, target.id, now, changes)
        return target, task_phases(db, target.id)[-1]


def record_decision(
    db: Db,
    target: TaskName,
    *,
    decision: str,
    verdict: str,
    note: str | None,
    rate_cents: int | None,
    estimate_seconds: int | None,
    person: str,
    now: int,
    at: int,
) -> None:
    """Write a decision taken on ``verdict``, in effect from ``at``; the review service
    checks there is one to take."""
    check_note(
        note,
        field=_("The decision's note"),
        example="mansioni decide rossi/newsletter keep --note 'client keeps delegating at 30/h'",
    )
    writer = Writer(db, person=person, command="decide", now=now)
    basis = task_row(db, target.id)["estimate_basis"] if estimate_seconds else None
    if rate_cents is not None:
        _first_rate(db, writer, target.id)
    _event(
        writer,
        target.id,
        at,
        "decision",
        text=note,
        decision=decision,
        verdict=verdict,
        rate_cents=rate_cents,
        estimate_seconds=estimate_seconds,
        estimate_basis=basis,
    )
    changes: dict[str, object] = {"state": "handed_back" if decision == "hand_back" else "active"}
    if rate_cents is not None:
        changes["rate_cents"] = rate_cents
    _sync_task(db, writer, target.id, now, changes)
