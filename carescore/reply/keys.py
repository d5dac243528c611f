"""Brand keys: issued by the operator for one brand, shown once, kept only as a hash.

A token is `csk_` followed by 43 URL-safe characters (256 random bits). Its first
characters (`prefix`) find the row; the SHA-256 of the whole token is compared in
constant time. A key is checked in the database on every write, never cached, so a
revoked or expired key is refused at once by every worker of every host.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from carescore.reply.audit import CLI_ADDRESS, operator_actor, record
from carescore.reply.errors import Invalid, Unauthorized
from carescore.store.columns import utcnow
from carescore.store.models import Brand
from carescore.store.reply_tables import BrandKey

TOKEN_PREFIX = "csk_"  # noqa: S105 - the public prefix of every token, not a secret
PREFIX_LENGTH = 12  # "csk_" + 8 random characters: names the key, finds its row
_TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A new key: `token` is shown to the operator once and stored nowhere."""

    id: int
    brand_slug: str
    prefix: str
    token: str
    label: str | None
    expires_at: datetime | None


def _brand(session: Session, slug: str) -> Brand:
    brand = session.execute(select(Brand).where(Brand.slug == slug)).scalar_one_or_none()
    if brand is None:
        raise Invalid("slug", f"no brand {slug!r}")
    return brand


def issue_key(
    session: Session,
    slug: str,
    *,
    operator: str,
    label: str | None = None,
    expires_at: datetime | None = None,
) -> IssuedKey:
    """Create a key that writes for brand `slug` only, and log who issued it."""
    brand = _brand(session, slug)
    now = utcnow()
    if expires_at is not None and expires_at <= now:
        raise Invalid("expires", "must be in the future")
    token = TOKEN_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)
    key = BrandKey(
        brand_id=brand.id,
        prefix=token[:PREFIX_LENGTH],
        token_hash=hash_token(token),
        label=label,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(key)
    session.flush()
    record(
        session,
        actor=operator_actor(operator),
        address=CLI_ADDRESS,
        action="key.issue",
        brand_id=brand.id,
        target=f"key:{key.id}",
        detail={"prefix": key.prefix, "label": label, "expires_at": _iso(expires_at)},
    )
    return IssuedKey(key.id, brand.slug, key.prefix, token, label, expires_at)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def list_keys(session: Session) -> list[tuple[BrandKey, str]]:
    """Every key with its brand's slug, newest first (hashes stay in the database)."""
    rows = session.execute(
        select(BrandKey, Brand.slug)
        .join(Brand, Brand.id == BrandKey.brand_id)
        .order_by(BrandKey.id.desc())
    ).all()
    return [(key, slug) for key, slug in rows]


def revoke_key(session: Session, key_id: int, *, operator: str) -> BrandKey:
    """Revoke a key for good; revoking a revoked key changes nothing and logs nothing."""
    key = session.get(BrandKey, key_id)
    if key is None:
        raise Invalid("id", f"no key {key_id}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        record(
            session,
            actor=operator_actor(operator),
            address=CLI_ADDRESS,
            action="key.revoke",
            brand_id=key.brand_id,
            target=f"key:{key.id}",
            detail={"prefix": key.prefix},
        )
    return key


def key_state(key: BrandKey, now: datetime | None = None) -> str:
    """active, revoked or expired."""
    now = now or utcnow()
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return "active"


def authenticate(session: Session, token: str | None) -> BrandKey:
    """The active key this token belongs to; raises `Unauthorized` otherwise.

    Reads the database every time: the answer must change the moment a key is revoked.
    """
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthorized("a brand key is required: Authorization: Bearer csk_...")
    key = session.execute(
        select(BrandKey).where(BrandKey.prefix == token[:PREFIX_LENGTH])
    ).scalar_one_or_none()
    # Compare even when no row matched, so the time taken says nothing about prefixes.
    expected = key.token_hash if key is not None else hash_token("")
    if not hmac.compare_digest(expected, hash_token(token)) or key is None:
        raise Unauthorized("unknown key")
    state = key_state(key)
    if state != "active":
        raise Unauthorized(f"this key is {state}")
    return key
