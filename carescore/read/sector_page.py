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

from carescore.read.periods import month_state, stored_months
from carescore.read.rankings import SectorRanking, final_months, ranking
from carescore.read.sectors import sector_slugs
from carescore.store.columns import utcnow

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
    result = ranking(
        session, sector=sector, window=window, period=period, sort=sort, columns=PAGE_COLUMNS
    )
    months = stored_months(session)
    finals = final_months(months)
    state = None
    if window == "month" and result.period:
        state = month_state(result.period, result.period in finals, now or utcnow())
    return SectorRanking(
        result,
        [month for month, _final in months],
        finals,
        sector_slugs(session),
        state,
    )
