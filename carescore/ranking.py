"""Placeholder ranking: counts and rates per brand in SQL. The full methodology v1 engine
replaces it (issue 4); `rank_brands` keeps its signature.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, func, select
from sqlmodel import Session

from carescore import METHODOLOGY_VERSION
from carescore.models import Brand, BrandScore, Post, utcnow

ANSWER_WINDOW = timedelta(days=7)
MIN_OPINION = 50
MIN_ACTIONABLE = 50


def rank_brands(session: Session, window: str = "90d", as_of: date | None = None) -> int:
    """Compute and store the scores of every brand for a rolling 90-day window."""
    as_of = as_of or utcnow().date()
    end = datetime.combine(as_of, time(0), tzinfo=UTC) + timedelta(days=1)
    start = end - timedelta(days=90)
    judged = end - ANSWER_WINDOW
    actionable = and_(Post.label.in_(("fail", "question")), Post.created_at < judged)
    answered = and_(actionable, Post.first_reply_seconds <= ANSWER_WINDOW.total_seconds())
    rows = session.execute(
        select(
            Post.brand_id,
            func.count(),
            func.sum(case((Post.label == "praise", 1), else_=0)),
            func.sum(case((Post.label == "fail", 1), else_=0)),
            func.sum(case((Post.label == "question", 1), else_=0)),
            func.sum(case((actionable, 1), else_=0)),
            func.sum(case((answered, 1), else_=0)),
        )
        .where(
            Post.direction == "inbound",
            Post.brand_id.is_not(None),
            Post.created_at >= start,
            Post.created_at < end,
        )
        .group_by(Post.brand_id)
    ).all()
    period = as_of.isoformat()
    session.execute(
        delete(BrandScore).where(BrandScore.window == window, BrandScore.period == period)
    )
    scores = []
    for brand_id, n, praise, fail, question, act, ans in rows:
        opinion = praise + fail
        score = BrandScore(
            brand_id=brand_id,
            window=window,
            period=period,
            period_start=start,
            period_end=end,
            methodology_version=METHODOLOGY_VERSION,
            computed_at=utcnow(),
            inbound_n=n,
            mentions=n,
            praise_n=praise,
            fail_n=fail,
            question_n=question,
            opinion_n=opinion,
            actionable_n=act,
            answered_n=ans,
            reply_rate=ans / act if act else None,
            satisfaction_raw=praise / opinion if opinion else None,
        )
        score.satisfaction = score.satisfaction_raw
        score.ranked = opinion >= MIN_OPINION and act >= MIN_ACTIONABLE
        if score.ranked:
            score.carescore = round(100 * (score.satisfaction / 2 + score.reply_rate / 2), 1)
        scores.append(score)
    sectors = dict(session.execute(select(Brand.id, Brand.sector)).all())
    ranked = sorted((s for s in scores if s.ranked), key=lambda s: -s.carescore)
    per_sector: dict[str, int] = {}
    for position, score in enumerate(ranked, start=1):
        score.rank_overall = position
        sector = sectors[score.brand_id]
        per_sector[sector] = per_sector.get(sector, 0) + 1
        score.rank_sector = per_sector[sector]
    session.add_all(scores)
    session.flush()
    return len(scores)
