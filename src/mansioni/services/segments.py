"""The comparison windows of a phase and their figures, read once for every view.

A phase is cut into segments (``domain.phases``): each is compared with its own
estimate. The review, the history, the client's page and the JSON all show a
segment's figures from :func:`segment_figures`, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from mansioni.domain import verdict
from mansioni.domain.calendar import local_date
from mansioni.domain.phases import Phase, Segment
from mansioni.domain.stats import median
from mansioni.store.queries.phases import PhaseFigures, phase_figures

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.db import Db


@dataclass(frozen=True)
class SegmentFigures:
    """One comparison window of the phase (``domain.phases.Segment``) and its figures
    as of the review: ``occurrences`` typical ones lasting ``seconds`` (``left_out``
    atypical ones apart), ``recent`` the last ``WIN`` of them, each compared with the
    segment's estimate. The same figures in every view: the review, the history, the
    client's page and the JSON all read them from here."""

    segment: Segment
    start_day: date
    end_day: date | None  # the day its closing event took effect; None: still open
    occurrences: int
    left_out: int
    seconds: int
    recent: tuple[int, ...]

    @property
    def estimate(self) -> int | None:
        return self.segment.estimate_seconds

    @property
    def level(self) -> float | None:
        return median(list(self.recent)) if self.recent else None

    @property
    def time_index(self) -> float | None:
        return verdict.time_index(self.estimate, self.occurrences, self.seconds)[0]

    @property
    def variance_seconds(self) -> float | None:
        return verdict.time_index(self.estimate, self.occurrences, self.seconds)[1]


def segment_figures(
    db: Db, task_id: int, phase: Phase, *, lo: int, until: int, basis: str, zone: ZoneInfo
) -> list[SegmentFigures]:
    """The figures of each segment of ``phase`` up to ``until`` (inclusive); ``lo`` is
    where the phase before it starts. An occurrence belongs, whole, to the segment its
    first entry starts in: a resumption after the segment closed counts with it."""
    found = []
    for seg in phase.segments:
        if seg.start > until:
            break
        hi = until + 1 if seg.end is None else min(seg.end, until + 1)
        figures = phase_figures(
            db,
            task_id,
            lo=lo,
            start=seg.start,
            hi=hi,
            basis=basis,
            zone=zone,
            since=seg.start,
            recent=verdict.WIN,
            after=None,
            first=0,
            previous=0,
            upto=until + 1,
        )
        found.append(window_of(seg, figures, until=until, zone=zone))
    return found


def window_of(seg: Segment, figures: PhaseFigures, *, until: int, zone: ZoneInfo) -> SegmentFigures:
    """A segment's figures from what :func:`phase_figures` read of it (from its start,
    up to ``until``; its last ``WIN`` occurrences are its recent level)."""
    return SegmentFigures(
        segment=seg,
        start_day=local_date(seg.start, zone),
        end_day=None if seg.end is None or seg.end > until + 1 else local_date(seg.end, zone),
        occurrences=figures.count,
        left_out=figures.left_out,
        seconds=figures.seconds,
        recent=tuple(o.seconds for o in figures.recent[-verdict.WIN :]),
    )
