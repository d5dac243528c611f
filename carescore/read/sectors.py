"""Sectors and the demo flag: what every page and answer needs to say around its figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlmodel import Session

from carescore.store.models import Brand


@dataclass(frozen=True, slots=True)
class SectorCount:
    """A sector of the registry and how many brands it holds."""

    slug: str
    brand_count: int


def sector_slugs(session: Session) -> list[str]:
    """The sectors that have brands, alphabetically."""
    return list(session.execute(select(Brand.sector).distinct().order_by(Brand.sector)).scalars())


def list_sectors(session: Session) -> list[SectorCount]:
    """Every sector with its number of brands, alphabetically; one grouped query."""
    rows = session.execute(
        select(Brand.sector, func.count(Brand.id)).group_by(Brand.sector).order_by(Brand.sector)
    )
    return [SectorCount(sector, count) for sector, count in rows]


def has_demo_data(session: Session) -> bool:
    """True when the database holds the fictional demo brands, which every page must say."""
    return bool(session.execute(select(exists().where(Brand.is_demo.is_(True)))).scalar())
