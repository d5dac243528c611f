"""The brand page and the side-by-side comparison."""

from __future__ import annotations

from flask import abort, render_template, request

from carescore.errors import BadInput
from carescore.read.brandreport import MAX_COMPARED, brand_report, compare_brands, parse_slugs
from carescore.read.catalog import list_brands
from carescore.read.incidents import brand_incidents
from carescore.read.reports import NotFound
from website.db import get_session
from website.pages import bp


@bp.get("/brands/<slug>")
def brand(slug: str):
    try:
        report = brand_report(
            get_session(),
            slug,
            window=request.args.get("window"),
            as_of=request.args.get("as_of"),
        )
    except NotFound:
        abort(404)
    except BadInput as error:
        abort(400, str(error))
    incidents = brand_incidents(get_session(), slug)
    return render_template("brand.html", report=report, score=report.score, incidents=incidents)


@bp.get("/compare")
def compare():
    """`?brands=a,b,c` compares; with fewer than two brands the page offers a picker instead."""
    slugs = parse_slugs(request.args.getlist("brands"))
    if len(slugs) < 2:
        return render_template(
            "compare.html", reports=[], slugs=slugs, brands=list_brands(get_session())
        )
    if len(slugs) > MAX_COMPARED:
        abort(400, f"Compare at most {MAX_COMPARED} brands.")
    try:
        reports = compare_brands(get_session(), slugs)
    except NotFound:
        abort(404)
    return render_template("compare.html", reports=reports, slugs=slugs, brands=[])
