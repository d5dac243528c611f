"""Pages made to be framed by other sites: a brand's trend chart. Nothing else may be framed.

A blueprint of its own, named `embed`, which `website.security` allows in frames.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from carescore.read.brands import brand_report
from website.db import get_session

bp = Blueprint("embed", __name__)


@bp.get("/embed/brands/<slug>")
def brand_chart(slug: str):
    report = brand_report(get_session(), slug, accounts=False, recent=0)
    return render_template("embed_brand.html", report=report, score=report.score)
