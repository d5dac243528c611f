"""HTML pages. Each view parses the request, calls one domain function and renders."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from carescore.catalog import has_demo_data, list_sectors
from carescore.db import DatabaseUnavailable, ping
from website.db import get_engine, get_session

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def _site_context() -> dict:
    """Every page says when it shows the fictional demo data."""
    try:
        demo = has_demo_data(get_session())
    except Exception:  # the error page must render even when the database is down
        demo = False
    return {"demo": demo}


@bp.get("/")
def home():
    return render_template("home.html", sectors=list_sectors(get_session()))


@bp.get("/healthz")
def healthz():
    try:
        ping(get_engine())
    except DatabaseUnavailable:
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
