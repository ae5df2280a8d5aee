"""A task's whole story: its phases, their events, occurrences and time."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from mansioni.domain.names import TaskName, resolve_task
from mansioni.domain.occurrences import Occurrence
from mansioni.domain.phases import FOREVER, Phase
from mansioni.store import records
from mansioni.store.db import one
from mansioni.store.queries.events import task_phases, task_row
from mansioni.store.queries.occurrences import task_occurrences

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store


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


def task_history(store: Store, task: str, *, zone: str) -> History:
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
