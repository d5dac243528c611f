"""Read-side queries about brands and sectors, shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlmodel import Session

from carescore.store.models import Brand, BrandAccount

SECTOR_NAMES = {
    "telecom": ("Telecoms", "Télécoms"),
    "airline": ("Airlines", "Compagnies aériennes"),
    "rail": ("Rail and transit", "Train et transports"),
    "bank": ("Banks and payments", "Banques et paiements"),
    "tech": ("Tech and software", "Tech et logiciels"),
    "retail": ("Retail", "Commerce"),
    "delivery": ("Delivery and mobility", "Livraison et mobilité"),
}


@dataclass
class AccountView:
    platform: str
    handle: str


@dataclass
class BrandView:
    slug: str
    name: str
    sector: str
    country: str
    is_demo: bool
    accounts: list[AccountView] = field(default_factory=list)


@dataclass
class SectorView:
    slug: str
    name_en: str
    name_fr: str
    brands: list[BrandView]


def sector_name(slug: str, lang: str = "en") -> str:
    en, fr = SECTOR_NAMES.get(slug, (slug.title(), slug.title()))
    return fr if lang == "fr" else en


def has_demo_data(session: Session) -> bool:
    """True when the database holds the fictional demo brands, which every page must say."""
    return bool(session.execute(select(exists().where(Brand.is_demo.is_(True)))).scalar())


def list_brands(session: Session, sector: str | None = None) -> list[BrandView]:
    query = select(Brand).order_by(Brand.sector, Brand.name)
    if sector:
        query = query.where(Brand.sector == sector)
    brands = list(session.execute(query).scalars())
    accounts: dict[int, list[AccountView]] = {}
    for account in session.execute(
        select(BrandAccount).order_by(BrandAccount.platform, BrandAccount.handle)
    ).scalars():
        accounts.setdefault(account.brand_id, []).append(
            AccountView(account.platform, account.handle)
        )
    return [
        BrandView(b.slug, b.name, b.sector, b.country, b.is_demo, accounts.get(b.id, []))
        for b in brands
    ]


def list_sectors(session: Session) -> list[SectorView]:
    grouped: dict[str, list[BrandView]] = {}
    for brand in list_brands(session):
        grouped.setdefault(brand.sector, []).append(brand)
    return [
        SectorView(slug, sector_name(slug, "en"), sector_name(slug, "fr"), brands)
        for slug, brands in sorted(grouped.items())
    ]
