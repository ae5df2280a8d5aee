"""A task's story split into phases at its major changes, and each phase into segments.

Invariants:
- the story starts at the earliest of the day the task was said to start (``since``),
  its creation and its first entry (work recorded before the task was set up counts);
- each major change closes the phase it falls in and opens the next at its date,
  with a new trial and **no estimate** until one is given: an estimate is never
  carried over from an earlier phase;
- a phase is cut into **segments** (comparison windows), each compared with one
  estimate: a minor change, a decision, or a new estimate given while one is in force
  closes the segment it falls in and opens the next at its date. A new segment carries
  the estimate in force (a minor change or a decision may give a new one). An estimate
  given while the segment has none counts from the segment's start: nothing was
  compared before it. So what a segment was compared with never changes once a later
  segment has begun: a decision never rewrites the past (``VERDICT.md``);
- an event dated at the very start of a segment amends that segment instead of
  opening an empty one;
- the estimate given when the task was set up (an ``estimate`` event dated at its
  creation) is its estimate from the start of its story, however far back the story
  reaches: weeks typed in afterwards, and changes dated among them, are compared with it;
- ``decision`` is the phase's latest decision; ``rebaseline_at`` the start of its last
  segment, when that is not the phase's start.
Events are ordered by date, then by id (the order they were recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

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
class Segment:
    """A comparison window of a phase: ``[start, end)`` (``end`` None: still open),
    compared with one estimate. ``opened_by``: the minor change, decision or new
    estimate that opened it (None: it opens the phase); ``closed_by``: the event that
    closed it (None: the phase's end, or still open)."""

    start: int
    end: int | None
    estimate_seconds: int | None
    estimate_basis: str | None
    opened_by: Event | None = None
    closed_by: Event | None = None

    @property
    def settled(self) -> bool:
        """Opened by a decision that ends the review cycle (keep or hand back)."""
        return is_settling(self.opened_by)


def is_settling(event: Event | None) -> bool:
    """A decision after which nothing is left to decide: keep, or hand back."""
    return event is not None and event.kind == "decision" and event.decision != "renegotiated"


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
    segments: tuple[Segment, ...] = field(default=())


def story_start(
    *, created: int, first_entry: int | None, since: int | None, first_event: int | None = None
) -> int:
    """Where a task's story starts: the earliest of ``since``, creation and first entry,
    and of its events (an event is dated from the start on, and a start moved later, by
    an edited ``--since`` or deleted entries, never leaves one out of the story)."""
    return min(x for x in (created, first_entry, since, first_event) if x is not None)


def _from_start(event: Event, created: int, start: int) -> Event:
    """The estimate given at the task's creation, moved to the start of its story."""
    if event.kind == "estimate" and event.at == created and start < created:
        return replace(event, at=start)
    return event


def _opens_segment(event: Event, estimate: int | None, basis: str | None) -> bool:
    if event.kind == "decision" or (event.kind == "change" and not event.major):
        return True
    if event.kind == "estimate" and estimate is not None:
        return (event.estimate_seconds, event.estimate_basis or basis) != (estimate, basis)
    return False


def phases(
    *,
    created: int,
    first_entry: int | None,
    events: Sequence[Event],
    until: int,
    since: int | None = None,
) -> list[Phase]:
    """The phases of a task as they stood at ``until`` (events after it are ignored)."""
    start = story_start(
        created=created,
        first_entry=first_entry,
        since=since,
        first_event=min((e.at for e in events), default=None),
    )
    moved = (_from_start(e, created, start) for e in events)
    ordered = sorted((e for e in moved if e.at <= until), key=lambda e: (e.at, e.id))
    result: list[Phase] = []
    number, opened_by, decision = 1, None, None
    bucket: list[Event] = []
    closed: list[Segment] = []
    segment = Segment(start=start, end=None, estimate_seconds=None, estimate_basis=None)

    def close_phase(at: int | None) -> None:
        segments = (*closed, replace(segment, end=at))
        last = segments[-1]
        result.append(
            Phase(
                number=number,
                start=segments[0].start,
                end=at,
                estimate_seconds=last.estimate_seconds,
                estimate_basis=last.estimate_basis,
                rebaseline_at=last.start if len(segments) > 1 else None,
                decision=decision,
                opened_by=opened_by,
                events=tuple(bucket),
                segments=segments,
            )
        )

    for event in ordered:
        if event.kind == "change" and event.major:
            close_phase(event.at)
            number, opened_by, decision, bucket, closed = number + 1, event, None, [], []
            segment = Segment(event.at, None, *_estimate_after(None, None, event))
            bucket.append(event)
            continue
        bucket.append(event)
        if event.kind == "decision":
            decision = event
        estimate, basis = _estimate_after(segment.estimate_seconds, segment.estimate_basis, event)
        if _opens_segment(event, segment.estimate_seconds, segment.estimate_basis):
            if event.at > segment.start:
                closed.append(replace(segment, end=event.at, closed_by=event))
                segment = Segment(event.at, None, estimate, basis, opened_by=event)
            else:  # at the segment's very start: it amends the segment (a change or a
                # new estimate there opens a comparison a keep or hand-back had closed)
                keeps = segment.opened_by is not None and not (
                    segment.settled and event.kind != "decision"
                )
                segment = replace(
                    segment,
                    estimate_seconds=estimate,
                    estimate_basis=basis,
                    opened_by=segment.opened_by if keeps else event,
                )
        else:  # an estimate given where none was in force: from the segment's start
            segment = replace(segment, estimate_seconds=estimate, estimate_basis=basis)
    close_phase(None)
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
    events: Sequence[Event], *, created: int
) -> list[tuple[int, int, int | None, str | None]]:
    """The estimate each instant is compared with, by the rule of :func:`phases` (its
    segment's): ``(lo, hi, seconds, basis)`` spans from :data:`NEVER` to
    :data:`FOREVER`, in time order (no estimate: ``None``)."""
    spans: list[tuple[int, int, int | None, str | None]] = []
    found = phases(created=created, first_entry=None, since=NEVER, events=events, until=FOREVER)
    for phase in found:
        for seg in phase.segments:
            end = FOREVER if seg.end is None else seg.end
            if end > seg.start:
                spans.append((seg.start, end, seg.estimate_seconds, seg.estimate_basis))
    return spans
