"""/api/v1/incidents and /api/v1/brands/<slug>/incidents, JSON or CSV, on the API blueprint
(so the same ETag, problem documents, rate limit and cache apply)."""

from __future__ import annotations

from typing import Any

from flask import Response

from carescore import METHODOLOGY_VERSION
from carescore.read import incidents as read
from carescore.read.sectors import sector_slugs
from website.api.cache import edge_cacheable
from website.api.http import csv_response, json_response, wants_csv
from website.api.incident_shapes import (
    BRAND_INCIDENTS_QUERY,
    INCIDENTS_QUERY,
    IncidentListPublic,
    IncidentPublic,
    incident_public,
)
from website.api.params import BadParameter, check_span, page_limit, query, takes
from website.api.views import _demo, bp
from website.db import get_session


def _respond(q: dict[str, Any], fmt: str | None, filename: str, **scope: Any) -> Response:
    csv = wants_csv(fmt)
    check_span(q["since"], q["until"])
    try:
        page = read.find_incidents(
            get_session(),
            topic=q["topic"],
            is_open=q["open"],
            since=q["since"],
            until=q["until"],
            cursor=q["cursor"],
            limit=page_limit(q["limit"], csv),
            **scope,
        )
    except read.BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from exc
    items = [incident_public(v) for v in page.items]
    if csv:
        return csv_response(IncidentPublic, items, filename)
    return json_response(
        IncidentListPublic(
            demo=_demo(),
            methodology_version=METHODOLOGY_VERSION,
            count=len(items),
            next_cursor=page.next_cursor,
            items=items,
        ),
        filename,
    )


@bp.get("/incidents")
@bp.get("/incidents.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*INCIDENTS_QUERY)
def incident_list(fmt: str | None = None) -> Response:
    q = query()
    sector = q["sector"]
    if sector and sector not in sector_slugs(get_session()):
        raise BadParameter("sector", "unknown sector; see /api/v1/sectors")
    try:
        return _respond(q, fmt, "incidents", brand_slug=q["brand"], sector=sector)
    except read.NotFound as exc:
        raise BadParameter("brand", "unknown brand; see /api/v1/brands") from exc


@bp.get("/brands/<slug>/incidents")
@bp.get("/brands/<slug>/incidents.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*BRAND_INCIDENTS_QUERY)
def brand_incident_list(slug: str, fmt: str | None = None) -> Response:
    return _respond(query(), fmt, f"{slug}-incidents", brand_slug=slug)
