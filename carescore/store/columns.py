"""Column helpers every table module shares: one clock and one timestamp column type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field

from carescore.store.sqltypes import UTCDateTime


def utcnow() -> datetime:
    """Now, aware UTC: what every stored timestamp is."""
    return datetime.now(UTC)


def utc_column(nullable: bool = True, index: bool = False) -> Any:
    """A timestamp field stored as aware UTC on SQLite and PostgreSQL alike."""
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))
