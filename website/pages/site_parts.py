"""The parts of every page that show nothing but the language and the site's own links,
rendered once per input and kept.

`base.html`'s stylesheet and feed links, logo, main navigation, demo banner and footer
are a dozen links and twenty translated messages: rendered on every request they cost
more than most pages' own content. Their inputs are the request's language and what a
link's path depends on besides its endpoint, the language a visitor chose by URL (links
then carry it, `website.i18n`) and the mount point (`website.links`), so each part
(a macro of `templates/_site.html`) is rendered once per such input and kept.
"""

from __future__ import annotations

from flask import current_app
from flask.globals import _cv_app, _cv_request
from markupsafe import Markup

from website.i18n import current_lang

TEMPLATE = "_site.html"
PARTS = ("head", "banner", "nav", "demo", "footer")
# Inputs seen: two languages, each with and without a choice by URL, and the mount points
# a deployment serves under; bounded, since a proxy may set the mount point per request.
KEPT = 64
_KEY = "carescore.site_parts"


def site_part(name: str) -> Markup:
    """The part `name` of `_site.html` for this request's language and links."""
    request = _cv_request.get().request
    key = (
        name,
        current_lang(),
        _cv_app.get().g.__dict__.get("explicit_lang"),
        request.script_root,
    )
    app = current_app._get_current_object()
    kept: dict = app.extensions.get(_KEY) or app.extensions.setdefault(_KEY, {})
    part = kept.get(key)
    if part is None:
        if name not in PARTS:
            raise ValueError(f"no site part {name!r}")
        part = getattr(app.jinja_env.get_template(TEMPLATE).module, name)()
        if len(kept) >= KEPT:
            kept.clear()
        kept[key] = part
    return part
