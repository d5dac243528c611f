"""Methodology v1: turn per-brand counts into published scores, ranks and snapshots.

`metrics.compute` counts in SQL; this module applies the rules of docs/methodology.md
(intervals, shrinkage toward the sector, the Carescore, the "not enough data" rule)
and writes one `BrandScore` per brand, window and period.

Snapshots: a month's rows are final once the month ended 7 days ago; from then on
they are never rewritten, so a cited figure stays reproducible. Rolling (`90d`) and
`all` rows are replaced on each run for their as-of date.

Incremental work: `refresh_rankings` recomputes the live 90-day window and only the
months that are not final yet (the current one, and the previous one during its first
7 days); final months cost one small query to skip. The non-final months lie inside
the 90 days, so their posts are counted in the same pass (see `metrics.compute`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from pydantic_core import PydanticUndefined
from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from carescore import METHODOLOGY_VERSION
from carescore.ranking.corrections import human_corrected
from carescore.ranking.metrics import Counts, compute
from carescore.ranking.stats import (
    median_ci_ranks,
    median_ranks,
    percentile_rank,
    ratio,
    shrink,
    wilson,
)
from carescore.ranking.windows import Window, month, parse_window, past_months
from carescore.store.db import analytics_pragmas
from carescore.store.models import Brand, BrandScore, Post, utcnow

_BLANK = {
    name: None if field.default is PydanticUndefined else field.default
    for name, field in BrandScore.model_fields.items()
    if name != "id"
}
MIN_OPINION = 50
MIN_ACTIONABLE = 50
MIN_EQUAL_TREATMENT_GROUP = 20


def _pooled(
    counts: dict[int, Counts], sectors: dict[int, str], part: str, whole: str
) -> dict[str, float | None]:
    """Sector means as pooled shares (every post of the sector weighs the same)."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for brand_id, c in counts.items():
        sums[sectors[brand_id]][0] += getattr(c, part)
        sums[sectors[brand_id]][1] += getattr(c, whole)
    return {sector: ratio(a, b) for sector, (a, b) in sums.items()}


def _median(values: dict[int, float], n: int) -> float | None:
    if n <= 0:
        return None
    low, high = median_ranks(n)
    if low not in values or high not in values:
        return None
    return (values[low] + values[high]) / 2


def build_score(
    brand_id: int,
    window: Window,
    c: Counts,
    sector_reply_rate: float | None,
    sector_satisfaction: float | None,
    now: datetime,
) -> SimpleNamespace:
    """Every published figure of one brand, from its counts and its sector's means.

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
        business_n=c.business,
        offhours_n=c.offhours,
        recovery_n=c.answered_fail,
        small_authors_n=c.small,
        large_authors_n=c.large,
        topics=c.topics,
        delay_histogram=c.histogram,
    )

    s.reply_rate = ratio(c.answered, c.actionable)
    s.reply_rate_low, s.reply_rate_high = wilson(c.answered, c.actionable)
    s.reply_rate_shrunk = shrink(c.answered, c.actionable, sector_reply_rate)
    s.within_1h = ratio(c.within_1h, c.actionable)
    s.within_30m = ratio(c.within_30m, c.actionable)
    s.median_reply_s = _median(c.delays, c.answered)
    interval = median_ci_ranks(c.answered)
    if interval:
        s.median_reply_low_s = c.delays.get(interval[0])
        s.median_reply_high_s = c.delays.get(interval[1])
    if c.answered:
        s.p90_reply_s = c.delays.get(percentile_rank(c.answered, 0.9))
    s.median_business_s = _median(c.business_delays, c.business)
    s.median_offhours_s = _median(c.offhours_delays, c.offhours)
    s.satisfaction_raw = ratio(c.opinion_praise, c.opinion)
    s.satisfaction = shrink(c.opinion_praise, c.opinion, sector_satisfaction)
    s.satisfaction_low, s.satisfaction_high = wilson(c.opinion_praise, c.opinion)
    s.recovery_rate = ratio(c.recovered, c.answered_fail)
    small_rate = ratio(c.small_answered, c.small)
    large_rate = ratio(c.large_answered, c.large)
    if min(c.small, c.large) >= MIN_EQUAL_TREATMENT_GROUP and small_rate is not None and large_rate:
        s.equal_treatment = small_rate / large_rate
    s.ranked = c.opinion >= MIN_OPINION and c.actionable >= MIN_ACTIONABLE
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


def _final_months(session: Session, periods: Sequence[str]) -> set[str]:
    return set(
        session.execute(
            select(BrandScore.period)
            .where(
                BrandScore.window == "month",
                BrandScore.period.in_(list(periods)),
                BrandScore.is_final.is_(True),
            )
            .distinct()
        ).scalars()
    )


def rank_windows(session: Session, windows: Sequence[Window], now: datetime) -> int:
    """Compute and store every brand's score for `windows` (they may overlap); rows written.

    Months that already have final rows are left untouched. Passing several windows
    in one call lets `compute` read each post once for all of them.
    """
    frozen = _final_months(session, [w.period for w in windows if w.kind == "month"])
    todo = [w for w in windows if not (w.kind == "month" and w.period in frozen)]
    if not todo:
        return 0
    sectors = dict(session.execute(select(Brand.id, Brand.sector)).all())
    with analytics_pragmas(session):
        counts = compute(session, todo)
    written = 0
    for index, window in enumerate(todo):
        per_brand = {bid: counts.get((index, bid), Counts()) for bid in sectors}
        rates = _pooled(per_brand, sectors, "answered", "actionable")
        satisfaction = _pooled(per_brand, sectors, "opinion_praise", "opinion")
        scores = [
            build_score(bid, window, c, rates[sectors[bid]], satisfaction[sectors[bid]], now)
            for bid, c in per_brand.items()
        ]
        assign_ranks(scores, sectors)
        corrected = human_corrected(session, window, list(sectors))
        for s in scores:
            s.human_labels_n = corrected.get(s.brand_id, 0)
        session.execute(
            delete(BrandScore).where(
                BrandScore.window == window.kind, BrandScore.period == window.period
            )
        )
        if scores:
            session.execute(insert(BrandScore.__table__), [vars(s) for s in scores])
        written += len(scores)
    return written


def rank_brands(
    session: Session,
    window: str = "90d",
    as_of: date | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Score every brand for one window (`90d`, `all` or `YYYY-MM`); rows written.

    `as_of` is the last day of a rolling or `all` window (default: today, UTC). `now`
    decides which posts are old enough to be judged and which months are final.
    """
    now = now or utcnow()
    as_of = as_of or now.date()
    return rank_windows(session, [parse_window(window, as_of, now)], now)


def refresh_rankings(
    session: Session,
    as_of: date | None = None,
    *,
    months: int = 12,
    now: datetime | None = None,
) -> int:
    """The live 90-day ranking plus the monthly snapshots of the past `months` months.

    Final months are skipped, so after the first run this touches the 90-day window,
    the current month and at most one month still in its 7-day grace period.
    """
    now = now or utcnow()
    as_of = as_of or now.date()
    current = month(as_of.year, as_of.month, now)
    # One call, so that the months' posts, all inside the 90 days, are counted once.
    return rank_windows(
        session, [parse_window("90d", as_of, now), *past_months(as_of, months, now), current], now
    )


def months_with_posts(first: datetime, last: datetime, now: datetime) -> list[Window]:
    """Every calendar month from `first` to `last`, for a full historical recompute."""
    windows = []
    year, number = first.year, first.month
    while (year, number) <= (last.year, last.month):
        windows.append(month(year, number, now))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return windows


def recompute_all(
    session: Session, as_of: date | None = None, *, now: datetime | None = None
) -> int:
    """Everything: the 90-day and `all` windows, and every month that holds posts."""
    now = now or utcnow()
    as_of = as_of or now.date()
    windows = [parse_window("90d", as_of, now), parse_window("all", as_of, now)]
    first, last = session.execute(
        select(func.min(Post.created_at), func.max(Post.created_at))
    ).one()
    if first is not None:
        last = min(last, datetime.combine(as_of, time(0), UTC) + timedelta(days=1))
        windows += months_with_posts(first, last, now)
    # One call: every post is counted once for all the windows it falls in.
    return rank_windows(session, windows, now)
