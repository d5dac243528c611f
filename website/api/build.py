"""From the read model to the API's `...Public` shapes: what each shape takes from where.

Figures pass through `finite` (JSON has no NaN) and counts through `int`, so a snapshot
written by any version of the ranking renders in the documented types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from carescore import METHODOLOGY_VERSION
from carescore.read.brands import BrandReport, BrandTimeline
from carescore.read.directory import BrandPage
from carescore.read.overview import Mover
from carescore.read.posts import PostPage, PostRef
from carescore.read.rankings import RankedBrand, Ranking
from carescore.read.refs import AccountRef, BrandRef
from carescore.read.search import SearchResult
from carescore.read.sectors import SectorCount
from carescore.read.serialize import JSONDocument, finite, iso
from carescore.store.models import BrandScore
from carescore.vocab import sector_name
from website.api.figure_shapes import (
    BrandFiguresPublic,
    DelayRowPublic,
    MetricsPublic,
    TopicRowPublic,
)
from website.api.schemas import (
    BrandPublic,
    MoverPublic,
    PostPublic,
    RankingRowPublic,
    SearchRowPublic,
    SectorPublic,
)
from website.api.shape_base import UTCTime
from website.i18n import translate

_RAW = {"window", "period", "methodology_version", "rank_overall", "rank_sector", "shrunk_toward"}
_BRAND = ("slug", "name", "sector", "country", "is_demo")

Plan = tuple[tuple[str, Callable[[Any], Any] | None], ...]


def _count(value: Any) -> int:
    return int(value or 0)


def _maybe_count(value: Any) -> int | None:
    return None if value is None else int(value)


def _counts(value: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in (value or {}).items()}


def _plan(
    shape: type[BaseModel],
    skip: tuple[str, ...],
    times: Callable | None,
    figures: Callable | None = finite,
) -> Plan:
    """Each field of `shape` but `skip`, in order, with how a stored value becomes it:
    figures through `figures`, counts through `int` (counts absent from 1.0 snapshots stay
    null), flags through `bool`, times through `times`; text and ranks as stored.

    A document written by pydantic's serializer needs no `finite`: the score columns are
    floats on both databases, and the serializer writes NaN and infinity as null, as
    `finite` would (tests/api/test_documents.py). A rankings answer saves a call per
    figure of every row."""
    by_type: dict[Any, Callable[[Any], Any] | None] = {
        bool: bool,
        float | None: figures,
        int: _count,
        int | None: _maybe_count,
        dict[str, int]: _counts,
        UTCTime | None: times,
    }
    return tuple(
        (name, None if name in _RAW else by_type.get(info.annotation))
        for name, info in shape.model_fields.items()
        if name not in skip
    )


def _values(plan: Plan, source: Any, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """`plan`'s fields of `source`, added to `values` when given (a ranking row starts with
    its brand's: one dict per row instead of two merged)."""
    values = {} if values is None else values
    for name, convert in plan:
        value = getattr(source, name)
        values[name] = value if convert is None else convert(value)
    return values


_METRICS = _plan(MetricsPublic, (), None)
_METRICS_JSON = _plan(MetricsPublic, (), iso, figures=None)
_ROW = _plan(RankingRowPublic, ("position", *_BRAND), None, figures=None)
# The score columns a brand's figures and a ranking row show: all the read model loads.
METRIC_COLUMNS = tuple(name for name, _ in _METRICS)
RANKING_ROW_COLUMNS = tuple(name for name, _ in _ROW)


def _account(account: AccountRef) -> dict[str, str]:
    return {"platform": account.platform, "handle": account.handle}


def _brand_values(ref: BrandRef, accounts: list[AccountRef]) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(ref, name) for name in _BRAND}
    values["accounts"] = [_account(a) for a in accounts]
    return values


def brand_public(ref: BrandRef, accounts: list[AccountRef]) -> BrandPublic:
    return BrandPublic.model_validate(_brand_values(ref, accounts))


def metrics_public(score: BrandScore) -> MetricsPublic:
    return MetricsPublic.model_validate(_values(_METRICS, score))


def directory_document(page: BrandPage) -> JSONDocument:
    """`BrandListPublic`'s JSON, written from the read model without building the models:
    the same fields, order and values (tests/api/test_documents.py holds it)."""
    return JSONDocument(
        {
            "demo": page.demo,
            "methodology_version": METHODOLOGY_VERSION,
            "count": len(page.items),
            "next_cursor": page.next_cursor,
            "items": [_brand_values(item.brand, item.accounts) for item in page.items],
        }
    )


def brand_document(report: BrandReport) -> JSONDocument:
    """`BrandDetailPublic`'s JSON, written from the read model without building the
    models: the same fields, order and values (tests/api/test_documents.py holds it)."""
    score = report.score
    return JSONDocument(
        {
            "demo": report.demo,
            "methodology_version": score.methodology_version if score else METHODOLOGY_VERSION,
            "brand": _brand_values(report.brand, report.accounts),
            "score": _values(_METRICS_JSON, score) if score else None,
        }
    )


def history_document(timeline: BrandTimeline) -> JSONDocument:
    """`HistoryPublic`'s JSON, written from plain rows without building the models: the
    same fields, order and values (tests/api/test_documents.py holds it)."""
    items = [_values(_METRICS_JSON, snapshot) for snapshot in timeline.snapshots]
    return JSONDocument(
        {
            "demo": timeline.demo,
            "methodology_version": (
                items[-1]["methodology_version"] if items else METHODOLOGY_VERSION
            ),
            "brand": timeline.brand.slug,
            "count": len(items),
            "items": items,
        }
    )


def _row_values(row: RankedBrand, position: int | None) -> dict[str, Any]:
    b = row.brand
    values: dict[str, Any] = {
        "position": position,
        "slug": b.slug,
        "name": b.name,
        "sector": b.sector,
        "country": b.country,
        "is_demo": b.is_demo,
    }
    return _values(_ROW, row.score, values)


def _ranking_rows(result: Ranking) -> list[dict[str, Any]]:
    """Ranked brands first, numbered, then those with not enough data."""
    rows = [_row_values(r, i) for i, r in enumerate(result.ranked, start=1)]
    return rows + [_row_values(r, None) for r in result.not_enough_data]


def ranking_rows_public(result: Ranking) -> list[RankingRowPublic]:
    return [RankingRowPublic.model_validate(row) for row in _ranking_rows(result)]


def ranking_document(result: Ranking) -> JSONDocument:
    """`RankingPublic`'s JSON, written from the read model without building the models:
    the same fields, order and values (tests/api/test_documents.py holds it)."""
    items = _ranking_rows(result)
    return JSONDocument(
        {
            "demo": result.demo,
            "methodology_version": result.methodology_version or METHODOLOGY_VERSION,
            "sector": result.sector,
            "window": result.window,
            "period": result.period,
            "is_final": result.is_final,
            "sort": result.sort,
            "computed_at": iso(result.computed_at),
            "count": len(items),
            "items": items,
        }
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


def _post_values(post: PostRef, time: Callable[[Any], Any]) -> dict[str, Any]:
    return {
        "platform": post.platform,
        "external_id": post.external_id,
        "url": post.url,
        "author_handle": post.author_handle,
        "created_at": time(post.created_at),
        "text": post.text,
        "lang": post.lang,
        "label": post.label,
        "label_source": post.label_source,
        "topics": list(post.topics),
        "sentiment": finite(post.sentiment),
        "first_reply_seconds": post.first_reply_seconds,
        "brand_slug": post.brand_slug,
        "cues": list(post.cues),
    }


def post_public(post: PostRef) -> PostPublic:
    return PostPublic.model_validate(_post_values(post, lambda moment: moment))


def post_list_document(page: PostPage, demo: bool) -> JSONDocument:
    """`PostListPublic`'s JSON, written from the read model without building a model per
    post: the same fields, order and values (tests/api/test_documents.py holds it)."""
    return JSONDocument(
        {
            "demo": demo,
            "methodology_version": METHODOLOGY_VERSION,
            "count": len(page.items),
            "next_cursor": page.next_cursor,
            "items": [_post_values(post, iso) for post in page.items],
        }
    )
