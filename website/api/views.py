"""The JSON API, version 1. Every response says whether it shows demo data.

Each view parses its query with the declared parameters, calls one read function of
`carescore.read` and hands a `...Public` object to the edge, which renders JSON or CSV.
This module holds the blueprint, the helpers every view answers with, and the rankings,
search, movers, sectors, posts and documents; `brand_views` and `incident_views` add
their resources' routes to the same blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from carescore import METHODOLOGY_VERSION
from carescore.errors import BadCursor, BadInput, NotFound
from carescore.read.overview import movers
from carescore.read.posts import find_posts
from carescore.read.rankings import ranking
from carescore.read.search import find_brands
from carescore.read.sectors import has_demo_data, list_sectors, sector_slugs
from website.api import cache as api_cache
from website.api import docs as api_docs
from website.api import http as api_http
from website.api import ratelimit, writes
from website.api.build import (
    RANKING_ROW_COLUMNS,
    mover_public,
    post_list_document,
    post_public,
    ranking_document,
    ranking_rows_public,
    search_row_public,
    sector_public,
)
from website.api.cache import edge_cacheable
from website.api.http import bytes_response, csv_response, json_response, wants_csv
from website.api.methodology import RULES
from website.api.openapi import document_etag, document_json
from website.api.params import (
    POSTS_QUERY,
    RANKINGS_QUERY,
    SEARCH_QUERY,
    BadParameter,
    check_query,
    check_span,
    page_limit,
    query,
    takes,
)
from website.api.schemas import (
    MethodologyPublic,
    MoverListPublic,
    MoverPublic,
    PostPublic,
    Public,
    RankingRowPublic,
    RulePublic,
    SearchPublic,
    SearchRowPublic,
    SectorListPublic,
    SectorPublic,
)
from website.db import get_session
from website.errors import problem

bp = Blueprint("api", __name__)
check_query(bp)


@bp.record_once
def _edge(state) -> None:
    """The API brings its own HTTP edge, rate limit and documentation page to whichever app
    mounts it, so the factory needs one line for all of it."""
    api_http.init_app(state.app)
    ratelimit.init_app(state.app, bp)
    writes.init_app(state.app)
    api_cache.init_app(state.app)
    state.app.register_blueprint(api_docs.bp)


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound) -> Response:
    return problem(404, "Not Found", str(exc))


def _demo() -> bool:
    return has_demo_data(get_session())


def _answer(
    fmt: str | None,
    row: type[Public],
    rows: list[Public],
    filename: str,
    envelope: type[Public],
    **fields: Any,
) -> Response:
    """A table as CSV (`row` per line) or as its JSON envelope, both named `filename`.

    Every envelope says whether the data are the demo's and which rules made them
    (`methodology_version` defaults to the current one).
    """
    if wants_csv(fmt):
        return csv_response(row, rows, filename)
    fields.setdefault("methodology_version", METHODOLOGY_VERSION)
    if "demo" not in fields:
        fields["demo"] = _demo()
    return json_response(envelope(count=len(rows), items=rows, **fields), filename)


def _period_failed(error: BadInput, q: dict[str, Any]) -> BadParameter:
    return BadParameter("as_of" if q.get("as_of") else "window", str(error))


def _period_name(window: str, period: str | None) -> str:
    """How a file name says its period: 2026-10, 90d-2026-12-01, all-2026-12-01."""
    if period is None:
        return window
    return period if window == "month" else f"{window}-{period}"


@bp.get("/rankings")
@bp.get("/rankings.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*RANKINGS_QUERY)
def rankings(fmt: str | None = None) -> Response:
    """`?window=month&month=YYYY-MM`, or `?window=90d|all&as_of=YYYY-MM-DD`: the period."""
    q = query()
    if q["month"] and q["window"] != "month":
        raise BadParameter("month", "only with window=month")
    if q["as_of"] and q["window"] == "month":
        raise BadParameter("as_of", "only with window=90d or all; name a month with month=")
    session = get_session()
    try:
        result = ranking(
            session,
            sector=q["sector"],
            window=q["window"],
            period=q["month"] or q["as_of"],
            sort=q["sort"],
            columns=RANKING_ROW_COLUMNS,
        )
    except NotFound:
        if q["sector"] and q["sector"] not in sector_slugs(session):
            raise BadParameter("sector", "unknown sector; see /api/v1/sectors") from None
        raise
    scope = result.sector or "all-sectors"
    name = f"ranking-{scope}-{_period_name(result.window, result.period)}"
    if wants_csv(fmt):
        return csv_response(RankingRowPublic, ranking_rows_public(result), name)
    return json_response(ranking_document(result), name)


@bp.get("/search")
@bp.get("/search.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*SEARCH_QUERY)
def search(fmt: str | None = None) -> Response:
    """The site's search results with their live Carescore, as the search page lists them."""
    text = " ".join(query()["q"].split())
    rows = [search_row_public(r) for r in find_brands(get_session(), text)]
    return _answer(fmt, SearchRowPublic, rows, "search", SearchPublic, q=text)


@bp.get("/movers")
@bp.get("/movers.csv", defaults={"fmt": "csv"})
@edge_cacheable
def mover_list(fmt: str | None = None) -> Response:
    """The home page's biggest movers between the two newest final months."""
    rows = [mover_public(m) for m in movers(get_session())]
    name = f"movers-{rows[0].previous_period}-{rows[0].period}" if rows else "movers"
    return _answer(fmt, MoverPublic, rows, name, MoverListPublic)


@bp.get("/sectors")
@bp.get("/sectors.csv", defaults={"fmt": "csv"})
@edge_cacheable
def sector_list(fmt: str | None = None) -> Response:
    items = [sector_public(s) for s in list_sectors(get_session())]
    return _answer(fmt, SectorPublic, items, "sectors", SectorListPublic)


@bp.get("/posts")
@bp.get("/posts.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*POSTS_QUERY)
def post_list(fmt: str | None = None) -> Response:
    q = query()
    check_span(q["since"], q["until"])
    try:
        page = find_posts(
            get_session(),
            brand=q["brand"],
            label=q["label"],
            topic=q["topic"],
            since=q["since"],
            until=q["until"],
            cursor=q["cursor"],
            limit=page_limit(q["limit"], wants_csv(fmt)),
        )
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc
    if not wants_csv(fmt):
        return json_response(post_list_document(page, _demo()), "posts")
    response = csv_response(PostPublic, [post_public(p) for p in page.items], "posts")
    if page.next_cursor:
        response.headers["Link"] = f'<?cursor={page.next_cursor}>; rel="next"'
    return response


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
    return bytes_response(document_json(), document_etag())


from website.api import (  # noqa: E402, F401  (register their routes on bp)
    accuracy_views,
    brand_views,
    incident_views,
    leaders_views,
)
