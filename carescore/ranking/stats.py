"""Small statistics of the methodology: intervals, shrinkage and order-statistic ranks.

Pure functions of counts, so the SQL side only has to count and pick order statistics
(ranks are 1-based, as SQL's ROW_NUMBER gives them).
"""

from __future__ import annotations

import math
from functools import lru_cache

from carescore.ranking.rules import PRIOR

Z95 = 1.959963984540054

EXACT_UP_TO = 1000  # order-statistic intervals: exact binomial sums up to this n


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | tuple[None, None]:
    """95% Wilson score interval of a proportion; (None, None) without observations.

    Chosen over the normal interval because it stays inside [0, 1] and behaves at 0/n
    and n/n, which small brands hit all the time.
    """
    if n <= 0:
        return None, None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def ratio_interval(
    successes_a: int, n_a: int, successes_b: int, n_b: int
) -> tuple[float, float] | tuple[None, None]:
    """95% interval of the ratio of two independent proportions (a / b), by MOVER-R.

    The method of variance estimates recovery (Donner and Zou, 2012; Newcombe, 2013)
    builds the ratio's interval from each proportion's own Wilson interval, the interval
    every other share here carries, so it stays finite and sensible where the usual log
    (Katz) interval breaks down: a brand that answered none of one group. (None, None)
    when b's share is 0 (the ratio itself is then undefined) or a group is empty.
    """
    if n_a <= 0 or n_b <= 0 or successes_b <= 0:
        return None, None
    p_a, p_b = successes_a / n_a, successes_b / n_b
    low_a, high_a = wilson(successes_a, n_a)
    low_b, high_b = wilson(successes_b, n_b)
    product = p_a * p_b
    lower = (
        product
        - math.sqrt(max(0.0, product**2 - low_a * high_b * (2 * p_a - low_a) * (2 * p_b - high_b)))
    ) / (high_b * (2 * p_b - high_b))
    upper = (
        product
        + math.sqrt(max(0.0, product**2 - high_a * low_b * (2 * p_a - high_a) * (2 * p_b - low_b)))
    ) / (low_b * (2 * p_b - low_b))
    return max(0.0, lower), upper


def shrink(successes: int, n: int, prior_mean: float | None, prior: int = PRIOR) -> float | None:
    """Bayesian average: the share pulled toward `prior_mean` as if `prior` posts had it.

    A brand with 3 posts out of 3 does not top a brand with 900 out of 1,000.
    """
    if n <= 0:
        return None  # no data, no figure: never the prior alone
    if prior_mean is None:
        return successes / n
    return (successes + prior * prior_mean) / (n + prior)


def median_ranks(n: int) -> tuple[int, int]:
    """The one or two order statistics whose mean is the median (equal when n is odd)."""
    return (n + 1) // 2, n // 2 + 1


def percentile_rank(n: int, q: float) -> int:
    """Nearest-rank percentile: the smallest rank covering a share `q` of the values."""
    return max(1, min(n, math.ceil(q * n - 1e-9)))


@lru_cache(maxsize=4096)
def median_ci_ranks(n: int, confidence: float = 0.95) -> tuple[int, int] | None:
    """Ranks (j, n + 1 - j) of a distribution-free interval for the median.

    The number of values below the true median is Binomial(n, 1/2), so
    [x_(j), x_(n+1-j)] covers it with probability 1 - 2 P(B <= j - 1). We take the
    largest j keeping that at least `confidence`; None when n < 6 (no such j exists).
    """
    if n < 1:
        return None
    alpha = (1 - confidence) / 2
    if n > EXACT_UP_TO:
        j = math.floor(n / 2 - Z95 * math.sqrt(n) / 2)
        return (j, n + 1 - j) if j >= 1 else None
    tail = 0.0
    j = 0
    log_half_n = n * math.log(0.5)
    for k in range(0, n // 2 + 1):
        tail += math.exp(
            math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + log_half_n
        )
        if tail > alpha:
            break
        j = k + 1
    return (j, n + 1 - j) if j >= 1 else None


@lru_cache(maxsize=4096)
def quantile_ci_ranks(n: int, q: float, confidence: float = 0.95) -> tuple[int, int] | None:
    """Ranks (j, k) of a distribution-free interval for the q-quantile (e.g. the p90).

    The number of values below the true quantile is Binomial(n, q): [x_(j), x_(k)]
    covers it with probability P(j <= B < k). We take the largest j with
    P(B <= j - 1) <= alpha/2 and the smallest k with P(B >= k) <= alpha/2, so each
    tail keeps at most alpha/2; None when either end falls outside 1..n (too few values).
    Exact binomial sums up to n = 1000, the normal approximation above.
    """
    if n < 1 or not 0 < q < 1:
        return None
    alpha = (1 - confidence) / 2
    if n > EXACT_UP_TO:
        spread = Z95 * math.sqrt(n * q * (1 - q))
        j, k = math.floor(n * q - spread), math.ceil(n * q + spread) + 1
    else:
        pmf = [
            math.exp(
                math.lgamma(n + 1)
                - math.lgamma(i + 1)
                - math.lgamma(n - i + 1)
                + i * math.log(q)
                + (n - i) * math.log1p(-q)
            )
            for i in range(n + 1)
        ]
        below, j = 0.0, 0
        for i in range(n + 1):  # P(B <= i) <= alpha  ->  j = i + 1 is allowed
            below += pmf[i]
            if below > alpha:
                break
            j = i + 1
        above, k = 0.0, n + 1
        for i in range(n, -1, -1):  # P(B >= i) <= alpha  ->  k = i is allowed
            above += pmf[i]
            if above > alpha:
                break
            k = i
    return (j, k) if j >= 1 and k <= n else None


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None
