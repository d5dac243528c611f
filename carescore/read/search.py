"""Finding brands by name or slug: the site's search box and the API's `q` filter.

Both sides of the comparison are folded by `carescore.store.folding` (case, accents and
punctuation set aside): the brand's when it is written (`Brand.search_key`), the query
here. So "telecom" finds "Télécom" and the reverse, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, select
from sqlmodel import Session

from carescore.read.refs import BRAND_COLUMNS, BrandRef, brand_ref
from carescore.store.folding import fold
from carescore.store.models import Brand, BrandScore

MAX_QUERY = 100


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A brand found, with its live Carescore (0-100) of the 90 days to `period`.

    `carescore` is None when the brand has no score or too little data to be ranked;
    `rank_sector` is its place in its sector then.
    """

    brand: BrandRef
    carescore: float | None
    rank_sector: int | None
    period: str | None
    methodology_version: str | None = None


def contains_pattern(text: str) -> str | None:
    """The LIKE pattern of `name_or_slug_contains`, for a bound parameter: None when
    nothing is left of `text` once folded. The fold keeps letters, digits and single
    spaces only, so no LIKE wildcard (`%`, `_`) reaches the pattern."""
    needle = fold(text)
    return f"%{needle}%" if needle else None


def name_or_slug_contains(text: str) -> ColumnElement[bool]:
    """Brands whose name or slug contains `text`, ignoring case, accents and punctuation
    (`%` and `_` among it). A query with nothing left once folded (only punctuation)
    matches no brand.
    """
    pattern = contains_pattern(text)
    if pattern is None:
        return false()
    return Brand.search_key.like(pattern)


def find_brands(session: Session, query: str, limit: int = 50) -> list[SearchResult]:
    """The site's search box: brands whose name or slug contains `query`, by name, each
    with its live score.

    Spaces are collapsed and the query cut at 100 characters. A blank query finds
    nothing rather than everything: the home page already lists all. One query.
    """
    query = " ".join(query.split())[:MAX_QUERY]
    if not query:
        return []
    newest = select(func.max(BrandScore.period)).where(BrandScore.window == "90d").scalar_subquery()
    live = and_(
        BrandScore.brand_id == Brand.id, BrandScore.window == "90d", BrandScore.period == newest
    )
    rows = session.execute(
        select(
            *BRAND_COLUMNS,
            BrandScore.carescore,
            BrandScore.ranked,
            BrandScore.rank_sector,
            BrandScore.methodology_version,
            newest.label("newest"),
        )
        .outerjoin(BrandScore, live)
        .where(name_or_slug_contains(query))
        .order_by(Brand.name)
        .limit(limit)
    )
    return [
        SearchResult(
            brand=brand_ref(row),
            carescore=row.carescore if row.ranked else None,
            rank_sector=row.rank_sector if row.ranked else None,
            period=row.newest,
            methodology_version=row.methodology_version,
        )
        for row in rows
    ]
