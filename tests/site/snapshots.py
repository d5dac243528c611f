"""Monthly snapshots for site tests, made with the production ranking function.

The ranking engine writes monthly snapshots itself once it supports them; until then the
tests rank a 90-day window ending each month and file it under that month, which gives the
pages real rows with every column the monthly snapshots have.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import Session

from carescore.models import BrandScore
from carescore.ranking import rank_brands


def month_ends(as_of: date, count: int) -> list[date]:
    """The last days of the `count` full months before `as_of`, oldest first."""
    ends = []
    day = as_of.replace(day=1) - timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return list(reversed(ends))


def make_monthly_snapshots(session: Session, as_of: date, count: int = 3) -> list[str]:
    """Rank and store `count` monthly snapshots before `as_of`; returns their YYYY-MM periods."""
    periods = []
    for end in month_ends(as_of, count):
        rank_brands(session, "90d", end)
        period = end.strftime("%Y-%m")
        session.execute(
            update(BrandScore)
            .where(BrandScore.window == "90d", BrandScore.period == end.isoformat())
            .values(window="month", period=period, is_final=True)
        )
        periods.append(period)
    session.commit()
    return periods


def parse_xml(data: str | bytes):
    """Parse the site's own SVG or Atom output (trusted: we generated it in the test)."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(data)  # noqa: S314 - our own output, not untrusted input
