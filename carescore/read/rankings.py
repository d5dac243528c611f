"""Rankings: the brands of a window and period in order, and the months on offer.

One query per ranking, whatever the number of brands. The ranked brands come first (by
the sort metric, ties by name), then those with not enough data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, bindparam, exists, func, select
from sqlmodel import Session

from carescore.errors import BadInput, NotFound
from carescore.read.periods import MonthState, month_state, stored_months
from carescore.read.prepared import Prepared
from carescore.read.refs import BRAND_COLUMNS, BrandRef, brand_ref, latest_period
from carescore.read.sectors import has_demo_data, sector_slugs
from carescore.store.columns import utcnow
from carescore.store.models import Brand, BrandScore
from carescore.vocab import SORTS, WINDOWS

# sort key: (column, descending is better)
SORT_COLUMNS = {
    "carescore": (BrandScore.carescore, True),
    "satisfaction": (BrandScore.satisfaction, True),
    "reply_rate": (BrandScore.reply_rate, True),
    "median_reply": (BrandScore.median_reply_s, False),
}
assert tuple(SORT_COLUMNS) == SORTS, "every sort of the vocabulary has a column"
# What `Ranking` itself reads of every row, loaded whichever columns a caller asks for.
RANKING_COLUMNS = ("window", "period", "ranked", "is_final", "methodology_version", "computed_at")


@dataclass(slots=True)
class RankedBrand:
    """`score` is the whole `BrandScore`, or a row of the columns the caller asked for."""

    brand: BrandRef
    score: BrandScore | Any


@dataclass
class Ranking:
    sector: str | None
    window: str
    period: str | None
    sort: str
    ranked: list[RankedBrand] = field(default_factory=list)
    not_enough_data: list[RankedBrand] = field(default_factory=list)
    # Whether the database holds the fictional demo brands (every answer says so).
    demo: bool = False

    @property
    def methodology_version(self) -> str | None:
        rows = self.ranked or self.not_enough_data
        return rows[0].score.methodology_version if rows else None

    @property
    def computed_at(self) -> datetime | None:
        rows = self.ranked + self.not_enough_data
        return max((r.score.computed_at for r in rows), default=None)

    @property
    def is_final(self) -> bool:
        """Every row is a final monthly snapshot: the ranking will never change."""
        rows = self.ranked + self.not_enough_data
        return bool(rows) and all(r.score.is_final for r in rows)


def ranking(
    session: Session,
    sector: str | None = None,
    window: str = "90d",
    period: str | None = None,
    sort: str = "carescore",
    columns: Sequence[str] | None = None,
) -> Ranking:
    """Ranked brands (best first by `sort`) and those with not enough data.

    `period=None` means the newest computed period of the window; otherwise a month
    (YYYY-MM) or the as-of day of a 90d or all snapshot. Raises `BadInput` for an unknown
    sort or window, `NotFound` for an unknown sector or a period asked for that has no
    snapshot. One statement reads the period, the rows and the demo flag (two or three more
    only when the window has no row: whether the sector exists, the period, the flag).

    `columns` names the score columns an answer shows: a score is then a plain row of
    those (and `RANKING_COLUMNS`), read by a prepared statement (`carescore.read.prepared`),
    which costs a fraction of a whole `BrandScore` with its hundred columns and two JSON
    documents. None loads whole scores.
    """
    if sort not in SORT_COLUMNS:
        raise BadInput(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    if window not in WINDOWS:
        raise BadInput(f"unknown window {window!r}; expected one of {', '.join(WINDOWS)}")
    asked = period
    shape = (window, sort, sector is not None, period is not None)
    values = {k: v for k, v in {"sector": sector, "period": period}.items() if v is not None}
    whole = columns is None
    if whole:
        rows: list[Any] = session.execute(_ranking_statement(*shape, None), values).all()
    else:
        rows = _prepared_ranking(*shape, tuple(columns)).rows(session, **values)
    if rows:  # a sector with rows has brands: only an empty answer asks whether it exists
        first = rows[0][0] if whole else rows[0]
        period, is_demo = first.period, bool(rows[0].demo)
    elif sector is not None and sector not in sector_slugs(session):
        raise NotFound(f"no sector {sector!r}")
    else:  # nothing in this window and sector: name the period and the flag all the same
        period = period or latest_period(session, window)
        is_demo = has_demo_data(session)
    result = Ranking(sector=sector, window=window, period=period, sort=sort, demo=is_demo)
    if period is None:  # the window was never computed
        return result
    for row in rows:
        score = row[0] if whole else row
        ranked = RankedBrand(brand_ref(row), score)
        (result.ranked if score.ranked else result.not_enough_data).append(ranked)
    if asked and not rows and (window == "month" or not _stored(session, window, period)):
        raise NotFound(f"no snapshot for {period}")
    return result


@lru_cache(maxsize=64)
def _ranking_statement(
    window: str, sort: str, by_sector: bool, named: bool, columns: tuple[str, ...] | None
) -> Select:
    """Built once per shape of request (building costs about as much as running it);
    the sector and a named period are bound on use."""
    column, descending = SORT_COLUMNS[sort]
    newest = (
        select(func.max(BrandScore.period)).where(BrandScore.window == window).scalar_subquery()
    )
    chosen = bindparam("period", type_=String) if named else newest
    demo = exists().where(Brand.is_demo.is_(True))
    if columns is None:
        scores: list[Any] = [BrandScore]
    else:
        table = BrandScore.__table__.c
        scores = [table[name] for name in dict.fromkeys((*RANKING_COLUMNS, *columns))]
    query = (
        select(*scores, *BRAND_COLUMNS, demo.label("demo"))
        .join(Brand, Brand.id == BrandScore.brand_id)
        .where(BrandScore.window == window, BrandScore.period == chosen)
        .order_by(
            BrandScore.ranked.desc(),
            column.is_(None),
            column.desc() if descending else column.asc(),
            Brand.name,
        )
    )
    if by_sector:
        query = query.where(Brand.sector == bindparam("sector", type_=String))
    return query


@lru_cache(maxsize=64)
def _prepared_ranking(
    window: str, sort: str, by_sector: bool, named: bool, columns: tuple[str, ...]
) -> Prepared:
    return Prepared(_ranking_statement(window, sort, by_sector, named, columns))


def _stored(session: Session, window: str, period: str) -> bool:
    return (
        session.execute(
            select(BrandScore.id).where(BrandScore.window == window, BrandScore.period == period)
        ).first()
        is not None
    )


def final_months(months: list[tuple[str, bool]]) -> list[str]:
    return [period for period, final in months if final]


@dataclass
class SectorRanking:
    """A sector's ranking plus what the page needs to offer other windows."""

    ranking: Ranking
    months: list[str]
    final_months: list[str]
    sectors: list[str]
    # A monthly snapshot's state (running, over but not final, final); None otherwise.
    month: MonthState | None = None

    @property
    def is_final(self) -> bool:
        """A monthly snapshot whose month is over: its figures will never change."""
        return self.ranking.window == "month" and self.ranking.period in self.final_months


def sector_ranking(
    session: Session,
    sector: str,
    window: str = "90d",
    period: str | None = None,
    sort: str = "carescore",
    now: datetime | None = None,
    columns: Sequence[str] | None = None,
) -> SectorRanking:
    """A sector's ranking (raises `NotFound`, `BadInput`) with the months on offer and,
    for a month, whether it is over and when it is final (as of `now`, default now).
    `columns` is passed to `ranking`."""
    result = ranking(
        session, sector=sector, window=window, period=period, sort=sort, columns=columns
    )
    months = stored_months(session)
    finals = final_months(months)
    state = None
    if window == "month" and result.period:
        state = month_state(result.period, result.period in finals, now or utcnow())
    return SectorRanking(
        result,
        [period for period, _final in months],
        finals,
        sector_slugs(session),
        state,
    )
