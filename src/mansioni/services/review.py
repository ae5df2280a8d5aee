"""The trial-period review: gathering each task's phase and asking the verdict.

The verdict itself is pure (``mansioni.domain.verdict``); this module only reads
what it needs, as it stood on the day asked about (``as_of``): the events and the
entries up to the end of that day, so a review "as of" a past date is the review a
store without the later entries would give. Entries of every person count: the
review is about the duty, whoever did it.

A phase can last years. Unless ``detail`` is asked for (one task's page, its chart),
the review reads no list of the phase's occurrences: the database sums them up, and
only the recent ones, and the few the extension counts, are read one by one
(``store.queries.phases.phase_figures``); the verdict is then judged on the summary form of its
input, which gives the same review as the full list (``domain.verdict.summarize``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mansioni.domain import verdict
from mansioni.domain.calendar import day_bounds, local_date
from mansioni.domain.display import shell_word
from mansioni.domain.names import ClientName, TaskName, fold, resolve_client, resolve_task
from mansioni.domain.occurrences import Occurrence
from mansioni.domain.phases import Event, Phase, Segment
from mansioni.domain.stats import median
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.services.segments import SegmentFigures, segment_figures, window_of
from mansioni.store import records
from mansioni.store.db import one
from mansioni.store.queries.events import story_starts, task_phases, task_row, task_start
from mansioni.store.queries.occurrences import task_occurrences
from mansioni.store.queries.phases import phase_figures

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.store.base import Store
    from mansioni.store.db import Db


def judged_segment(segments: tuple[Segment, ...]) -> int:
    """Which segment the review judges: the last one, unless a decision that ends the
    review cycle (keep, hand back) opened it: then the one that decision closed, whose
    verdict stands as it was judged until a change or a new estimate opens another."""
    last = len(segments) - 1
    return last - 1 if last > 0 and segments[last].settled else last


@dataclass(frozen=True)
class TaskReview:
    task: TaskName
    currency: str
    rate_cents: int | None
    hour_value_cents: int | None
    oversight: int
    basis: str
    phase: Phase
    # The phase's typical occurrences up to the day asked about, for charts: all of
    # them with ``detail``, else the last ``TREND_N`` up to the judged segment's end
    # (enough for a sparkline); ``typical_from`` of the phase's typical occurrences
    # come before the first of them.
    typical: list[Occurrence]
    # The index in ``typical`` of the first occurrence of the judged segment (0 when
    # that one is not listed).
    window_from: int
    result: verdict.Review
    previous_level: float | None  # the previous phase's final level, for context
    previous_estimate: int | None
    as_of: date
    phase_start: date  # on the user's clock
    window_start: date  # where the judged segment begins: the phase's start or later
    typical_from: int = 0
    since_window_start: int = 0  # typical occurrences in the judged segment
    segments: tuple[SegmentFigures, ...] = ()
    judged: int = 0  # the index in ``segments`` of the segment judged

    @property
    def segment(self) -> Segment:
        return self.phase.segments[self.judged]

    @property
    def decision(self) -> Event | None:
        """The decision that closed the judged segment (None: not decided)."""
        closed = self.segment.closed_by
        return closed if closed is not None and closed.kind == "decision" else None

    @property
    def reopened_by(self) -> Event | None:
        """The minor change, decision or new estimate that opened the judged segment."""
        return self.segment.opened_by

    @property
    def flagged(self) -> bool:
        """Worth renegotiating, and not decided yet."""
        return self.result.flagged and self.decision is None

    @property
    def awaiting_decision(self) -> bool:
        """The trial has ended and no decision closed the judged segment."""
        return self.result.trial_ended and self.decision is None

    def estimate_at(self, instant: int) -> int | None:
        """The estimate an occurrence starting at ``instant`` is compared with."""
        for seg in reversed(self.phase.segments):
            if instant >= seg.start:
                return seg.estimate_seconds
        return self.phase.segments[0].estimate_seconds

    def window_range(self) -> tuple[int, int]:
        """The comparison window in ``typical``: indices ``[first, end)``, the last
        ``WIN`` occurrences of the judged segment."""
        seg = self.segment
        end = len(self.typical)
        if seg.end is not None:
            end = sum(1 for o in self.typical if o.start < seg.end)
        return max(self.window_from, end - verdict.WIN), end


def review_one(
    db: Db, target: TaskName, *, as_of: date, zone: str, detail: bool = False
) -> TaskReview:
    """The review of one task's current phase as it stood at the end of ``as_of``.

    The verdict judges one segment (:func:`judged_segment`): its comparison window,
    its estimate, the trend over the phase up to its end; a segment a decision closed
    is judged as it stood then, so what was judged stays as it was judged.

    With ``detail``, ``typical`` lists every typical occurrence of the phase (and the
    verdict is judged on that full list); without it, only the last ``TREND_N``, and
    nothing the size of the phase is read into memory. Both give the same review.
    """
    tz = ZoneInfo(zone)
    until = day_bounds(as_of, tz)[1] - 1
    task = task_row(db, target.id)
    client = one(db, "SELECT * FROM client WHERE id = :id", {"id": task["client_id"]})
    assert client is not None
    found = task_phases(db, target.id, until=until)
    current = found[-1]
    previous = found[-2] if len(found) > 1 else None
    lo = previous.start if previous is not None else current.start
    basis = current.estimate_basis or task["estimate_basis"]
    judged = judged_segment(current.segments)
    seg = current.segments[judged]
    since = seg.start
    hi = until + 1 if seg.end is None else min(seg.end, until + 1)
    judged_day = as_of if seg.end is None else min(as_of, local_date(seg.end, tz))
    rate = task["rate_cents"] if task["rate_cents"] is not None else client["rate_cents"]
    phase_start = local_date(current.start, tz)
    trial_days = int(task["trial_days"])
    terms = {
        "estimate": seg.estimate_seconds,
        "rate_cents": rate,
        "hour_value_cents": client["hour_value_cents"],
        "oversight": int(task["oversight_seconds"] or 0),
        "phase_start": phase_start,
        "trial_days": trial_days,
        "as_of": judged_day,
    }
    if detail:
        everything = task_occurrences(db, target.id, lo, until + 1, basis=basis, zone=tz)
        mine = [o for o in everything if o.start >= current.start]
        typical = [o for o in mine if not o.atypical]
        judged_list = [o for o in typical if o.start < hi]
        # Occurrences are in start order: those before the segment come first.
        window_from = sum(1 for o in judged_list if o.start < since)
        inp = verdict.ReviewInput(
            occurrences=tuple(Occurrence(o.day, o.seconds) for o in judged_list),
            window_from=window_from,
            left_out=sum(1 for o in mine if o.atypical and o.start < hi),
            **terms,
        )
        before = [o.seconds for o in everything if o.start < current.start and not o.atypical]
        typical_from, since_window_start = 0, len(judged_list) - window_from
    else:
        trial_end = phase_start + timedelta(days=trial_days)
        figures = phase_figures(
            db,
            target.id,
            lo=lo,
            start=current.start,
            hi=hi,
            basis=basis,
            zone=tz,
            since=since,
            recent=verdict.TREND_N,
            after=trial_end if judged_day >= trial_end else None,
            first=verdict.EXTENSION_OCCURRENCES,
            previous=verdict.WIN if previous is not None else 0,
            upto=until + 1,
        )
        typical = figures.recent
        typical_from = figures.count - len(typical)
        inp = verdict.ReviewInput(
            occurrences=tuple(Occurrence(o.day, o.seconds) for o in typical),
            window_from=figures.count - figures.since,
            left_out=figures.left_out,
            earlier_count=typical_from,
            earlier_seconds=figures.seconds - sum(o.seconds for o in typical),
            extension_days=tuple(o.day for o in figures.first_after),
            window_total=figures.since_seconds,
            **terms,
        )
        window_from = max(0, inp.window_from - typical_from)
        before = [o.seconds for o in figures.previous]
        since_window_start = figures.since
    result = verdict.review(inp)
    before = before[-verdict.WIN :]
    if not detail and len(current.segments) == 1:
        # One window, the whole phase: its figures are those just read.
        windows = [window_of(seg, figures, until=until, zone=tz)]
    else:
        windows = segment_figures(db, target.id, current, lo=lo, until=until, basis=basis, zone=tz)
    return TaskReview(
        task=target,
        currency=client["currency"],
        rate_cents=rate,
        hour_value_cents=client["hour_value_cents"],
        oversight=int(task["oversight_seconds"] or 0),
        basis=basis,
        phase=current,
        typical=typical,
        window_from=window_from,
        result=result,
        previous_level=median(before) if before else None,
        previous_estimate=previous.estimate_seconds if previous is not None else None,
        as_of=as_of,
        phase_start=phase_start,
        window_start=local_date(since, tz),
        typical_from=typical_from,
        since_window_start=since_window_start,
        segments=tuple(windows),
        judged=judged,
    )


def review(
    store: Store,
    *,
    as_of: date,
    zone: str,
    client: str | None = None,
    task: str | None = None,
    detail: bool = False,
    settled: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[TaskReview]:
    """Every active task's review (or one task's), those worth renegotiating first.

    ``detail``: list every typical occurrence of each phase (see :func:`review_one`).
    ``settled``: the tasks handed back too, with the decision that closed their review
    (the client's page shows them).
    ``on_progress(done, total)`` is called after each task is reviewed.
    """
    with store.read() as db:
        end = day_bounds(as_of, ZoneInfo(zone))[1]
        if task is not None:
            targets = [resolve_task(task, records.task_names(db, include_archived=True))]
            if task_start(db, targets[0].id) >= end:
                raise InputError(
                    _("{task} did not exist yet on that day.").format(task=targets[0].full),
                    hint=_("Ask for a later day, e.g. --as-of today"),
                )
        else:
            targets = records.task_names(db)
            if settled:
                targets += records.task_names_in(db, "handed_back")
            if client is not None:
                clients = [
                    ClientName(int(r["id"]), r["name"])
                    for r in db.rows("SELECT id, name FROM client")
                ]
                chosen = resolve_client(client, clients)
                targets = [t for t in targets if t.client == chosen.name]
        if task is None:
            # Tasks whose story starts after that day did not exist yet in that review.
            starts = story_starts(db)
            targets = [t for t in targets if starts[t.id] < end]
        reviews = []
        for t in targets:
            reviews.append(review_one(db, t, as_of=as_of, zone=zone, detail=detail))
            if on_progress is not None:
                on_progress(len(reviews), len(targets))
    return sorted(reviews, key=lambda r: (not r.flagged, fold(r.task.client), fold(r.task.name)))


#: The decisions, as typed in either language (accents and case aside), and the key
#: each is recorded under.
DECISIONS = {
    "keep": "keep",
    "kept": "keep",
    "tenere": "keep",
    "tenuta": "keep",
    "mantenere": "keep",
    "continuare": "keep",
    "renegotiated": "renegotiated",
    "renegotiate": "renegotiated",
    "rinegoziata": "renegotiated",
    "rinegoziato": "renegotiated",
    "rinegoziare": "renegotiated",
    "hand-back": "hand_back",
    "hand_back": "hand_back",
    "handed-back": "hand_back",
    "restituire": "hand_back",
    "restituita": "hand_back",
    "restituito": "hand_back",
    "riprendere": "hand_back",
}


def decision_key(text: str, task: str = "rossi/newsletter") -> str:
    """The decision typed (``keep``, ``tenere``, ``rinegoziata``, ``hand-back``...);
    ``task``, as the user typed it, names the example of the hint."""
    chosen = DECISIONS.get(fold(text.strip()).replace(" ", "-"))
    if chosen is None:
        raise InputError(
            _("{text!r} is not a decision.").format(text=text),
            hint=_(
                "Choose keep, renegotiated or hand-back (in Italian: tenere, rinegoziata or restituire): mansioni decide {task} keep"
            ).format(task=shell_word(task)),
        )
    return chosen


@dataclass(frozen=True)
class Decided:
    """A decision recorded: on which task, which one (``keep``, ``renegotiated``,
    ``hand_back``) and the instant it takes effect."""

    task: TaskName
    decision: str
    at: int


class DecisionRefused(InputError):
    """``decide`` refused, nothing written: ``review`` is the review it was asked on.

    ``already`` True: a decision already settled that review; else the trial has not
    ended and ``--early`` was not given. The command line says which in words.
    """

    def __init__(self, review: TaskReview, *, already: bool) -> None:
        super().__init__(_("Nothing was decided."))
        self.review = review
        self.already = already


def decide(
    store: Store,
    task: str,
    *,
    decision: str,
    note: str | None,
    rate_cents: int | None,
    estimate_seconds: int | None,
    person: str,
    now: int,
    zone: str,
    at: int | None = None,
    early: bool = False,
) -> Decided:
    """Record the client's decision on the current review, as of ``at`` (default now).

    Refused with nothing written: without a verdict; on a review a decision already
    settled; before the trial ends unless ``early`` (the error says the verdict it
    would record).
    """
    chosen = decision_key(decision, task)
    with store.write() as db:
        target = resolve_task(task, records.task_names(db, include_archived=True))
        state = task_row(db, target.id)["state"]
        if state not in ("trial", "active"):
            raise InputError(
                _("{task} is no longer active: there is nothing to decide.").format(
                    task=target.full
                ),
                hint=_("Its story stays: mansioni history {task}").format(
                    task=shell_word(target.full)
                ),
            )
        from mansioni.services.changes import record_decision, when  # only a decision writes

        instant = when(db, target.id, at, now, zone)
        day = datetime.fromtimestamp(instant, ZoneInfo(zone)).date()
        current = review_one(db, target, as_of=day, zone=zone)
        task_word = shell_word(target.full)
        if current.decision is not None:
            raise DecisionRefused(current, already=True)
        if current.result.verdict is verdict.Verdict.NOT_ENOUGH_DATA:
            raise InputError(
                _("There is no review of {task} to decide on yet: it has no verdict.").format(
                    task=target.full
                ),
                hint=_("See why with: mansioni review {task}").format(task=task_word),
            )
        if not current.result.trial_ended and not early:
            raise DecisionRefused(current, already=False)
        record_decision(
            db,
            target,
            decision=chosen,
            verdict=current.result.verdict.value,
            note=note,
            rate_cents=rate_cents,
            estimate_seconds=estimate_seconds,
            person=person,
            now=now,
            at=instant,
        )
        return Decided(target, chosen, instant)
