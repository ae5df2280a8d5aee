"""The summary form of a review's input: the recent occurrences, the count and total of the
earlier ones, the days the extension counts. Its review must be the review of the full list.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mansioni.domain.verdict import (
    EXTENSION_OCCURRENCES,
    TREND_N,
    WIN,
    Occurrence,
    ReviewInput,
    Verdict,
    review,
    summarize,
)

START = date(2026, 1, 5)


@st.composite
def durations(draw, n: int) -> list[int]:
    """Any durations, or a learning curve (falling by a few % a time, with noise)."""
    if draw(st.booleans()):
        return draw(st.lists(st.integers(1, 20_000), min_size=n, max_size=n))
    first = draw(st.integers(600, 6_000))
    speedup = draw(st.floats(0.0, 0.08))
    noise = draw(st.lists(st.integers(-60, 60), min_size=n, max_size=n))
    return [max(1, round(first * (1 - speedup) ** i) + d) for i, d in enumerate(noise)]


@st.composite
def phases(draw, min_n: int = 0, max_n: int = 60) -> ReviewInput:
    """A full input: a phase of up to ``max_n`` occurrences, the trial ending anywhere in it."""
    n = draw(st.integers(min_n, max_n))
    seconds = draw(durations(n))
    gaps = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    days = [START + timedelta(days=d) for d in itertools.accumulate(gaps)]
    last = days[-1] if days else START
    span = (last - START).days
    typical = sorted(seconds)[len(seconds) // 2] if seconds else 600
    return ReviewInput(
        occurrences=tuple(Occurrence(d, s) for d, s in zip(days, seconds, strict=True)),
        window_from=draw(st.integers(0, n)),
        # around the durations, so that every verdict comes up
        estimate=draw(st.none() | st.integers(max(1, typical // 2), typical * 2)),
        rate_cents=draw(st.none() | st.integers(0, 6_000)),
        hour_value_cents=draw(st.none() | st.integers(0, 12_000)),
        oversight=draw(st.integers(0, 600)),
        phase_start=START,
        trial_days=draw(st.integers(0, span + 50)),
        as_of=last + timedelta(days=draw(st.integers(0, 40))),
        left_out=draw(st.integers(0, 3)),
    )


def by_hand(inp: ReviewInput, cut: int) -> ReviewInput:
    """The summary of a full input, cut after ``cut`` occurrences, built without ``summarize``."""
    trial_end = START + timedelta(days=inp.trial_days)
    after = [o.day for o in inp.occurrences if o.day >= trial_end]
    return dataclasses.replace(
        inp,
        occurrences=inp.occurrences[cut:],
        earlier_count=cut,
        earlier_seconds=sum(o.seconds for o in inp.occurrences[:cut]),
        extension_days=tuple(after[:EXTENSION_OCCURRENCES]),
        window_total=sum(o.seconds for o in inp.occurrences[inp.window_from :]),
    )


@settings(max_examples=400, deadline=None)
@given(phases(), st.data())
def test_the_review_of_a_summary_is_the_review_of_the_full_list(inp, data):
    full = review(inp)
    n = len(inp.occurrences)
    cut = data.draw(st.integers(0, max(0, n - TREND_N)), label="cut")
    assert review(by_hand(inp, cut)) == full
    keep = data.draw(st.integers(TREND_N, TREND_N + 6), label="keep")
    summary = summarize(inp, keep)
    assert len(summary.occurrences) == min(n, keep)
    assert summary.count == n
    assert review(summary) == full
    # a summary of a summary is a summary too
    assert review(summarize(summary, TREND_N)) == full


@settings(max_examples=150, deadline=None)
@given(phases(min_n=TREND_N + 1))
def test_a_summary_keeps_only_the_recent_occurrences(inp):
    summary = summarize(inp)
    assert summary.occurrences == inp.occurrences[-TREND_N:]
    assert summary.earlier_count == len(inp.occurrences) - TREND_N
    assert summary.earlier_seconds == sum(o.seconds for o in inp.occurrences[:-TREND_N])
    r = review(summary)
    assert r.n == len(inp.occurrences)
    assert list(r.window) == [o.seconds for o in inp.occurrences[inp.window_from :][-WIN:]]


def weekly(seconds: list[int], **fields) -> ReviewInput:
    """A phase with one occurrence a week from ``START`` taking ``seconds``; the trial ends
    on day 95 (so the last of 15 occurrences, day 98, falls after it) unless told."""
    occ = tuple(Occurrence(START + timedelta(days=7 * i), s) for i, s in enumerate(seconds))
    values = {
        "occurrences": occ,
        "window_from": 0,
        "estimate": 2_400,
        "rate_cents": 2_500,
        "hour_value_cents": 4_000,
        "oversight": 0,
        "phase_start": START,
        "trial_days": 95,
        "as_of": occ[-1].day,
    }
    return ReviewInput(**{**values, **fields})


FLAT_SLOWER = [3_000] * 15
#: Falling by 5% a time: still improving, and slower than the estimate throughout.
FALLING = [round(6_000 * 0.95**i) for i in range(15)]
#: Around the estimate of 2,400 s, with no trend.
AROUND = [2_300, 2_500, 2_350, 2_450, 2_400, 2_380, 2_420, 2_390] * 2

#: One phase for each verdict (of 15 occurrences, so that a summary leaves some out): the
#: summary's equality below is checked on every verdict, whatever the strategies draw.
EVERY_VERDICT: dict[Verdict, ReviewInput] = {
    Verdict.NOT_ENOUGH_DATA: weekly(FLAT_SLOWER, estimate=None),
    Verdict.KEEP_FASTER: weekly([1_800] * 15),
    Verdict.LEARNING: weekly(FALLING, estimate=1_000, trial_days=200),
    Verdict.ON_TRIAL: weekly(FLAT_SLOWER, trial_days=200),
    Verdict.LEARNING_EXTENDED: weekly(FALLING, estimate=1_000),
    Verdict.KEEP_AS_FAST: weekly(AROUND[:15]),
    Verdict.KEEP_WORTH_IT: weekly(FLAT_SLOWER, hour_value_cents=12_000),
    Verdict.RENEGOTIATE: weekly(FLAT_SLOWER, hour_value_cents=None),
    Verdict.HAND_BACK: weekly(FLAT_SLOWER, hour_value_cents=1_000),
}


def test_every_verdict_has_an_example():
    assert set(EVERY_VERDICT) == set(Verdict)


@pytest.mark.parametrize("verdict", list(Verdict))
def test_the_summary_of_each_verdict_reviews_the_same(verdict):
    """The property above, on a fixed input of each verdict: every cut, every kept count."""
    inp = EVERY_VERDICT[verdict]
    full = review(inp)
    assert full.verdict is verdict
    n = len(inp.occurrences)
    assert n > TREND_N
    for cut in range(n - TREND_N + 1):
        assert review(by_hand(inp, cut)) == full
    for keep in range(TREND_N, TREND_N + 7):
        summary = summarize(inp, keep)
        assert summary.count == n
        assert review(summary) == full
        assert review(summarize(summary, TREND_N)) == full


def test_a_long_phase_summarised_worked_example():
    """200 weekly occurrences of 50 minutes, then 10 of 30: the summary holds the 10."""
    minutes = [50] * 200 + [30] * 10
    occ = tuple(Occurrence(START + timedelta(days=7 * i), m * 60) for i, m in enumerate(minutes))
    inp = ReviewInput(
        occurrences=occ,
        window_from=195,
        estimate=45 * 60,
        rate_cents=2_800,
        hour_value_cents=9_000,
        oversight=0,
        phase_start=START,
        trial_days=90,
        as_of=occ[-1].day,
        left_out=2,
    )
    summary = summarize(inp)
    assert summary.earlier_count == 200 and summary.earlier_seconds == 200 * 50 * 60
    # the trial ends on 5 April 2026: weeks 13, 14, 15, 16 (Mondays from 6 April)
    assert summary.extension_days == tuple(START + timedelta(days=7 * i) for i in (13, 14, 15, 16))
    r = review(summary)
    assert r == review(inp)
    assert r.n == 210 and r.left_out == 2
    assert r.window == (30 * 60,) * WIN
    # over the window's segment, from occurrence 196 on: sum(E) / sum(t) = 15 * 45 / (5 * 50
    # + 10 * 30)
    assert r.segment_count == 15
    assert r.time_index == pytest.approx(15 * 45 / 550)
    assert r.variance_seconds == (15 * 45 - 550) * 60
    assert r.verdict is Verdict.KEEP_FASTER


BASE = ReviewInput(
    occurrences=tuple(Occurrence(START + timedelta(days=200 + i), 1_800) for i in range(TREND_N)),
    window_from=0,
    estimate=2_400,
    rate_cents=2_500,
    hour_value_cents=4_000,
    oversight=0,
    phase_start=START,
    trial_days=90,
    as_of=START + timedelta(days=300),
    earlier_count=40,
    earlier_seconds=40 * 1_900,
    window_total=40 * 1_900 + TREND_N * 1_800,
    extension_days=(date(2026, 4, 6), date(2026, 4, 8), date(2026, 4, 9), date(2026, 4, 20)),
)


def test_the_base_summary_is_valid():
    assert review(BASE).n == 40 + TREND_N


@pytest.mark.parametrize(
    "changes",
    [
        # fewer recent occurrences than the trend needs
        {"occurrences": BASE.occurrences[1:]},
        # the days the extension counts are needed once earlier occurrences are summed up
        {"extension_days": None},
        # before the trial's end, more than four, or out of order
        {"extension_days": (date(2026, 4, 4),)},
        {"extension_days": (date(2026, 4, 6),) * 5},
        {"extension_days": (date(2026, 4, 8), date(2026, 4, 6))},
        # fewer than four, yet more recent occurrences than that fall after the trial's end
        {"extension_days": (date(2026, 4, 6),)},
        {"earlier_count": -1},
        # 40 earlier occurrences cannot last 39 seconds in all
        {"earlier_seconds": 39},
        {"window_from": 40 + TREND_N + 1},
    ],
)
def test_summaries_no_caller_should_build_are_refused(changes):
    with pytest.raises(ValueError):
        review(dataclasses.replace(BASE, **changes))


def test_a_summary_keeps_at_least_the_trend():
    with pytest.raises(ValueError):
        summarize(BASE, TREND_N - 1)
