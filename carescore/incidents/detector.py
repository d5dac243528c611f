"""Incident detection on one brand's hourly complaint counts: pure functions, no database.

An hour's usual level is learned from the brand's own history at the same hour of the
week: the counts of the same hour and its two neighbours over the previous 8 weeks
(up to 24 values), trimmed of their highest and lowest sixth (so a past outage or a
silent collector does not move it), then raised to a floor. The count of an hour, and of
the last 2 hours together, is tested against a negative binomial of that mean,
whose variance adds the burstiness of complaints (`dispersion`) and the uncertainty of a
baseline estimated from few values. An incident opens when such a tail probability
falls below `p_open` and the window holds at least `min_count` complaints; it goes on while
hours stay above the baseline's upper band (tail below `p_follow`); it closes after
`close_after` quiet hours, its end being the end of its last hour above the band.

Every decision about an hour depends only on the counts up to that hour, so a run that
starts again from an hour where no incident is open reproduces what a full run finds
(`carescore.incidents.run` relies on it to recompute only what changed).

Hours are integers: hours since 1970-01-01T00:00Z.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from carescore.incidents.nbinom import nb_tail

WEEK = 168


@dataclass(frozen=True)
class Rules:
    """The detector's published thresholds (docs/incidents.md states and measures them).

    `period` is the season in hours: a week, so that Monday 9:00 is compared with past
    Mondays at 9:00. `bench/incidents.py` also runs a daily period on a dataset that spans
    a single week. `topic_p_open` replaces `p_open` on one topic's complaints alone: a
    brand has up to eight topic series beside its total, so each gets an eighth of the
    total's false-alarm chance and the brand's alarms stay within one series' budget.
    """

    period: int = WEEK
    lookback: int = 8
    min_history: int = 2
    neighbours: int = 1
    trim: float = 1 / 6
    floor: float = 0.25
    dispersion: float = 0.1
    p_open: float = 4.5e-4
    topic_p_open: float = 4.5e-4 / 8
    p_follow: float = 0.05
    min_count: int = 6
    windows: tuple[int, ...] = (1, 2)
    close_after: int = 3
    trend_days: int = 7
    trend_min_daily: float = 24.0
    trend_clip: tuple[float, float] = (0.5, 2.0)


RULES = Rules()
# A window below mean + 3 standard deviations never has a tail below p_open (its tail is
# above 1e-3); only the hours past this cheap bound get the exact test.
_SCREEN_SD = 3.0


@dataclass
class Found:
    """An incident as the detector sees it. Hours are ints; `end` is exclusive, None while
    open. `hours` holds (hour, count, baseline mean) from start to end (or to the last hour
    seen while open)."""

    start: int
    detected: int
    end: int | None
    p_value: float
    hours: list[tuple[int, int, float]] = field(default_factory=list)

    @property
    def posts(self) -> int:
        return sum(c for _, c, _ in self.hours)

    @property
    def expected(self) -> float:
        return sum(b for _, _, b in self.hours)

    @property
    def peak(self) -> tuple[int, int, float]:
        """The hour with the most complaints (the earliest on a tie)."""
        return max(self.hours, key=lambda h: (h[1], -h[0]))


def baselines(
    counts: Mapping[int, int], first: int, begin: int, end: int, rules: Rules = RULES
) -> tuple[np.ndarray, np.ndarray]:
    """Usual mean and test variance of every hour in [begin, end); NaN without history.

    `first` is the first hour of the brand's history: periods before it are unknown, not
    zeros, so they are left out, and an hour with fewer than `min_history` periods of
    history before it has no baseline (a new brand cannot have an incident yet).
    """
    lo = max(first, begin - rules.lookback * rules.period - rules.neighbours)
    series = np.zeros(max(end - lo, 1), dtype=np.float64)
    for hour, n in counts.items():
        if lo <= hour < end:
            series[hour - lo] = n
    hours = np.arange(begin, end)
    offsets = [
        -back * rules.period + shift
        for back in range(1, rules.lookback + 1)
        for shift in range(-rules.neighbours, rules.neighbours + 1)
    ]
    index = hours[:, None] + np.array(offsets)[None, :]
    known = index >= lo
    values = np.where(known, series[np.clip(index - lo, 0, len(series) - 1)], np.inf)
    values.sort(axis=1)  # unknown values (inf) last
    n = known.sum(axis=1)
    cut = (n * rules.trim).astype(int)
    kept = n - 2 * cut
    finite = np.where(np.isfinite(values), values, 0.0)
    csum = np.concatenate([np.zeros((len(hours), 1)), np.cumsum(finite, axis=1)], axis=1)
    rows = np.arange(len(hours))
    total = csum[rows, n - cut] - csum[rows, cut]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.maximum(rules.floor, total / kept * _trend(series, lo, hours, rules))
    variance = (mean + rules.dispersion * mean * mean) * (1 + 1 / np.maximum(kept, 1))
    young = (hours - first < rules.min_history * rules.period) | (kept <= 0)
    mean[young] = np.nan
    variance[young] = np.nan
    return mean, variance


def _trend(series: np.ndarray, lo: int, hours: np.ndarray, rules: Rules) -> np.ndarray:
    """Per hour, the brand's recent level over its level across the lookback.

    The same-hour values span `lookback` periods, so for a brand whose complaints grow (or
    shrink) steadily they lag behind; the median daily count of the last `trend_days`
    days over the median daily count of the lookback's days corrects that. Medians of
    days, so a day or three of incident does not move it; only for brands with at least
    `trend_min_daily` complaints a day, below which the ratio is mostly noise.
    """
    days = len(series) // 24
    factor = np.ones(len(hours))
    span = rules.lookback * rules.period // 24
    if days <= rules.trend_days or span <= rules.trend_days:
        return factor
    daily = series[: days * 24].reshape(days, 24).sum(axis=1)
    day_of = (hours - lo) // 24  # the day each hour belongs to; its level uses earlier days
    recent = np.full(days + 1, np.nan)
    past = np.full(days + 1, np.nan)
    windows = np.lib.stride_tricks.sliding_window_view
    recent[rules.trend_days :] = np.median(windows(daily, rules.trend_days), axis=1)
    if days >= span:
        past[span:] = np.median(windows(daily, span), axis=1)
    index = np.clip(day_of, 0, days)
    r, p = recent[index], past[index]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.clip(r / p, *rules.trend_clip)
    usable = np.isfinite(ratio) & (p >= rules.trend_min_daily)
    factor[usable] = ratio[usable]
    return factor


def detect(
    counts: Mapping[int, int],
    first: int,
    begin: int,
    end: int,
    complete_before: int | None = None,
    rules: Rules = RULES,
) -> list[Found]:
    """Incidents detected in hours [begin, end), the detector starting with none open.

    `counts` maps hour -> complaints (missing hours are zero) and must hold the hours
    from `lookback` periods before `begin` on. Hours from `complete_before` on are not
    over yet: they can open or extend an incident but never count as quiet, so an
    incident stays open until `close_after` finished hours were quiet.
    """
    complete_before = end if complete_before is None else complete_before
    pad = max(rules.windows) - 1
    start = begin - pad
    if end <= begin:
        return []
    if sum(n for hour, n in counts.items() if start <= hour < end) < rules.min_count:
        return []  # no window can reach the minimum count: nothing to test
    mean, variance = baselines(counts, first, start, end, rules)
    observed = np.array([counts.get(h, 0) for h in range(start, end)], dtype=np.float64)
    candidate = np.zeros(end - start, dtype=bool)
    for width in rules.windows:
        kernel = np.ones(width)
        o = np.convolve(observed, kernel)[: len(observed)]
        m = np.convolve(mean, kernel)[: len(observed)]
        v = np.convolve(variance, kernel)[: len(observed)]
        with np.errstate(invalid="ignore"):
            hit = (o >= rules.min_count) & (o > m + _SCREEN_SD * np.sqrt(v))
        hit[: width - 1] = False
        candidate |= hit
    candidate[:pad] = False

    found: list[Found] = []
    i, n = pad, end - start
    while i < n:
        if not candidate[i]:
            ahead = np.flatnonzero(candidate[i:])
            if not len(ahead):
                break
            i += int(ahead[0])
        incident = _open(i, start, observed, mean, variance, rules)
        if incident is None:
            i += 1
            continue
        found.append(incident)
        i = _follow(incident, i + 1, start, n, complete_before, observed, mean, variance, rules)
    return found


def _open(
    i: int,
    start: int,
    observed: np.ndarray,
    mean: np.ndarray,
    variance: np.ndarray,
    rules: Rules,
) -> Found | None:
    """An incident whose most improbable window ends at index `i`, or None."""
    best: tuple[float, int] | None = None
    for width in rules.windows:
        window = slice(i - width + 1, i + 1)
        total = int(observed[window].sum())
        if total < rules.min_count or np.isnan(mean[window]).any():
            continue
        p = nb_tail(total, float(mean[window].sum()), float(variance[window].sum()))
        if p < rules.p_open and (best is None or p < best[0]):
            best = (p, width)
    if best is None:
        return None
    first = i - best[1] + 1
    # The incident starts at the window's first hour that is above its usual level.
    while first < i and observed[first] <= mean[first]:
        first += 1
    hours = [(start + j, int(observed[j]), float(mean[j])) for j in range(first, i + 1)]
    return Found(start=start + first, detected=start + i, end=None, p_value=best[0], hours=hours)


def _follow(
    incident: Found,
    i: int,
    start: int,
    n: int,
    complete_before: int,
    observed: np.ndarray,
    mean: np.ndarray,
    variance: np.ndarray,
    rules: Rules,
) -> int:
    """Extend an open incident hour by hour; the index where the detector is closed again."""
    last_above = incident.hours[-1][0]
    quiet = 0
    while i < n:
        hour, count, base = start + i, int(observed[i]), float(mean[i])
        incident.hours.append((hour, count, base))
        if count > base and nb_tail(count, base, float(variance[i])) < rules.p_follow:
            last_above, quiet = hour, 0
        elif hour < complete_before:
            quiet += 1
            if quiet >= rules.close_after:
                incident.end = last_above + 1
                incident.hours = [h for h in incident.hours if h[0] < incident.end]
                return i + 1
        i += 1
    return i


def detect_topics(
    series: Mapping[str, Mapping[int, int]],
    first: int,
    begin: int,
    end: int,
    complete_before: int | None = None,
    rules: Rules = RULES,
    earlier: Sequence[tuple[int, int | None]] = (),
) -> dict[str, list[Found]]:
    """Incidents of one brand's complaints together (key "") and of each topic alone.

    A topic's series is tested with `topic_p_open`, and its incident is kept only where
    the complaints together show none at the same time (those already list their
    topics): it is the surge a brand's total hides, such as a billing error at a brand
    whose complaints are mostly about deliveries. `earlier` holds the (start, end) hours
    of incidents of the complaints together found before `begin` and kept.
    """
    found = {
        topic: detect(
            counts,
            first,
            begin,
            end,
            complete_before,
            replace(rules, p_open=rules.topic_p_open) if topic else rules,
        )
        for topic, counts in series.items()
    }
    together = [*earlier, *((f.start, f.end) for f in found.get("", []))]
    return {
        topic: items
        if not topic
        else [f for f in items if not any(_overlap(f.start, f.end, s, e) for s, e in together)]
        for topic, items in found.items()
    }


def _overlap(start: int, end: int | None, other_start: int, other_end: int | None) -> bool:
    """Do two spans of hours meet? An end of None is still open."""
    return (other_end is None or start < other_end) and (end is None or other_start < end)
