"""The Atom feed of ranking changes: one entry per sector and monthly snapshot."""

from __future__ import annotations

from flask import render_template, request

from carescore.read.overview import ranking_changes
from website.db import get_session
from website.pages import bp


@bp.get("/feed.atom")
def feed():
    """`?as_of=YYYY-MM-DD`: the feed as it read on that day (the months over by then)."""
    as_of = request.args.get("as_of")
    entries = ranking_changes(get_session(), as_of=as_of)
    body = render_template("feed.atom.xml", entries=entries, as_of=as_of)
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}
