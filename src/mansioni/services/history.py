"""A task's whole story: where it starts, its phases, their comparison windows,
events, occurrences and time."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mansioni.domain.names import TaskName, resolve_task
from mansioni.domain.phases import FOREVER, Phase
from mansioni.services.segments import SegmentFigures, segment_figures
from mansioni.store import records
from mansioni.store.db import one
from mansioni.store.queries.events import first_entry, task_phases, task_row
from mansioni.store.queries.occurrences import occurrence_totals

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store


@dataclass(frozen=True)
class PhaseStory:
    """A phase, and its occurrences counted: all of them (``occurrences``), the
    atypical ones among them, and their time (``seconds``, atypical ones included);
    ``segments``: its comparison windows and their figures (typical occurrences only),
    as the review reads them."""

    phase: Phase
    occurrences: int
    atypical: int
    seconds: int
    segments: tuple[SegmentFigures, ...] = ()


@dataclass(frozen=True)
class History:
    """``created``: when the task was set up; ``since``: when it was said to have
    begun (``--since``; None); ``first_entry``: its first entry's start (None);
    ``start``: where its story starts (``domain.phases.story_start``: the earliest of
    these and of its events)."""

    task: TaskName
    created: int
    basis: str
    currency: str  # the client's, for the rates in the events
    phases: list[PhaseStory]
    since: int | None = None
    first_entry: int | None = None

    @property
    def start(self) -> int:
        return self.phases[0].phase.start


def task_history(store: Store, task: str, *, zone: str, until: int = FOREVER) -> History:
    """The story of a task as it stood at ``until`` (default: now, all of it): its
    phases, their events, occurrences and time; later events and entries left out."""
    tz = ZoneInfo(zone)
    with store.read() as db:
        target = resolve_task(task, records.task_names(db, include_archived=True))
        row = task_row(db, target.id)
        client = one(db, "SELECT currency FROM client WHERE id = :id", {"id": row["client_id"]})
        assert client is not None
        stories = []
        lo = None
        for phase in task_phases(db, target.id, until=until):
            end = min(FOREVER if phase.end is None else phase.end, until + 1)
            basis = phase.estimate_basis or row["estimate_basis"]
            totals = occurrence_totals(db, target.id, phase.start, end, basis=basis, zone=tz)
            segments = segment_figures(
                db,
                target.id,
                phase,
                lo=phase.start if lo is None else lo,
                until=min(until, end - 1),
                basis=basis,
                zone=tz,
            )
            lo = phase.start
            stories.append(
                PhaseStory(
                    phase, totals.occurrences, totals.atypical, totals.seconds, tuple(segments)
                )
            )
        first = first_entry(db, target.id)
    return History(
        target,
        int(row["created_utc"]),
        row["estimate_basis"],
        client["currency"],
        stories,
        since=row["since_utc"],
        first_entry=first,
    )
