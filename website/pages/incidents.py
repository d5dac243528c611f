"""The incident page and the Atom feeds of incidents opened and closed."""

from __future__ import annotations

from flask import abort, render_template

from carescore.errors import NotFound
from carescore.read.incidents import feed_entries, incident_detail
from website.db import get_session
from website.pages import bp


@bp.get("/brands/<slug>/incidents/<key>")
def incident(slug: str, key: str):
    try:
        detail = incident_detail(get_session(), slug, key)
    except NotFound:
        abort(404)
    return render_template("incident.html", detail=detail, i=detail.incident)


@bp.get("/incidents.atom")
@bp.get("/brands/<slug>/incidents.atom")
def incident_feed(slug: str | None = None):
    try:
        entries = feed_entries(get_session(), slug)
    except NotFound:
        abort(404)
    body = render_template("incidents.atom.xml", entries=entries, slug=slug)
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}
