"""Finished API answers, served again for a few seconds in front of Flask.

Every figure of the API comes from precomputed snapshots that change only when a ranking
job runs, and clients may cache an answer for a minute anyway (Cache-Control), so serving
the same bytes for CARESCORE_API_CACHE_SECONDS (default 10) costs no freshness worth
having. Serving them at the WSGI edge rather than inside a view also skips the
framework's per-request work (request context, routing, a dozen hooks), which cost more
CPU than the answer itself. What must happen on every request still happens: the rate
limit counts, the request gets its id, the metrics count it.

Every entry remembers the data generation (carescore.store.generation) it was built
under. The generation lives in the database, so a forget or a ranking run on any host is
seen by every worker: a worker re-reads it at most every GENERATION_CHECK_SECONDS and
drops everything built under an older one, so a forgotten post leaves every worker's
cache within that delay. If the generation cannot be read, nothing is served from memory.

Flask stays the only place where answers are built: a view marks its answer cacheable
(`edge_cacheable`), and this module keeps the bytes and headers exactly as Flask sent them,
minus the per-request ones. Anything else (a miss, a non-GET, a conditional or CSV request,
a client over its limit) goes through Flask untouched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, request

from carescore.store.db import web_engine
from carescore.store.generation import current_generation
from website import observability
from website.api.http import CONDITIONAL
from website.api.ratelimit import COUNTED, RateLimit
from website.config import settings

# How stale a worker's idea of the data generation may be (one primary-key read).
GENERATION_CHECK_SECONDS = 0.5
CACHE_ENTRIES = 1024
# A page of posts is ~100 KB: the byte budget, not the entry count, bounds the memory.
CACHE_BYTES = 32 * 1024 * 1024
MARK = "carescore.cacheable"
PREFIX = "/api/"
# Per request, so never stored: the edge adds its own.
_PER_REQUEST = frozenset(
    {"x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "date"}
)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


def edge_cacheable(view: Callable[..., Response]) -> Callable[..., Response]:
    """Mark a view's successful, non-streamed answers as safe to serve again by URL."""

    @wraps(view)
    def marked(*args: Any, **kwargs: Any) -> Response:
        response = view(*args, **kwargs)
        if response.status_code == 200 and not response.is_streamed:
            request.environ[MARK] = request.url_rule.rule if request.url_rule else request.path
        return response

    return marked


@dataclass(frozen=True, slots=True)
class Entry:
    expires: float
    generation: int
    endpoint: str
    headers: list[tuple[str, str]]
    body: bytes


def _eligible(environ: dict) -> bool:
    if environ.get("REQUEST_METHOD") != "GET" or not environ.get("PATH_INFO", "").startswith(
        PREFIX
    ):
        return False
    # A conditional or ranged request is Flask's to answer (304, 412, 206).
    if not environ.keys().isdisjoint(CONDITIONAL):
        return False
    return "csv" not in environ.get("HTTP_ACCEPT", "").lower()


class EdgeCache:
    """WSGI middleware around the Flask app: one dictionary of answers per process."""

    def __init__(
        self, app: WSGIApp, flask_app: Flask, seconds: float, max_bytes: int = CACHE_BYTES
    ) -> None:
        self.app = app
        self.flask_app = flask_app
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.size = 0
        self._items: dict[tuple[str, ...], Entry] = {}
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._checked = 0.0
        self.limiter: RateLimit | None = flask_app.extensions.get("carescore_ratelimit")
        self.access_log = settings(flask_app).access_log

    def generation(self) -> int | None:
        """The data generation, re-read when older than GENERATION_CHECK_SECONDS.

        None when the database cannot say: the caller then serves nothing from memory.
        """
        now = time.monotonic()
        if self._generation is None or now - self._checked > GENERATION_CHECK_SECONDS:
            try:
                url = settings(self.flask_app).database_url
                with web_engine(url).connect() as conn:
                    value = current_generation(conn)
            except Exception:  # an outage: Flask answers (503) and logs it
                self._generation = None
                return None
            if value != self._generation:
                with self._lock:
                    self._items.clear()
                    self.size = 0
            self._generation, self._checked = value, now
        return self._generation

    def key(self, environ: dict) -> tuple[str, ...]:
        """What makes two requests the same answer: the path and query (the API sends
        the same bytes to everyone)."""
        return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))

    def eligible(self, environ: dict) -> bool:
        """May this request be answered from memory? Checked before the lookup, so it
        reads the request's method, path and headers only."""
        return _eligible(environ)

    def routed(self, environ: dict) -> bool:
        """May a miss be kept? Checked on a miss only (a hit was kept, so it may)."""
        return True

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if not self.eligible(environ):
            return self.app(environ, start_response)
        started = time.perf_counter()
        key = self.key(environ)
        entry = self._items.get(key)
        if (
            entry is not None
            and entry.expires >= time.monotonic()
            and entry.generation == self.generation()
        ):
            return self.hit(entry, environ, start_response, started)
        if not self.routed(environ):
            return self.app(environ, start_response)
        return self._miss(key, environ, start_response)

    def hit(
        self, entry: Entry, environ: dict, start_response: StartResponse, started: float
    ) -> Iterable[bytes]:
        """A stored answer, after the rate limit has counted the request."""
        window = self.limiter.hit(environ.get("REMOTE_ADDR") or "unknown")
        if not window.allowed:
            environ[COUNTED] = window
            return self.app(environ, start_response)
        rid = observability.request_id(environ.get("HTTP_X_REQUEST_ID"))
        start_response("200 OK", [*entry.headers, *window.headers(), ("X-Request-ID", rid)])
        self.record(environ, entry, 200, started, rid)
        return [entry.body]

    def record(self, environ: dict, entry: Entry, status: int, started: float, rid: str) -> None:
        observability.record(
            "GET",
            entry.endpoint,
            status,
            time.perf_counter() - started,
            environ.get("PATH_INFO", ""),
            rid,
            self.access_log,
        )

    def _miss(self, key: tuple[str, ...], environ: dict, start_response: StartResponse):
        sent: list[tuple[str, list[tuple[str, str]]]] = []
        # Read before the answer is built, at most GENERATION_CHECK_SECONDS old: an entry
        # is never labelled newer than the data it was built from, only older, which
        # drops it sooner. Re-reading it here on every miss cost a query per request of
        # anything the cache does not keep (the health check, error pages).
        generation = self.generation()

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            sent.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        endpoint = environ.get(MARK)
        if endpoint is None or generation is None or not sent or not sent[0][0].startswith("200"):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        headers = [(k, v) for k, v in sent[0][1] if k.lower() not in _PER_REQUEST]
        if len(data) <= self.max_bytes // 4:
            expires = time.monotonic() + self.seconds
            self._put(key, Entry(expires, generation, endpoint, headers, data))
        return [data]

    def _put(self, key: tuple[str, ...], entry: Entry) -> None:
        """Oldest first out, until both the entry count and the byte budget fit."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            while self._items and (
                len(self._items) >= CACHE_ENTRIES or self.size + len(entry.body) > self.max_bytes
            ):
                self.size -= len(self._items.pop(next(iter(self._items))).body)
            self._items[key] = entry
            self.size += len(entry.body)


def init_app(app: Flask) -> None:
    """CARESCORE_API_CACHE_SECONDS (default 10; 0 turns the cache off) bounds how long an
    answer may lag behind a new ranking."""
    seconds = settings(app).api_cache_seconds
    if seconds > 0:
        app.wsgi_app = EdgeCache(app.wsgi_app, app, seconds)  # type: ignore[method-assign]
