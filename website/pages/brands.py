"""The brand page and the side-by-side comparison."""

from __future__ import annotations

from flask import render_template, request

from carescore.read.brand_page import brand_page
from carescore.read.brands import MAX_COMPARED, brand_choices, compare_brands, parse_slugs
from website.db import get_session
from website.pages import bp
from website.pages.brand_parts import kept_parts


@bp.get("/brands/<slug>")
def brand(slug: str):
    report = brand_page(
        get_session(), slug, window=request.args.get("window"), as_of=request.args.get("as_of")
    )
    return render_template(
        "brand.html",
        report=report,
        score=report.score,
        incidents=report.incidents,
        kept=kept_parts(report),
        demo=report.demo,
    )


@bp.get("/compare")
def compare():
    """`?brands=a,b,c` compares; with fewer than two brands, or more than the comparison
    takes, the page offers the picker again with the choice kept and says why (a 400 for
    too many, so a link asking for five brands is not mistaken for a comparison). The period
    is the one `?window=` / `?as_of=` name, default the live 90 days."""
    slugs = parse_slugs(request.args.getlist("brands"))
    if not 2 <= len(slugs) <= MAX_COMPARED:
        too_many = len(slugs) > MAX_COMPARED
        body = render_template(
            "compare.html",
            reports=[],
            slugs=slugs,
            brands=brand_choices(get_session()),
            max_compared=MAX_COMPARED,
            too_many=too_many,
        )
        return body, 400 if too_many else 200
    reports = compare_brands(
        get_session(), slugs, window=request.args.get("window"), as_of=request.args.get("as_of")
    )
    return render_template(
        "compare.html", reports=reports, slugs=slugs, brands=[], max_compared=MAX_COMPARED
    )
