"""`/badge/<slug>.svg`: a brand's live Carescore as a small image anyone may embed."""

from __future__ import annotations

from flask_babel import gettext as _

from carescore.read.brands import brand_report
from website.charts import badge as draw_badge
from website.charts import score_colour
from website.db import get_session
from website.i18n import number
from website.pages import bp


@bp.get("/badge/<slug>.svg")
def badge(slug: str):
    report = brand_report(get_session(), slug, accounts=False, history=False, recent=0)
    score = report.score
    value = score.carescore if score is not None and score.ranked else None
    text = f"{number(value, 1)}/100" if value is not None else _("not enough data")
    svg = draw_badge("Carescore", text, score_colour(value))
    return (
        svg,
        200,
        {
            "Content-Type": "image/svg+xml; charset=utf-8",
            "Cache-Control": "public, max-age=3600",
        },
    )
