"""`/badge/<slug>.svg`: a brand's Carescore as a small image anyone may embed.

The live 90 days by default, or the period `?window=` / `?as_of=` name, like the brand
page. The badge names its period, the brand's place in its sector (which sets its
colour) and says "demo" on the fictional demo data; its <title> says it all in a sentence.
"""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import format_date
from flask_babel import gettext as _

from carescore.read.badge import BadgeFigures, badge_figures
from website.charts import badge as draw_badge
from website.charts import standing_colour
from website.db import get_session
from website.i18n import month_name, number, sector_label, short_month
from website.pages import bp


def _period(figures: BadgeFigures) -> str:
    if figures.period is None:
        return ""
    if figures.window == "month":
        return short_month(figures.period)
    day = format_date(date.fromisoformat(figures.period[:10]), "medium")
    if figures.window == "all":
        return _("all to %(date)s", date=day)
    return _("90 days to %(date)s", date=day)


def _texts(figures: BadgeFigures) -> tuple[str, str, str]:
    """(left label, right value, the sentence for <title> and aria-label)."""
    label = _("Carescore · demo") if figures.demo else "Carescore"
    period = _period(figures)
    if figures.carescore is None:
        value = _("not enough data")
        sentence = _("Carescore of %(brand)s: not enough data to be ranked", brand=figures.name)
    else:
        score = f"{number(figures.carescore, 1)}/100"
        place = _("#%(rank)s of %(n)s", rank=figures.rank, n=figures.ranked_in_sector)
        value = f"{score} · {place}"
        sentence = _(
            "Carescore of %(brand)s: %(score)s, rank %(rank)s of %(n)s ranked in %(sector)s",
            brand=figures.name,
            score=score,
            rank=figures.rank,
            n=figures.ranked_in_sector,
            sector=sector_label(figures.sector),
        )
    if period:
        value = f"{value} · {period}"
        when = month_name(figures.period) if figures.window == "month" else period
        sentence = f"{sentence}, {when}"
    if figures.demo:
        sentence = f"{sentence} " + _("(fictional demo data)")
    return label, value, sentence


@bp.get("/badge/<slug>.svg")
def badge(slug: str):
    figures = badge_figures(
        get_session(), slug, request.args.get("window"), request.args.get("as_of")
    )
    label, value, sentence = _texts(figures)
    svg = draw_badge(label, value, standing_colour(figures.standing), sentence)
    return (
        svg,
        200,
        {
            "Content-Type": "image/svg+xml; charset=utf-8",
            "Cache-Control": "public, max-age=3600",
        },
    )
