from datetime import UTC, datetime

import numpy as np
import pytest

from carescore.ranking.businesshours import offset_periods
from carescore.ranking.stats import (
    median_ci_ranks,
    median_ranks,
    percentile_rank,
    ratio_interval,
    shrink,
    wilson,
)


def test_wilson_matches_hand_computation():
    low, high = wilson(8, 10)
    # p=0.8, z=1.96: centre (0.8 + 0.19207)/1.38415, half 1.96*sqrt(0.016+0.0096)/1.38415
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_edges():
    assert wilson(0, 0) == (None, None)
    low, high = wilson(0, 5)
    assert low == 0.0 and high == pytest.approx(0.4345, abs=1e-4)
    low, high = wilson(5, 5)
    assert high == 1.0 and low == pytest.approx(0.5655, abs=1e-4)


def test_shrink_toward_the_prior_mean():
    assert shrink(3, 3, 0.5) == pytest.approx((3 + 15) / 33)
    assert shrink(0, 0, 0.4) is None  # 2.0: no data, no figure (1.0 gave the prior)
    assert shrink(2, 4, None) == 0.5
    assert shrink(0, 0, None) is None


def test_median_and_percentile_ranks():
    assert median_ranks(1) == (1, 1)
    assert median_ranks(4) == (2, 3)
    assert median_ranks(5) == (3, 3)
    assert percentile_rank(1, 0.9) == 1
    assert percentile_rank(10, 0.9) == 9
    assert percentile_rank(11, 0.9) == 10
    assert percentile_rank(20, 0.9) == 18


def test_median_interval_is_exact_binomial():
    assert median_ci_ranks(5) is None  # 2 * 1/32 > 5%
    assert median_ci_ranks(6) == (1, 6)  # coverage 1 - 2/64
    assert median_ci_ranks(10) == (2, 9)  # P(B<=1) = 11/1024 <= 2.5%
    assert median_ci_ranks(100) == (40, 61)  # the textbook values
    low, high = median_ci_ranks(5000)
    assert (low, high) == (2430, 2571)  # normal approximation beyond 1,000


def test_offset_periods_find_daylight_saving_transitions():
    periods = offset_periods(
        "Europe/Paris", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert [(p[0].isoformat(), p[1]) for p in periods] == [
        ("2026-01-01T00:00:00+00:00", 3600),
        ("2026-03-29T01:00:00+00:00", 7200),
        ("2026-10-25T01:00:00+00:00", 3600),
    ]


def test_ratio_interval_by_mover_r():
    low, high = ratio_interval(7, 30, 18, 40)
    assert low < (7 / 30) / (18 / 40) < high
    # MOVER-R is symmetric: the interval of b / a is the reciprocal of that of a / b.
    back_low, back_high = ratio_interval(18, 40, 7, 30)
    assert (low, high) == (pytest.approx(1 / back_high), pytest.approx(1 / back_low))
    # A brand that answered none of one group: the ratio is 0 and the upper end finite.
    low, high = ratio_interval(0, 25, 10, 25)
    assert low == 0.0 and 0 < high < 1
    assert ratio_interval(5, 25, 0, 25) == (None, None)  # the ratio itself is undefined
    assert ratio_interval(5, 0, 3, 25) == (None, None)


@pytest.mark.parametrize(("p_a", "n_a", "p_b", "n_b"), [(0.5, 30, 0.6, 25), (0.2, 200, 0.7, 20)])
def test_ratio_interval_covers_the_true_ratio_about_95_times_in_100(p_a, n_a, p_b, n_b):
    rng = np.random.default_rng(18)
    draws = 3000
    a, b = rng.binomial(n_a, p_a, draws), rng.binomial(n_b, p_b, draws)
    truth = p_a / p_b
    covered = sum(
        low <= truth <= high
        for low, high in (
            ratio_interval(int(x), n_a, int(y), n_b) for x, y in zip(a, b, strict=True)
        )
        if low is not None
    )
    assert 0.93 <= covered / draws <= 0.975
