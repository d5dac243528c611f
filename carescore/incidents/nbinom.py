"""The negative-binomial upper tail, exact, without scipy.

The detector needs one number per hour tested: P(X >= k) for a count X with a given mean
and variance (variance above the mean: complaints come in bursts, so a Poisson model
would cry wolf). scipy.stats.nbinom gives it too, but scipy is a 40 MB dependency for
one function; the sum below is exact to double precision (a test checks it against
scipy where scipy is installed) and costs a few microseconds for the counts we see.
"""

from __future__ import annotations

import math

_TINY = 1e-17


def nb_params(mean: float, variance: float) -> tuple[float, float]:
    """(r, p) of the negative binomial with this mean and variance (variance > mean).

    X counts failures before the r-th success, P(X = k) = C(k + r - 1, k) p^r (1 - p)^k,
    mean r(1 - p)/p, variance mean / p.
    """
    if mean <= 0:
        raise ValueError("mean must be positive")
    variance = max(variance, mean * (1 + 1e-9))
    p = mean / variance
    return mean * p / (1 - p), p


def _log_pmf(k: int, r: float, p: float) -> float:
    return (
        math.lgamma(k + r)
        - math.lgamma(r)
        - math.lgamma(k + 1)
        + r * math.log(p)
        + k * math.log1p(-p)
    )


def nb_tail(k: int, mean: float, variance: float) -> float:
    """P(X >= k) for a negative binomial X of this mean and variance.

    Above the mode the terms shrink at least geometrically, so the upper sum is summed
    directly (no cancellation for tiny tails); at or below the mode, one minus the
    lower sum, which is then at least of the order of one half and loses nothing.
    """
    if k <= 0:
        return 1.0
    r, p = nb_params(mean, variance)
    mode = max(0.0, (r - 1) * (1 - p) / p)
    if k > mode:
        total, i = 0.0, k
        term = math.exp(_log_pmf(k, r, p))
        while term > _TINY * max(total, 1e-300) and term > 0:
            total += term
            # ratio of consecutive terms: (i + r) / (i + 1) * (1 - p), below 1 past the mode
            term *= (i + r) / (i + 1) * (1 - p)
            i += 1
        return min(1.0, total)
    lower = sum(math.exp(_log_pmf(i, r, p)) for i in range(k))
    return max(0.0, 1.0 - lower)
