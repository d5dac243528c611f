"""Digests of the rankings for people: the home page, the movers and the change feed.

Light reads of the snapshots (a few columns of every brand, not whole score rows); each
function runs a fixed number of queries whatever the number of brands, months or posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, String, bindparam, select
from sqlmodel import Session

from carescore.errors import BadInput
from carescore.read.periods import (
    MonthState,
    Period,
    latest_ranked_period,
    month_state,
    resolve_period,
    stored_months,
)
from carescore.read.rankings import final_months
from carescore.read.refs import BrandRef, brand_ref
from carescore.read.rows import named_rows, row_type
from carescore.store.columns import utcnow
from carescore.store.models import Brand, BrandScore

PER_SECTOR = 3


@dataclass
class Standing:
    """A brand's place in the live ranking, as the home page lists it."""

    brand: BrandRef
    carescore: float | None
    rank_sector: int | None
    methodology_version: str | None = None
    is_final: bool = False


@dataclass
class SectorSummary:
    """One sector on the home page: its best and worst ranked brands."""

    slug: str
    brands: list[BrandRef]
    best: list[Standing] = field(default_factory=list)
    worst: list[Standing] = field(default_factory=list)
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
    methodology_version: str | None = None

    @property
    def delta(self) -> float:
        return round(self.carescore - self.previous, 1)


@dataclass
class Overview:
    period: str | None
    sectors: list[SectorSummary]
    movers: list[Mover]
    latest_month: str | None
    window: str = "90d"
    # The newest period with ranked brands, when the one shown has none (history exists).
    fallback: Period | None = None
    # The newest month that is over but not final yet: movers leave it out until then.
    pending: MonthState | None = None
    # The two final months the movers compare (previous, latest), once there are two.
    compared: tuple[str, str] | None = None

    @property
    def demo(self) -> bool:
        """Whether the database holds the fictional demo brands: the sectors list every
        brand, so the page needs no statement of its own to say so."""
        return any(brand.is_demo for sector in self.sectors for brand in sector.brands)


@dataclass
class RankChange:
    """A ranked brand of a monthly snapshot beside its rank and Carescore the month
    before (None when it was not ranked then)."""

    brand: BrandRef
    rank: int | None
    previous_rank: int | None
    carescore: float | None
    previous_carescore: float | None = None

    @property
    def delta(self) -> float | None:
        if self.carescore is None or self.previous_carescore is None:
            return None
        return round(self.carescore - self.previous_carescore, 1)


@dataclass
class FeedEntry:
    """One sector's monthly snapshot and how its order changed from the month before."""

    sector: str
    period: str
    previous_period: str | None
    updated: datetime
    methodology_version: str
    changes: list[RankChange]


# The digests' statements, built once on the tables' columns and run on the session's
# connection: building them and the ORM's execution cost more than SQLite's answers. The
# digests read each row's columns several times: their rows are named tuples (`rows`).
_BRAND = Brand.__table__.c
_SCORE = BrandScore.__table__.c
_BRAND_COLUMNS = (_BRAND.slug, _BRAND.name, _BRAND.sector, _BRAND.country, _BRAND.is_demo)
_BRANDS = select(*_BRAND_COLUMNS).order_by(_BRAND.sector, _BRAND.name)
_LIGHT_COLUMNS = (
    _SCORE.period,
    _SCORE.carescore,
    _SCORE.ranked,
    _SCORE.rank_sector,
    _SCORE.methodology_version,
    _SCORE.is_final,
    _BRAND.id.label("brand_id"),
    *_BRAND_COLUMNS,
)
_BrandRow = row_type("_BrandRow", _BRANDS.selected_columns.keys())
_LightRow = row_type("_LightRow", [c.name for c in _LIGHT_COLUMNS])
_TimedRow = row_type("_TimedRow", [*_LightRow._fields, "computed_at"])


@cache
def _light_statement(periods: int, timed: bool) -> Select:
    """The light score rows of `periods` periods (bound as `period0`, `period1`...), with
    `computed_at` when `timed` (the feed's entries are dated by it; the home page shows no
    time). Built once per shape: an expanding IN is written again on every execution."""
    chosen = [bindparam(f"period{i}", type_=String) for i in range(periods)]
    return (
        select(*_LIGHT_COLUMNS, *((_SCORE.computed_at,) if timed else ()))
        .join(Brand.__table__, _BRAND.id == _SCORE.brand_id)
        .where(
            _SCORE.window == bindparam("window", type_=String),
            _SCORE.period == chosen[0] if periods == 1 else _SCORE.period.in_(chosen),
        )
        .order_by(
            _SCORE.period,
            _BRAND.sector,
            _SCORE.ranked.desc(),
            _SCORE.carescore.is_(None),
            _SCORE.carescore.desc(),
            _BRAND.name,
        )
    )


def _brands_by_sector(session: Session) -> dict[str, list[BrandRef]]:
    grouped: dict[str, list[BrandRef]] = {}
    for row in named_rows(session.connection().execute(_BRANDS), _BrandRow):
        grouped.setdefault(row.sector, []).append(brand_ref(row))
    return grouped


def _light_scores(
    session: Session, window: str, periods: list[str], timed: bool = False
) -> list[_LightRow]:
    """The few score columns the digests need, with the brand, for whole periods
    (`computed_at` too when `timed`).

    Digests read three figures of every brand; hydrating full score rows (some sixty
    columns and two JSON documents each) for every brand cost most of the home page.
    """
    if not periods:
        return []
    values = {"window": window} | {f"period{i}": period for i, period in enumerate(periods)}
    statement = _light_statement(len(periods), timed)
    rows = session.connection().execute(statement, values)
    return named_rows(rows, _TimedRow if timed else _LightRow)


def movers(session: Session, limit: int = 5, months: list[str] | None = None) -> list[Mover]:
    """The largest Carescore changes between the two newest final months, biggest first.

    Brands unranked in either month are left out: a change from "not enough data" is not
    a movement anyone could cite. `months` are final months, newest first.
    """
    months = final_months(stored_months(session)) if months is None else months
    if len(months) < 2:
        return []
    current, previous = months[0], months[1]
    by_period: dict[str, dict[int, _LightRow]] = {current: {}, previous: {}}
    for row in _light_scores(session, "month", [current, previous]):
        if row.ranked and row.carescore is not None:
            by_period[row.period][row.brand_id] = row
    found = [
        Mover(
            brand_ref(now),
            current,
            previous,
            now.carescore,
            before.carescore,
            now.rank_sector,
            before.rank_sector,
            now.methodology_version,
        )
        for brand_id, now in by_period[current].items()
        if (before := by_period[previous].get(brand_id)) is not None
    ]
    found.sort(key=lambda m: (-abs(m.delta), m.brand.name))
    return [m for m in found if m.delta][:limit]


def sector_digest(
    session: Session,
    window: str | None = None,
    as_of: str | None = None,
    per_sector: int = PER_SECTOR,
) -> tuple[Period, list[SectorSummary]]:
    """Every sector's best and worst ranked brands of a period: the home page's lists and
    their download, one function so that both show the same brands and figures."""
    chosen = resolve_period(session, window, as_of)
    summaries = {
        slug: SectorSummary(slug, brands) for slug, brands in _brands_by_sector(session).items()
    }
    ranked: dict[str, list[Standing]] = {}
    periods = [chosen.period] if chosen.period else []
    for row in _light_scores(session, chosen.window, periods):
        if row.ranked:
            ranked.setdefault(row.sector, []).append(
                Standing(
                    brand_ref(row),
                    row.carescore,
                    row.rank_sector,
                    row.methodology_version,
                    bool(row.is_final),
                )
            )
        else:
            summaries[row.sector].not_enough_data += 1
    for slug, rows in ranked.items():
        summary = summaries[slug]
        summary.best = rows[:per_sector]
        summary.worst = list(reversed(rows[per_sector:]))[:per_sector]
    return chosen, list(summaries.values())


def overview(
    session: Session,
    per_sector: int = PER_SECTOR,
    window: str | None = None,
    as_of: str | None = None,
    now: datetime | None = None,
) -> Overview:
    """The home page: every sector's best and worst brands and movers, for the live 90-day
    window or the period `?window=` / `?as_of=` name (`carescore.read.periods`).

    Same order as `rankings.ranking(sort="carescore")`: ranked brands by Carescore, best
    first, ties by name. When the period shown ranks nobody but another does (a
    historical import), `fallback` names the newest one that does. Movers compare the
    two newest final months; `pending` names a newer month that is over but not final
    at `now` (default now), so the page can say when it will count.
    """
    chosen, sectors = sector_digest(session, window, as_of, per_sector)
    kind, period = chosen.window, chosen.period
    ranked = any(summary.best for summary in sectors)
    stored = stored_months(session)
    months = final_months(stored)
    newest_final = months[0] if months else ""
    pending = None
    for month, final in stored:
        state = month_state(month, final, now or utcnow())
        if not final and state.over and month > newest_final:
            pending = state
            break
    fallback = None
    if not ranked:
        latest = latest_ranked_period(session)
        fallback = latest if latest != chosen else None
    return Overview(
        period=period,
        sectors=sectors,
        movers=movers(session, months=months),
        latest_month=months[0] if months else None,
        compared=(months[1], months[0]) if len(months) >= 2 else None,
        window=kind,
        fallback=fallback,
        pending=pending,
    )


def ranking_changes(
    session: Session, max_months: int = 12, as_of: str | None = None
) -> list[FeedEntry]:
    """One entry per sector and final monthly snapshot, newest first, with rank changes.

    Only final months: a final snapshot never changes, so an entry never changes once
    published and a feed reader sees each month once per sector. `as_of` (YYYY-MM-DD)
    keeps the months over by that day: the feed as it read then, for a historical
    import or a citation. Raises `BadInput` for a day that is not one.
    """
    periods = final_months(stored_months(session))
    if as_of:
        try:
            month = date.fromisoformat(as_of).strftime("%Y-%m")
        except ValueError:
            raise BadInput(f"as_of must be a date YYYY-MM-DD, not {as_of!r}") from None
        periods = [period for period in periods if period < month]
    periods = periods[: max_months + 1]
    grouped: dict[tuple[str, str], list[_TimedRow]] = {}
    for row in _light_scores(session, "month", periods, timed=True):
        grouped.setdefault((row.sector, row.period), []).append(row)
    ordered = sorted(periods)
    entries = []
    for (sector, period), rows in grouped.items():
        index = ordered.index(period)
        previous = ordered[index - 1] if index else None
        if previous is None and len(periods) > max_months:
            continue
        before = {r.brand_id: r for r in grouped.get((sector, previous), []) if r.ranked}
        changes = [
            RankChange(
                brand_ref(r),
                r.rank_sector,
                then.rank_sector if (then := before.get(r.brand_id)) else None,
                r.carescore,
                then.carescore if then else None,
            )
            for r in rows
            if r.ranked
        ]
        changes.sort(key=lambda c: (c.rank is None, c.rank or 0))
        entries.append(
            FeedEntry(
                sector=sector,
                period=period,
                previous_period=previous,
                updated=max(r.computed_at for r in rows),
                methodology_version=rows[0].methodology_version,
                changes=changes,
            )
        )
    entries.sort(key=lambda e: (e.period, e.sector), reverse=True)
    return entries
