"""What a brand's badge says: its Carescore, where it stands in its sector, the period.

A badge travels alone (on a blog, in a README), so it carries what a reader needs to
judge the number: the brand's place among the sector's ranked brands (its colour comes
from that place, not from a fixed scale that would paint a close second red), the
period, and whether the data is the fictional demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, String, and_, bindparam, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from carescore.errors import NotFound
from carescore.read.periods import parse_period
from carescore.store.models import Brand, BrandScore


@dataclass(frozen=True, slots=True)
class BadgeFigures:
    """`carescore` and `rank` are None when the brand is not ranked in the period;
    `ranked_in_sector` counts the sector's ranked brands in that period."""

    slug: str
    name: str
    sector: str
    window: str
    period: str | None
    carescore: float | None
    rank: int | None
    ranked_in_sector: int
    demo: bool

    @property
    def standing(self) -> str | None:
        """`top`, `middle` or `bottom` of the sector's ranked brands, a third of them
        (at least one) at each end; None when unranked or alone (a place among one says
        nothing). With two brands the second is `middle`: a second of two is no bottom."""
        n = self.ranked_in_sector
        if self.rank is None or n < 2:
            return None
        end = max(1, n // 3)
        if self.rank <= end:
            return "top"
        if n >= 3 and self.rank > n - end:
            return "bottom"
        return "middle"


@lru_cache(maxsize=2)
def _statement(named: bool) -> Select:
    """The badge's statement, built once per shape (the period named or the newest):
    building it cost far more than running it. Binds `slug`, `kind` and `period`."""
    kind = bindparam("kind", type_=String)
    newest = select(func.max(BrandScore.period)).where(BrandScore.window == kind).scalar_subquery()
    chosen = bindparam("period", type_=String) if named else newest
    peer, peer_score = aliased(Brand), aliased(BrandScore)
    ranked_in_sector = (
        select(func.count())
        .select_from(peer_score)
        .join(peer, peer.id == peer_score.brand_id)
        .where(
            peer.sector == Brand.sector,
            peer_score.window == kind,
            peer_score.period == chosen,
            peer_score.ranked.is_(True),
        )
        .scalar_subquery()
    )
    return (
        select(
            Brand.slug,
            Brand.name,
            Brand.sector,
            chosen.label("period"),
            BrandScore.carescore,
            BrandScore.ranked,
            BrandScore.rank_sector,
            ranked_in_sector.label("ranked_in_sector"),
            exists().where(Brand.is_demo.is_(True)).label("demo"),
        )
        .outerjoin(
            BrandScore,
            and_(
                BrandScore.brand_id == Brand.id,
                BrandScore.window == kind,
                BrandScore.period == chosen,
            ),
        )
        .where(Brand.slug == bindparam("slug", type_=String))
        .limit(1)
    )


def badge_figures(
    session: Session, slug: str, window: str | None = None, as_of: str | None = None
) -> BadgeFigures:
    """A brand's badge for the period `window` / `as_of` name (default the live 90 days):
    one statement. `NotFound` for an unknown slug, `BadInput` for a bad period."""
    kind, period = parse_period(window, as_of)
    values = {"slug": slug, "kind": kind}
    if period is not None:
        values["period"] = period
    row = session.execute(_statement(period is not None), values).first()
    if row is None:
        raise NotFound(f"no brand {slug!r}")
    ranked = bool(row.ranked) and row.carescore is not None
    return BadgeFigures(
        slug=row.slug,
        name=row.name,
        sector=row.sector,
        window=kind,
        period=row.period,
        carescore=row.carescore if ranked else None,
        rank=row.rank_sector if ranked else None,
        ranked_in_sector=int(row.ranked_in_sector or 0),
        demo=bool(row.demo),
    )
