from datetime import UTC, datetime

import pytest

from carescore.ranking.businesshours import offset_periods
from carescore.ranking.stats import (
    median_ci_ranks,
    median_ranks,
    percentile_rank,
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
