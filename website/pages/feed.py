"""The Atom feed of ranking changes: one entry per sector and monthly snapshot."""

from __future__ import annotations

from flask import render_template

from carescore.read.overview import ranking_changes
from website.db import get_session
from website.pages import bp


@bp.get("/feed.atom")
def feed():
    body = render_template("feed.atom.xml", entries=ranking_changes(get_session()))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}
