"""Rank runs: compute the windows' counts, build the figures, write immutable snapshots.

`metrics.compute` counts in SQL; `figures.build_score` applies the rules of
docs/methodology.md; this module writes one `BrandScore` per brand, window and period.

Snapshots: a month's rows are final once the month ended 7 days ago; from then on
they are never rewritten, so a cited figure stays reproducible. Rolling (`90d`) and
`all` rows are replaced on each run for their as-of date.

Incremental work: `refresh_rankings` recomputes the live 90-day window and only the
months that are not final yet (the current one, and the previous one during its first
7 days); final months cost one small query to skip. The non-final months lie inside
the 90 days, so their posts are counted in the same pass (see `metrics.compute`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, insert, select
from sqlmodel import Session

from carescore.ranking.figures import assign_ranks, build_score, prior_group, priors
from carescore.ranking.metrics import Counts, compute
from carescore.ranking.windows import Window, month, parse_window, past_months
from carescore.store.columns import utcnow
from carescore.store.db import analytics_pragmas
from carescore.store.models import Brand, BrandScore, Post
from carescore.store.tally import refresh_tally


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
        rates = priors(per_brand, sectors, "answered", "actionable")
        satisfaction = priors(per_brand, sectors, "opinion_praise", "opinion")
        scores = [
            build_score(
                bid,
                window,
                c,
                rates[bid],
                satisfaction[bid],
                now,
                "sector" if prior_group(sectors[bid]) == sectors[bid] else "all",
            )
            for bid, c in per_brand.items()
        ]
        assign_ranks(scores, sectors)
        session.execute(
            delete(BrandScore).where(
                BrandScore.window == window.kind, BrandScore.period == window.period
            )
        )
        if scores:
            session.execute(insert(BrandScore.__table__), [vars(s) for s in scores])
        written += len(scores)
    refresh_tally(session)
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
