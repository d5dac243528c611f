"""Pages made to be framed by other sites: a brand's trend chart. Nothing else may be framed.

A blueprint of its own, named `embed`, which `website.security` allows in frames.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from carescore.read.brandreport import brand_report
from carescore.read.reports import NotFound
from website.db import get_session

bp = Blueprint("embed", __name__)


@bp.get("/embed/brands/<slug>")
def brand_chart(slug: str):
    try:
        report = brand_report(get_session(), slug, recent=0)
    except NotFound:
        abort(404)
    return render_template("embed_brand.html", report=report, score=report.score)
