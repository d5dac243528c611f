"""The audit log: every write by a brand or an operator, with who, what, when and where.

Entries are written in the same transaction as the change they describe, so the log
never holds a write that did not happen, nor misses one that did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from carescore.store.columns import utcnow
from carescore.store.models import Brand
from carescore.store.reply_tables import AuditEntry, BrandKey

CLI_ADDRESS = "cli"


def key_actor(key: BrandKey) -> str:
    return f"key:{key.prefix}"


def operator_actor(name: str) -> str:
    return f"operator:{name}"


def record(
    session: Session,
    *,
    actor: str,
    address: str,
    action: str,
    brand_id: int | None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry; the caller's commit makes it durable together with the change."""
    entry = AuditEntry(
        at=utcnow(),
        actor=actor[:200],
        address=(address or "unknown")[:100],
        action=action,
        brand_id=brand_id,
        target=target,
        detail=detail or {},
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    address: str
    action: str
    brand: str | None
    target: str | None
    detail: dict[str, Any]


def audit_log(
    session: Session, *, brand_slug: str | None = None, limit: int = 100
) -> list[AuditRecord]:
    """The newest entries first, optionally for one brand."""
    query = (
        select(AuditEntry, Brand.slug)
        .join(Brand, Brand.id == AuditEntry.brand_id, isouter=True)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if brand_slug:
        query = query.where(Brand.slug == brand_slug)
    return [
        AuditRecord(e.id, e.at, e.actor, e.address, e.action, slug, e.target, e.detail)
        for e, slug in session.execute(query).all()
    ]
