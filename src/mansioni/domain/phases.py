"""A task's story split into phases at its major changes.

Invariants:
- the first phase starts when the task was created, or at its first entry if that
  came earlier (work recorded before the task was set up still counts);
- each major change closes the phase it falls in and opens the next at its date,
  with a new trial and **no estimate** until one is given: an estimate is never
  carried over from an earlier phase;
- within a phase, the estimate in force is the latest one given (an ``estimate``
  event, a change or a decision carrying one), up to the moment asked about;
- a minor change, or a decision that renegotiates, re-baselines the comparison:
  ``rebaseline_at`` is the latest of them in the phase;
- a decision ends the review cycle of its phase: ``decision`` is the latest one.
Events are ordered by date, then by id (the order they were recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

#: Far enough in the future to mean "everything recorded".
FOREVER = 2**62
#: Far enough in the past to mean "before everything".
NEVER = -(2**62)


@dataclass(frozen=True)
class Event:
    id: int
    kind: str  # estimate | change | decision
    at: int
    text: str | None = None
    major: bool | None = None
    estimate_seconds: int | None = None
    estimate_basis: str | None = None
    rate_cents: int | None = None
    decision: str | None = None
    verdict: str | None = None
    person: str = ""


@dataclass(frozen=True)
class Phase:
    number: int
    start: int
    end: int | None  # the start of the next phase, or None for the current one
    estimate_seconds: int | None = None
    estimate_basis: str | None = None
    rebaseline_at: int | None = None
    decision: Event | None = None
    opened_by: Event | None = None  # the major change that opened it (None: the first)
    events: tuple[Event, ...] = field(default=())


def phases(
    *, created: int, first_entry: int | None, events: Sequence[Event], until: int
) -> list[Phase]:
    """The phases of a task as they stood at ``until`` (events after it are ignored)."""
    ordered = sorted((e for e in events if e.at <= until), key=lambda e: (e.at, e.id))
    start = created if first_entry is None else min(created, first_entry)
    result: list[Phase] = []
    current = Phase(number=1, start=start, end=None)
    bucket: list[Event] = []

    def close(at: int | None) -> None:
        nonlocal current
        result.append(
            Phase(
                number=current.number,
                start=current.start,
                end=at,
                estimate_seconds=current.estimate_seconds,
                estimate_basis=current.estimate_basis,
                rebaseline_at=current.rebaseline_at,
                decision=current.decision,
                opened_by=current.opened_by,
                events=tuple(bucket),
            )
        )

    for event in ordered:
        if event.kind == "change" and event.major:
            close(event.at)
            bucket = []
            current = Phase(number=current.number + 1, start=event.at, end=None, opened_by=event)
        bucket.append(event)
        estimate, basis = _estimate_after(current.estimate_seconds, current.estimate_basis, event)
        rebaseline = current.rebaseline_at
        if event.kind == "change" and not event.major:
            rebaseline = event.at
        if event.kind == "decision" and event.decision == "renegotiated":
            rebaseline = event.at
        current = Phase(
            number=current.number,
            start=current.start,
            end=None,
            estimate_seconds=estimate,
            estimate_basis=basis,
            rebaseline_at=rebaseline,
            decision=event if event.kind == "decision" else current.decision,
            opened_by=current.opened_by,
        )
    close(None)
    return result


def _estimate_after(
    estimate: int | None, basis: str | None, event: Event
) -> tuple[int | None, str | None]:
    """The estimate in force (seconds, basis) once ``event`` has taken effect: none from a
    major change on, until one is given with it or after it; else the latest given."""
    if event.kind == "change" and event.major:
        estimate, basis = None, None
    if event.estimate_seconds is not None:
        estimate, basis = event.estimate_seconds, event.estimate_basis or basis
    return estimate, basis


def estimate_timeline(
    events: Sequence[Event],
) -> list[tuple[int, int, int | None, str | None]]:
    """The estimate in force over time, by the rule of :func:`phases`: ``(lo, hi,
    seconds, basis)`` spans from :data:`NEVER` to :data:`FOREVER`, in time order (no
    estimate: ``None``)."""
    spans: list[tuple[int, int, int | None, str | None]] = []
    start, estimate, basis = NEVER, None, None
    for event in sorted(events, key=lambda e: (e.at, e.id)):
        if event.at > start:
            spans.append((start, event.at, estimate, basis))
            start = event.at
        estimate, basis = _estimate_after(estimate, basis, event)
    spans.append((start, FOREVER, estimate, basis))
    return spans
