"""A task's story: estimates, changes, decisions, and its history split into phases.

Each write is one transaction, journaled like every other change. After each event
the task row is brought in line with its current phase (estimate, basis, rate,
state), so lists show what is in force now; the events remain the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mansioni.domain.display import local_date
from mansioni.domain.entries import Entry
from mansioni.domain.names import TaskName, resolve_task
from mansioni.domain.occurrences import Occurrence, occurrences
from mansioni.domain.phases import Event, Phase, phases
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.store import records
from mansioni.store.db import one
from mansioni.store.writer import Writer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db, Row

#: Far enough in the future to mean "everything recorded".
FOREVER = 2**62


def load_events(db: Db, task_id: int) -> list[Event]:
    return [
        Event(
            id=int(r["id"]),
            kind=r["kind"],
            at=int(r["at_utc"]),
            text=r["text"],
            major=None if r["major"] is None else bool(r["major"]),
            estimate_seconds=r["estimate_seconds"],
            estimate_basis=r["estimate_basis"],
            rate_cents=r["rate_cents"],
            decision=r["decision"],
            verdict=r["verdict"],
            person=r["person"],
        )
        for r in db.rows(
            "SELECT * FROM task_event WHERE task_id = :id ORDER BY at_utc, id", {"id": task_id}
        )
    ]


def task_row(db: Db, task_id: int) -> Row:
    row = one(db, "SELECT * FROM task WHERE id = :id", {"id": task_id})
    assert row is not None
    return row


def first_entry(db: Db, task_id: int) -> int | None:
    row = one(db, "SELECT MIN(start_utc) AS first FROM entry WHERE task_id = :id", {"id": task_id})
    return None if row is None or row["first"] is None else int(row["first"])


def task_phases(db: Db, task_id: int, *, until: int = FOREVER) -> list[Phase]:
    task = task_row(db, task_id)
    return phases(
        created=int(task["created_utc"]),
        first_entry=first_entry(db, task_id),
        events=load_events(db, task_id),
        until=until,
    )


def entries_between(db: Db, task_id: int, lo: int, hi: int | None) -> list[Entry]:
    """Every person's entries of the task starting in ``[lo, hi)``: the duty, whoever did it."""
    sql = (
        "SELECT id, task_id, person, start_utc, end_utc, zone, note, occurrence_id, atypical"
        " FROM entry WHERE task_id = :task AND start_utc >= :lo"
    )
    params: dict[str, object] = {"task": task_id, "lo": lo}
    if hi is not None:
        sql += " AND start_utc < :hi"
        params["hi"] = hi
    return [records.to_entry(r) for r in db.rows(sql + " ORDER BY start_utc, id", params)]


def task_occurrences(
    db: Db, task_id: int, lo: int, hi: int, *, basis: str, zone: ZoneInfo
) -> list[Occurrence]:
    """The task's occurrences whose entries start in ``[lo, hi)``, finished ones only.

    Per-occurrence duties are grouped by the database (one row per occurrence, not per
    entry); calendar weeks and months need the user's zone, so those are grouped by
    ``mansioni.domain.occurrences``. A test holds the two ways equal.
    """
    if basis != "occurrence":
        return occurrences(
            [e for e in entries_between(db, task_id, lo, hi) if e.end is not None],
            basis=basis,
            zone=zone,
        )
    rows = db.rows(
        "SELECT COALESCE(occurrence_id, id) AS occ, MIN(start_utc) AS first,"
        " SUM(end_utc - start_utc) AS seconds, COUNT(*) AS entries,"
        " MAX(CASE WHEN atypical THEN 1 ELSE 0 END) AS atypical"
        " FROM entry WHERE task_id = :task AND start_utc >= :lo AND start_utc < :hi"
        " AND end_utc IS NOT NULL GROUP BY COALESCE(occurrence_id, id)",
        {"task": task_id, "lo": lo, "hi": hi},
    )
    found = [
        Occurrence(
            key=(int(r["occ"]),),
            start=int(r["first"]),
            day=local_date(int(r["first"]), zone),
            seconds=int(r["seconds"]),
            entries=int(r["entries"]),
            atypical=bool(r["atypical"]),
        )
        for r in rows
    ]
    found.sort(key=lambda o: (o.start, o.key))
    return found


def _when(db: Db, task_id: int, at: int | None, now: int, zone: str) -> int:
    """The instant an event takes effect: now, or a date no earlier than the task itself."""
    if at is None:
        return now
    if at > now:
        raise InputError(
            _("That date is in the future."),
            hint=_("Date it today or earlier, e.g. --at yesterday"),
        )
    # Events are dated from the task's creation on (its first phase may reach further
    # back, to work recorded before the task was set up).
    begun = int(task_row(db, task_id)["created_utc"])
    if at < begun:
        raise InputError(
            _("The task did not exist yet on that date."),
            hint=_("Date it on or after {day}, e.g. --at {day}").format(
                day=local_date(begun, ZoneInfo(zone)).isoformat()
            ),
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
        when = _when(db, target.id, at, now, zone)
        writer = Writer(db, person=person, command="estimate", now=now)
        record_estimate(writer, target.id, seconds, basis, when)
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
    with store.write() as db:
        target = resolve_task(task, records.task_names(db))
        when = _when(db, target.id, at, now, zone)
        writer = Writer(db, person=person, command="change", now=now)
        basis = task_row(db, target.id)["estimate_basis"] if estimate_seconds else None
        _event(
            writer,
            target.id,
            when,
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
) -> None:
    """Write a decision taken on ``verdict``; the review service checks there is one."""
    writer = Writer(db, person=person, command="decide", now=now)
    basis = task_row(db, target.id)["estimate_basis"] if estimate_seconds else None
    _event(
        writer,
        target.id,
        now,
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


@dataclass(frozen=True)
class PhaseStory:
    phase: Phase
    occurrences: list[Occurrence]

    @property
    def typical(self) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.atypical]

    @property
    def seconds(self) -> int:
        return sum(o.seconds for o in self.occurrences)


@dataclass(frozen=True)
class History:
    task: TaskName
    created: int
    basis: str
    currency: str  # the client's, for the rates in the events
    phases: list[PhaseStory]


def history(store: Store, task: str, *, zone: str) -> History:
    """The whole story of a task: its phases, their events, occurrences and time."""
    tz = ZoneInfo(zone)
    with store.read() as db:
        target = resolve_task(task, records.task_names(db, include_archived=True))
        row = task_row(db, target.id)
        client = one(db, "SELECT currency FROM client WHERE id = :id", {"id": row["client_id"]})
        assert client is not None
        stories = [
            PhaseStory(
                phase,
                task_occurrences(
                    db,
                    target.id,
                    phase.start,
                    FOREVER if phase.end is None else phase.end,
                    basis=phase.estimate_basis or row["estimate_basis"],
                    zone=tz,
                ),
            )
            for phase in task_phases(db, target.id)
        ]
    return History(
        target, int(row["created_utc"]), row["estimate_basis"], client["currency"], stories
    )
