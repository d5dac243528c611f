"""Find brands by name or slug for the site's search box."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlmodel import Session

from carescore.read.reports import BrandRef
from carescore.store.models import Brand

MAX_QUERY = 100


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_brands(session: Session, query: str, limit: int = 50) -> list[BrandRef]:
    """Brands whose name or slug contains `query` (case-insensitive), by name; one query.

    A blank query finds nothing rather than everything: the home page already lists all.
    """
    query = " ".join(query.split())[:MAX_QUERY].lower()
    if not query:
        return []
    pattern = _like_pattern(query)
    rows = session.execute(
        select(Brand)
        .where(
            or_(
                func.lower(Brand.name).like(pattern, escape="\\"),
                Brand.slug.like(pattern, escape="\\"),
            )
        )
        .order_by(Brand.name)
        .limit(limit)
    ).scalars()
    return [BrandRef(b.slug, b.name, b.sector, b.country, b.is_demo) for b in rows]
