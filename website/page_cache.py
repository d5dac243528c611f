"""Rendered pages, served again for a few seconds in front of Flask, and ETags on pages.

A page shows precomputed snapshots, so the HTML of a ranking or a brand changes only
when a ranking run or a forget changes the data generation: the API's edge cache
(`website.api.cache.EdgeCache`) keeps answers by that generation, and this one keeps
pages the same way, so a new ranking or a forget replaces every cached page within
GENERATION_CHECK_SECONDS. Rendering a page costs ten to forty times a hello-world
request; serving the stored bytes costs about one.

A page depends on more of the request than an API answer does, and every such input is
part of the key: the path and query, the language (`?lang=` or else Accept-Language, as
`website.i18n` chooses it) and the day (pages say what "today" is). Absolute links
(feeds, permalinks, citations) come from CARESCORE_PUBLIC_BASE_URL, never from the
request, so the Host header is not part of the key: a client varying it gets the same
page and cannot fill the cache with copies. Nothing else of the request reaches a page:
the site sets no cookie and keeps no session. Only 200 answers of the page and
embed blueprints are kept (never an error page, never the health check), and a view can
opt out with `never_cached`.

Every page answer carries an ETag of its bytes; a request whose If-None-Match names it
gets a 304, from Flask or from the cache.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import Flask, Response, request
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header, parse_etags, unquote_etag

from carescore.store.columns import utcnow
from website import observability
from website.api.cache import MARK, EdgeCache, Entry, StartResponse
from website.api.http import CONDITIONAL
from website.config import settings
from website.i18n import LANGUAGES

BLUEPRINTS = frozenset({"pages", "embed"})
NEVER = "carescore.never_cached"
# Conditional requests the cache does not answer itself: Flask does (If-None-Match is
# answered here, against the stored ETag).
_FLASK_CONDITIONAL = (
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
_NOT_IN_304 = frozenset({"content-length", "content-type"})
# Paths whose route PageCache remembers (kept or not) before it forgets them all.
ROUTED_PATHS = 4096


def never_cached(view: Callable[..., Any]) -> Callable[..., Any]:
    """Keep a page's answers out of the page cache (live status, anything per request)."""

    @wraps(view)
    def marked(*args: Any, **kwargs: Any) -> Any:
        request.environ[NEVER] = True
        return view(*args, **kwargs)

    marked.never_cached = True  # type: ignore[attr-defined]
    return marked


def language(query: str, accept_language: str | None) -> str:
    """The language `website.i18n` would choose, from the raw query and header."""
    if "lang=" in query:
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            if name == "lang" and value in LANGUAGES:
                return value
    if not accept_language:
        return "en"
    return parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES) or "en"


def _page_answer(response: Response) -> Response:
    """ETag and conditional GET on pages; marks a 200 page as one the cache may keep."""
    here = request._get_current_object()  # type: ignore[attr-defined]
    if (
        here.blueprint not in BLUEPRINTS
        or here.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.is_streamed
        or response.direct_passthrough
    ):
        return response
    if "ETag" not in response.headers:
        digest = hashlib.blake2b(response.get_data(), digest_size=12).hexdigest()
        response.set_etag(digest)
    environ = here.environ
    if not environ.get(NEVER):
        rule = here.url_rule
        environ[MARK] = rule.rule if rule else here.path
    if any(name in environ for name in CONDITIONAL):
        response.make_conditional(here)
    return response


class PageCache(EdgeCache):
    """WSGI middleware: rendered pages by path, query, language and day."""

    def __init__(self, app: Any, flask_app: Flask, seconds: float) -> None:
        super().__init__(app, flask_app, seconds)
        self._routed: dict[str, bool] = {}
        self._second = -1
        self._day = ""

    def eligible(self, environ: dict) -> bool:
        if environ.get("REQUEST_METHOD") != "GET":
            return False
        if environ.get("PATH_INFO", "").startswith(("/api/", "/static/")):
            return False
        return environ.keys().isdisjoint(_FLASK_CONDITIONAL)

    def routed(self, environ: dict) -> bool:
        """Only the page and embed views that may be kept: anything else (the health check,
        metrics, an unknown path) must not wait on the database's generation counter, so
        that `/healthz` still answers within its bound while the database is frozen.

        Routing a path costs about a tenth of a hello-world request, and Flask routes it
        again: the answer is remembered per path (a route depends on the path alone),
        up to ROUTED_PATHS of them."""
        path = environ.get("PATH_INFO", "")
        known = self._routed.get(path)
        if known is not None:
            return known
        try:
            endpoint, _ = self.flask_app.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return False  # unknown paths are not remembered: anyone can make up more
        view = self.flask_app.view_functions.get(endpoint)
        blueprint = endpoint.rpartition(".")[0]
        kept = blueprint in BLUEPRINTS and not getattr(view, "never_cached", False)
        if len(self._routed) >= ROUTED_PATHS:
            self._routed.clear()
        self._routed[path] = kept
        return kept

    def key(self, environ: dict) -> tuple[str, ...]:
        query = environ.get("QUERY_STRING", "")
        return (
            environ.get("PATH_INFO", ""),
            query,
            language(query, environ.get("HTTP_ACCEPT_LANGUAGE")),
            self.today(),
        )

    def today(self) -> str:
        """The UTC day, as pages show it: made into text once a second at most."""
        second = int(time.time())
        if second != self._second:
            self._day, self._second = utcnow().date().isoformat(), second
        return self._day

    def hit(
        self, entry: Entry, environ: dict, start_response: StartResponse, started: float
    ) -> Iterable[bytes]:
        rid = observability.request_id(environ.get("HTTP_X_REQUEST_ID"))
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if asked:
            etag = next((v for k, v in entry.headers if k.lower() == "etag"), None)
            if etag is not None and parse_etags(asked).contains_weak(unquote_etag(etag)[0]):
                headers = [(k, v) for k, v in entry.headers if k.lower() not in _NOT_IN_304]
                start_response("304 NOT MODIFIED", [*headers, ("X-Request-ID", rid)])
                self.record(environ, entry, 304, started, rid)
                return []
        start_response("200 OK", [*entry.headers, ("X-Request-ID", rid)])
        self.record(environ, entry, 200, started, rid)
        return [entry.body]


def init_app(app: Flask) -> None:
    """ETags on every page; CARESCORE_PAGE_CACHE_SECONDS (default 10; 0 turns the cache
    off) bounds how long a page may lag behind data that changes without a new
    generation (a new incident, a brand's statement)."""
    app.after_request(_page_answer)
    seconds = settings(app).page_cache_seconds
    if seconds > 0:
        app.wsgi_app = PageCache(app.wsgi_app, app, seconds)  # type: ignore[method-assign]
