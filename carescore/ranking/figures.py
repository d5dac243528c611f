"""Methodology 2.0: turn one brand's counts into its published figures and ranks.

`metrics.compute` counts in SQL; this module applies the rules of docs/methodology.md
(intervals, shrinkage toward the sector, the label-error correction, the Carescore,
the "not enough data" rule). No data, no figure: a brand without opinions has no
satisfaction, without cases no reply figures (None, so null in JSON and empty in CSV).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace

from pydantic_core import PydanticUndefined

from carescore import METHODOLOGY_VERSION
from carescore.ranking.counts import Counts
from carescore.ranking.labelerror import corrected_share
from carescore.ranking.rules import (
    MIN_CASES,
    MIN_EQUAL_TREATMENT_GROUP,
    MIN_OPINION,
    P90,
    UNKNOWN_SECTOR,
)
from carescore.ranking.stats import (
    median_ci_ranks,
    median_ranks,
    percentile_rank,
    quantile_ci_ranks,
    ratio,
    ratio_interval,
    shrink,
    wilson,
)
from carescore.ranking.windows import Window
from carescore.store.models import BrandScore

_BLANK = {
    name: None if field.default is PydanticUndefined else field.default
    for name, field in BrandScore.model_fields.items()
    if name != "id"
}
ALL_BRANDS = "all"  # shrunk toward every brand's pooled mean (the sector is unknown)


def priors(
    counts: dict[int, Counts], sectors: dict[int, str], part: str, whole: str
) -> dict[int, float | None]:
    """Each brand's prior mean: its sector's pooled share (every post weighs the same),
    or all brands' pooled share when its sector is unknown, never that mixed bag."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for brand_id, c in counts.items():
        for group in (sectors[brand_id], ALL_BRANDS):
            sums[group][0] += getattr(c, part)
            sums[group][1] += getattr(c, whole)
    means = {group: ratio(a, b) for group, (a, b) in sums.items()}
    return {bid: means[prior_group(sectors[bid])] for bid in counts}


def prior_group(sector: str) -> str:
    return ALL_BRANDS if sector in (UNKNOWN_SECTOR, "") else sector


def _median(values: dict[int, float], n: int) -> tuple[float | None, float | None, float | None]:
    """The median of n values and its distribution-free 95% interval, from the order
    statistics in `values` (rank: value); None for what is missing or undefined."""
    if n <= 0:
        return None, None, None
    low, high = median_ranks(n)
    median = (values[low] + values[high]) / 2 if low in values and high in values else None
    interval = median_ci_ranks(n)
    if not interval:
        return median, None, None
    return median, values.get(interval[0]), values.get(interval[1])


def build_score(
    brand_id: int,
    window: Window,
    c: Counts,
    sector_reply_rate: float | None,
    sector_satisfaction: float | None,
    now: datetime,
    shrunk_toward: str = "sector",
) -> SimpleNamespace:
    """Every published figure of one brand, from its counts and its prior means.

    A plain namespace with BrandScore's columns: building thousands of ORM objects per
    run cost seconds; rows are written with one bulk INSERT.
    """
    s = SimpleNamespace(**_BLANK)
    s.__dict__.update(
        brand_id=brand_id,
        window=window.kind,
        period=window.period,
        period_start=window.start,
        period_end=window.end,
        methodology_version=METHODOLOGY_VERSION,
        computed_at=now,
        is_final=window.final,
        mentions=c.inbound,
        inbound_n=c.inbound,
        praise_n=c.praise,
        fail_n=c.fail,
        question_n=c.question,
        opinion_n=c.opinion,
        actionable_n=c.actionable,
        answered_n=c.answered,
        cases_n=c.actionable,
        cases_answered_n=c.answered,
        opinion_praise_n=c.opinion_praise,
        within_1h_n=c.within_1h,
        within_30m_n=c.within_30m,
        recovered_n=c.recovered,
        shrunk_toward=shrunk_toward,
        business_n=c.business,
        offhours_n=c.offhours,
        recovery_n=c.answered_fail,
        small_authors_n=c.small,
        large_authors_n=c.large,
        small_answered_n=c.small_answered,
        large_answered_n=c.large_answered,
        topics=c.topics,
        delay_histogram=c.histogram,
        human_labels_n=c.human,
    )

    s.reply_rate = ratio(c.answered, c.actionable)
    s.reply_rate_low, s.reply_rate_high = wilson(c.answered, c.actionable)
    s.reply_rate_shrunk = shrink(c.answered, c.actionable, sector_reply_rate)
    s.within_1h = ratio(c.within_1h, c.actionable)
    s.within_1h_low, s.within_1h_high = wilson(c.within_1h, c.actionable)
    s.within_30m = ratio(c.within_30m, c.actionable)
    s.within_30m_low, s.within_30m_high = wilson(c.within_30m, c.actionable)
    s.median_reply_s, s.median_reply_low_s, s.median_reply_high_s = _median(c.delays, c.answered)
    if c.answered:
        s.p90_reply_s = c.delays.get(percentile_rank(c.answered, P90))
        interval = quantile_ci_ranks(c.answered, P90)
        if interval:
            s.p90_reply_low_s = c.delays.get(interval[0])
            s.p90_reply_high_s = c.delays.get(interval[1])
    s.median_business_s, s.median_business_low_s, s.median_business_high_s = _median(
        c.business_delays, c.business
    )
    s.median_offhours_s, s.median_offhours_low_s, s.median_offhours_high_s = _median(
        c.offhours_delays, c.offhours
    )
    s.satisfaction_raw = ratio(c.opinion_praise, c.opinion)
    s.satisfaction = shrink(c.opinion_praise, c.opinion, sector_satisfaction)
    s.satisfaction_low, s.satisfaction_high = wilson(c.opinion_praise, c.opinion)
    (
        s.satisfaction_corrected,
        s.satisfaction_corrected_low,
        s.satisfaction_corrected_high,
    ) = corrected_share(c.votes)
    s.recovery_rate = ratio(c.recovered, c.answered_fail)
    s.recovery_rate_low, s.recovery_rate_high = wilson(c.recovered, c.answered_fail)
    small_rate = ratio(c.small_answered, c.small)
    large_rate = ratio(c.large_answered, c.large)
    if min(c.small, c.large) >= MIN_EQUAL_TREATMENT_GROUP and small_rate is not None and large_rate:
        s.equal_treatment = small_rate / large_rate
        s.equal_treatment_low, s.equal_treatment_high = ratio_interval(
            c.small_answered, c.small, c.large_answered, c.large
        )
    s.ranked = c.opinion >= MIN_OPINION and c.actionable >= MIN_CASES
    if s.ranked:
        s.carescore = round(
            100
            * (s.satisfaction / 2 + (s.reply_rate_shrunk or 0.0) / 4 + (s.within_1h or 0.0) / 4),
            1,
        )
    return s


def assign_ranks(scores: Sequence[SimpleNamespace], sectors: dict[int, str]) -> None:
    """Competition ranks (1, 2, 2, 4) by Carescore, overall and within each sector."""
    ranked = sorted((s for s in scores if s.ranked), key=lambda s: -(s.carescore or 0.0))
    groups: dict[str, list[SimpleNamespace]] = defaultdict(list)
    for s in ranked:
        groups[sectors[s.brand_id]].append(s)
    for members, attribute in [(ranked, "rank_overall")] + [
        (g, "rank_sector") for g in groups.values()
    ]:
        previous: float | None = None
        position = 0
        for index, s in enumerate(members, start=1):
            if s.carescore != previous:
                position, previous = index, s.carescore
            setattr(s, attribute, position)
