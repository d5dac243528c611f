"""Finding brands by name or slug: the site's search box and the API's `q` filter."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlmodel import Session

from carescore.read.refs import BRAND_COLUMNS, BrandRef, brand_ref
from carescore.store.models import Brand

MAX_QUERY = 100


def name_or_slug_contains(text: str) -> ColumnElement[bool]:
    """Brands whose name or slug contains `text`, ignoring case (ASCII case on SQLite).

    `%`, `_` and `\\` in `text` match themselves, not as LIKE wildcards.
    """
    needle = text.lower()
    return or_(
        func.lower(Brand.name).contains(needle, autoescape=True),
        Brand.slug.contains(needle, autoescape=True),
    )


def find_brands(session: Session, query: str, limit: int = 50) -> list[BrandRef]:
    """The site's search box: brands whose name or slug contains `query`, by name.

    Spaces are collapsed and the query cut at 100 characters. A blank query finds
    nothing rather than everything: the home page already lists all.
    """
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return []
    rows = session.execute(
        select(*BRAND_COLUMNS).where(name_or_slug_contains(query)).order_by(Brand.name).limit(limit)
    )
    return [brand_ref(row) for row in rows]
