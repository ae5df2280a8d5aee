"""The verdict cascade of VERDICT.md, one test per row, on inputs computed by hand.

Durations are written in minutes and passed in seconds; money in cents, rates in cents
per hour. The phase starts on Monday 5 January 2026 with a 90-day trial, so the trial
ends on 5 April 2026 and the single extension at the latest on 5 May 2026.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mansioni.domain.stats import Sign
from mansioni.domain.verdict import (
    FLAGGED,
    MIN_OCCURRENCES,
    WIN,
    Economics,
    Occurrence,
    ReviewInput,
    Verdict,
    review,
)

START = date(2026, 1, 5)
TRIAL_DAYS = 90
TRIAL_END = date(2026, 4, 5)
IN_TRIAL = date(2026, 3, 2)
AFTER = date(2026, 6, 1)  # past the trial and past any extension
MIN = 60

# No trend: S = +4 (p = 0.73). Sorted 42 42 43 43 44 44 45 45: T = 43.5, L = 42, U = 45.
FLAT8 = [42, 45, 43, 44, 42, 45, 43, 44]
# Getting faster: 27 of the 28 pairs fall, 44-44 ties: S = -27, and this is the only one of
# the 8!/2 = 20160 orderings of these values that reaches it, so p = 1/20160. Theil-Sen on
# ln t: about 2.2% faster per occurrence (from 50 to 42 in 7 steps is 2.5% a step).
# Sorted 42 43 44 44 45 47 48 50: T = 44.5, L = 43, U = 48.
DEC8 = [50, 48, 47, 45, 44, 44, 43, 42]
# No trend: S = -4 (p = 0.36). Sorted 55 56 57 58 59 60 61 62: T = 58.5, L = 56, U = 61.
STRADDLE8 = [55, 62, 58, 61, 57, 60, 59, 56]
# No trend: S = +3 (p = 0.69). Sorted 47 48 49 50 50 51 52 53: T = 50, L = 48, U = 52.
SLOWER8 = [48, 52, 49, 51, 50, 50, 47, 53]
# Learning fast: strictly decreasing, about 4.5% faster per occurrence.
STEEP8 = [100, 95, 90, 86, 82, 78, 74, 70]
STEEP_AFTER = [67, 64, 61, 58]


def weekly(minutes: list[float], first: date = START) -> tuple[Occurrence, ...]:
    return tuple(
        Occurrence(first + timedelta(days=7 * i), round(m * MIN)) for i, m in enumerate(minutes)
    )


def after_trial(minutes: list[float], days: list[date]) -> tuple[Occurrence, ...]:
    return tuple(Occurrence(d, m * MIN) for d, m in zip(days, minutes, strict=True))


def make(
    occurrences: tuple[Occurrence, ...],
    *,
    estimate: float | None,
    as_of: date,
    rate: int | None = None,
    value: int | None = None,
    oversight: float = 0,
    window_from: int = 0,
    left_out: int = 0,
) -> ReviewInput:
    """``estimate`` and ``oversight`` in minutes."""
    return ReviewInput(
        occurrences=occurrences,
        window_from=window_from,
        estimate=None if estimate is None else round(estimate * MIN),
        rate_cents=rate,
        hour_value_cents=value,
        oversight=round(oversight * MIN),
        phase_start=START,
        trial_days=TRIAL_DAYS,
        as_of=as_of,
        left_out=left_out,
    )


# --- 1. NOT_ENOUGH_DATA ---------------------------------------------------------------------


def test_no_estimate():
    r = review(make(weekly(FLAT8), estimate=None, as_of=AFTER, rate=3000, value=6000))
    assert (r.verdict, r.reason_code) == (Verdict.NOT_ENOUGH_DATA, "no_estimate")
    # the level is still shown, but nothing is weighed against an estimate
    assert (r.level, r.low, r.high) == (43.5 * MIN, 42 * MIN, 45 * MIN)
    assert r.sign is None and r.economics is None
    assert r.time_index is None and r.variance_seconds is None
    assert not r.flagged and not r.underpaid and r.estimate is None


def test_four_occurrences_are_too_few():
    r = review(make(weekly([42, 45, 43, 44]), estimate=60, as_of=AFTER, rate=3000, value=6000))
    assert (r.verdict, r.reason_code) == (Verdict.NOT_ENOUGH_DATA, "too_few")
    assert r.n == 4 and r.window == (42 * MIN, 45 * MIN, 43 * MIN, 44 * MIN)
    assert r.level == 43.5 * MIN  # (43 + 44) / 2
    assert r.low is None and r.high is None and r.coverage is None
    assert r.sign is None and r.economics is None and not r.underpaid
    # 42 45 43 44: S = +3 - 2 + 1 = 2, not a decrease
    assert r.trend is not None and r.trend.k == 4 and not r.trend.improving
    # over the phase: 4 x 60 estimated against 174 taken
    assert r.time_index == pytest.approx(240 / 174)
    assert r.variance_seconds == (240 - 174) * MIN


def test_fewer_than_four_have_no_trend():
    r = review(make(weekly([60, 50, 40]), estimate=60, as_of=IN_TRIAL))
    assert r.trend is None and not r.improving
    assert r.verdict is Verdict.NOT_ENOUGH_DATA


# --- 2. KEEP (faster) ---------------------------------------------------------------------------


def test_faster_before_the_trial_ends():
    r = review(make(weekly(FLAT8), estimate=60, as_of=IN_TRIAL, rate=3000, value=6000))
    # U = 45 < E = 60 and no trend (S = +4): keep, even inside the trial
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_FASTER, "faster")
    assert not r.trial_ended and r.trial_end == TRIAL_END and r.extension_end is None
    assert (r.level, r.low, r.high) == (2610, 2520, 2700)
    assert r.coverage == pytest.approx(238 / 256, abs=1e-12)
    assert r.trend.k == 8 and r.trend.tau == pytest.approx(4 / 28) and not r.trend.improving
    assert r.sign == Sign(longer=0, of=8, p=1.0)
    assert not r.flagged and not r.underpaid  # 43.5 >= 0.6 x 60 = 36
    # own cost 60 min at 60 EUR/h = 60 EUR; delegating 43.5 min at 30 EUR/h = 21.75 EUR;
    # a freed hour costs 21.75 EUR; break-even: 60 min x 60/30 = 120 min
    assert r.economics == Economics(
        own_cost_cents=6000.0,
        delegate_cost_cents=2175.0,
        freed_hour_price_cents=2175.0,
        break_even_seconds=7200.0,
    )
    # over the phase: 8 x 60 = 480 minutes estimated, 348 taken: 132 minutes saved
    assert r.time_index == pytest.approx(480 / 348)
    assert r.variance_seconds == 132 * MIN


def test_an_interval_reaching_the_estimate_is_not_faster():
    # U = 45 = E: not under it; in the trial, not improving, that is ON_TRIAL (T under E so
    # far), after it L <= E <= U, T <= E
    r = review(make(weekly(FLAT8), estimate=45, as_of=IN_TRIAL))
    assert (r.verdict, r.reason_code) == (Verdict.ON_TRIAL, "faster_so_far")
    r = review(make(weekly(FLAT8), estimate=45, as_of=AFTER))
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_AS_FAST, "as_fast")


def test_a_significant_but_slow_trend_is_not_improving():
    # strictly decreasing (p = 1/8!), but 0.5 min off 60 is under 1% a time: not 2%
    r = review(make(weekly([60, 59.5, 59, 58.5, 58, 57.5, 57, 56.5]), estimate=70, as_of=IN_TRIAL))
    assert r.trend.p < 0.10 and 0 < r.trend.slope < 0.01 and not r.improving
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_FASTER, "faster")


def test_a_steep_trend_needs_p_under_a_tenth():
    # 100 80 90 60 70: 8 of the 10 pairs fall, S = -6; P(S <= -6) = P(I >= 8) = (9+4+1)/120
    r = review(make(weekly([100, 80, 90, 60, 70]), estimate=200, as_of=IN_TRIAL))
    assert r.trend.p == pytest.approx(14 / 120, abs=1e-12) and r.trend.slope > 0.02
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_FASTER, "faster")
    # 100 90 80 60 70: 9 fall, S = -8; P(I >= 9) = (4+1)/120 = 0.042: still improving
    r = review(make(weekly([100, 90, 80, 60, 70]), estimate=200, as_of=IN_TRIAL))
    assert r.trend.p == pytest.approx(5 / 120, abs=1e-12) and r.improving
    assert (r.verdict, r.reason_code) == (Verdict.LEARNING, "learning")


def test_faster_after_the_trial_too():
    r = review(make(weekly(FLAT8), estimate=60, as_of=AFTER))
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_FASTER, "faster")
    assert r.trial_ended and r.extension_end == date(2026, 5, 5)


# --- 3. LEARNING ----------------------------------------------------------------------------


def test_improving_in_the_trial_is_learning_even_when_faster():
    r = review(make(weekly(DEC8), estimate=60, as_of=IN_TRIAL))
    # U = 48 < 60, but still improving, so KEEP (faster) does not fire before the trial ends
    assert (r.verdict, r.reason_code) == (Verdict.LEARNING, "learning")
    assert (r.level, r.low, r.high) == (44.5 * MIN, 43 * MIN, 48 * MIN)
    assert r.trend.k == 8
    assert r.trend.p == pytest.approx(1 / 20160, abs=1e-12) and r.trend.p < 0.10
    assert 0.02 <= r.trend.slope < 0.025 and r.trend.improving and r.improving


def test_slower_and_flat_in_the_trial_is_on_trial_not_learning():
    r = review(make(weekly([70] * 6), estimate=60, as_of=IN_TRIAL, rate=3000))
    # U = 70 is not under 60, the trial runs until 5 April, and she is not getting faster
    assert (r.verdict, r.reason_code) == (Verdict.ON_TRIAL, "slower_so_far")
    assert r.trend.p == 1.0 and r.trend.slope == 0.0 and not r.trend.improving
    assert r.sign == Sign(longer=6, of=6, p=pytest.approx(1 / 64))


def test_the_trial_ends_on_its_last_day_plus_one():
    last_trial_day = TRIAL_END - timedelta(days=1)
    assert review(make(weekly([70] * 6), estimate=60, as_of=last_trial_day)).verdict is (
        Verdict.ON_TRIAL
    )
    r = review(make(weekly([70] * 6), estimate=60, as_of=TRIAL_END))
    assert r.trial_ended and r.verdict is Verdict.RENEGOTIATE and r.reason_code == "rate_unknown"


# --- 4. LEARNING (extended) ------------------------------------------------------------------


POST_TRIAL_DAYS = [date(2026, 4, 6), date(2026, 4, 8), date(2026, 4, 10), date(2026, 4, 12)]


def test_extension_runs_out_after_four_occurrences():
    everything = weekly(STEEP8) + after_trial(STEEP_AFTER, POST_TRIAL_DAYS)
    # 11 April: 3 occurrences since the trial ended, so the extension runs to 5 May at most
    r = review(make(everything[:11], estimate=45, as_of=date(2026, 4, 11), rate=3000))
    assert (r.verdict, r.reason_code) == (Verdict.LEARNING_EXTENDED, "extended")
    assert r.extension_end == date(2026, 5, 5)
    # last 10 strictly decreasing: p = 1/10!
    assert r.trend.k == 10 and r.trend.p == pytest.approx(1 / 3628800, abs=1e-15)
    assert r.trend.improving and r.trend.slope > 0.04
    # 12 April: the 4th occurrence since the trial ended: the extension is over
    r = review(make(everything, estimate=45, as_of=date(2026, 4, 12), rate=3000))
    assert r.extension_end == date(2026, 4, 12) and r.improving
    # window 82 78 74 70 67 64 61 58: L = 61 > E = 45, slower; v unknown
    assert (r.level, r.low, r.high) == (68.5 * MIN, 61 * MIN, 78 * MIN)
    assert (r.verdict, r.reason_code) == (Verdict.RENEGOTIATE, "value_unknown")
    assert r.flagged


def test_occurrences_on_the_day_the_trial_ends_count_for_the_extension():
    days = [TRIAL_END + timedelta(days=i) for i in range(4)]  # 5, 6, 7, 8 April
    everything = weekly(STEEP8) + after_trial(STEEP_AFTER, days)
    r = review(make(everything[:11], estimate=45, as_of=days[2], rate=3000))
    assert r.verdict is Verdict.LEARNING_EXTENDED and r.extension_end == date(2026, 5, 5)
    r = review(make(everything, estimate=45, as_of=days[3], rate=3000))
    assert r.extension_end == days[3] and r.verdict is Verdict.RENEGOTIATE


def test_extension_runs_out_after_thirty_days():
    everything = weekly(STEEP8) + after_trial(STEEP_AFTER[:2], POST_TRIAL_DAYS[:2])
    r = review(make(everything, estimate=45, as_of=date(2026, 5, 4), rate=3000))
    assert (r.verdict, r.reason_code) == (Verdict.LEARNING_EXTENDED, "extended")
    assert r.extension_end == date(2026, 5, 5)  # 5 April + 30 days
    r = review(make(everything, estimate=45, as_of=date(2026, 5, 5), rate=3000))
    assert (r.verdict, r.reason_code) == (Verdict.RENEGOTIATE, "value_unknown")


def test_no_extension_when_not_improving():
    r = review(make(weekly(SLOWER8), estimate=40, as_of=date(2026, 4, 6), rate=3000))
    assert not r.improving and r.verdict is Verdict.RENEGOTIATE


# --- 5. KEEP (as fast) ----------------------------------------------------------------------


def test_as_fast_when_the_level_equals_the_estimate():
    r = review(make(weekly(STRADDLE8), estimate=58.5, as_of=AFTER, rate=3000))
    assert r.level == r.estimate == 3510
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_AS_FAST, "as_fast")


def test_as_fast_when_the_interval_straddles_the_estimate():
    r = review(make(weekly(STRADDLE8), estimate=60, as_of=AFTER, rate=3000))
    # L = 56 <= E = 60 <= U = 61 and T = 58.5 <= 60
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_AS_FAST, "as_fast")
    assert (r.level, r.low, r.high) == (58.5 * MIN, 56 * MIN, 61 * MIN)
    assert not r.improving
    # against 58 minutes: L = 56 <= 58 <= U = 61 but T = 58.5 > 58: slower, the economics decide
    r = review(make(weekly(STRADDLE8), estimate=58, as_of=AFTER, rate=3000))
    assert r.verdict is Verdict.RENEGOTIATE and r.reason_code == "value_unknown"
    # 59 60 61 62 took longer: 4 of 8, P(X >= 4) = (70 + 56 + 28 + 8 + 1) / 256
    assert r.sign == Sign(longer=4, of=8, p=pytest.approx(163 / 256))


def test_straddling_in_the_trial_is_on_trial():
    r = review(make(weekly(STRADDLE8), estimate=60, as_of=IN_TRIAL, rate=3000))
    assert r.verdict is Verdict.ON_TRIAL  # U = 61 is not under 60, and no trend


def test_improving_and_faster_after_the_extension_is_as_fast():
    r = review(make(weekly(DEC8), estimate=60, as_of=AFTER))
    # U = 48 < 60 but still improving, so not KEEP (faster); trial and extension over
    assert r.improving and (r.verdict, r.reason_code) == (Verdict.KEEP_AS_FAST, "as_fast")


# --- 6. slower: KEEP (worth it), RENEGOTIATE, HAND_BACK ----------------------------------------


def worth_it_example(**changes) -> ReviewInput:
    """T = 50 min, r = 30 EUR/h, E = 40 min, O = 10 min, v = 60 EUR/h, after the trial."""
    base = {"estimate": 40, "as_of": AFTER, "rate": 3000, "value": 6000, "oversight": 10}
    return make(weekly(SLOWER8), **{**base, **changes})


def test_worth_it_worked_example():
    r = review(worth_it_example())
    # v* = 50 min x 30 EUR/h / (40 - 10) min = 25 EUR / 0.5 h = 50 EUR/h; 60 >= 1.10 x 50 = 55
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_WORTH_IT, "worth_it")
    assert (r.level, r.low, r.high) == (50 * MIN, 48 * MIN, 52 * MIN)
    assert r.economics == Economics(
        own_cost_cents=4000.0,  # 40 min at 60 EUR/h
        delegate_cost_cents=3500.0,  # 50 min at 30 EUR/h + 10 min at 60 EUR/h = 25 + 10 EUR
        freed_hour_price_cents=5000.0,  # 50 EUR/h
        break_even_seconds=3600.0,  # (40 - 10) min x 60/30 = 60 min
    )
    assert r.sign == Sign(longer=8, of=8, p=pytest.approx(1 / 256))
    # over the phase: 8 x 40 = 320 min estimated against 400 taken: 80 min over
    assert r.time_index == pytest.approx(0.8) and r.variance_seconds == -80 * MIN
    assert not r.flagged and not r.underpaid


@pytest.mark.parametrize(
    ("value", "verdict", "reason"),
    [
        (6000, Verdict.KEEP_WORTH_IT, "worth_it"),
        (5500, Verdict.KEEP_WORTH_IT, "worth_it"),  # exactly 1.10 x v*: kept
        (5499, Verdict.RENEGOTIATE, "within_margin"),
        (5000, Verdict.RENEGOTIATE, "within_margin"),
        (4500, Verdict.RENEGOTIATE, "within_margin"),  # exactly 0.90 x v*: not under it
        (4499, Verdict.HAND_BACK, "costs_more"),
        (4000, Verdict.HAND_BACK, "costs_more"),
        (None, Verdict.RENEGOTIATE, "value_unknown"),
    ],
)
def test_slower_against_the_price_of_a_freed_hour(value, verdict, reason):
    r = review(worth_it_example(value=value))
    assert (r.verdict, r.reason_code) == (verdict, reason)
    assert r.flagged == (verdict in FLAGGED)
    assert r.economics.freed_hour_price_cents == 5000.0


@pytest.mark.parametrize(
    ("value", "verdict"), [(3300, Verdict.KEEP_WORTH_IT), (3299, Verdict.RENEGOTIATE)]
)
def test_the_margin_is_exact_where_floats_are_not(value, verdict):
    # T = 60 min, r = 15 EUR/h, E - O = 30 min: v* = 15 EUR / 0.5 h = 30 EUR/h, and
    # v = 33 EUR/h is exactly 1.10 v* (in floats 1.1 * 3000 = 3300.0000000000005)
    later = weekly([m + 10 for m in SLOWER8])  # T = 60, L = 58 > E = 40
    r = review(make(later, estimate=40, oversight=10, rate=1500, value=value, as_of=AFTER))
    assert r.economics.freed_hour_price_cents == 3000.0
    assert r.verdict is verdict


def test_value_unknown_leaves_the_costs_that_need_it_unknown():
    r = review(worth_it_example(value=None))
    assert r.economics == Economics(None, None, 5000.0, None)  # O = 10 min has no price
    r = review(worth_it_example(value=None, oversight=0))
    # no oversight: delegating costs T x r = 25 EUR; v* = 25 EUR / (40/60 h) = 37.50 EUR/h
    assert r.economics == Economics(None, 2500.0, 3750.0, None)
    assert (r.verdict, r.reason_code) == (Verdict.RENEGOTIATE, "value_unknown")


def test_hand_back():
    r = review(worth_it_example(value=4000))
    # 40 EUR/h < 0.90 x 50 = 45 EUR/h
    assert (r.verdict, r.reason_code) == (Verdict.HAND_BACK, "costs_more") and r.flagged


@pytest.mark.parametrize("oversight", [40, 45])
def test_oversight_at_least_the_estimate(oversight):
    r = review(worth_it_example(oversight=oversight))
    # E - O <= 0: delegating frees no hour, v* is undefined
    assert (r.verdict, r.reason_code) == (Verdict.HAND_BACK, "oversight_exceeds_estimate")
    assert r.economics.freed_hour_price_cents is None
    assert r.economics.break_even_seconds is None
    # delegating: 25 EUR + the oversight at 60 EUR/h
    assert r.economics.delegate_cost_cents == 2500 + oversight * 100
    r = review(worth_it_example(oversight=oversight, value=None))
    assert (r.verdict, r.reason_code) == (Verdict.RENEGOTIATE, "oversight_exceeds_estimate")


def test_zero_rate():
    r = review(worth_it_example(rate=0, value=0))
    # v* = T x 0 / (E - O) = 0, and 0 >= 1.10 x 0: any known v keeps it
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_WORTH_IT, "worth_it")
    assert r.economics == Economics(0.0, 0.0, 0.0, None)  # no break-even with a zero rate
    r = review(worth_it_example(rate=0, value=None))
    assert (r.verdict, r.reason_code) == (Verdict.RENEGOTIATE, "value_unknown")


def test_rate_unknown():
    r = review(worth_it_example(rate=None))
    assert (r.verdict, r.reason_code) == (Verdict.RENEGOTIATE, "rate_unknown")
    assert r.economics == Economics(4000.0, None, None, None)
    # the rate is asked before the oversight: without it nothing is priced
    r = review(worth_it_example(rate=None, oversight=40))
    assert r.reason_code == "rate_unknown"


# --- the comparison window, the flags ------------------------------------------------------


def test_window_after_a_minor_change_ignores_older_occurrences():
    occurrences = weekly([20] * 6 + [30, 31, 29, 32, 30])
    r = review(make(occurrences, estimate=45, as_of=IN_TRIAL, window_from=6))
    # window 30 31 29 32 30: T = 30, L = 29, U = 32 < 45; the trend over the last 10
    # (20 x 5 then 30 31 29 32 30) rises, so not improving: keep
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_FASTER, "faster")
    assert r.n == 11 and r.window == tuple(m * MIN for m in [30, 31, 29, 32, 30])
    assert (r.level, r.low, r.high) == (30 * MIN, 29 * MIN, 32 * MIN)
    assert r.coverage == 0.9375 and r.sign == Sign(longer=0, of=5, p=1.0)
    assert r.trend.k == 10
    # without the change the window would take 3 of the older ones: 20 20 20 29 30 30 31 32
    r = review(make(occurrences, estimate=45, as_of=IN_TRIAL, window_from=0))
    assert r.level == 29.5 * MIN and r.low == 20 * MIN
    # only 4 since the change: too few, however many the phase holds
    r = review(make(occurrences[:10], estimate=45, as_of=IN_TRIAL, window_from=6))
    assert (r.verdict, r.reason_code) == (Verdict.NOT_ENOUGH_DATA, "too_few") and r.n == 10


def test_underpaid_flag():
    # T = 43.5 min = 2610 s
    assert review(make(weekly(FLAT8), estimate=80, as_of=AFTER)).underpaid  # 2610 < 2880
    assert not review(make(weekly(FLAT8), estimate=60, as_of=AFTER)).underpaid  # >= 2160
    exactly_at = dataclasses.replace(make(weekly(FLAT8), estimate=60, as_of=AFTER), estimate=4350)
    assert not review(exactly_at).underpaid  # 0.60 x 4350 = 2610: not under it
    assert review(dataclasses.replace(exactly_at, estimate=4351)).underpaid


def test_left_out_is_reported():
    assert review(make(weekly(FLAT8), estimate=60, as_of=AFTER, left_out=2)).left_out == 2


def test_verdict_values_are_stable_keys():
    assert Verdict.KEEP_FASTER == "keep_faster" and str(Verdict.HAND_BACK) == "hand_back"
    assert [v.value for v in Verdict] == [
        "not_enough_data",
        "keep_faster",
        "learning",
        "on_trial",
        "learning_extended",
        "keep_as_fast",
        "keep_worth_it",
        "renegotiate",
        "hand_back",
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"occurrences": (Occurrence(START, 60), Occurrence(START, 0))},
        {"occurrences": (Occurrence(date(2026, 2, 1), 60), Occurrence(START, 60))},
        {"window_from": 9},
        {"window_from": -1},
        {"estimate": 0},
        {"rate_cents": -1},
        {"hour_value_cents": -1},
        {"oversight": -1},
    ],
)
def test_inputs_no_caller_should_build_are_refused(changes):
    with pytest.raises(ValueError):
        review(dataclasses.replace(make(weekly(FLAT8), estimate=60, as_of=AFTER), **changes))


# --- properties --------------------------------------------------------------------------------


@st.composite
def inputs(draw, min_n: int = 0, max_n: int = 14, max_gap: int = 12) -> ReviewInput:
    n = draw(st.integers(min_n, max_n))
    seconds = draw(st.lists(st.integers(1, 20_000), min_size=n, max_size=n))
    gaps = draw(st.lists(st.integers(0, max_gap), min_size=n, max_size=n))
    offsets = list(itertools.accumulate(gaps))
    occurrences = tuple(
        Occurrence(START + timedelta(days=d), s) for d, s in zip(offsets, seconds, strict=True)
    )
    last = occurrences[-1].day if occurrences else START
    return ReviewInput(
        occurrences=occurrences,
        window_from=draw(st.integers(0, n)),
        estimate=draw(st.none() | st.integers(1, 20_000)),
        rate_cents=draw(st.none() | st.integers(0, 10_000)),
        hour_value_cents=draw(st.none() | st.integers(0, 20_000)),
        oversight=draw(st.integers(0, 5_000)),
        phase_start=START,
        trial_days=draw(st.integers(0, 150)),
        as_of=last + timedelta(days=draw(st.integers(0, 60))),
        left_out=draw(st.integers(0, 3)),
    )


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_never_raises_and_the_cascade_holds(inp):
    r = review(inp)
    m = len(r.window)
    assert m == min(WIN, len(inp.occurrences) - inp.window_from)
    assert r.flagged == (r.verdict in FLAGGED)
    enough = inp.estimate is not None and m >= MIN_OCCURRENCES
    assert (r.verdict is Verdict.NOT_ENOUGH_DATA) == (not enough)
    if enough:
        assert r.low <= r.level <= r.high
        if r.high < inp.estimate and not r.improving:
            assert r.verdict is Verdict.KEEP_FASTER
        if r.verdict in {Verdict.LEARNING, Verdict.LEARNING_EXTENDED}:
            assert r.verdict is Verdict.LEARNING or r.improving
        if r.verdict in {Verdict.KEEP_WORTH_IT, Verdict.RENEGOTIATE, Verdict.HAND_BACK}:
            # neither U < E nor (L <= E <= U and T <= E): so U >= E and T > E
            assert r.trial_ended and r.high >= inp.estimate and r.level > inp.estimate
    if r.verdict is Verdict.LEARNING:
        assert not r.trial_ended


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_the_result_depends_on_the_input_only(inp):
    copy = dataclasses.replace(inp, occurrences=tuple(list(inp.occurrences)))
    assert review(inp) == review(inp) == review(copy)


@settings(max_examples=200, deadline=None)
@given(inputs(max_gap=1), st.data())
def test_same_day_order_does_not_change_level_interval_or_sign(inp, data):
    """Within a day only the window's edges (window_from, and the last WIN) tell the caller's
    order apart; on either side of them, shuffling same-day occurrences changes nothing."""
    occ = list(inp.occurrences)
    window_start = max(inp.window_from, len(occ) - WIN)
    groups: dict[tuple, list[int]] = {}
    for i, o in enumerate(occ):
        groups.setdefault((o.day, i >= inp.window_from, i >= window_start), []).append(i)
    shuffled = list(occ)
    for indices in groups.values():
        for i, j in zip(indices, data.draw(st.permutations(indices)), strict=True):
            shuffled[i] = occ[j]
    a, b = review(inp), review(dataclasses.replace(inp, occurrences=tuple(shuffled)))
    assert (a.level, a.low, a.high, a.coverage, a.sign) == (
        b.level,
        b.low,
        b.high,
        b.coverage,
        b.sign,
    )
    assert sorted(a.window) == sorted(b.window)


@settings(max_examples=150, deadline=None)
@given(inputs(min_n=WIN))
def test_adding_the_median_to_a_full_window(inp):
    inp = dataclasses.replace(inp, window_from=min(inp.window_from, len(inp.occurrences) - WIN))
    before = review(inp)
    assert len(before.window) == WIN
    added = Occurrence(inp.occurrences[-1].day, before.level)  # may be a half second
    after = review(dataclasses.replace(inp, occurrences=(*inp.occurrences, added)))
    assert len(after.window) == WIN and after.window[-1] == before.level
    # dropping one value and adding the old median keeps the median between the old middle two
    middle = sorted(before.window)[WIN // 2 - 1 : WIN // 2 + 1]
    assert middle[0] <= after.level <= middle[1]


@settings(max_examples=150, deadline=None)
@given(inputs(min_n=MIN_OCCURRENCES), st.integers(2, 50))
def test_far_below_the_estimate_and_not_improving_keeps(inp, times):
    """Durations that never fall (sorted ascending: S >= 0, p >= 1/2) and are all far
    below E give KEEP (faster), in the trial or after it."""
    durations = sorted(o.seconds for o in inp.occurrences)
    occurrences = tuple(
        dataclasses.replace(o, seconds=s) for o, s in zip(inp.occurrences, durations, strict=True)
    )
    inp = dataclasses.replace(
        inp, occurrences=occurrences, window_from=0, estimate=durations[-1] * times
    )
    r = review(inp)
    assert not r.improving
    assert (r.verdict, r.reason_code) == (Verdict.KEEP_FASTER, "faster")


@settings(max_examples=100, deadline=None)
@given(inputs(min_n=MIN_OCCURRENCES))
def test_exact_fraction_boundaries_match_the_rule(inp):
    """KEEP (worth it) iff v >= 1.10 v*, computed with fractions, whenever the economics decide."""
    r = review(inp)
    if r.reason_code in {"worth_it", "within_margin", "costs_more"}:
        v_star = (
            Fraction(r.level) * inp.rate_cents / (inp.estimate - inp.oversight)
        )  # cents per hour
        value = inp.hour_value_cents
        worth = value >= Fraction(11, 10) * v_star
        back = value < Fraction(9, 10) * v_star
        assert r.reason_code == ("worth_it" if worth else "costs_more" if back else "within_margin")
