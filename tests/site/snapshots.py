"""Monthly snapshots for site tests, written by the production ranking engine."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from carescore.ranking.snapshots import rank_brands


def month_ends(as_of: date, count: int) -> list[date]:
    """The last days of the `count` full months before `as_of`, oldest first."""
    ends = []
    day = as_of.replace(day=1) - timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return list(reversed(ends))


def make_monthly_snapshots(session: Session, as_of: date, count: int = 3) -> list[str]:
    """Rank the `count` full months before `as_of` (final: `now` is the day after `as_of`)."""
    now = datetime.combine(as_of + timedelta(days=1), time(12), tzinfo=UTC)
    periods = [end.strftime("%Y-%m") for end in month_ends(as_of, count)]
    for period in periods:
        rank_brands(session, period, as_of, now=now)
    session.commit()
    return periods


def parse_xml(data: str | bytes):
    """Parse the site's own SVG or Atom output (trusted: we generated it in the test)."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(data)  # noqa: S314 - our own output, not untrusted input
