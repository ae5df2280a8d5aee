"""Small-sample statistics: exact values checked against fractions computed by hand."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb, factorial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mansioni.domain.stats import (
    Sign,
    Trend,
    interval_coverage,
    inversion_distribution,
    kendall_p_decreasing,
    kendall_s,
    kendall_trend,
    mahonian,
    median,
    order_statistic_interval,
    sign_evidence,
    theil_sen_slope,
)


def exactly(value: Fraction):
    return pytest.approx(float(value), abs=1e-12)


# --- median and the order-statistic interval -------------------------------------------


def test_median():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([7]) == 7
    with pytest.raises(ValueError):
        median([])


def test_interval_is_min_and_max_for_five_to_seven():
    assert order_statistic_interval([5, 1, 4, 2, 3]) == (1, 5)
    assert order_statistic_interval([9, 1, 4, 2, 3, 7]) == (1, 9)
    assert order_statistic_interval([9, 1, 4, 2, 3, 7, 8]) == (1, 9)


def test_interval_for_eight_is_second_and_seventh_smallest():
    assert order_statistic_interval([8, 1, 7, 2, 6, 3, 5, 4]) == (2, 7)
    # ties are kept as values: sorted 42 42 43 43 44 44 45 45
    assert order_statistic_interval([42, 45, 43, 44, 42, 45, 43, 44]) == (42, 45)


@pytest.mark.parametrize("m", [0, 1, 4, 9, 10])
def test_interval_refuses_other_sizes(m):
    with pytest.raises(ValueError):
        order_statistic_interval(list(range(m)))
    with pytest.raises(ValueError):
        interval_coverage(m)


@pytest.mark.parametrize(
    ("m", "coverage"),
    [
        (5, 1 - Fraction(2, 32)),  # 0.9375
        (6, 1 - Fraction(2, 64)),
        (7, 1 - Fraction(2, 128)),
        (8, 1 - 2 * Fraction(1 + 8, 256)),  # 1 - 2 P(X <= 1) = 238/256 = 0.9297
    ],
)
def test_interval_coverage(m, coverage):
    assert interval_coverage(m) == exactly(coverage)


def test_interval_coverage_reference_values():
    assert interval_coverage(5) == 0.9375
    assert round(interval_coverage(8), 4) == 0.9297


# --- Mahonian numbers and the distribution of inversions ----------------------------------


def test_mahonian_small_rows():
    assert mahonian(0) == (1,)
    assert mahonian(1) == (1,)
    assert mahonian(2) == (1, 1)
    assert mahonian(3) == (1, 2, 2, 1)
    assert mahonian(4) == (1, 3, 5, 6, 5, 3, 1)


@pytest.mark.parametrize("n", range(0, 11))
def test_mahonian_sums_to_n_factorial_and_is_symmetric(n):
    row = mahonian(n)
    assert len(row) == n * (n - 1) // 2 + 1
    assert sum(row) == factorial(n)
    assert row == row[::-1]


@pytest.mark.parametrize("n", range(1, 7))
def test_mahonian_matches_counting_inversions(n):
    counts = [0] * (n * (n - 1) // 2 + 1)
    for perm in itertools.permutations(range(n)):
        counts[sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))] += 1
    assert tuple(counts) == mahonian(n)


def test_inversion_distribution_with_ties():
    # {1, 1, 2, 2}: the 6 words 1122 (0 inversions), 1212 (1), 1221 and 2112 (2), 2121 (3), 2211 (4)
    assert inversion_distribution([2, 2]) == (1, 1, 2, 1, 1)
    assert inversion_distribution([1] * 6) == mahonian(6)
    # sums to the multinomial 8! / (2! 3! 1! 2!)
    assert sum(inversion_distribution([2, 3, 1, 2])) == factorial(8) // (2 * 6 * 1 * 2)
    with pytest.raises(ValueError):
        inversion_distribution([1, 0])


# --- Kendall's trend test --------------------------------------------------------------------


def test_kendall_smallest_p_at_five_is_one_in_120():
    trend = kendall_trend([5, 4, 3, 2, 1])
    assert trend == Trend(n=5, s=-10, tau=-1.0, p=trend.p)
    assert trend.p == exactly(Fraction(1, 120))
    assert round(trend.p, 4) == 0.0083


def test_kendall_smallest_p_at_four_is_one_in_24():
    trend = kendall_trend([40.0, 30.5, 30.0, 12.0])
    assert trend.s == -6
    assert trend.p == exactly(Fraction(1, 24))
    assert round(trend.p, 3) == 0.042


def test_kendall_ten_strictly_decreasing():
    trend = kendall_trend([float(100 - 3 * i) for i in range(10)])
    assert trend.s == -45 and trend.tau == -1.0
    assert trend.p == exactly(Fraction(1, factorial(10)))


def test_kendall_increasing_gives_p_one():
    assert kendall_trend([1, 2, 3, 4, 5]).p == 1.0


def test_kendall_hand_example():
    # 3, 1, 2: pairs (3,1) falls, (3,2) falls, (1,2) rises: S = -1, tau = -1/3.
    # P(S <= -1) = P(at least 2 inversions) = (2 + 1) / 3! = 1/2.
    trend = kendall_trend([3, 1, 2])
    assert trend.s == -1 and trend.tau == pytest.approx(-1 / 3)
    assert trend.p == exactly(Fraction(1, 2))


def test_kendall_ties_count_zero_and_use_the_exact_tie_distribution():
    # 2, 2, 1, 1: the pairs (2,2) and (1,1) count 0, the four others fall: S = -4, tau = -4/6.
    # Orderings of {1,1,2,2}, by inversions D: 1,1,2,1,1 (see above); S = 6 - 2 - 2D,
    # so S <= -4 means D = 4: only 2211, p = 1/6.
    trend = kendall_trend([2, 2, 1, 1])
    assert trend.s == -4 and trend.tau == pytest.approx(-4 / 6)
    assert trend.p == exactly(Fraction(1, 6))
    # 3, 3, 2, 1: S = -5, reached by 3321 only among the 12 orderings of {1,2,3,3}: p = 1/12
    # (the no-ties law would give P(S <= -5) = P(S = -6) = 1/24, twice too small).
    assert kendall_trend([3, 3, 2, 1]).p == exactly(Fraction(1, 12))
    # all equal: no evidence at all
    assert kendall_trend([7, 7, 7, 7, 7]) == Trend(n=5, s=0, tau=0.0, p=1.0)


def test_kendall_refuses_fewer_than_two():
    with pytest.raises(ValueError):
        kendall_trend([1.0])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=6))
def test_kendall_p_is_the_share_of_orderings_at_least_as_decreasing(ys):
    """Brute force over all n! orderings of the observed values (ties included)."""
    s = kendall_s(ys)
    orderings = list(itertools.permutations(ys))
    share = Fraction(sum(kendall_s(o) <= s for o in orderings), len(orderings))
    assert kendall_p_decreasing(ys) == share
    assert kendall_trend(ys).p == exactly(share)


# --- Theil-Sen --------------------------------------------------------------------------------


def test_theil_sen_hand_example():
    # 1, 3, 2, 5 at positions 1..4: slopes 2, 1/2, 4/3, -1, 1, 3; sorted -1, 1/2, 1, 4/3, 2, 3;
    # the median is (1 + 4/3) / 2 = 7/6.
    assert theil_sen_slope([1, 3, 2, 5]) == pytest.approx(7 / 6, abs=1e-12)
    # 10, 8, 7: slopes -2, -3/2, -1: median -3/2
    assert theil_sen_slope([10, 8, 7]) == -1.5
    # an outlier does not move it: a straight line with one wild value
    assert theil_sen_slope([10, 12, 14, 99, 18, 20]) == 2.0
    with pytest.raises(ValueError):
        theil_sen_slope([1])


# --- sign evidence ----------------------------------------------------------------------------


def test_sign_five_of_five():
    sign = sign_evidence([61, 70, 65, 62, 80], 60)
    assert (sign.longer, sign.of) == (5, 5)
    assert sign.p == exactly(Fraction(1, 32)) and sign.p < 0.05


def test_sign_four_of_five_is_not_enough():
    # the one equal to the estimate did not take longer
    sign = sign_evidence([61, 70, 60, 62, 80], 60)
    assert (sign.longer, sign.of) == (4, 5)
    assert sign.p == exactly(Fraction(1 + 5, 32))  # 0.1875
    assert sign.p > 0.05


def test_sign_seven_of_eight():
    sign = sign_evidence([61, 70, 50, 62, 80, 66, 63, 64], 60)
    assert sign == Sign(longer=7, of=8, p=sign.p)
    assert sign.p == exactly(Fraction(1 + 8, 256))
    assert round(sign.p, 3) == 0.035


def test_sign_none_longer():
    assert sign_evidence([10, 20, 30, 40, 50], 60).p == 1.0


@given(st.lists(st.integers(1, 100), min_size=1, max_size=8), st.integers(1, 100))
def test_sign_p_is_the_binomial_tail(window, estimate):
    sign = sign_evidence(window, estimate)
    m = len(window)
    tail = Fraction(sum(comb(m, i) for i in range(sign.longer, m + 1)), 2**m)
    assert sign.longer == sum(t > estimate for t in window) and sign.of == m
    assert sign.p == exactly(tail)
