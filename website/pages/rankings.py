"""Home, sector rankings (live and monthly snapshots) and brand search."""

from __future__ import annotations

import re

from flask import abort, redirect, render_template, request, url_for

from carescore.errors import BadInput
from carescore.read import reports
from carescore.read.incidents import broken_now
from carescore.read.overview import overview, sector_ranking
from carescore.read.periods import resolve_period
from carescore.read.search import find_brands
from website.db import get_session
from website.pages import bp

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _sort() -> str:
    sort = request.args.get("sort", "carescore")
    return sort if sort in reports.SORTS else "carescore"


@bp.get("/")
def home():
    """The live 90 days, or the period `?window=all|YYYY-MM` / `?as_of=YYYY-MM-DD` names."""
    session = get_session()
    try:
        view = overview(session, window=request.args.get("window"), as_of=request.args.get("as_of"))
    except BadInput as error:
        abort(400, str(error))
    return render_template("home.html", overview=view, broken=broken_now(session))


@bp.get("/rankings/<sector>")
def sector(sector: str):
    """The live ranking, or `?window=all` / `?as_of=YYYY-MM-DD`; `?window=month` or
    `?window=YYYY-MM` go to that monthly snapshot's permalink."""
    window = request.args.get("window")
    if window == "month":
        latest = reports.latest_period(get_session(), "month")
        if latest is None:
            abort(404)
        return redirect(url_for(".snapshot", sector=sector, period=latest, sort=_sort()))
    try:
        chosen = resolve_period(get_session(), window, request.args.get("as_of"))
    except BadInput as error:
        abort(400, str(error))
    if chosen.window == "month":
        return redirect(url_for(".snapshot", sector=sector, period=chosen.period, sort=_sort()))
    try:
        view = sector_ranking(get_session(), sector, chosen.window, chosen.period, sort=_sort())
    except reports.NotFound:
        abort(404)
    broken = broken_now(get_session(), sector)
    return render_template("rankings.html", view=view, ranking=view.ranking, broken=broken)


@bp.get("/rankings/<sector>/<period>")
def snapshot(sector: str, period: str):
    """A monthly snapshot: final once the month is over, so its permalink can be cited."""
    if not MONTH.fullmatch(period):
        abort(404)
    try:
        view = sector_ranking(get_session(), sector, "month", period, sort=_sort())
    except reports.NotFound:
        abort(404)
    return render_template("rankings.html", view=view, ranking=view.ranking)


@bp.get("/search")
def search():
    query = request.args.get("q", "")
    return render_template("search.html", query=query, results=find_brands(get_session(), query))
