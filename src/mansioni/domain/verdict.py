"""The trial-period verdict for one task phase: pure, exact, reproducible.

This implements ``VERDICT.md``. :func:`review` takes a :class:`ReviewInput` (plain
values the service gathered: the phase's typical occurrences in time order, the
client's estimate, rates, dates) and returns a :class:`Review` with the verdict, the
rule that fired and every number a renderer needs to say it in two sentences.

Invariants:

- The result depends on the input only: no clock, no randomness, no locale.
- Units: durations in seconds, money in cents, rates in cents per hour. Decisions that
  compare money or durations are made on exact fractions, so a value exactly at a
  boundary (``v = 1.10 * v*``, ``T = 0.60 * E``) always falls on the documented side;
  the floats in the result are only for showing.
- The comparison window is the last ``WIN`` occurrences from ``window_from`` (a minor
  change opens a new window; a major change starts a new phase, so the caller passes
  only the new phase's occurrences). The trend uses the last ``TREND_N`` occurrences of
  the whole phase: a minor change does not restart it.
- Below ``MIN_OCCURRENCES`` in the window nothing is judged: no interval, no sign
  evidence, no economics, no underpaid flag; the level is still given as a fact.
- Within one day the caller's order is taken as the time order (it alone knows the
  start instants); the level, interval and sign evidence depend only on which
  occurrences are in the window, not on their order inside it.
- A phase can be given in full or as a summary (:func:`summarize`): its recent
  occurrences, plus the count and total of the earlier ones and the days the extension
  counts. Every figure of the review needs no more, so the review of the summary is the
  review of the full list (a property test holds the two equal), and a caller never has
  to list a phase of years to judge it.

Why one module of this length: it is ``VERDICT.md`` in code, rule by rule in the
document's order; split, a reader checking the method against the text would have
to follow it across files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from mansioni.domain.occurrences import Occurrence
from mansioni.domain.stats import (
    Sign,
    interval_coverage,
    kendall_trend,
    median,
    order_statistic_interval,
    sign_evidence,
    theil_sen_slope,
)

#: The comparison window: the level is the median of the last WIN occurrences.
WIN = 8
#: The trend looks at the last TREND_N occurrences of the phase.
TREND_N = 10
#: Below this many occurrences in the window, nothing can be said.
MIN_OCCURRENCES = 5
#: Fewest occurrences a trend test can ever be significant with (min p at 4 is 1/24 < 0.10).
TREND_MIN_K = 4
#: "Still improving": Kendall's one-sided p below this ...
TREND_P = 0.10
#: ... and a Theil-Sen speed-up of at least this fraction per occurrence.
TREND_MIN_SPEEDUP = 0.02
#: The single extension after the trial ends: this many occurrences or days, whichever first.
EXTENSION_OCCURRENCES = 4
EXTENSION_DAYS = 30
#: Within this fraction of the price of a freed hour, the verdict is RENEGOTIATE.
MARGIN = 0.10
#: A level under this fraction of the estimate is flagged: she may be underpaid by the hour.
UNDERPAID_BELOW = 0.60

_MARGIN = Fraction(1, 10)  # MARGIN, exactly
_UNDERPAID = Fraction(3, 5)  # UNDERPAID_BELOW, exactly
_HOUR = 3600


class Verdict(StrEnum):
    """The verdicts of ``VERDICT.md``; a ``str`` whose value is the stable key renderers read."""

    NOT_ENOUGH_DATA = "not_enough_data"
    KEEP_FASTER = "keep_faster"
    LEARNING = "learning"
    ON_TRIAL = "on_trial"
    LEARNING_EXTENDED = "learning_extended"
    KEEP_AS_FAST = "keep_as_fast"
    KEEP_WORTH_IT = "keep_worth_it"
    RENEGOTIATE = "renegotiate"
    HAND_BACK = "hand_back"


#: The verdicts that flag a task as worth renegotiating.
FLAGGED = frozenset({Verdict.RENEGOTIATE, Verdict.HAND_BACK})


@dataclass(frozen=True)
class ReviewInput:
    """What the review of one phase needs; see the module docstring for the units.

    ``occurrences`` are the phase's typical occurrences in time order, up to ``as_of``
    (atypical ones are left out by the caller and only counted in ``left_out``).
    ``window_from`` indexes the first occurrence the comparison window may use (after a
    minor change; 0 otherwise), counting from the phase's first typical occurrence.
    ``estimate`` (E) is the client's seconds per occurrence,
    ``rate_cents`` (r) the assistant's and ``hour_value_cents`` (v) the client's hour,
    both in cents per hour, ``oversight`` (O) the client's own seconds per occurrence.

    The summary form (:func:`summarize` builds it from the full one): ``occurrences``
    holds only the last ones, at least ``TREND_N`` of them (all of them when there are
    fewer), after ``earlier_count`` earlier typical occurrences lasting
    ``earlier_seconds`` in all; ``extension_days`` are the days of the phase's first
    ``EXTENSION_OCCURRENCES`` typical occurrences on or after the day the trial ends
    (fewer when fewer were done; needed, and only read, once ``earlier_count`` > 0).
    ``window_total``: the seconds of every typical occurrence from ``window_from`` on
    (the comparison window's segment), needed in the summary form when ``window_from``
    falls among the earlier ones; otherwise summed here from the list.
    With ``earlier_count`` = 0 and no ``extension_days`` this is the full form.
    """

    occurrences: tuple[Occurrence, ...]
    window_from: int
    estimate: int | None
    rate_cents: int | None
    hour_value_cents: int | None
    oversight: int
    phase_start: date
    trial_days: int
    as_of: date
    left_out: int = 0
    earlier_count: int = 0
    earlier_seconds: int = 0
    extension_days: tuple[date, ...] | None = None
    window_total: int | None = None

    @property
    def count(self) -> int:
        """The phase's typical occurrences, listed or not."""
        return self.earlier_count + len(self.occurrences)

    @property
    def trial_end(self) -> date:
        """The first day after the trial."""
        return self.phase_start + timedelta(days=self.trial_days)


@dataclass(frozen=True)
class Progress:
    """The learning trend over the last ``k`` occurrences (4 to ``TREND_N``), on ln(seconds).

    ``tau`` and ``p`` are Kendall's (``p`` exact, one-sided, for getting faster);
    ``slope`` is the Theil-Sen rate as a *fraction faster per occurrence*:
    ``1 - exp(slope of ln t)``, so 0.05 means about 5% quicker each time (negative:
    slower). ``improving`` is ``p < TREND_P`` and ``slope >= TREND_MIN_SPEEDUP``.
    """

    k: int
    tau: float
    p: float
    slope: float
    improving: bool


@dataclass(frozen=True)
class Economics:
    """Per-occurrence economics, in cents (costs), cents per hour (prices) and seconds.

    ``own_cost_cents`` = E*v, what doing it himself costs the client;
    ``delegate_cost_cents`` = T*r + O*v; ``freed_hour_price_cents`` = v* = T*r / (E-O),
    the price of each hour delegating frees (None when E <= O: it frees none);
    ``break_even_seconds`` = T* = (E-O)*v / r, the level at which v* = v (None when r is
    0 or unknown, v unknown, or E <= O). A field is None when an input it needs is unknown.
    """

    own_cost_cents: float | None
    delegate_cost_cents: float | None
    freed_hour_price_cents: float | None
    break_even_seconds: float | None


@dataclass(frozen=True)
class Review:
    """The verdict on one phase, the rule that fired (``reason_code``) and its evidence.

    ``n``: typical occurrences in the phase; ``window``: the seconds in the comparison
    window, oldest first; ``level`` (T): their median (None with no window); ``low`` and
    ``high`` (L, U): its order-statistic interval with exact ``coverage`` (None below
    ``MIN_OCCURRENCES``); ``trend``: the learning trend (None below 4 occurrences);
    ``sign``: how many of the window took longer than E; ``trial_end``: the first day
    after the trial; ``extension_end``: once the trial has ended, the day the single
    extension runs out (the day of the ``EXTENSION_OCCURRENCES``-th occurrence on or
    after ``trial_end``, or ``trial_end + EXTENSION_DAYS``, whichever is first; while
    fewer occurrences have been done, the latter); ``time_index`` = sum(E)/sum(t) and
    ``variance_seconds`` = sum(E) - sum(t) over the segment the window lies in (every
    occurrence from ``window_from``: one estimate applies to all of them; positive:
    saved; negative: over); ``segment_count``: how many occurrences that segment holds;
    ``underpaid``: T < 0.60*E.
    """

    verdict: Verdict
    reason_code: str
    n: int
    left_out: int
    window: tuple[float, ...]
    level: float | None
    low: float | None
    high: float | None
    coverage: float | None
    trend: Progress | None
    sign: Sign | None
    estimate: int | None
    trial_end: date
    trial_ended: bool
    extension_end: date | None
    economics: Economics | None
    time_index: float | None
    variance_seconds: float | None
    underpaid: bool
    flagged: bool
    segment_count: int = 0

    @property
    def improving(self) -> bool:
        return self.trend is not None and self.trend.improving


def _check(inp: ReviewInput) -> None:
    """Refuse inputs no caller should build (a bug upstream, not a user's mistake)."""
    occ = inp.occurrences
    if any(o.seconds <= 0 for o in occ):
        raise ValueError("every occurrence must last more than 0 seconds")
    if any(a.day > b.day for a, b in zip(occ, occ[1:], strict=False)):
        raise ValueError("occurrences must be in time order")
    if not 0 <= inp.window_from <= inp.count:
        raise ValueError("window_from must index the occurrences")
    if inp.earlier_count < 0 or inp.earlier_seconds < inp.earlier_count:
        raise ValueError("earlier occurrences must each last more than 0 seconds")
    if inp.earlier_count and len(occ) < TREND_N:
        raise ValueError(f"a summary must keep at least the last {TREND_N} occurrences")
    days = inp.extension_days
    if inp.earlier_count and days is None:
        raise ValueError("a summary must give the days the extension counts")
    if days is not None:
        trial_end = inp.trial_end
        if len(days) > EXTENSION_OCCURRENCES or any(d < trial_end for d in days):
            raise ValueError("extension_days are the first occurrences from the trial's end")
        if list(days) != sorted(days):
            raise ValueError("extension_days must be in time order")
        if len(days) < EXTENSION_OCCURRENCES and sum(o.day >= trial_end for o in occ) > len(days):
            raise ValueError("extension_days leave out occurrences after the trial's end")
    if inp.estimate is not None and inp.estimate <= 0:
        raise ValueError("an estimate must be positive")
    for name in ("rate_cents", "hour_value_cents"):
        value = getattr(inp, name)
        if value is not None and value < 0:
            raise ValueError(f"{name} must not be negative")
    if inp.window_from < inp.earlier_count and inp.window_total is None:
        raise ValueError("a summary whose window starts among the earlier ones needs window_total")
    if inp.oversight < 0 or inp.trial_days < 0 or inp.left_out < 0:
        raise ValueError("oversight, trial_days and left_out must not be negative")


def _progress(seconds: list[float]) -> Progress | None:
    """Trend on ln t of the last ``TREND_N`` occurrences; None with fewer than 4."""
    recent = seconds[-TREND_N:]
    if len(recent) < TREND_MIN_K:
        return None
    logs = [math.log(t) for t in recent]
    kendall = kendall_trend(logs)
    speedup = 1 - math.exp(theil_sen_slope(logs))
    # p is the correctly rounded float of count/k! (k <= 10): a p below 1/10 is below it by
    # at least 1/(10 * 10!), far more than an ulp, so the float comparison is exact.
    improving = kendall.p < TREND_P and speedup >= TREND_MIN_SPEEDUP
    return Progress(k=len(recent), tau=kendall.tau, p=kendall.p, slope=speedup, improving=improving)


def _extension_days(inp: ReviewInput) -> tuple[date, ...]:
    """The days of the first ``EXTENSION_OCCURRENCES`` occurrences on or after the trial's end."""
    if inp.extension_days is not None:
        return inp.extension_days
    trial_end = inp.trial_end
    return tuple(o.day for o in inp.occurrences if o.day >= trial_end)[:EXTENSION_OCCURRENCES]


def _extension_end(inp: ReviewInput, trial_end: date) -> date:
    """The day the single extension runs out (see :class:`Review`)."""
    by_days = trial_end + timedelta(days=EXTENSION_DAYS)
    after = _extension_days(inp)
    if len(after) >= EXTENSION_OCCURRENCES:
        return min(by_days, after[EXTENSION_OCCURRENCES - 1])
    return by_days


def summarize(inp: ReviewInput, keep: int = TREND_N) -> ReviewInput:
    """The summary form of ``inp``: its last ``keep`` (at least ``TREND_N``) occurrences,
    the count and total of the earlier ones, and the days the extension counts.

    ``review(summarize(inp)) == review(inp)`` for every input ``review`` accepts.
    """
    if keep < TREND_N:
        raise ValueError(f"a summary must keep at least the last {TREND_N} occurrences")
    cut = max(0, len(inp.occurrences) - keep)
    earlier, recent = inp.occurrences[:cut], inp.occurrences[cut:]
    return replace(
        inp,
        occurrences=recent,
        earlier_count=inp.earlier_count + len(earlier),
        earlier_seconds=inp.earlier_seconds + sum(o.seconds for o in earlier),
        extension_days=_extension_days(inp),
        window_total=_window_total(inp),
    )


def _window_total(inp: ReviewInput) -> int:
    """The seconds of the occurrences from ``window_from`` on."""
    if inp.window_total is not None:
        return inp.window_total
    listed = inp.window_from - inp.earlier_count  # >= 0 here (checked)
    return sum(o.seconds for o in inp.occurrences[listed:])


def time_index(
    estimate: int | None, count: int, seconds: float
) -> tuple[float | None, float | None]:
    """Earned-value figures of ``count`` occurrences lasting ``seconds`` in all, each
    compared with ``estimate``: the index sum(E)/sum(t) (above 1: faster than the
    client) and the variance sum(E) - sum(t) (positive: saved). None without an
    estimate or an occurrence."""
    if estimate is None or count == 0 or seconds <= 0:
        return None, None
    return estimate * count / seconds, estimate * count - seconds


def _economics(
    level: Fraction, estimate: int, rate: int | None, value: int | None, oversight: int
) -> Economics:
    e, o = Fraction(estimate), Fraction(oversight)
    freed = e - o
    own = e * value / _HOUR if value is not None else None
    oversight_cost = o * value / _HOUR if value is not None else (0 if o == 0 else None)
    delegate = (
        level * rate / _HOUR + oversight_cost
        if rate is not None and oversight_cost is not None
        else None
    )
    v_star = level * rate / freed if rate is not None and freed > 0 else None
    t_star = freed * value / rate if rate and value is not None and freed > 0 else None
    return Economics(
        own_cost_cents=_float(own),
        delegate_cost_cents=_float(delegate),
        freed_hour_price_cents=_float(v_star),
        break_even_seconds=_float(t_star),
    )


def _float(x: Fraction | int | None) -> float | None:
    return None if x is None else float(x)


def _slower(
    rate: int | None, value: int | None, level: Fraction, e: int, o: int
) -> tuple[Verdict, str]:
    """Rows KEEP (worth it), RENEGOTIATE and HAND_BACK: she is slower than the client.

    Delegating pays when v > v* = T*r / (E-O), the price of each hour it frees.
    """
    if rate is None:
        # Without her rate there is no price of a freed hour to weigh.
        return Verdict.RENEGOTIATE, "rate_unknown"
    if e <= o:
        # Overseeing it takes the client as long as doing it: delegating frees no hour at
        # any price. With v known that is a cost with no return; without it, talk first.
        if value is not None:
            return Verdict.HAND_BACK, "oversight_exceeds_estimate"
        return Verdict.RENEGOTIATE, "oversight_exceeds_estimate"
    if value is None:
        # RENEGOTIATE: slower and v unknown.
        return Verdict.RENEGOTIATE, "value_unknown"
    v_star = level * rate / (e - o)  # 0 with a zero rate: any known v keeps it
    if value >= (1 + _MARGIN) * v_star:
        # KEEP (worth it): slower, but v >= 1.10 * v*.
        return Verdict.KEEP_WORTH_IT, "worth_it"
    if value < (1 - _MARGIN) * v_star:
        # HAND_BACK: slower and v < 0.90 * v*.
        return Verdict.HAND_BACK, "costs_more"
    # RENEGOTIATE: v within 10% of v*.
    return Verdict.RENEGOTIATE, "within_margin"


def review(inp: ReviewInput) -> Review:
    """The verdict on one task phase (``VERDICT.md``), with its evidence.

    Raises ValueError only for inputs no caller should build (see ``_check``).
    """
    _check(inp)
    seconds = [o.seconds for o in inp.occurrences]  # the recent ones, in a summary
    # The window is the last WIN from window_from: in a summary it lies in the recent
    # ones, which are at least TREND_N >= WIN.
    window = seconds[max(0, inp.window_from - inp.earlier_count) :][-WIN:]
    m = len(window)
    e = inp.estimate
    judged = m >= MIN_OCCURRENCES

    level = Fraction(median(window)) if window else None
    low = high = coverage = None
    if judged:
        low, high = order_statistic_interval(window)
        coverage = interval_coverage(m)
    trend = _progress(seconds)
    improving = trend is not None and trend.improving
    sign = sign_evidence(window, e) if judged and e is not None else None

    trial_end = inp.trial_end
    trial_ended = inp.as_of >= trial_end
    extension_end = _extension_end(inp, trial_end) if trial_ended else None

    economics = None
    underpaid = False
    if judged and e is not None:
        economics = _economics(level, e, inp.rate_cents, inp.hour_value_cents, inp.oversight)
        underpaid = level < _UNDERPAID * e

    n = inp.count
    in_segment = n - inp.window_from
    index, variance = time_index(e, in_segment, _window_total(inp))

    # The cascade: the first row of VERDICT.md's table that holds decides.
    if e is None:
        # NOT_ENOUGH_DATA: no estimate for this phase (never carried over from an older one).
        verdict, reason = Verdict.NOT_ENOUGH_DATA, "no_estimate"
    elif not judged:
        # NOT_ENOUGH_DATA: fewer than 5 occurrences in the comparison window.
        verdict, reason = Verdict.NOT_ENOUGH_DATA, "too_few"
    elif high < e and not improving:
        # KEEP (faster): U < E and not still improving; allowed before the trial ends.
        verdict, reason = Verdict.KEEP_FASTER, "faster"
    elif not trial_ended and improving:
        # LEARNING: the trial has not ended and she is still improving.
        verdict, reason = Verdict.LEARNING, "learning"
    elif not trial_ended:
        # ON_TRIAL: the trial has not ended and she is not improving: a provisional
        # position, said plainly (faster or slower than E), never "learning".
        verdict = Verdict.ON_TRIAL
        reason = "faster_so_far" if level < e else "slower_so_far" if level > e else "even_so_far"
    elif improving and inp.as_of < extension_end:
        # LEARNING (extended): the trial ended, she is still improving, and the single
        # extension (+4 occurrences or +30 days, whichever first) has not run out.
        verdict, reason = Verdict.LEARNING_EXTENDED, "extended"
    elif high < e or (low <= e <= high and level <= e):
        # KEEP (as fast): after the trial, U < E, or L <= E <= U and T <= E.
        verdict, reason = Verdict.KEEP_AS_FAST, "as_fast"
    else:
        # Slower than the client: weigh the price of each hour delegating frees.
        verdict, reason = _slower(inp.rate_cents, inp.hour_value_cents, level, e, inp.oversight)

    return Review(
        verdict=verdict,
        reason_code=reason,
        n=n,
        left_out=inp.left_out,
        window=tuple(window),
        level=_float(level),
        low=low,
        high=high,
        coverage=coverage,
        trend=trend,
        sign=sign,
        estimate=e,
        trial_end=trial_end,
        trial_ended=trial_ended,
        extension_end=extension_end,
        economics=economics,
        time_index=index,
        variance_seconds=variance,
        underpaid=underpaid,
        flagged=verdict in FLAGGED,
        segment_count=in_segment,
    )
