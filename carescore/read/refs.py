"""What every read model shares: how a brand and its accounts are referred to, the newest
period of a window, and the opaque cursors of keyset pagination.

A `BrandRef` is built in one place (`brand_ref`) from a `Brand` row or from any result
row carrying the same columns, so every page, API answer and export names a brand alike.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import bindparam, func, select
from sqlmodel import Session

from carescore.errors import BadCursor, NotFound
from carescore.store.models import Brand, BrandAccount, BrandScore


class _BrandColumns(Protocol):
    slug: str
    name: str
    sector: str
    country: str
    is_demo: bool


@dataclass(frozen=True, slots=True)
class BrandRef:
    """A brand as every read model names it; `is_demo` marks the fictional demo brands."""

    slug: str
    name: str
    sector: str
    country: str
    is_demo: bool


@dataclass(frozen=True, slots=True)
class AccountRef:
    """An official account whose replies count; `handle` without the leading @."""

    platform: str
    handle: str


def brand_ref(row: _BrandColumns) -> BrandRef:
    """The reference of a `Brand` or of a result row selecting the same five columns."""
    return _ref(row.slug, row.name, row.sector, row.country, bool(row.is_demo))


# A frozen dataclass sets each field through object.__setattr__; a ranking or a post
# list names the same few brands row after row, so each is built once. Its key is all
# five values: a renamed brand is a new reference, never a stale one.
_ref = lru_cache(maxsize=4096)(BrandRef)


BRAND_COLUMNS = (Brand.slug, Brand.name, Brand.sector, Brand.country, Brand.is_demo)


def get_brand(session: Session, slug: str) -> Brand:
    """The brand of `slug`, or `NotFound`."""
    brand = session.execute(select(Brand).where(Brand.slug == slug)).scalar_one_or_none()
    if brand is None:
        raise NotFound(f"no brand {slug!r}")
    return brand


# Built once (an expanding IN): building costs about as much as running it.
_ACCOUNTS = (
    select(BrandAccount.brand_id, BrandAccount.platform, BrandAccount.handle)
    .where(BrandAccount.brand_id.in_(bindparam("ids", expanding=True)))
    .order_by(BrandAccount.platform, BrandAccount.handle)
)


def accounts_of(session: Session, brand_ids: list[int]) -> dict[int, list[AccountRef]]:
    """Official accounts per brand id, by platform then handle; one query."""
    found: dict[int, list[AccountRef]] = {}
    if not brand_ids:
        return found
    rows = session.connection().execute(_ACCOUNTS, {"ids": brand_ids})
    for brand_id, platform, handle in rows:
        found.setdefault(brand_id, []).append(AccountRef(platform, handle))
    return found


def latest_period(session: Session, window: str = "90d") -> str | None:
    """The newest period computed for a window (an as-of date for 90d/all, YYYY-MM for months)."""
    return session.execute(
        select(func.max(BrandScore.period)).where(BrandScore.window == window)
    ).scalar()


def encode_cursor(key: Any) -> str:
    """An opaque, URL-safe cursor holding a JSON-ready key."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """The key of `encode_cursor`, or `BadCursor` for anything we did not issue."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadCursor("malformed cursor") from exc
