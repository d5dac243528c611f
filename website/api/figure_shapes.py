"""A brand's figures for one period, as the API publishes them: every figure with its
interval and counts (`MetricsPublic`), the same as one flat CSV row with the brand named
on it, and the brand page's topic and delay tables, whose every row names its period and
rules. Apart from `website.api.schemas` because these shapes are most of its length.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, create_model

from website.api.shape_base import Public, UTCTime, Window
from website.api.shape_base import described as _d


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
