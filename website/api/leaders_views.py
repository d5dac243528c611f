"""/api/v1/leaders and its CSV twin, on the API blueprint (so the same ETag, problem
documents, rate limit and cache apply)."""

from __future__ import annotations

from flask import Response

from carescore.errors import BadInput
from carescore.read.overview import sector_digest
from website.api.cache import edge_cacheable
from website.api.leaders_shapes import (
    LEADERS_QUERY,
    LeaderListPublic,
    LeaderRowPublic,
    leader_rows,
)
from website.api.params import query, takes
from website.api.views import _answer, _period_failed, _period_name, bp
from website.db import get_session


@bp.get("/leaders")
@bp.get("/leaders.csv", defaults={"fmt": "csv"})
@edge_cacheable
@takes(*LEADERS_QUERY)
def leader_list(fmt: str | None = None) -> Response:
    """The home page's lists for the live 90 days or `?window=` / `?as_of=`, as it takes them."""
    q = query()
    try:
        chosen, sectors = sector_digest(get_session(), q["window"], q["as_of"])
    except BadInput as error:
        raise _period_failed(error, q) from None
    rows = leader_rows(chosen.window, chosen.period, sectors)
    versions = {r.methodology_version for r in rows if r.methodology_version}
    extra = {"methodology_version": versions.pop()} if len(versions) == 1 else {}
    return _answer(
        fmt,
        LeaderRowPublic,
        rows,
        f"leaders-{_period_name(chosen.window, chosen.period)}",
        LeaderListPublic,
        window=chosen.window,
        period=chosen.period,
        **extra,
    )
