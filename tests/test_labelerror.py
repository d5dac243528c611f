"""Satisfaction corrected for the scorer's measured label errors, and the p90's interval."""

from __future__ import annotations

import math

import pytest

from carescore.ranking.labelerror import Rates, corrected_share, measured_rates, rates_from
from carescore.ranking.stats import quantile_ci_ranks

EN = Rates(tpr=0.8, n_praise=200, fpr=0.1, n_fail=500)


def test_adjusted_classify_and_count_inverts_the_confusion():
    # 30 true praise in 100: observed 0.3 * 0.8 + 0.7 * 0.1 = 0.31
    p, low, high = corrected_share({("praise", "en"): 31, ("fail", "en"): 69}, {"en": EN})
    assert p == pytest.approx(0.3)
    q, d = 0.31, 0.7
    var = (q * (1 - q) / 100 + p * p * 0.8 * 0.2 / 200 + (1 - p) ** 2 * 0.1 * 0.9 / 500) / d**2
    assert (low, high) == pytest.approx(
        (p - 1.959963984540054 * math.sqrt(var), p + 1.959963984540054 * math.sqrt(var))
    )


def test_the_interval_carries_the_confusions_uncertainty():
    votes = {("praise", "en"): 310, ("fail", "en"): 690}
    _, low_small, high_small = corrected_share(votes, {"en": EN})
    thin = Rates(tpr=0.8, n_praise=40, fpr=0.1, n_fail=50)  # same rates, fewer held-out posts
    _, low_thin, high_thin = corrected_share(votes, {"en": thin})
    assert high_thin - low_thin > high_small - low_small


def test_languages_without_a_usable_confusion_are_counted_as_observed():
    votes = {("praise", "fr"): 20, ("fail", "fr"): 80, ("praise", "en"): 31, ("fail", "en"): 69}
    blind = Rates(tpr=0.0, n_praise=2, fpr=0.0, n_fail=308)  # the French held-out set
    p, _, _ = corrected_share(votes, {"en": EN, "fr": blind})
    assert p == pytest.approx(0.5 * 0.3 + 0.5 * 0.2)
    assert corrected_share({}, {"en": EN}) == (None, None, None)


def test_estimates_are_clipped_to_shares():
    p, low, high = corrected_share({("praise", "en"): 5, ("fail", "en"): 95}, {"en": EN})
    assert p == 0.0 and low == 0.0 and 0 < high < 1


def test_rates_come_from_a_confusion_matrix_and_the_shipped_file():
    rates = rates_from(
        {"praise": {"praise": 80, "fail": 20, "neutral": 5}, "fail": {"praise": 10, "fail": 90}}
    )
    assert rates == Rates(tpr=0.8, n_praise=100, fpr=0.1, n_fail=100)
    version, shipped = measured_rates()
    assert version and shipped["en"].n_praise > 100 and shipped["en"].separation > 0.5


def test_p90_interval_ranks_cover_the_quantile():
    assert quantile_ci_ranks(30, 0.9) is None  # too few: the upper tail cannot hold 2.5%
    j, k = quantile_ci_ranks(100, 0.9)
    assert j < 90 < k <= 100
    # the binomial coverage of [x_(j), x_(k)] is at least 95%
    pmf = [math.comb(100, i) * 0.9**i * 0.1 ** (100 - i) for i in range(101)]
    assert sum(pmf[j:k]) >= 0.95


def test_too_few_held_out_posts_are_not_inverted():
    few = Rates(tpr=0.5, n_praise=4, fpr=0.03, n_fail=526)  # the French held-out praise
    p, _, _ = corrected_share({("praise", "fr"): 30, ("fail", "fr"): 70}, {"fr": few})
    assert p == pytest.approx(0.3)
