"""Statements: a brand's own words, shown beside its figures, never changing one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from carescore.reply.audit import key_actor, record
from carescore.reply.errors import Forbidden, Invalid, Missing
from carescore.reply.text import plain_text, web_link
from carescore.store.columns import utcnow
from carescore.store.models import Brand
from carescore.store.reply_tables import BrandKey, Statement

TEXT_MAX = 1000
REFERS_TO_MAX = 200
STATEMENT_FIELDS = ("text", "link", "refers_to")


def brand_for_write(session: Session, key: BrandKey, slug: str) -> Brand:
    """The brand a key writes to; `Forbidden` unless it is the key's own brand.

    An unknown slug is `Missing` (brands are public, so this tells nothing new).
    """
    brand = session.execute(select(Brand).where(Brand.slug == slug)).scalar_one_or_none()
    if brand is None:
        raise Missing(f"no brand {slug!r}")
    if brand.id != key.brand_id:
        raise Forbidden(f"this key writes for another brand than {slug!r}")
    return brand


def _check_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise Invalid(unknown[0], f"unknown field; expected {', '.join(allowed)}")


def post_statement(
    session: Session, key: BrandKey, slug: str, data: Mapping[str, Any], *, address: str
) -> Statement:
    """Publish a statement for the key's brand and log it (the caller commits)."""
    brand = brand_for_write(session, key, slug)
    _check_fields(data, STATEMENT_FIELDS)
    statement = Statement(
        brand_id=brand.id,
        key_id=key.id,
        text=plain_text(data.get("text"), "text", TEXT_MAX),
        link=web_link(data.get("link")),
        refers_to=plain_text(data.get("refers_to"), "refers_to", REFERS_TO_MAX, required=False),
        created_at=utcnow(),
    )
    session.add(statement)
    session.flush()
    record(
        session,
        actor=key_actor(key),
        address=address,
        action="statement.post",
        brand_id=brand.id,
        target=f"statement:{statement.id}",
        detail={"text": statement.text, "link": statement.link, "refers_to": statement.refers_to},
    )
    return statement


def withdraw_statement(
    session: Session, key: BrandKey, slug: str, statement_id: int, *, address: str
) -> Statement:
    """Take a statement off the pages; the audit log keeps its text.

    Withdrawing twice is harmless (the second time changes and logs nothing). A
    statement of another brand is `Forbidden`, an unknown one `Missing`.
    """
    brand = brand_for_write(session, key, slug)
    statement = session.get(Statement, statement_id)
    if statement is None or statement.brand_id != brand.id:
        raise Missing(f"no statement {statement_id} for {slug}")
    if statement.withdrawn_at is None:
        statement.withdrawn_at = utcnow()
        record(
            session,
            actor=key_actor(key),
            address=address,
            action="statement.withdraw",
            brand_id=brand.id,
            target=f"statement:{statement.id}",
        )
    return statement
