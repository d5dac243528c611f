"""Home, sector rankings (live and monthly snapshots) and brand search."""

from __future__ import annotations

import re

from flask import abort, redirect, render_template, request, url_for

from carescore.read.incidents import broken_now
from carescore.read.overview import overview
from carescore.read.periods import resolve_period
from carescore.read.refs import latest_period
from carescore.read.search import find_brands
from carescore.read.sector_page import sector_page
from carescore.vocab import SORTS
from website.db import get_session
from website.pages import bp

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _sort() -> str:
    sort = request.args.get("sort", "carescore")
    return sort if sort in SORTS else "carescore"


@bp.get("/")
def home():
    """The live 90 days, or the period `?window=all|YYYY-MM` / `?as_of=YYYY-MM-DD` names."""
    session = get_session()
    view = overview(session, window=request.args.get("window"), as_of=request.args.get("as_of"))
    broken = broken_now(session)
    return render_template("home.html", overview=view, broken=broken, demo=view.demo)


@bp.get("/rankings/<sector>")
def sector(sector: str):
    """The live ranking, or `?window=all` / `?as_of=YYYY-MM-DD`; `?window=month` or
    `?window=YYYY-MM` go to that monthly snapshot's permalink."""
    window = request.args.get("window")
    if window == "month":
        latest = latest_period(get_session(), "month")
        if latest is None:
            abort(404)
        return redirect(url_for(".snapshot", sector=sector, period=latest, sort=_sort()))
    chosen = resolve_period(get_session(), window, request.args.get("as_of"))
    if chosen.window == "month":
        return redirect(url_for(".snapshot", sector=sector, period=chosen.period, sort=_sort()))
    view = sector_page(get_session(), sector, chosen.window, chosen.period, sort=_sort())
    broken = broken_now(get_session(), sector)
    return render_template(
        "rankings.html", view=view, ranking=view.ranking, broken=broken, demo=view.ranking.demo
    )


@bp.get("/rankings/<sector>/<period>")
def snapshot(sector: str, period: str):
    """A monthly snapshot: final once the month is over, so its permalink can be cited."""
    if not MONTH.fullmatch(period):
        abort(404)
    view = sector_page(get_session(), sector, "month", period, sort=_sort())
    return render_template("rankings.html", view=view, ranking=view.ranking, demo=view.ranking.demo)


@bp.get("/search")
def search():
    query = request.args.get("q", "")
    return render_template("search.html", query=query, results=find_brands(get_session(), query))
