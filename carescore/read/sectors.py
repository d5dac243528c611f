"""Sectors and the demo flag: what every page and answer needs to say around its figures.

Every page reads the demo flag and most read the sectors, so their statements are built
once, on the table's columns, and run on the session's connection: building a statement
and going through the ORM's execution cost four times what SQLite takes to answer them.
"""

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


_BRAND = Brand.__table__.c
_SECTORS = select(_BRAND.sector).distinct().order_by(_BRAND.sector)
_DEMO = select(exists().where(_BRAND.is_demo.is_(True)))


def sector_slugs(session: Session) -> list[str]:
    """The sectors that have brands, alphabetically."""
    return list(session.connection().execute(_SECTORS).scalars())


def list_sectors(session: Session) -> list[SectorCount]:
    """Every sector with its number of brands, alphabetically; one grouped query."""
    rows = session.execute(
        select(Brand.sector, func.count(Brand.id)).group_by(Brand.sector).order_by(Brand.sector)
    )
    return [SectorCount(sector, count) for sector, count in rows]


def has_demo_data(session: Session) -> bool:
    """True when the database holds the fictional demo brands, which every page must say."""
    return bool(session.connection().execute(_DEMO).scalar())
