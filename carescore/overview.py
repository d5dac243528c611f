"""Digests of the rankings for people: the home page, sector pages, movers and the change feed.

Built on `carescore.reports` (the one read model) plus a few grouped queries of its own;
each function runs a fixed number of queries whatever the number of brands, months or posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from carescore import reports
from carescore.models import Brand, BrandScore
from carescore.reports import BrandRef, RankedBrand, Ranking

PER_SECTOR = 3


@dataclass
class SectorSummary:
    """One sector on the home page: its best and worst ranked brands."""

    slug: str
    brands: list[BrandRef]
    best: list[RankedBrand] = field(default_factory=list)
    worst: list[RankedBrand] = field(default_factory=list)
    not_enough_data: int = 0


@dataclass
class Mover:
    """A brand whose Carescore changed between the two newest monthly snapshots."""

    brand: BrandRef
    period: str
    previous_period: str
    carescore: float
    previous: float
    rank_sector: int | None
    previous_rank_sector: int | None

    @property
    def delta(self) -> float:
        return round(self.carescore - self.previous, 1)


@dataclass
class Overview:
    period: str | None
    sectors: list[SectorSummary]
    movers: list[Mover]
    latest_month: str | None


@dataclass
class SectorRanking:
    """A sector's ranking plus what the page needs to offer other windows."""

    ranking: Ranking
    months: list[str]
    sectors: list[str]


@dataclass
class RankChange:
    brand: BrandRef
    rank: int | None
    previous_rank: int | None
    carescore: float | None


@dataclass
class FeedEntry:
    """One sector's monthly snapshot and how its order changed from the month before."""

    sector: str
    period: str
    previous_period: str | None
    updated: datetime
    methodology_version: str
    changes: list[RankChange]


def _ref(brand: Brand) -> BrandRef:
    return BrandRef(brand.slug, brand.name, brand.sector, brand.country, brand.is_demo)


def _brands_by_sector(session: Session) -> dict[str, list[BrandRef]]:
    grouped: dict[str, list[BrandRef]] = {}
    for brand in session.execute(select(Brand).order_by(Brand.sector, Brand.name)).scalars():
        grouped.setdefault(brand.sector, []).append(_ref(brand))
    return grouped


def _month_rows(session: Session, periods: list[str]) -> list[tuple[BrandScore, Brand]]:
    if not periods:
        return []
    return list(
        session.execute(
            select(BrandScore, Brand)
            .join(Brand, Brand.id == BrandScore.brand_id)
            .where(BrandScore.window == "month", BrandScore.period.in_(periods))
            .order_by(BrandScore.period, Brand.sector, BrandScore.rank_sector, Brand.name)
        ).all()
    )


def movers(session: Session, limit: int = 5, months: list[str] | None = None) -> list[Mover]:
    """The largest Carescore changes between the two newest months, biggest first.

    Brands unranked in either month are left out: a change from "not enough data" is not
    a movement anyone could cite.
    """
    months = reports.months(session) if months is None else months
    if len(months) < 2:
        return []
    current, previous = months[0], months[1]
    by_period: dict[str, dict[int, tuple[BrandScore, Brand]]] = {current: {}, previous: {}}
    for score, brand in _month_rows(session, [current, previous]):
        by_period[score.period][brand.id] = (score, brand)
    found = []
    for brand_id, (score, brand) in by_period[current].items():
        before = by_period[previous].get(brand_id)
        if before is None or score.carescore is None or before[0].carescore is None:
            continue
        if not (score.ranked and before[0].ranked):
            continue
        found.append(
            Mover(
                _ref(brand),
                current,
                previous,
                score.carescore,
                before[0].carescore,
                score.rank_sector,
                before[0].rank_sector,
            )
        )
    found.sort(key=lambda m: (-abs(m.delta), m.brand.name))
    return [m for m in found if m.delta][:limit]


def overview(session: Session, per_sector: int = PER_SECTOR) -> Overview:
    """The home page: every sector's best and worst brands (live 90-day window) and movers."""
    live = reports.ranking(session, window="90d")
    summaries = {
        slug: SectorSummary(slug, brands) for slug, brands in _brands_by_sector(session).items()
    }
    ranked: dict[str, list[RankedBrand]] = {}
    for row in live.ranked:
        ranked.setdefault(row.brand.sector, []).append(row)
    for row in live.not_enough_data:
        summaries[row.brand.sector].not_enough_data += 1
    for slug, rows in ranked.items():
        summary = summaries[slug]
        summary.best = rows[:per_sector]
        summary.worst = list(reversed(rows[per_sector:]))[:per_sector]
    months = reports.months(session)
    return Overview(
        period=live.period,
        sectors=list(summaries.values()),
        movers=movers(session, months=months),
        latest_month=months[0] if months else None,
    )


def sector_ranking(
    session: Session,
    sector: str,
    window: str = "90d",
    period: str | None = None,
    sort: str = "carescore",
) -> SectorRanking:
    """A sector's ranking (raises `NotFound`, `ValueError`) with the months on offer."""
    ranking = reports.ranking(session, sector=sector, window=window, period=period, sort=sort)
    return SectorRanking(ranking, reports.months(session), reports.sectors(session))


def ranking_changes(session: Session, max_months: int = 12) -> list[FeedEntry]:
    """One entry per sector and monthly snapshot, newest first, with rank changes.

    A snapshot is immutable, so an entry never changes once published: a feed reader sees
    each month once per sector.
    """
    periods = reports.months(session)[: max_months + 1]
    grouped: dict[tuple[str, str], list[tuple[BrandScore, Brand]]] = {}
    for score, brand in _month_rows(session, periods):
        grouped.setdefault((brand.sector, score.period), []).append((score, brand))
    ordered = sorted(periods)
    entries = []
    for (sector, period), rows in grouped.items():
        index = ordered.index(period)
        previous = ordered[index - 1] if index else None
        if previous is None and len(periods) > max_months:
            continue
        before = {b.id: s.rank_sector for s, b in grouped.get((sector, previous), []) if s.ranked}
        changes = [
            RankChange(_ref(b), s.rank_sector, before.get(b.id), s.carescore)
            for s, b in rows
            if s.ranked
        ]
        entries.append(
            FeedEntry(
                sector=sector,
                period=period,
                previous_period=previous,
                updated=max(s.computed_at for s, _ in rows),
                methodology_version=rows[0][0].methodology_version,
                changes=changes,
            )
        )
    entries.sort(key=lambda e: (e.period, e.sector), reverse=True)
    return entries
