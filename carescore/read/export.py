"""Research exports: one record per post or per brand score, streamed.

Records are plain dicts, written by `carescore.read.serialize` (the writer the API uses
too) as JSON Lines, CSV or JSON. Rows are read with `yield_per`, never all at once:
exporting a million posts keeps memory flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from carescore.store.models import Brand, BrandScore, Post

POST_FIELDS = (
    "platform",
    "external_id",
    "brand",
    "direction",
    "author_id",
    "created_at",
    "lang",
    "sentiment",
    "label",
    "label_source",
    "topics",
    "first_reply_external_id",
    "first_reply_seconds",
)
_SCORE_SKIP = {"id", "brand_id"}
SCORE_FIELDS = ("brand", *(name for name in BrandScore.model_fields if name not in _SCORE_SKIP))
_BATCH = 5000


def export_posts(session: Session) -> Iterator[dict[str, Any]]:
    """Every stored post, oldest first; `topics` is a list of codes, times are datetimes."""
    query = (
        select(
            Post.platform,
            Post.external_id,
            Brand.slug,
            Post.direction,
            Post.author_id,
            Post.created_at,
            Post.lang,
            Post.sentiment,
            Post.label,
            Post.label_source,
            Post.topics,
            Post.first_reply_id,
            Post.first_reply_seconds,
        )
        .outerjoin(Brand, Brand.id == Post.brand_id)
        .order_by(Post.created_at, Post.id)
        .execution_options(yield_per=_BATCH)
    )
    for row in session.execute(query):
        yield {
            "platform": row.platform,
            "external_id": row.external_id,
            "brand": row.slug,
            "direction": row.direction,
            "author_id": row.author_id,
            "created_at": row.created_at,
            "lang": row.lang,
            "sentiment": row.sentiment,
            "label": row.label,
            "label_source": row.label_source,
            "topics": [t for t in (row.topics or "").split(",") if t],
            "first_reply_external_id": row.first_reply_id,
            "first_reply_seconds": row.first_reply_seconds,
        }


def export_scores(
    session: Session, window: str | None = None, period: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored brand score (optionally one window and period), as published."""
    query = select(BrandScore, Brand.slug).join(Brand, Brand.id == BrandScore.brand_id)
    if window:
        query = query.where(BrandScore.window == window)
    if period:
        query = query.where(BrandScore.period == period)
    query = query.order_by(BrandScore.window, BrandScore.period, Brand.slug).execution_options(
        yield_per=_BATCH
    )
    for score, slug in session.execute(query):
        yield {"brand": slug} | {name: getattr(score, name) for name in SCORE_FIELDS[1:]}
