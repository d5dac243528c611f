"""A sector's ranking as its page shows it: the rows' figures as plain rows, the months
on offer and the other sectors.

The page shows a dozen figures of each score row; a whole `BrandScore` has about a
hundred columns and two JSON documents, and loading one per brand as an ORM object cost
more than rendering its table row. The API's own answer (`rankings.ranking`) asks for
its columns the same way.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from carescore.read.rankings import SectorRanking, sector_ranking

# The score columns the ranking page shows (templates/rankings.html).
PAGE_COLUMNS = (
    "carescore",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "reply_rate",
    "reply_rate_low",
    "reply_rate_high",
    "median_reply_s",
    "median_reply_low_s",
    "median_reply_high_s",
    "opinion_n",
    "actionable_n",
)


def sector_page(
    session: Session,
    sector: str,
    window: str = "90d",
    period: str | None = None,
    sort: str = "carescore",
    now: datetime | None = None,
) -> SectorRanking:
    """`rankings.sector_ranking` with each score a row of `PAGE_COLUMNS` (raises
    `NotFound`, `BadInput` alike)."""
    return sector_ranking(session, sector, window, period, sort, now, columns=PAGE_COLUMNS)
