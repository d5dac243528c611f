"""The right of reply's tables (carescore.reply): brand keys, statements, disputes and
their audit log.

Timestamps are aware UTC (`carescore.store.columns`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from carescore.store.columns import utc_column


class BrandKey(SQLModel, table=True):
    """An API key that writes for one brand. Only the SHA-256 of the token is kept;
    `prefix` (its first characters) finds the row and names the key in lists and logs."""

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    prefix: str = Field(max_length=16, unique=True, index=True)
    token_hash: str = Field(max_length=64, description="hex SHA-256 of the whole token")
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = utc_column(nullable=False)
    expires_at: datetime | None = utc_column()
    revoked_at: datetime | None = utc_column()


class Statement(SQLModel, table=True):
    """A brand's own words shown beside its figures; never changes a figure."""

    __table_args__ = (Index("ix_statement_brand_created", "brand_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    key_id: int | None = Field(default=None, foreign_key="brandkey.id", ondelete="SET NULL")
    text: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=500)
    refers_to: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = utc_column(nullable=False)
    withdrawn_at: datetime | None = utc_column()


class Dispute(SQLModel, table=True):
    """A brand's claim that one post is mislabelled, not about it, or answered elsewhere.

    Nothing changes before a reviewer decides; `previous_label` keeps what the scorer
    said, so a correction can be shown as "from -> to". The post's platform and id are
    kept even when the post is later forgotten (`post_id` then becomes NULL), for the
    audit and the dispute counts; the public list of corrections leaves such a post out.
    """

    __table_args__ = (
        Index("ix_dispute_brand_created", "brand_id", "created_at"),
        Index("ix_dispute_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    key_id: int | None = Field(default=None, foreign_key="brandkey.id", ondelete="SET NULL")
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="SET NULL")
    platform: str = Field(max_length=20)
    external_id: str = Field(max_length=300)
    kind: str = Field(max_length=20, description="mislabelled, misattributed or answered")
    requested_label: str | None = Field(default=None, max_length=10)
    link: str | None = Field(default=None, max_length=500)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=10, description="pending|accepted|rejected")
    created_at: datetime | None = utc_column(nullable=False)
    previous_label: str | None = Field(default=None, max_length=10)
    decided_at: datetime | None = utc_column()
    decided_by: str | None = Field(default=None, max_length=200)
    decision_note: str | None = Field(default=None, sa_column=Column(Text))


class AuditEntry(SQLModel, table=True):
    """One write: who (a key or an operator), what, when, from which address."""

    __table_args__ = (Index("ix_audit_brand_at", "brand_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime | None = utc_column(nullable=False, index=True)
    actor: str = Field(max_length=200, description="key:<prefix> or operator:<name>")
    address: str = Field(max_length=100, description="client IP, or cli for the operator")
    action: str = Field(max_length=40)
    brand_id: int | None = Field(default=None, foreign_key="brand.id", ondelete="SET NULL")
    target: str | None = Field(default=None, max_length=100, description="e.g. statement:3")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
