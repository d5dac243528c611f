"""Methodology, data sources and health: pages about the site itself."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import markdown
from flask import Response, jsonify, render_template, url_for
from markupsafe import Markup

from carescore import METHODOLOGY_VERSION
from carescore.read.site_map import site_map
from carescore.scoring.accuracy import published_accuracy
from carescore.store.db import DatabaseUnavailable, ping_within
from website.config import settings
from website.db import get_engine, get_session
from website.i18n import LANGUAGES
from website.page_cache import never_cached
from website.pages import bp

DOCS = resources.files("website.docs")


@lru_cache(maxsize=8)
def _render_doc(path: Path, mtime: float) -> Markup | None:
    """Our own Markdown documents as HTML (trusted text from the repository, not users).

    Cached per modification time, so an edited document shows without a restart.
    """
    html = markdown.markdown(
        path.read_text(encoding="utf-8"), extensions=["tables", "fenced_code", "toc"]
    )
    return Markup(html)  # noqa: S704 - docs/ is part of the code base, not user input


def document(name: str) -> Markup | None:
    path = DOCS / name
    if not path.is_file():
        return None
    return _render_doc(path, path.stat().st_mtime)


@bp.get("/methodology")
def methodology():
    """The rules, how posts are scored, the scorer's measured error rates and their limits.

    docs/research/ (experiments tried and not taken) is never rendered here.
    """
    return render_template(
        "methodology.html",
        version=METHODOLOGY_VERSION,
        methodology=document("methodology.md"),
        scoring=document("scoring.md"),
        right_of_reply=document("right-of-reply.md"),
        accuracy=published_accuracy(),
        incidents=document("incidents.md"),
    )


@bp.get("/about/data")
def about_data():
    return render_template("about_data.html", contact_email=settings().contact_email)


@bp.get("/legal")
def legal_notice():
    """Who runs the site, how to reach them and who hosts it, from the settings (required
    in production, see `carescore.settings`); the page says so when they are not set."""
    return render_template("legal.html", site=settings())


# A load balancer's health check must get an answer even from a frozen database.
HEALTH_TIMEOUT_S = 1.0


@bp.get("/healthz")
@never_cached
def healthz():
    try:
        ping_within(get_engine(), HEALTH_TIMEOUT_S)
    except DatabaseUnavailable:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


# Crawlers ask for this on every visit. The pages are for them; the API's answers,
# searches and embeds are for people and programs, and each answer a crawler pulls
# through every filter and page is one a reader waits behind.
ROBOTS = """User-agent: *
Disallow: /api/
Disallow: /search
Disallow: /embed/
Disallow: /badge/

Sitemap: {sitemap}
"""


@bp.get("/robots.txt")
def robots() -> Response:
    sitemap = url_for("pages.sitemap", lang=None, _external=True)
    response = Response(ROBOTS.format(sitemap=sitemap), mimetype="text/plain")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page worth finding, each with its English and French addresses: a crawler
    follows the language link only from a page it has already found."""
    body = render_template("sitemap.xml", site=site_map(get_session()), languages=LANGUAGES)
    return Response(body, mimetype="application/xml")
