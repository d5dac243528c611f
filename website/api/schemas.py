"""What leaves the building: one `...Public` shape per entity of the API.

The shapes are plain dataclasses of JSON values, so the same object renders as JSON or as
a CSV row, and `json_schema` derives the OpenAPI schemas from them: a field added here is
documented at once. Field names are snake_case and stable within v1; times are ISO 8601
UTC strings ending in Z; durations are seconds.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from carescore.read.catalog import sector_name
from carescore.read.reports import BrandRef, PostRef, RankedBrand
from carescore.store.models import BrandAccount, BrandScore


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, whole seconds: the one time format of the API."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _finite(value: float | None) -> float | None:
    """JSON has no NaN or infinity; a figure that is not a number is absent."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass
class AccountPublic:
    platform: str
    handle: str = field(
        metadata={"description": "as written on the platform, without the leading @"}
    )


@dataclass
class BrandPublic:
    slug: str
    name: str
    sector: str
    country: str = field(metadata={"description": "ISO 3166-1 alpha-2"})
    is_demo: bool = field(metadata={"description": "a fictional brand of the demo dataset"})
    accounts: list[AccountPublic] = field(
        metadata={"description": "official accounts whose replies count"}
    )


@dataclass
class MetricsPublic:
    """Every published figure of one brand for one window and period."""

    window: str = field(metadata={"description": "90d, month or all"})
    period: str = field(
        metadata={"description": "the as-of date for 90d and all, YYYY-MM for month"}
    )
    period_start: str | None = field(
        metadata={"description": "start of the window (inclusive)", "format": "date-time"}
    )
    period_end: str | None = field(
        metadata={"description": "end of the window (exclusive)", "format": "date-time"}
    )
    is_final: bool = field(
        metadata={"description": "a closed month: this snapshot is never rewritten"}
    )
    methodology_version: str = field(
        metadata={"description": "version of the rules that produced these figures"}
    )
    computed_at: str | None = field(
        metadata={"description": "when the figures were computed", "format": "date-time"}
    )
    carescore: float | None = field(metadata={"description": "0-100; null without enough data"})
    ranked: bool = field(metadata={"description": "false: not enough data to rank"})
    rank_overall: int | None = field(metadata={"description": "1 is best, among all ranked brands"})
    rank_sector: int | None = field(
        metadata={"description": "1 is best, within the brand's sector"}
    )
    reply_rate: float | None = field(metadata={"description": "answered / actionable, 0-1"})
    reply_rate_low: float | None = field(metadata={"description": "95% Wilson interval, low end"})
    reply_rate_high: float | None = field(metadata={"description": "95% Wilson interval, high end"})
    median_reply_s: float | None = field(
        metadata={"description": "median delay to the first reply, seconds"}
    )
    median_reply_low_s: float | None = field(
        metadata={"description": "95% interval of the median, low end, seconds"}
    )
    median_reply_high_s: float | None = field(
        metadata={"description": "95% interval of the median, high end, seconds"}
    )
    p90_reply_s: float | None = field(
        metadata={"description": "90th percentile of the delay, seconds"}
    )
    p90_reply_low_s: float | None = field(
        metadata={
            "description": "95% distribution-free interval of the p90, low end; null "
            "with too few answered cases (2.0 only)"
        }
    )
    p90_reply_high_s: float | None = field(
        metadata={"description": "95% interval of the p90, high end, seconds"}
    )
    within_1h: float | None = field(
        metadata={"description": "share of cases (1.0: posts) answered within one hour, 0-1"}
    )
    within_1h_low: float | None = field(metadata={"description": "95% Wilson interval, low end"})
    within_1h_high: float | None = field(metadata={"description": "95% Wilson interval, high end"})
    within_30m: float | None = field(
        metadata={"description": "share of cases (1.0: posts) answered within 30 minutes, 0-1"}
    )
    median_business_s: float | None = field(
        metadata={"description": "median delay in business hours, seconds"}
    )
    median_offhours_s: float | None = field(
        metadata={"description": "median delay outside business hours, seconds"}
    )
    satisfaction: float | None = field(
        metadata={"description": "praise share shrunk toward the sector mean, 0-1"}
    )
    satisfaction_raw: float | None = field(
        metadata={"description": "praise / (praise + fail), 0-1"}
    )
    satisfaction_low: float | None = field(metadata={"description": "95% Wilson interval, low end"})
    satisfaction_high: float | None = field(
        metadata={"description": "95% Wilson interval, high end"}
    )
    satisfaction_corrected: float | None = field(
        metadata={
            "description": "praise share corrected for the scorer's measured label "
            "errors per language (adjusted classify and count), 0-1; see /methodology"
        }
    )
    satisfaction_corrected_low: float | None = field(
        metadata={
            "description": "95% interval carrying the sample's and the confusion's "
            "uncertainty, low end"
        }
    )
    satisfaction_corrected_high: float | None = field(
        metadata={"description": "95% interval of the corrected share, high end"}
    )
    shrunk_toward: str | None = field(
        metadata={
            "description": "the prior of the shrunk figures: sector, or all (the "
            "brand's sector is unknown); null on 1.0 snapshots"
        }
    )
    recovery_rate: float | None = field(
        metadata={"description": "answered fail threads ending positive, 0-1"}
    )
    equal_treatment: float | None = field(
        metadata={"description": "reply rate to small authors / to large ones"}
    )
    mentions: int = field(metadata={"description": "posts about the brand in the window"})
    inbound_n: int = field(metadata={"description": "customer posts"})
    praise_n: int = field(metadata={"description": "praise posts, before de-duplication"})
    fail_n: int = field(metadata={"description": "complaint posts, before de-duplication"})
    question_n: int
    opinion_n: int = field(
        metadata={"description": "praise + fail after per-author de-duplication"}
    )
    actionable_n: int = field(
        metadata={"description": "2.0: cases (as cases_n); 1.0: fail + question posts judged"}
    )
    answered_n: int = field(metadata={"description": "2.0: answered cases; 1.0: answered posts"})
    cases_n: int | None = field(
        metadata={
            "description": "cases (one customer's request to one brand in one "
            "conversation) old enough to be judged; null on 1.0 snapshots"
        }
    )
    cases_answered_n: int | None = field(
        metadata={"description": "cases the brand answered within 7 days of the opening"}
    )
    within_1h_n: int | None = field(metadata={"description": "cases answered within one hour"})
    within_30m_n: int | None = field(metadata={"description": "cases answered within 30 minutes"})
    opinion_praise_n: int | None = field(
        metadata={
            "description": "praise among opinion_n (after de-duplication); "
            "opinion_n - opinion_praise_n are complaints"
        }
    )
    recovered_n: int | None = field(
        metadata={"description": "answered fail cases whose customer's last word is positive"}
    )
    business_n: int = field(metadata={"description": "answers given in business hours"})
    offhours_n: int = field(metadata={"description": "answers given outside business hours"})
    recovery_n: int = field(metadata={"description": "answered fail threads"})
    small_authors_n: int = field(
        metadata={"description": "actionable posts by authors under 1,000 followers"}
    )
    large_authors_n: int = field(
        metadata={"description": "actionable posts by authors with 10,000 followers or more"}
    )
    human_labels_n: int = field(
        metadata={
            "description": "customer posts of the window whose label or reply a reviewer "
            "corrected (accepted disputes); every other label is the scorer's"
        }
    )
    topics: dict[str, int] = field(metadata={"description": "complaint topic: number of posts"})
    delay_histogram: dict[str, int] = field(
        metadata={"description": "delay bucket: number of answers"}
    )


_METRIC_FLOATS = [f.name for f in dataclasses.fields(MetricsPublic) if "float" in str(f.type)]
_METRIC_INTS = [f.name for f in dataclasses.fields(MetricsPublic) if f.type == "int"]
_METRIC_COUNTS = ["cases_n", "cases_answered_n", "within_1h_n", "within_30m_n"]
_METRIC_COUNTS += ["opinion_praise_n", "recovered_n"]  # null on 1.0 snapshots


@dataclass
class RankingRowPublic:
    position: int | None = field(
        metadata={"description": "place in this list by the sort metric; null when not ranked"}
    )
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


@dataclass
class SectorPublic:
    slug: str
    name_en: str
    name_fr: str
    brand_count: int


@dataclass
class PostPublic:
    platform: str
    external_id: str
    url: str | None = field(metadata={"description": "the original post"})
    author_handle: str | None
    created_at: str = field(
        metadata={"description": "when the post was published", "format": "date-time"}
    )
    text: str = field(metadata={"description": "plain text, never HTML"})
    lang: str = field(metadata={"description": "en, fr or other"})
    label: str | None = field(
        metadata={
            "description": "praise, fail, question or neutral; null if not judged "
            "(a language other than en or fr)"
        }
    )
    label_source: str = field(
        metadata={
            "enum": ["scorer", "human"],
            "description": "human when a reviewer accepted a dispute of this post",
        }
    )
    topics: list[str]
    sentiment: float | None = field(
        metadata={"description": "the scorer's P(praise) - P(fail), -1 to 1"}
    )
    first_reply_seconds: int | None = field(
        metadata={"description": "delay to the brand's first reply; null if none"}
    )
    brand_slug: str | None
    cues: list[str] = field(
        metadata={
            "description": "what the label rests on, strongest first: words, word pairs or "
            "cue families that pushed the scorer hardest towards it (docs/model-card.md)"
        }
    )


# Envelopes: every response says whether it shows demo data.


@dataclass
class BrandListPublic:
    demo: bool
    methodology_version: str
    count: int = field(metadata={"description": "items on this page"})
    next_cursor: str | None = field(
        metadata={"description": "pass as cursor for the next page; null on the last"}
    )
    items: list[BrandPublic]


@dataclass
class BrandDetailPublic:
    demo: bool
    methodology_version: str
    brand: BrandPublic
    score: MetricsPublic | None = field(
        metadata={
            "description": "the figures of the period asked for (window, as_of; default "
            "the newest 90 days); null when none is stored"
        }
    )


@dataclass
class HistoryPublic:
    demo: bool
    methodology_version: str
    brand: str = field(metadata={"description": "brand slug"})
    count: int
    items: list[MetricsPublic] = field(metadata={"description": "monthly snapshots, oldest first"})


@dataclass
class RankingPublic:
    demo: bool
    methodology_version: str
    sector: str | None
    window: str
    period: str | None = field(metadata={"description": "null when nothing has been computed yet"})
    sort: str
    computed_at: str | None = field(
        metadata={"description": "newest computation among the rows", "format": "date-time"}
    )
    count: int
    items: list[RankingRowPublic] = field(
        metadata={"description": "ranked brands first, then not enough data"}
    )


@dataclass
class SectorListPublic:
    demo: bool
    methodology_version: str
    count: int
    items: list[SectorPublic]


@dataclass
class PostListPublic:
    demo: bool
    methodology_version: str
    count: int
    next_cursor: str | None
    items: list[PostPublic]


@dataclass
class RulePublic:
    name: str
    rule: str


@dataclass
class MethodologyPublic:
    demo: bool
    methodology_version: str
    rules: list[RulePublic]


@dataclass
class ProblemParamPublic:
    name: str
    reason: str


# Builders from the read model.


def account_public(account: BrandAccount) -> AccountPublic:
    return AccountPublic(account.platform, account.handle)


def brand_public(ref: BrandRef, accounts: list[BrandAccount]) -> BrandPublic:
    return BrandPublic(
        ref.slug,
        ref.name,
        ref.sector,
        ref.country,
        ref.is_demo,
        [account_public(a) for a in accounts],
    )


def metrics_public(score: BrandScore) -> MetricsPublic:
    values: dict[str, Any] = {name: _finite(getattr(score, name)) for name in _METRIC_FLOATS}
    values |= {name: int(getattr(score, name) or 0) for name in _METRIC_INTS}
    values |= {
        name: None if getattr(score, name) is None else int(getattr(score, name))
        for name in _METRIC_COUNTS
    }
    return MetricsPublic(
        shrunk_toward=score.shrunk_toward,
        window=score.window,
        period=score.period,
        period_start=iso(score.period_start),
        period_end=iso(score.period_end),
        is_final=bool(score.is_final),
        methodology_version=score.methodology_version,
        computed_at=iso(score.computed_at),
        ranked=bool(score.ranked),
        rank_overall=score.rank_overall,
        rank_sector=score.rank_sector,
        topics={str(k): int(v) for k, v in (score.topics or {}).items()},
        delay_histogram={str(k): int(v) for k, v in (score.delay_histogram or {}).items()},
        **values,
    )


def ranking_row_public(row: RankedBrand, position: int | None) -> RankingRowPublic:
    s, b = row.score, row.brand
    return RankingRowPublic(
        position=position,
        slug=b.slug,
        name=b.name,
        sector=b.sector,
        country=b.country,
        is_demo=b.is_demo,
        ranked=bool(s.ranked),
        carescore=_finite(s.carescore),
        rank_overall=s.rank_overall,
        rank_sector=s.rank_sector,
        reply_rate=_finite(s.reply_rate),
        reply_rate_low=_finite(s.reply_rate_low),
        reply_rate_high=_finite(s.reply_rate_high),
        median_reply_s=_finite(s.median_reply_s),
        median_reply_low_s=_finite(s.median_reply_low_s),
        median_reply_high_s=_finite(s.median_reply_high_s),
        within_1h=_finite(s.within_1h),
        satisfaction=_finite(s.satisfaction),
        satisfaction_low=_finite(s.satisfaction_low),
        satisfaction_high=_finite(s.satisfaction_high),
        opinion_n=int(s.opinion_n or 0),
        actionable_n=int(s.actionable_n or 0),
        inbound_n=int(s.inbound_n or 0),
    )


def sector_public(slug: str, brand_count: int) -> SectorPublic:
    return SectorPublic(slug, sector_name(slug, "en"), sector_name(slug, "fr"), brand_count)


def post_public(post: PostRef) -> PostPublic:
    return PostPublic(
        platform=post.platform,
        external_id=post.external_id,
        url=post.url,
        author_handle=post.author_handle,
        created_at=iso(post.created_at) or "",
        text=post.text,
        lang=post.lang,
        label=post.label,
        label_source=post.label_source,
        topics=list(post.topics),
        sentiment=_finite(post.sentiment),
        first_reply_seconds=post.first_reply_seconds,
        brand_slug=post.brand_slug,
        cues=list(post.cues),
    )


# JSON Schema (2020-12, as OpenAPI 3.1 uses it) derived from the shapes above.

_PRIMITIVES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _type_schema(hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = _type_schema(options[0])
        if "type" in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list:
        return {"type": "array", "items": _type_schema(typing.get_args(hint)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(typing.get_args(hint)[1])}
    if dataclasses.is_dataclass(hint):
        return {"$ref": f"#/components/schemas/{hint.__name__}"}
    return {"type": _PRIMITIVES[hint]}


def json_schema(shape: type) -> dict[str, Any]:
    """The closed JSON Schema of a `...Public` dataclass: every field required, no others."""
    hints = typing.get_type_hints(shape)
    properties = {}
    for f in dataclasses.fields(shape):
        prop = _type_schema(hints[f.name])
        extra = dict(f.metadata)
        if "format" in extra and "type" in prop:
            prop["format"] = extra.pop("format")
        prop.update(extra)
        properties[f.name] = prop
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if shape.__doc__ and not shape.__doc__.startswith(shape.__name__ + "("):
        schema["description"] = shape.__doc__.strip()
    return schema


def nested_shapes(shape: type, seen: dict[str, type] | None = None) -> dict[str, type]:
    """`shape` and every dataclass it refers to, by name."""
    seen = {} if seen is None else seen
    seen[shape.__name__] = shape
    for hint in typing.get_type_hints(shape).values():
        for candidate in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(candidate) and candidate.__name__ not in seen:
                nested_shapes(candidate, seen)
    return seen
