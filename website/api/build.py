"""From the read model to the API's `...Public` shapes: what each shape takes from where.

Figures pass through `finite` (JSON has no NaN) and counts through `int`, so a snapshot
written by any version of the ranking renders in the documented types.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from carescore.read.overview import Mover
from carescore.read.posts import PostRef
from carescore.read.rankings import RankedBrand
from carescore.read.refs import AccountRef, BrandRef
from carescore.read.search import SearchResult
from carescore.read.sectors import SectorCount
from carescore.read.serialize import finite
from carescore.store.models import BrandScore
from carescore.vocab import sector_name
from website.api.figure_shapes import (
    BrandFiguresPublic,
    DelayRowPublic,
    MetricsPublic,
    TopicRowPublic,
)
from website.api.schemas import (
    AccountPublic,
    BrandPublic,
    MoverPublic,
    PostPublic,
    RankingRowPublic,
    SearchRowPublic,
    SectorPublic,
)
from website.i18n import translate

_TIMES = {"period_start", "period_end", "computed_at"}
_RAW = {"window", "period", "methodology_version", "rank_overall", "rank_sector", "shrunk_toward"}


def _kinds(shape: type, exclude: set[str]) -> tuple[list[str], list[str], list[str]]:
    """Float figures, counts, and counts that may be null (absent from 1.0 snapshots)."""
    floats, ints, maybe_ints = [], [], []
    for name, info in shape.model_fields.items():
        if name in exclude:
            continue
        if info.annotation in (float | None, float):
            floats.append(name)
        elif info.annotation is int:
            ints.append(name)
        elif info.annotation == int | None:
            maybe_ints.append(name)
    return floats, ints, maybe_ints


_METRIC_FLOATS, _METRIC_INTS, _METRIC_COUNTS = _kinds(MetricsPublic, _RAW)
_ROW_FLOATS, _ROW_INTS, _ = _kinds(RankingRowPublic, _RAW | {"position", "is_final"})
# The score columns a ranking row shows: all the read model needs to load for it.
RANKING_ROW_COLUMNS = (*_ROW_FLOATS, *_ROW_INTS, "rank_overall", "rank_sector")


def brand_public(ref: BrandRef, accounts: list[AccountRef]) -> BrandPublic:
    return BrandPublic(
        slug=ref.slug,
        name=ref.name,
        sector=ref.sector,
        country=ref.country,
        is_demo=ref.is_demo,
        accounts=[AccountPublic(platform=a.platform, handle=a.handle) for a in accounts],
    )


def metrics_public(score: BrandScore) -> MetricsPublic:
    values: dict[str, Any] = {name: finite(getattr(score, name)) for name in _METRIC_FLOATS}
    values |= {name: int(getattr(score, name) or 0) for name in _METRIC_INTS}
    values |= {
        name: None if getattr(score, name) is None else int(getattr(score, name))
        for name in _METRIC_COUNTS
    }
    values |= {name: getattr(score, name) for name in _RAW | _TIMES}
    return MetricsPublic(
        is_final=bool(score.is_final),
        ranked=bool(score.ranked),
        topics={str(k): int(v) for k, v in (score.topics or {}).items()},
        delay_histogram={str(k): int(v) for k, v in (score.delay_histogram or {}).items()},
        **values,
    )


def ranking_row_public(row: RankedBrand, position: int | None) -> RankingRowPublic:
    s, b = row.score, row.brand
    values: dict[str, Any] = {name: finite(getattr(s, name)) for name in _ROW_FLOATS}
    values |= {name: int(getattr(s, name) or 0) for name in _ROW_INTS}
    return RankingRowPublic(
        position=position,
        slug=b.slug,
        name=b.name,
        sector=b.sector,
        country=b.country,
        is_demo=b.is_demo,
        ranked=bool(s.ranked),
        rank_overall=s.rank_overall,
        rank_sector=s.rank_sector,
        window=s.window,
        period=s.period,
        is_final=bool(s.is_final),
        methodology_version=s.methodology_version,
        **values,
    )


def figures_public(ref: BrandRef, score: BrandScore) -> BaseModel:
    """A brand's figures as one flat row: the brand page's and the comparison's CSV."""
    return BrandFiguresPublic(
        brand=ref.slug,
        brand_name=ref.name,
        sector=ref.sector,
        country=ref.country,
        is_demo=ref.is_demo,
        **metrics_public(score).model_dump(),
    )


def _score_table(
    slug: str, score: BrandScore | None, pairs: list[tuple[str, int]], make: Any
) -> list[Any]:
    """Rows of one table of a brand's period, each naming the period and its rules."""
    if score is None:
        return []
    period = {
        "brand": slug,
        "window": score.window,
        "period": score.period,
        "is_final": bool(score.is_final),
        "methodology_version": score.methodology_version,
    }
    return [make(str(key), int(n), period) for key, n in pairs]


def topic_rows(slug: str, score: BrandScore | None) -> list[TopicRowPublic]:
    """The brand page's topics table: most complained-about first, ties in stored order."""
    pairs = sorted(((score.topics or {}) if score else {}).items(), key=lambda kv: -int(kv[1]))
    return _score_table(
        slug, score, pairs, lambda key, n, period: TopicRowPublic(topic=key, complaints=n, **period)
    )


def delay_rows(slug: str, score: BrandScore | None) -> list[DelayRowPublic]:
    """The brand page's reply delay table, in its order (fastest band first)."""
    pairs = list(((score.delay_histogram or {}) if score else {}).items())
    return _score_table(
        slug, score, pairs, lambda key, n, period: DelayRowPublic(band=key, replies=n, **period)
    )


def search_row_public(result: SearchResult) -> SearchRowPublic:
    b = result.brand
    return SearchRowPublic(
        slug=b.slug,
        name=b.name,
        sector=b.sector,
        country=b.country,
        carescore=finite(result.carescore),
        rank_sector=result.rank_sector,
        window="90d",
        period=result.period,
        is_final=False,
        methodology_version=result.methodology_version,
    )


def mover_public(mover: Mover) -> MoverPublic:
    b = mover.brand
    return MoverPublic(
        slug=b.slug,
        name=b.name,
        sector=b.sector,
        country=b.country,
        window="month",
        period=mover.period,
        previous_period=mover.previous_period,
        is_final=True,
        methodology_version=mover.methodology_version,
        carescore=float(mover.carescore),
        previous_carescore=float(mover.previous),
        change=mover.delta,
        rank_sector=mover.rank_sector,
        previous_rank_sector=mover.previous_rank_sector,
    )


def sector_public(sector: SectorCount) -> SectorPublic:
    """Both names whatever the request's language: English, and French from the catalogue."""
    name = sector_name(sector.slug)
    return SectorPublic(
        slug=sector.slug,
        name_en=name,
        name_fr=translate(name, "fr"),
        brand_count=sector.brand_count,
    )


def post_public(post: PostRef) -> PostPublic:
    return PostPublic(
        platform=post.platform,
        external_id=post.external_id,
        url=post.url,
        author_handle=post.author_handle,
        created_at=post.created_at,
        text=post.text,
        lang=post.lang,
        label=post.label,
        label_source=post.label_source,
        topics=list(post.topics),
        sentiment=finite(post.sentiment),
        first_reply_seconds=post.first_reply_seconds,
        brand_slug=post.brand_slug,
        cues=list(post.cues),
    )
