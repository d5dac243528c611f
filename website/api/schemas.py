"""What leaves the building: one `...Public` pydantic model per entity of the API.

The same object renders as JSON or as a CSV row (`carescore.read.serialize`), and the
OpenAPI document takes its schemas from pydantic's JSON Schema of these models
(`website.api.openapi`): a field added here is documented at once. Field names are
snake_case and stable within v1; times are ISO 8601 UTC strings ending in Z; durations
are seconds. Every model is closed (no other field) and every field is always present
(`website.api.shape_base`). The incidents' shapes live with the incidents' API
(`website.api.incident_shapes`), the right of reply's in `website.api.reply_schemas`, and a
brand's figures for one period and its page's tables in `website.api.figure_shapes`.
"""

from __future__ import annotations

from pydantic import BaseModel

from website.api.figure_shapes import MetricsPublic
from website.api.shape_base import Label, LabelSource, Public, Sort, UTCTime, Window
from website.api.shape_base import described as _d


class AccountPublic(Public):
    platform: str
    handle: str = _d("as written on the platform, without the leading @")


class BrandPublic(Public):
    slug: str
    name: str
    sector: str
    country: str = _d("ISO 3166-1 alpha-2")
    is_demo: bool = _d("a fictional brand of the demo dataset")
    accounts: list[AccountPublic] = _d("official accounts whose replies count")


class RankingRowPublic(Public):
    position: int | None = _d("place in this list by the sort metric; null when not ranked")
    slug: str
    name: str
    sector: str
    country: str
    is_demo: bool
    ranked: bool
    carescore: float | None
    rank_overall: int | None
    rank_sector: int | None
    reply_rate: float | None
    reply_rate_low: float | None
    reply_rate_high: float | None
    median_reply_s: float | None
    median_reply_low_s: float | None
    median_reply_high_s: float | None
    within_1h: float | None
    satisfaction: float | None
    satisfaction_low: float | None
    satisfaction_high: float | None
    opinion_n: int
    actionable_n: int
    inbound_n: int
    window: Window = _d("90d, month or all: the period every row of this ranking covers")
    period: str = _d("the as-of date for 90d and all, YYYY-MM for month")
    is_final: bool = _d("a closed month: these figures are never rewritten")
    methodology_version: str = _d("version of the rules that produced these figures")


class SearchRowPublic(Public):
    """One line of the site's search results: a brand and its live Carescore."""

    slug: str
    name: str
    sector: str
    country: str
    carescore: float | None = _d("0-100; null without a score or enough data to rank")
    rank_sector: int | None = _d("1 is best, within the brand's sector; null when not ranked")
    window: Window = _d("always 90d: the live window")
    period: str | None = _d("the as-of date of the live window; null before any ranking run")
    is_final: bool = _d("always false: the live window changes with each ranking run")
    methodology_version: str | None = _d("null when the brand has no score")


class SearchPublic(Public):
    demo: bool
    methodology_version: str
    q: str = _d("the text searched for, as the search used it")
    count: int
    items: list[SearchRowPublic] = _d("by name")


class MoverPublic(Public):
    """One line of the home page's biggest movers: a brand's change between two final months."""

    slug: str
    name: str
    sector: str
    country: str
    window: Window = _d("always month")
    period: str = _d("the newer final month, YYYY-MM")
    previous_period: str = _d("the final month before it, YYYY-MM")
    is_final: bool = _d("always true: both months are final, so the change never changes")
    methodology_version: str | None = _d("version of the rules of the newer month's figures")
    carescore: float = _d("0-100, in period")
    previous_carescore: float = _d("0-100, in previous_period")
    change: float = _d("carescore - previous_carescore, rounded to 0.1 as shown")
    rank_sector: int | None
    previous_rank_sector: int | None


class MoverListPublic(Public):
    demo: bool
    methodology_version: str
    count: int
    items: list[MoverPublic] = _d("largest change first; brands ranked in both months only")


class SectorPublic(Public):
    slug: str
    name_en: str
    name_fr: str
    brand_count: int


class PostPublic(Public):
    platform: str
    external_id: str
    url: str | None = _d("the original post")
    author_handle: str | None
    created_at: UTCTime = _d("when the post was published")
    text: str = _d("plain text, never HTML")
    lang: str = _d("en, fr or other")
    label: Label | None = _d(
        "praise, fail, question or neutral; null if not judged (a language other than en or fr)"
    )
    label_source: LabelSource = _d(
        "human when a reviewer accepted a dispute of this post; addressee when the scorer's"
        " praise counts as neutral because the post is written to other brands' accounts"
    )
    topics: list[str]
    sentiment: float | None = _d("the scorer's P(praise) - P(fail), -1 to 1")
    first_reply_seconds: int | None = _d("delay to the brand's first reply; null if none")
    brand_slug: str | None
    cues: list[str] = _d(
        "what the label rests on, strongest first: words, word pairs or "
        "cue families that pushed the scorer hardest towards it (docs/model-card.md)"
    )


# Envelopes: every response says whether it shows demo data.


class BrandListPublic(Public):
    demo: bool
    methodology_version: str
    count: int = _d("items on this page")
    next_cursor: str | None = _d("pass as cursor for the next page; null on the last")
    items: list[BrandPublic]


class BrandDetailPublic(Public):
    demo: bool
    methodology_version: str
    brand: BrandPublic
    score: MetricsPublic | None = _d(
        "the figures of the period asked for (window, as_of; default the newest 90 days); null "
        "when none is stored"
    )


class HistoryPublic(Public):
    demo: bool
    methodology_version: str
    brand: str = _d("brand slug")
    count: int
    items: list[MetricsPublic] = _d("monthly snapshots, oldest first")


class RankingPublic(Public):
    demo: bool
    methodology_version: str
    sector: str | None
    window: Window
    period: str | None = _d("null when nothing has been computed yet")
    is_final: bool = _d("a closed month: this ranking is never rewritten")
    sort: Sort
    computed_at: UTCTime | None = _d("newest computation among the rows")
    count: int
    items: list[RankingRowPublic] = _d("ranked brands first, then not enough data")


class CompareItemPublic(Public):
    brand: BrandPublic
    score: MetricsPublic | None = _d("null when no figures are stored for the period")


class ComparePublic(Public):
    demo: bool
    methodology_version: str
    window: Window
    period: str | None = _d("null when nothing has been computed yet")
    count: int
    items: list[CompareItemPublic] = _d("the brands in the order asked")


class SectorListPublic(Public):
    demo: bool
    methodology_version: str
    count: int
    items: list[SectorPublic]


class PostListPublic(Public):
    demo: bool
    methodology_version: str
    count: int
    next_cursor: str | None
    items: list[PostPublic]


class RulePublic(Public):
    name: str
    rule: str


class MethodologyPublic(Public):
    demo: bool
    methodology_version: str
    rules: list[RulePublic]


class ProblemParamPublic(Public):
    name: str
    reason: str


class ProblemPublic(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    invalid_params: list[ProblemParamPublic] | None = None
