"""The brand directory: brands by slug with their official accounts, a page at a time.

The API's brand list (`/api/v1/brands`) and its CSV; one prepared statement per
combination of filters reads a page, its accounts and the demo flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, String, bindparam, exists, select
from sqlmodel import Session

from carescore.errors import BadCursor, NotFound
from carescore.read.prepared import Prepared
from carescore.read.refs import (
    BRAND_COLUMNS,
    AccountRef,
    BrandRef,
    brand_ref,
    decode_cursor,
    encode_cursor,
)
from carescore.read.search import contains_pattern
from carescore.read.sectors import has_demo_data, sector_slugs
from carescore.store.models import Brand, BrandAccount


@dataclass(slots=True)
class BrandListing:
    brand: BrandRef
    accounts: list[AccountRef]


@dataclass(slots=True)
class BrandPage:
    items: list[BrandListing]
    next_cursor: str | None
    # Whether the database holds the fictional demo brands (every answer says so).
    demo: bool = False


def _slug_after(cursor: str) -> str:
    key = decode_cursor(cursor)
    if not (isinstance(key, list) and len(key) == 2 and key[0] == "b" and isinstance(key[1], str)):
        raise BadCursor("malformed cursor")
    return key[1]


@cache
def _directory_statement(by_sector: bool, by_country: bool, by_text: bool, after: bool) -> Prepared:
    """A page of brands by slug (at most `:limit`, filtered as bound) with their official
    accounts, one row each (one row without an account when a brand has none), and the
    demo flag: one prepared statement per combination of filters."""
    page = select(Brand.id, *BRAND_COLUMNS).order_by(Brand.slug)
    if by_sector:
        page = page.where(Brand.sector == bindparam("sector", type_=String))
    if by_country:
        page = page.where(Brand.country == bindparam("country", type_=String))
    if by_text:
        page = page.where(Brand.search_key.like(bindparam("pattern", type_=String)))
    if after:
        page = page.where(Brand.slug > bindparam("after", type_=String))
    listed = page.limit(bindparam("limit", type_=Integer)).subquery("listed")
    return Prepared(
        select(
            listed.c.id.label("brand_key"),
            *(listed.c[column.key] for column in BRAND_COLUMNS),
            BrandAccount.platform,
            BrandAccount.handle,
            exists().where(Brand.is_demo.is_(True)).label("demo"),
        )
        .outerjoin(BrandAccount, BrandAccount.brand_id == listed.c.id)
        .order_by(listed.c.slug, BrandAccount.platform, BrandAccount.handle)
    )


def brand_directory(
    session: Session,
    *,
    sector: str | None = None,
    country: str | None = None,
    text: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> BrandPage:
    """Brands by slug with their official accounts, keyset-paginated on the slug.

    An unknown sector raises `NotFound`, as in `ranking`; an unknown country matches
    nothing. One statement (the sector and the demo flag read again only when it comes
    back empty).
    """
    values: dict[str, Any] = {"limit": limit + 1}
    if sector:
        values["sector"] = sector
    if country:
        values["country"] = country
    if text:
        pattern = contains_pattern(text)
        if pattern is None:
            return BrandPage([], None, has_demo_data(session))
        values["pattern"] = pattern
    if cursor:
        values["after"] = _slug_after(cursor)
    statement = _directory_statement(bool(sector), bool(country), bool(text), bool(cursor))
    rows = statement.rows(session, **values)
    if not rows:
        if sector and sector not in sector_slugs(session):
            raise NotFound(f"no sector {sector!r}")
        return BrandPage([], None, has_demo_data(session))
    listings: dict[int, BrandListing] = {}
    for row in rows:
        listing = listings.get(row.brand_key)
        if listing is None:
            listing = listings[row.brand_key] = BrandListing(brand_ref(row), [])
        if row.platform is not None:
            listing.accounts.append(AccountRef(row.platform, row.handle))
    items = list(listings.values())
    page = items[:limit]
    more = len(items) > limit and page
    cursor_out = encode_cursor(["b", page[-1].brand.slug]) if more else None
    return BrandPage(page, cursor_out, bool(rows[0].demo))
