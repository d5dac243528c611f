"""What the sitemap lists: the pages a search engine should find and a reader may cite.

Every sector's live ranking, every final monthly snapshot (its permalink never changes,
so it is what articles cite) and every brand's page; three statements built once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from carescore.read.sectors import sector_slugs
from carescore.store.models import Brand, BrandScore

_BRAND = Brand.__table__.c
_SCORES = BrandScore.__table__
_SCORE = _SCORES.c
_BRANDS = select(_BRAND.slug).order_by(_BRAND.slug)
# Only months a sector was ranked in: a snapshot page exists for those, and no other.
_SNAPSHOTS = (
    select(_BRAND.sector, _SCORE.period)
    .join(_SCORES, _SCORE.brand_id == _BRAND.id)
    .where(_SCORE.window == "month", _SCORE.is_final.is_(True))
    .distinct()
    .order_by(_BRAND.sector, _SCORE.period)
)


@dataclass(frozen=True, slots=True)
class SiteMap:
    sectors: list[str]
    snapshots: list[tuple[str, str]]
    """(sector, YYYY-MM) of every final monthly snapshot."""
    brands: list[str]


def site_map(session: Session) -> SiteMap:
    connection = session.connection()
    return SiteMap(
        sectors=sector_slugs(session),
        snapshots=[(sector, period) for sector, period in connection.execute(_SNAPSHOTS)],
        brands=list(connection.execute(_BRANDS).scalars()),
    )
