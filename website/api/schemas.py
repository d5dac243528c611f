"""What leaves the building: one `...Public` pydantic model per entity of the API.

The same object renders as JSON or as a CSV row (`carescore.read.serialize`), and the
OpenAPI document takes its schemas from pydantic's JSON Schema of these models
(`website.api.openapi`): a field added here is documented at once. Field names are
snake_case and stable within v1; times are ISO 8601 UTC strings ending in Z; durations
are seconds. Every model is closed (no other field) and every field is always present
(`website.api.shape_base`). The incidents' shapes live with the incidents' API
(`website.api.incident_shapes`), the right of reply's in `website.api.reply_schemas`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from website.api.shape_base import Label, Public, Sort, UTCTime, Window
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


class MetricsPublic(Public):
    """Every published figure of one brand for one window and period."""

    window: Window = _d("90d, month or all")
    period: str = _d("the as-of date for 90d and all, YYYY-MM for month")
    period_start: UTCTime | None = _d("start of the window (inclusive)")
    period_end: UTCTime | None = _d("end of the window (exclusive)")
    is_final: bool = _d("a closed month: this snapshot is never rewritten")
    methodology_version: str = _d("version of the rules that produced these figures")
    computed_at: UTCTime | None = _d("when the figures were computed")
    carescore: float | None = _d("0-100; null without enough data")
    ranked: bool = _d("false: not enough data to rank")
    rank_overall: int | None = _d("1 is best, among all ranked brands")
    rank_sector: int | None = _d("1 is best, within the brand's sector")
    reply_rate: float | None = _d("answered / actionable, 0-1")
    reply_rate_low: float | None = _d("95% Wilson interval, low end")
    reply_rate_high: float | None = _d("95% Wilson interval, high end")
    median_reply_s: float | None = _d("median delay to the first reply, seconds")
    median_reply_low_s: float | None = _d("95% interval of the median, low end, seconds")
    median_reply_high_s: float | None = _d("95% interval of the median, high end, seconds")
    p90_reply_s: float | None = _d("90th percentile of the delay, seconds")
    p90_reply_low_s: float | None = _d(
        "95% distribution-free interval of the p90, low end; null with too few answered cases "
        "(2.0 only)"
    )
    p90_reply_high_s: float | None = _d("95% interval of the p90, high end, seconds")
    within_1h: float | None = _d("share of cases (1.0: posts) answered within one hour, 0-1")
    within_1h_low: float | None = _d("95% Wilson interval, low end")
    within_1h_high: float | None = _d("95% Wilson interval, high end")
    within_30m: float | None = _d("share of cases (1.0: posts) answered within 30 minutes, 0-1")
    within_30m_low: float | None = _d("95% Wilson interval, low end; null on 1.0 snapshots")
    within_30m_high: float | None = _d("95% Wilson interval, high end")
    median_business_s: float | None = _d("median delay in business hours, seconds")
    median_business_low_s: float | None = _d(
        "95% distribution-free interval of that median, low end, seconds; null under 6 "
        "answers in business hours and on 1.0 snapshots"
    )
    median_business_high_s: float | None = _d("its high end, seconds")
    median_offhours_s: float | None = _d("median delay outside business hours, seconds")
    median_offhours_low_s: float | None = _d(
        "95% distribution-free interval of that median, low end, seconds; null under 6 "
        "answers outside business hours and on 1.0 snapshots"
    )
    median_offhours_high_s: float | None = _d("its high end, seconds")
    satisfaction: float | None = _d("praise share shrunk toward the sector mean, 0-1")
    satisfaction_raw: float | None = _d("praise / (praise + fail), 0-1")
    satisfaction_low: float | None = _d("95% Wilson interval, low end")
    satisfaction_high: float | None = _d("95% Wilson interval, high end")
    satisfaction_corrected: float | None = _d(
        "praise share corrected for the scorer's measured label errors per language (adjusted "
        "classify and count), 0-1; see /methodology"
    )
    satisfaction_corrected_low: float | None = _d(
        "95% interval carrying the sample's and the confusion's uncertainty, low end"
    )
    satisfaction_corrected_high: float | None = _d("95% interval of the corrected share, high end")
    shrunk_toward: str | None = _d(
        "the prior of the shrunk figures: sector, or all (the brand's sector is unknown); null on "
        "1.0 snapshots"
    )
    recovery_rate: float | None = _d("answered fail threads ending positive, 0-1")
    recovery_rate_low: float | None = _d(
        "95% Wilson interval of recovered_n / recovery_n, low end; null on 1.0 snapshots"
    )
    recovery_rate_high: float | None = _d("95% Wilson interval, high end")
    equal_treatment: float | None = _d("reply rate to small authors / to large ones")
    equal_treatment_low: float | None = _d(
        "95% interval of the ratio (MOVER-R from the two rates' Wilson intervals), low end; "
        "null on 1.0 snapshots"
    )
    equal_treatment_high: float | None = _d("95% interval of the ratio, high end")
    mentions: int = _d("posts about the brand in the window")
    inbound_n: int = _d("customer posts")
    praise_n: int = _d("praise posts, before de-duplication")
    fail_n: int = _d("complaint posts, before de-duplication")
    question_n: int
    opinion_n: int = _d("praise + fail after per-author de-duplication")
    actionable_n: int = _d("2.0: cases (as cases_n); 1.0: fail + question posts judged")
    answered_n: int = _d("2.0: answered cases; 1.0: answered posts")
    cases_n: int | None = _d(
        "cases (one customer's request to one brand in one conversation) old enough to be judged; "
        "null on 1.0 snapshots"
    )
    cases_answered_n: int | None = _d("cases the brand answered within 7 days of the opening")
    within_1h_n: int | None = _d("cases answered within one hour")
    within_30m_n: int | None = _d("cases answered within 30 minutes")
    opinion_praise_n: int | None = _d(
        "praise among opinion_n (after de-duplication); opinion_n - opinion_praise_n are complaints"
    )
    recovered_n: int | None = _d("answered fail cases whose customer's last word is positive")
    business_n: int = _d("answers given in business hours")
    offhours_n: int = _d("answers given outside business hours")
    recovery_n: int = _d("answered fail threads")
    small_authors_n: int = _d("actionable posts by authors under 1,000 followers")
    large_authors_n: int = _d("actionable posts by authors with 10,000 followers or more")
    small_answered_n: int | None = _d("answered cases among small_authors_n; null on 1.0 snapshots")
    large_answered_n: int | None = _d("answered cases among large_authors_n")
    human_labels_n: int = _d(
        "customer posts of the window whose label or reply a reviewer corrected (accepted "
        "disputes); every other label is the scorer's"
    )
    topics: dict[str, int] = _d("complaint topic: number of posts")
    delay_histogram: dict[str, int] = _d("delay bucket: number of answers")


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


class _Period(Public):
    """What names the figures of a table: every row says which period and rules it shows."""

    brand: str = _d("brand slug")
    window: Window = _d("90d, month or all")
    period: str = _d("the as-of date for 90d and all, YYYY-MM for month")
    is_final: bool = _d("a closed month: these figures are never rewritten")
    methodology_version: str = _d("version of the rules that produced these figures")


class TopicRowPublic(_Period):
    """One line of a brand page's complaint topics table."""

    topic: str = _d("complaint topic code")
    complaints: int = _d("complaint posts about this topic in the period")


class DelayRowPublic(_Period):
    """One line of a brand page's reply delay table."""

    band: str = _d("delay band of the first reply, as the brand page shows it")
    replies: int = _d("first replies whose delay falls in this band")


def _figures_shape() -> type[Public]:
    """A brand and its figures as one flat row (the brand page's and the comparison's CSV):
    the brand's names, then every field of `MetricsPublic`, described as there."""
    brand_fields: dict[str, Any] = {
        "brand": (str, Field(description="brand slug")),
        "brand_name": (str, ...),
        "sector": (str, ...),
        "country": (str, Field(description="ISO 3166-1 alpha-2")),
        "is_demo": (bool, Field(description="a fictional brand of the demo dataset")),
    }
    metric_fields = {
        name: (info.annotation, info) for name, info in MetricsPublic.model_fields.items()
    }
    return create_model(
        "BrandFiguresPublic",
        __base__=Public,
        __doc__="A brand's figures for one period, with the brand named on the row.",
        **brand_fields,
        **metric_fields,
    )


BrandFiguresPublic = _figures_shape()


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
    label_source: Literal["scorer", "human"] = _d(
        "human when a reviewer accepted a dispute of this post"
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


class _BrandTable(Public):
    """The envelope of one table of a brand page's period."""

    demo: bool
    methodology_version: str
    brand: str = _d("brand slug")
    window: Window
    period: str | None = _d("null when no figures are stored for the period")
    is_final: bool
    count: int


class TopicListPublic(_BrandTable):
    items: list[TopicRowPublic] = _d("most complained-about topic first")


class DelayListPublic(_BrandTable):
    items: list[DelayRowPublic] = _d("fastest band first")


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
