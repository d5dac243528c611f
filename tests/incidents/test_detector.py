"""The detector on hand-built hourly series: what it must find and what it must not."""

from __future__ import annotations

import math
import random

import pytest

from carescore.incidents.detector import RULES, WEEK, baselines, detect
from carescore.incidents.nbinom import nb_params, nb_tail

WEEKS = 10


def seasonal(level: float, seed: int, weeks: int = WEEKS) -> dict[int, int]:
    """Poisson counts around a daily cycle (busy afternoons, quiet nights) and quieter
    weekends: the shape that a flat baseline would mistake for incidents."""
    rng = random.Random(seed)
    counts = {}
    for hour in range(weeks * WEEK):
        day, hod = divmod(hour, 24)
        mean = level * (1 + 0.8 * math.sin((hod - 9) * 2 * math.pi / 24))
        mean *= 0.5 if day % 7 >= 5 else 1.0
        n = _poisson(rng, mean)
        if n:
            counts[hour] = n
    return counts


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def test_a_clear_spike_is_found_in_its_first_hour_and_closed_after_it():
    counts = seasonal(4.0, 1)
    start = 9 * WEEK + 14
    for hour in range(start, start + 3):
        counts[hour] = counts.get(hour, 0) + 40
    found = detect(counts, 0, 8 * WEEK, WEEKS * WEEK)
    assert len(found) == 1
    incident = found[0]
    assert incident.start == start
    assert incident.detected == start
    assert incident.end == start + 3
    assert incident.posts >= 120
    assert incident.peak[0] in range(start, start + 3)
    assert incident.p_value < RULES.p_open


def test_seasonality_without_a_spike_opens_nothing():
    for seed in range(5):
        counts = seasonal(6.0, seed)
        assert detect(counts, 0, 8 * WEEK, WEEKS * WEEK) == []


def test_a_flat_baseline_would_have_cried_wolf_on_the_same_series():
    """The seasonal baseline earns its place: against the brand's average hour, the busy
    afternoons of the same series are improbable."""
    counts = seasonal(6.0, 0)
    average = sum(counts.values()) / (WEEKS * WEEK)
    afternoon = max(counts[h] for h in range(8 * WEEK, WEEKS * WEEK) if h in counts)
    assert nb_tail(afternoon, average, average * 1.1) < RULES.p_open


def test_the_baseline_follows_the_hour_of_the_week():
    counts = seasonal(6.0, 3)
    mean, _ = baselines(counts, 0, 9 * WEEK, 9 * WEEK + 24)
    assert mean[15] > 2 * mean[3]  # mid-afternoon against the small hours


def test_a_slow_rise_is_absorbed_by_the_baseline_and_never_opens():
    """Complaints that grow 1% a day for ten weeks (a brand getting more customers) move
    the baseline along with them."""
    rng = random.Random(7)
    counts = {}
    for hour in range(WEEKS * WEEK):
        n = _poisson(rng, 3.0 * 1.01 ** (hour / 24))
        if n:
            counts[hour] = n
    assert detect(counts, 0, 8 * WEEK, WEEKS * WEEK) == []


def test_a_brand_with_no_history_has_no_baseline_and_no_incident():
    counts = {hour: 30 for hour in range(5)}  # its very first hours, busy
    assert detect(counts, 0, 0, 24) == []
    mean, _ = baselines(counts, 0, 0, 24)
    assert all(math.isnan(m) for m in mean)


def test_a_young_brand_gets_the_floor_once_two_weeks_have_passed():
    first = 1000
    begin = first + 2 * WEEK
    counts = {begin + 5: 9}
    mean, _ = baselines(counts, first, begin, begin + 10)
    assert mean[0] == pytest.approx(RULES.floor)
    found = detect(counts, first, begin, begin + 10)
    assert [f.start for f in found] == [begin + 5]


def test_a_few_posts_instead_of_none_is_not_an_outage():
    """Below the minimum count nothing opens, however improbable."""
    hour = 9 * WEEK + 2
    counts = {hour: RULES.min_count - 1}  # where there are never any
    mean, variance = baselines(counts, 0, hour, hour + 1)
    assert nb_tail(RULES.min_count - 1, mean[0], variance[0]) < RULES.p_open
    assert detect(counts, 0, 8 * WEEK, WEEKS * WEEK) == []
    counts[hour] += 1
    assert [f.start for f in detect(counts, 0, 8 * WEEK, WEEKS * WEEK)] == [hour]


def test_a_past_outage_does_not_raise_the_baseline_much():
    counts = seasonal(4.0, 2)
    clean, _ = baselines(counts, 0, 9 * WEEK, 9 * WEEK + 24)
    for hour in range(8 * WEEK, 8 * WEEK + 24):  # the same day, a week before: a big outage
        counts[hour] = counts.get(hour, 0) + 60
    hit, _ = baselines(counts, 0, 9 * WEEK, 9 * WEEK + 24)
    # An untrimmed mean of the 24 values would rise by 60 * 3 / 24 = 7.5 complaints an hour.
    assert max(hit - clean) < 7.5 / 4


def test_an_unfinished_hour_opens_but_never_closes():
    counts = seasonal(2.0, 4)
    now = 9 * WEEK + 30
    for hour in range(now - 2, now + 1):
        counts[hour] = counts.get(hour, 0) + 25
    found = detect(counts, 0, 8 * WEEK, now + 1, complete_before=now)
    assert len(found) == 1
    assert found[0].end is None


def test_restarting_anywhere_outside_an_incident_gives_the_full_result():
    counts = seasonal(3.0, 5)
    for start, size in ((8 * WEEK + 40, 20), (9 * WEEK + 100, 35)):
        for hour in range(start, start + 4):
            counts[hour] = counts.get(hour, 0) + size
    full = detect(counts, 0, 8 * WEEK, WEEKS * WEEK)
    assert len(full) == 2
    later = detect(counts, 0, full[0].end + RULES.close_after, WEEKS * WEEK)
    key = [(f.start, f.end, f.posts) for f in later]
    assert key == [(f.start, f.end, f.posts) for f in full[1:]]


@pytest.mark.parametrize(
    ("k", "mean", "variance"),
    [(5, 0.3, 0.4), (30, 10, 20), (15, 5, 7.5), (3, 5, 9), (200, 100, 1100), (1, 0.25, 0.3)],
)
def test_the_negative_binomial_tail_is_exact(k, mean, variance):
    stats = pytest.importorskip("scipy.stats")
    r, p = nb_params(mean, variance)
    assert nb_tail(k, mean, variance) == pytest.approx(stats.nbinom.sf(k - 1, r, p), rel=1e-9)
