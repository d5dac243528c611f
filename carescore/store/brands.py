"""The brand registry: validated as a whole, then upserted in one transaction.

A registry with one bad entry loads nothing, so the database never holds half a file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlmodel import Session

from carescore.errors import RegistryError
from carescore.store.models import Brand, BrandAccount
from carescore.vocab import PLATFORMS

COUNTRY_TIMEZONES = {
    "FR": "Europe/Paris",
    "US": "America/New_York",
    "GB": "Europe/London",
    "DE": "Europe/Berlin",
    "SE": "Europe/Stockholm",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "CA": "America/Toronto",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class BrandSpec:
    slug: str
    name: str
    sector: str
    country: str
    timezone: str
    keywords: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    website: str | None = None
    accounts: dict[str, list[str]] = field(default_factory=dict)
    is_demo: bool = False


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    accounts: int = 0


def parse_registry(text: str, source: str = "<registry>") -> list[BrandSpec]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: invalid TOML: {exc}") from exc
    entries = data.get("brand")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{source}: no [[brand]] entries")
    specs = [_spec(entry, i, source) for i, entry in enumerate(entries, start=1)]
    seen: set[str] = set()
    for spec in specs:
        if spec.slug in seen:
            raise RegistryError(f"{source}: duplicate slug {spec.slug!r}")
        seen.add(spec.slug)
    return specs


def _spec(entry: Any, index: int, source: str) -> BrandSpec:
    where = f"{source}: brand #{index}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: not a table")
    for key in ("slug", "name", "sector", "country"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise RegistryError(f"{where}: missing or empty {key!r}")
    slug = entry["slug"]
    where = f"{source}: brand {slug!r}"
    if not _SLUG.match(slug):
        raise RegistryError(f"{where}: slug must be lower-case letters, digits and '-'")
    country = entry["country"].upper()
    if len(country) != 2:
        raise RegistryError(f"{where}: country must be an ISO 3166 two-letter code")
    tz = entry.get("timezone") or COUNTRY_TIMEZONES.get(country, "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RegistryError(f"{where}: unknown time zone {tz!r}") from exc
    accounts = entry.get("accounts", {})
    if not isinstance(accounts, dict):
        raise RegistryError(f"{where}: accounts must be a table of platform = [handles]")
    for platform, handles in accounts.items():
        if platform not in PLATFORMS:
            raise RegistryError(f"{where}: unknown platform {platform!r}")
        if not isinstance(handles, list) or not all(isinstance(h, str) and h for h in handles):
            raise RegistryError(f"{where}: accounts.{platform} must be a list of handles")
    for key in ("keywords", "hashtags"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RegistryError(f"{where}: {key} must be a list of strings")
    return BrandSpec(
        slug=slug,
        name=entry["name"].strip(),
        sector=entry["sector"].strip().lower(),
        country=country,
        timezone=tz,
        keywords=list(entry.get("keywords", [])),
        hashtags=list(entry.get("hashtags", [])),
        website=entry.get("website"),
        accounts={p: [h.lstrip("@") for h in hs] for p, hs in accounts.items()},
        is_demo=bool(entry.get("demo", False)),
    )


def load_registry_file(path: Path) -> list[BrandSpec]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read: {exc}") from exc
    return parse_registry(text, str(path))


def default_registry() -> list[BrandSpec]:
    """The registry shipped inside the package (data/brands.toml in the checkout)."""
    text = resources.files("carescore.registry").joinpath("brands.toml").read_text("utf-8")
    return parse_registry(text, "brands.toml")


def upsert_brands(session: Session, specs: list[BrandSpec]) -> LoadResult:
    """Create or update brands and replace their accounts; the caller commits."""
    result = LoadResult()
    existing = {b.slug: b for b in session.execute(select(Brand)).scalars()}
    for spec in specs:
        brand = existing.get(spec.slug)
        if brand is None:
            brand = Brand(slug=spec.slug)
            result.created += 1
        else:
            result.updated += 1
        brand.name, brand.sector, brand.country = spec.name, spec.sector, spec.country
        brand.timezone, brand.website, brand.is_demo = spec.timezone, spec.website, spec.is_demo
        brand.keywords, brand.hashtags = spec.keywords, spec.hashtags
        session.add(brand)
        session.flush()
        current = {
            (a.platform, a.handle_key): a
            for a in session.execute(
                select(BrandAccount).where(BrandAccount.brand_id == brand.id)
            ).scalars()
        }
        wanted = {(p, h.lower()): h for p, hs in spec.accounts.items() for h in hs}
        for key, account in current.items():
            if key not in wanted:
                session.delete(account)
        for (platform, key), handle in wanted.items():
            account = current.get((platform, key))
            if account is None:
                owner = session.execute(
                    select(BrandAccount).where(
                        BrandAccount.platform == platform, BrandAccount.handle_key == key
                    )
                ).scalar_one_or_none()
                if owner is not None:
                    raise RegistryError(
                        f"account {platform}:{handle} is listed for {spec.slug!r} "
                        "but already belongs to another brand"
                    )
                session.add(
                    BrandAccount(
                        brand_id=brand.id, platform=platform, handle=handle, handle_key=key
                    )
                )
            else:
                account.handle = handle
            result.accounts += 1
    session.flush()
    return result
