"""HTML pages. Each view parses the request, calls one domain function and renders.

One module per kind of page: rankings (home, sectors, months, search), brands (brand
page, comparison), info (methodology, data, health), feed (Atom), badge. The framable
embed pages have a blueprint of their own (`website.embed`), so the security headers can
tell them apart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint

from carescore import METHODOLOGY_VERSION
from carescore.read.periods import Period
from carescore.read.posts import public_handle
from carescore.read.sectors import has_demo_data
from carescore.store.columns import utcnow
from carescore.vocab import SORTS
from website import charts, incident_chart
from website.db import get_session
from website.pages.site_parts import site_part

bp = Blueprint("pages", __name__)

POST_REL = "nofollow ugc noopener"


def safe_url(url: str | None) -> str | None:
    """An untrusted link target, kept only when it is absolute http(s) with a host."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def api_link(path: str, **params: str | None) -> str:
    """A link into the JSON API (`/api/v1/...`), whose CSV twin ends in `.csv`."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/api/v1/{path}" + (f"?{query}" if query else "")


def period_args(window: str, period: str | None) -> dict[str, str]:
    """The query naming a stored period (`?window=`, `?as_of=`), for pages and the API
    alike: a link carrying it shows that period even after the next ranking run."""
    return Period(window, period).params


class _DemoFlag:
    """Whether the site shows the fictional demo data, read when a template first asks
    (`{% if demo %}`), at most once per request. A page whose view has read the flag
    already (the brand page) passes it and runs no statement for it."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: bool | None = None

    def __bool__(self) -> bool:
        if self._value is None:
            try:
                self._value = has_demo_data(get_session())
            except Exception:  # the error page must render even when the database is down
                self._value = False
        return self._value


@bp.record_once
def _site_globals(state) -> None:
    """What every template may use and no request changes."""
    state.app.jinja_env.globals.update(
        current_methodology=METHODOLOGY_VERSION,
        post_rel=POST_REL,
        charts=charts,
        incident_chart=incident_chart,
        api_link=api_link,
        period_args=period_args,
        sorts=SORTS,
        site_part=site_part,
    )


@bp.app_context_processor
def _site_context() -> dict[str, Any]:
    """Every page says when it shows the fictional demo data, and cites today's date."""
    return {"demo": _DemoFlag(), "today": utcnow().date()}


@bp.app_template_filter("safe_url")
def _safe_url_filter(url: str | None) -> str | None:
    return safe_url(url)


@bp.app_template_filter("public_handle")
def _public_handle_filter(handle: str, platform: str) -> str:
    return public_handle(handle, platform)


from website.pages import badge, brands, feed, incidents, info, rankings  # noqa: E402, F401
