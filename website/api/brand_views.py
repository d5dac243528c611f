"""/api/v1/brands and each brand's figures, tables, reply and history, and /api/v1/compare,
on the API blueprint (so the same ETag, problem documents, rate limit and cache apply)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response

from carescore import METHODOLOGY_VERSION
from carescore.errors import BadCursor, BadInput, NotFound
from carescore.read.brands import (
    MAX_COMPARED,
    BrandReport,
    brand_report,
    brand_timeline,
    compare_brands,
    parse_slugs,
)
from carescore.read.directory import brand_directory
from carescore.reply import Missing, brand_reply
from website.api.build import (
    METRIC_COLUMNS,
    brand_document,
    brand_public,
    delay_rows,
    directory_document,
    figures_public,
    history_document,
    metrics_public,
    topic_rows,
)
from website.api.cache import edge_cacheable
from website.api.figure_shapes import (
    BrandFiguresPublic,
    DelayListPublic,
    DelayRowPublic,
    MetricsPublic,
    TopicListPublic,
    TopicRowPublic,
)
from website.api.http import csv_response, json_response, wants_csv
from website.api.params import (
    BRAND_QUERY,
    BRANDS_QUERY,
    COMPARE_QUERY,
    BadParameter,
    page_limit,
    query,
    takes,
)
from website.api.reply_schemas import brand_reply_public
from website.api.schemas import (
    BrandPublic,
    CompareItemPublic,
    ComparePublic,
)
from website.api.views import _answer, _demo, _period_failed, _period_name, bp
from website.db import get_session


def _report(slug: str, q: dict[str, Any], accounts: bool = True) -> BrandReport:
    """The brand's figures for the period the query names, as a plain row of the columns
    the API shows, and its accounts when asked (no posts or history): one statement."""
    try:
        return brand_report(
            get_session(),
            slug,
            window=q["window"],
            as_of=q["as_of"],
            accounts=accounts,
            history=False,
            recent=0,
            columns=METRIC_COLUMNS,
        )
    except BadInput as error:
        raise _period_failed(error, q) from None


@bp.get("/brands")
@bp.get("/brands.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*BRANDS_QUERY)
def brands(fmt: str | None = None) -> Response:
    q = query()
    try:
        page = brand_directory(
            get_session(),
            sector=q["sector"],
            country=q["country"],
            text=q["q"],
            cursor=q["cursor"],
            limit=page_limit(q["limit"], wants_csv(fmt)),
        )
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc
    except NotFound as exc:
        raise BadParameter("sector", "unknown sector; see /api/v1/sectors") from exc
    if wants_csv(fmt):
        items = [brand_public(listing.brand, listing.accounts) for listing in page.items]
        return csv_response(BrandPublic, items, "brands")
    return json_response(directory_document(page), "brands")


@bp.get("/brands/<slug>")
@bp.get("/brands/<slug>.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*BRAND_QUERY)
def brand(slug: str, fmt: str | None = None) -> Response:
    """`?window=all|YYYY-MM|90d` and `?as_of=YYYY-MM-DD` choose the period, as on the site.

    The CSV is one row (none when no figures are stored for the period)."""
    report = _report(slug, query())
    name = f"{slug}-{_period_name(report.window, report.period)}"
    if wants_csv(fmt):
        rows = [figures_public(report.brand, report.score)] if report.score else []
        return csv_response(BrandFiguresPublic, rows, name)
    return json_response(brand_document(report), name)


def _score_table(
    slug: str, fmt: str | None, table: str, rows: Callable, row: type, envelope: type
) -> Response:
    """One table of a brand page's period (topics, delays): rows, period and file name."""
    report = _report(slug, query(), accounts=False)
    score = report.score
    return _answer(
        fmt,
        row,
        rows(slug, score),
        f"{slug}-{table}-{_period_name(report.window, report.period)}",
        envelope,
        methodology_version=score.methodology_version if score else METHODOLOGY_VERSION,
        brand=slug,
        window=report.window,
        period=report.period,
        is_final=bool(score and score.is_final),
    )


@bp.get("/brands/<slug>/topics")
@bp.get("/brands/<slug>/topics.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*BRAND_QUERY)
def topics(slug: str, fmt: str | None = None) -> Response:
    return _score_table(slug, fmt, "topics", topic_rows, TopicRowPublic, TopicListPublic)


@bp.get("/brands/<slug>/delays")
@bp.get("/brands/<slug>/delays.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*BRAND_QUERY)
def delays(slug: str, fmt: str | None = None) -> Response:
    return _score_table(slug, fmt, "delays", delay_rows, DelayRowPublic, DelayListPublic)


@bp.get("/brands/<slug>/reply")
@edge_cacheable
def reply(slug: str) -> Response:
    try:
        summary = brand_reply(get_session(), slug)
    except Missing as exc:
        raise NotFound(str(exc)) from exc
    return json_response(brand_reply_public(summary, _demo()))


@bp.get("/brands/<slug>/history")
@bp.get("/brands/<slug>/history.csv", defaults={"fmt": "csv"})
@edge_cacheable
def history(slug: str, fmt: str | None = None) -> Response:
    timeline = brand_timeline(get_session(), slug, columns=METRIC_COLUMNS)
    name = f"{slug}-history"
    if wants_csv(fmt):
        rows = [metrics_public(snapshot) for snapshot in timeline.snapshots]
        return csv_response(MetricsPublic, rows, name)
    return json_response(history_document(timeline), name)


@bp.get("/compare")
@bp.get("/compare.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*COMPARE_QUERY)
def compare(fmt: str | None = None) -> Response:
    """The comparison page's table: two to four brands' figures for one period."""
    q = query()
    slugs = parse_slugs([q["brands"]])
    try:
        reports = compare_brands(get_session(), slugs, window=q["window"], as_of=q["as_of"])
    except NotFound as exc:
        raise BadParameter("brands", str(exc)) from exc
    except BadInput as error:
        if not 2 <= len(slugs) <= MAX_COMPARED:
            raise BadParameter("brands", str(error)) from None
        raise _period_failed(error, q) from None
    first = reports[0]
    name = f"compare-{'-'.join(slugs)}-{_period_name(first.window, first.period)}"
    if wants_csv(fmt):
        rows = [figures_public(r.brand, r.score) for r in reports if r.score]
        return csv_response(BrandFiguresPublic, rows, name)
    items = [
        CompareItemPublic(
            brand=brand_public(r.brand, r.accounts),
            score=metrics_public(r.score) if r.score else None,
        )
        for r in reports
    ]
    versions = [r.score.methodology_version for r in reports if r.score]
    return json_response(
        ComparePublic(
            demo=_demo(),
            methodology_version=versions[0] if versions else METHODOLOGY_VERSION,
            window=first.window,
            period=first.period,
            count=len(items),
            items=items,
        ),
        name,
    )
