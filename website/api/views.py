"""The JSON API, version 1. Every response says whether it shows demo data.

Each view parses its query with the declared parameters, calls one read function of
`carescore.read` and hands a `...Public` object to the edge, which renders JSON or CSV.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from carescore import METHODOLOGY_VERSION
from carescore.errors import BadCursor, BadInput, NotFound
from carescore.read.brands import brand_directory, brand_report, brand_timeline
from carescore.read.posts import find_posts
from carescore.read.rankings import ranking
from carescore.read.sectors import has_demo_data, list_sectors, sector_slugs
from carescore.reply import Missing, brand_reply
from website.api import cache as api_cache
from website.api import docs as api_docs
from website.api import http as api_http
from website.api import ratelimit, writes
from website.api.build import (
    brand_public,
    metrics_public,
    post_public,
    ranking_row_public,
    sector_public,
)
from website.api.cache import edge_cacheable
from website.api.http import csv_response, document_response, json_response, wants_csv
from website.api.methodology import RULES
from website.api.openapi import document
from website.api.params import (
    BRAND_QUERY,
    BRANDS_QUERY,
    MAX_LIMIT,
    POSTS_QUERY,
    RANKINGS_QUERY,
    BadParameter,
    check_utf8,
    parse,
)
from website.api.reply_schemas import brand_reply_public
from website.api.schemas import (
    BrandDetailPublic,
    BrandListPublic,
    BrandPublic,
    HistoryPublic,
    MethodologyPublic,
    MetricsPublic,
    PostListPublic,
    PostPublic,
    RankingPublic,
    RankingRowPublic,
    RulePublic,
    SectorListPublic,
    SectorPublic,
)
from website.db import get_session
from website.errors import problem

bp = Blueprint("api", __name__)


@bp.record_once
def _edge(state) -> None:
    """The API brings its own HTTP edge, rate limit and documentation page to whichever app
    mounts it, so the factory needs one line for all of it."""
    api_http.init_app(state.app)
    ratelimit.init_app(state.app, bp)
    writes.init_app(state.app)
    api_cache.init_app(state.app)
    state.app.register_blueprint(api_docs.bp)


@bp.before_request
def _refuse_undecodable_query() -> None:
    check_utf8(request.query_string)


@bp.errorhandler(BadParameter)
def _bad_parameter(exc: BadParameter) -> Response:
    return problem(
        400,
        "Bad Request",
        f"{exc.name}: {exc.reason}",
        invalid_params=[{"name": exc.name, "reason": exc.reason}],
    )


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound) -> Response:
    return problem(404, "Not Found", str(exc))


def _page_limit(limit: int, csv: bool) -> int:
    if not csv and limit > MAX_LIMIT:
        raise BadParameter("limit", f"at most {MAX_LIMIT} in JSON (CSV allows more)")
    return limit


def _demo() -> bool:
    return has_demo_data(get_session())


@bp.get("/brands")
@bp.get("/brands.csv", defaults={"fmt": "csv"})
@edge_cacheable
def brands(fmt: str | None = None) -> Response:
    query = parse(request.args, BRANDS_QUERY)
    csv = wants_csv(fmt)
    try:
        page = brand_directory(
            get_session(),
            sector=query["sector"],
            country=query["country"],
            text=query["q"],
            cursor=query["cursor"],
            limit=_page_limit(query["limit"], csv),
        )
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc
    except NotFound as exc:
        raise BadParameter("sector", "unknown sector; see /api/v1/sectors") from exc
    items = [brand_public(listing.brand, listing.accounts) for listing in page.items]
    if csv:
        return csv_response(BrandPublic, items, "brands")
    return json_response(
        BrandListPublic(
            demo=_demo(),
            methodology_version=METHODOLOGY_VERSION,
            count=len(items),
            next_cursor=page.next_cursor,
            items=items,
        )
    )


@bp.get("/brands/<slug>")
@edge_cacheable
def brand(slug: str) -> Response:
    """`?window=all|YYYY-MM|90d` and `?as_of=YYYY-MM-DD` choose the period, as on the site."""
    query = parse(request.args, BRAND_QUERY)
    try:
        report = brand_report(
            get_session(),
            slug,
            window=query["window"],
            as_of=query["as_of"],
            history=False,
            recent=0,
        )
    except BadInput as error:
        raise BadParameter("as_of" if query["as_of"] else "window", str(error)) from None
    score = metrics_public(report.score) if report.score else None
    return json_response(
        BrandDetailPublic(
            demo=report.demo,
            methodology_version=score.methodology_version if score else METHODOLOGY_VERSION,
            brand=brand_public(report.brand, report.accounts),
            score=score,
        )
    )


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
    timeline = brand_timeline(get_session(), slug)
    items = [metrics_public(s) for s in timeline.snapshots]
    if wants_csv(fmt):
        return csv_response(MetricsPublic, items, f"{slug}-history")
    version = items[-1].methodology_version if items else METHODOLOGY_VERSION
    return json_response(
        HistoryPublic(
            demo=_demo(), methodology_version=version, brand=slug, count=len(items), items=items
        )
    )


@bp.get("/rankings")
@bp.get("/rankings.csv", defaults={"fmt": "csv"})
@edge_cacheable
def rankings(fmt: str | None = None) -> Response:
    query = parse(request.args, RANKINGS_QUERY)
    if query["month"] and query["window"] != "month":
        raise BadParameter("month", "only with window=month")
    session = get_session()
    try:
        result = ranking(
            session,
            sector=query["sector"],
            window=query["window"],
            period=query["month"],
            sort=query["sort"],
        )
    except NotFound:
        if query["sector"] and query["sector"] not in sector_slugs(session):
            raise BadParameter("sector", "unknown sector; see /api/v1/sectors") from None
        raise
    rows = [ranking_row_public(r, i) for i, r in enumerate(result.ranked, start=1)]
    rows += [ranking_row_public(r, None) for r in result.not_enough_data]
    if wants_csv(fmt):
        return csv_response(RankingRowPublic, rows, f"ranking-{result.window}")
    return json_response(
        RankingPublic(
            demo=result.demo,
            methodology_version=result.methodology_version or METHODOLOGY_VERSION,
            sector=result.sector,
            window=result.window,
            period=result.period,
            sort=result.sort,
            computed_at=result.computed_at,
            count=len(rows),
            items=rows,
        )
    )


@bp.get("/sectors")
@bp.get("/sectors.csv", defaults={"fmt": "csv"})
@edge_cacheable
def sector_list(fmt: str | None = None) -> Response:
    items = [sector_public(s) for s in list_sectors(get_session())]
    if wants_csv(fmt):
        return csv_response(SectorPublic, items, "sectors")
    return json_response(
        SectorListPublic(
            demo=_demo(), methodology_version=METHODOLOGY_VERSION, count=len(items), items=items
        )
    )


@bp.get("/posts")
@bp.get("/posts.csv", defaults={"fmt": "csv"})
@edge_cacheable
def post_list(fmt: str | None = None) -> Response:
    query = parse(request.args, POSTS_QUERY)
    csv = wants_csv(fmt)
    if query["since"] and query["until"] and query["since"] >= query["until"]:
        raise BadParameter("until", "must be after since")
    try:
        page = find_posts(
            get_session(),
            brand=query["brand"],
            label=query["label"],
            topic=query["topic"],
            since=query["since"],
            until=query["until"],
            cursor=query["cursor"],
            limit=_page_limit(query["limit"], csv),
        )
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc
    items = [post_public(p) for p in page.items]
    if csv:
        response = csv_response(PostPublic, items, "posts")
        if page.next_cursor:
            response.headers["Link"] = f'<?cursor={page.next_cursor}>; rel="next"'
        return response
    return json_response(
        PostListPublic(
            demo=_demo(),
            methodology_version=METHODOLOGY_VERSION,
            count=len(items),
            next_cursor=page.next_cursor,
            items=items,
        )
    )


@bp.get("/methodology")
@edge_cacheable
def methodology() -> Response:
    rules = [RulePublic(name=name, rule=rule) for name, rule in RULES]
    return json_response(
        MethodologyPublic(demo=_demo(), methodology_version=METHODOLOGY_VERSION, rules=rules)
    )


@bp.get("/openapi.json")
@edge_cacheable
def openapi() -> Response:
    return document_response(document())


from website.api import incident_views  # noqa: E402, F401  (registers its routes on bp)
