"""The incident page and the Atom feeds of incidents opened and closed."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, render_template

from carescore.errors import NotFound
from carescore.read.incidents import ALL_TOPICS, IncidentView, feed_entries, incident_detail
from website.db import get_session
from website.pages import api_link, bp

_HOUR = "%Y-%m-%dT%H:%M:%SZ"


def this_incident(i: IncidentView) -> tuple[str, str]:
    """The API links (JSON, CSV) that select exactly the incident shown: a brand has at
    most one incident per start hour and topic, so its start hour with its topic (`all`
    for a surge of all complaints) is its key; the hour alone would also bring a topic's
    surge that started in the same hour."""
    params = {
        "since": i.start_at.strftime(_HOUR),
        "until": (i.start_at + timedelta(hours=1)).strftime(_HOUR),
        "topic": i.topic or ALL_TOPICS,
    }
    path = f"brands/{i.brand.slug}/incidents"
    return api_link(path, **params), api_link(f"{path}.csv", **params)


@bp.get("/brands/<slug>/incidents/<key>")
def incident(slug: str, key: str):
    try:
        detail = incident_detail(get_session(), slug, key)
    except NotFound:
        abort(404)
    json_url, csv_url = this_incident(detail.incident)
    return render_template(
        "incident.html", detail=detail, i=detail.incident, json_url=json_url, csv_url=csv_url
    )


@bp.get("/incidents.atom")
@bp.get("/brands/<slug>/incidents.atom")
def incident_feed(slug: str | None = None):
    try:
        entries = feed_entries(get_session(), slug)
    except NotFound:
        abort(404)
    body = render_template("incidents.atom.xml", entries=entries, slug=slug)
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}
