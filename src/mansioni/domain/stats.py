"""Small-sample statistics for the trial review, computed exactly.

Everything here is distribution-free and exact at the sizes the review uses (5 to 10
values): order-statistic intervals and sign tests from the binomial(m, 1/2) law, and
Kendall's trend test from the exact distribution of inversions (Mahonian numbers, or
their q-multinomial generalisation when values tie), built by recurrence, never by
enumerating permutations.
No normal approximation, no resampling, no randomness: the same values always give
the same answer. Probabilities are computed as fractions and only turned into floats
at the end, so a p-value is the correctly rounded float of its exact value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import comb

#: The comparison window sizes the order-statistic interval is defined for. Five is
#: the floor (below it no interval reaches 90%); eight is the review's window.
INTERVAL_SIZES = range(5, 9)


def median(xs: Sequence[float]) -> float:
    """The middle value, or the mean of the two middle ones. Raises on no values."""
    if not xs:
        raise ValueError("the median of no values is undefined")
    s = sorted(xs)
    mid = len(s) // 2
    if len(s) % 2:
        return float(s[mid])
    return (s[mid - 1] + s[mid]) / 2


def median_of_counts(counts: dict[float, int]) -> float:
    """:func:`median` of values given as ``{value: how many times}`` (a histogram): the
    same answer, without listing each value. Raises on no values."""
    n = sum(counts.values())
    if n <= 0:
        raise ValueError("the median of no values is undefined")
    wanted = (n - 1) // 2, n // 2  # the ranks of the middle value(s), from 0
    found: list[float] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and wanted[len(found)] < seen:
            found.append(float(value))
        if len(found) == 2:
            break
    return found[0] if n % 2 else (found[0] + found[1]) / 2


def _interval_rank(m: int) -> int:
    """The rank ``j`` of the interval ``(x_(j), x_(m+1-j))`` used for a window of ``m``."""
    if m not in INTERVAL_SIZES:
        raise ValueError(f"the interval is defined for 5 to 8 values, not {m}")
    return 2 if m == 8 else 1


def order_statistic_interval(xs: Sequence[float]) -> tuple[float, float]:
    """Confidence interval for the median of ``xs`` (5 to 8 values) from its order statistics.

    For 5 to 7 values it is (min, max); for 8 it is (2nd smallest, 7th smallest), about 93%.
    Its coverage is :func:`interval_coverage`; it holds for any continuous distribution.
    """
    j = _interval_rank(len(xs))
    s = sorted(xs)
    return float(s[j - 1]), float(s[len(s) - j])


def _binomial_cdf(k: int, m: int) -> Fraction:
    """P(X <= k) for X ~ binomial(m, 1/2), exactly."""
    return Fraction(sum(comb(m, i) for i in range(0, k + 1)), 2**m)


def interval_coverage(m: int) -> float:
    """Exact coverage of :func:`order_statistic_interval` for ``m`` values.

    The interval ``(x_(j), x_(m+1-j))`` misses the median when fewer than ``j`` values
    fall on one side of it: coverage ``1 - 2 * P(X <= j - 1)``, X ~ binomial(m, 1/2).
    m = 5: 1 - 2/32 = 0.9375; m = 8: 1 - 2 * 9/256 = 0.9297.
    """
    j = _interval_rank(m)
    return float(1 - 2 * _binomial_cdf(j - 1, m))


def _times(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """The product of two polynomials given by their coefficients, lowest power first."""
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


@lru_cache(maxsize=64)
def mahonian(n: int) -> tuple[int, ...]:
    """How many permutations of ``n`` items have 0, 1, ..., n(n-1)/2 inversions.

    Built by the recurrence T(n, k) = sum of T(n-1, k-j) for j = 0..n-1 (placing the
    n-th item creates 0 to n-1 new inversions), i.e. multiplying the generating
    polynomial by 1 + x + ... + x^(n-1). The counts sum to n! and are symmetric.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    counts = [1]
    for size in range(2, n + 1):
        counts = _times(counts, [1] * size)
    return tuple(counts)


@lru_cache(maxsize=64)
def _q_binomial(m: int, k: int) -> tuple[int, ...]:
    """Coefficients of the Gaussian binomial [m choose k]_q: the words of k ones and m-k
    zeros counted by inversions. [m, k] = [m-1, k-1] + q^k [m-1, k]."""
    if k == 0 or k == m:
        return (1,)
    left, right = _q_binomial(m - 1, k - 1), (0,) * k + _q_binomial(m - 1, k)
    width = max(len(left), len(right))
    return tuple(
        (left[i] if i < len(left) else 0) + (right[i] if i < len(right) else 0)
        for i in range(width)
    )


def inversion_distribution(multiplicities: Sequence[int]) -> tuple[int, ...]:
    """How many distinct orderings of a multiset have 0, 1, 2, ... inversions.

    ``multiplicities`` counts the copies of each distinct value. The generating function
    is the q-multinomial coefficient, the product of the Gaussian binomials
    [a_1 + ... + a_i choose a_i]_q; with every value distinct it is :func:`mahonian`.
    The counts sum to the multinomial n! / (a_1! ... a_r!).
    """
    counts = [1]
    placed = 0
    for a in multiplicities:
        if a < 1:
            raise ValueError("each value occurs at least once")
        placed += a
        counts = _times(counts, list(_q_binomial(placed, a)))
    return tuple(counts)


@dataclass(frozen=True)
class Trend:
    """Kendall's trend test of values against their position 1..n.

    ``s`` is concordant minus discordant pairs (tied pairs count 0); ``tau`` is
    ``s / (n(n-1)/2)`` (tau-a), in [-1, 1]; ``p`` is the exact one-sided p-value for a
    *decreasing* trend, P(S <= s) when all n! orderings of the observed values are
    equally likely.
    """

    n: int
    s: int
    tau: float
    p: float


def kendall_s(ys: Sequence[float]) -> int:
    """Concordant minus discordant pairs of ``ys`` against position; ties count 0."""
    s = 0
    for i in range(len(ys)):
        for j in range(i + 1, len(ys)):
            s += (ys[j] > ys[i]) - (ys[j] < ys[i])
    return s


def kendall_p_decreasing(ys: Sequence[float]) -> Fraction:
    """Exact P(S <= s_observed) when all orderings of ``ys`` are equally likely.

    With D discordant pairs (inversions), N pairs and T tied pairs, S = N - T - 2D, so
    S <= s exactly when D >= (N - T - s) / 2: a tail of the distribution of inversions
    of the multiset of ``ys`` (the Mahonian numbers when there are no ties).
    """
    n = len(ys)
    multiplicities = [ys.count(y) for y in sorted(set(ys))]
    tied = sum(a * (a - 1) // 2 for a in multiplicities)
    counts = inversion_distribution(multiplicities)
    first = (n * (n - 1) // 2 - tied - kendall_s(ys)) // 2  # always a whole number
    return Fraction(sum(counts[first:]), sum(counts))


def kendall_trend(ys: Sequence[float]) -> Trend:
    """Kendall's tau of ``ys`` against position, with the exact p for a decreasing trend.

    Strictly decreasing values give p = 1/n!, the smallest attainable: 1/24 = 0.042 at
    n = 4, 1/120 = 0.0083 at n = 5. Ties (equal durations, common when times are typed
    in whole minutes) count 0 in S, and the p-value comes from the exact distribution
    given those ties, not the no-ties one: the latter can be off by a factor of up to
    2 either way (e.g. 3, 3, 2, 1 has p = 1/12, where the no-ties law would say 1/24).
    """
    n = len(ys)
    if n < 2:
        raise ValueError("a trend needs at least 2 values")
    ys = list(ys)
    s = kendall_s(ys)
    return Trend(n=n, s=s, tau=s / (n * (n - 1) // 2), p=float(kendall_p_decreasing(ys)))


def theil_sen_slope(ys: Sequence[float]) -> float:
    """The median of the slopes (y_j - y_i) / (j - i) over all pairs of positions i < j."""
    n = len(ys)
    if n < 2:
        raise ValueError("a slope needs at least 2 values")
    slopes = [(ys[j] - ys[i]) / (j - i) for i in range(n) for j in range(i + 1, n)]
    return median(slopes)


@dataclass(frozen=True)
class Sign:
    """Sign evidence against an estimate: ``longer`` of the last ``of`` occurrences took
    longer than it; ``p`` is the exact one-sided tail P(X >= longer), X ~ binomial(of, 1/2)."""

    longer: int
    of: int
    p: float


def sign_evidence(window: Sequence[float], estimate: float) -> Sign:
    """How many of ``window`` took strictly longer than ``estimate``, and how surprising that
    is if each were as likely to be shorter as longer (5 of 5: p = 1/32; 7 of 8: p = 9/256)."""
    m = len(window)
    longer = sum(1 for t in window if t > estimate)
    tail = Fraction(sum(comb(m, i) for i in range(longer, m + 1)), 2**m)
    return Sign(longer=longer, of=m, p=float(tail))
