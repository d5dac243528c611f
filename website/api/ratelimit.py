"""Rate limiting of the API per client address: a fixed window counted with `limits`.

The count lives in this process's memory with `memory://`, in a file that every process of
the host shares with `sqlite:///path` (website/api/hostcounts.py; what `carescore serve`
uses by default, so its gunicorn workers keep one count), and in Redis when
CARESCORE_RATELIMIT_STORAGE=redis://host:port/db is set, so that every host shares one.
Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so that the client address is
the real one.

`limits` is the storage and strategy library under Flask-Limiter, by the same authors. We
call it directly because Flask-Limiter's per-request machinery (decorator resolution,
exemption scopes, a dozen context lookups, and a check on every page, not only the API)
cost about as much CPU as a whole hello-world route, while the API needs one counter per
address: one `incr` per request, and an expiry lookup only when this process does
not know when the client's window ends.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, g, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from werkzeug.exceptions import TooManyRequests

from website.api.hostcounts import SCHEME as HOST_SCHEME
from website.api.hostcounts import HostCounts
from website.config import settings

# After a storage error, count in this process's memory for this long, then try again.
FALLBACK_SECONDS = 30.0
# The WSGI environ key of a request that the API's edge cache has already counted.
COUNTED = "carescore.ratelimit.window"
# Window ends remembered per process; past this many, the ended ones are forgotten.
KNOWN_RESETS = 10_000

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Window:
    """Where one client stands in the current window, as the X-RateLimit-* headers say."""

    limit: int
    remaining: int
    reset: int
    allowed: bool

    def headers(self) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(self.reset)),
        ]


class RateLimit:
    """One limit per client address, in shared storage with an in-memory fallback.

    A Redis outage degrades to per-process counting rather than failing requests: the
    API stays up, and the limit is only looser until Redis is back.
    """

    def __init__(self, limit: str, storage_uri: str, prefix: str, blueprint: str) -> None:
        self.blueprint = blueprint
        self.item: RateLimitItem = parse(limit)
        self.prefix = prefix
        self.storage: Storage | HostCounts = (
            HostCounts(storage_uri)
            if storage_uri.startswith(HOST_SCHEME)
            else storage_from_string(storage_uri)
        )
        self.fallback: Storage | None = (
            None if isinstance(self.storage, MemoryStorage) else MemoryStorage()
        )
        self._fallback_until = 0.0
        self._resets: dict[str, float] = {}

    def _count(self, storage: Storage | HostCounts, key: str) -> tuple[int, float]:
        count = storage.incr(key, self.item.get_expiry())
        return count, storage.get_expiry(key)

    def _count_shared(self, key: str) -> tuple[int, float]:
        """Like `_count`, with the window's end remembered: a window ends when its key
        expires, which is set when its first request is counted and never moved, so a
        second round trip to Redis per request (its TTL) is needed only when this
        process has not seen the window start. A remembered end already past means the
        window was renewed elsewhere: it is looked up again.
        """
        expiry = self.item.get_expiry()
        count = self.storage.incr(key, expiry)
        now = time.time()
        reset = self._resets.get(key, 0.0)
        if count == 1:
            reset = now + expiry
        elif reset <= now:
            reset = self.storage.get_expiry(key)
        else:
            return count, reset
        if len(self._resets) >= KNOWN_RESETS:
            self._resets = {k: v for k, v in self._resets.items() if v > now}
            if len(self._resets) >= KNOWN_RESETS:
                self._resets.clear()
        self._resets[key] = reset
        return count, reset

    def hit(self, address: str) -> Window:
        """Count one request from `address`."""
        key = self.item.key_for(self.prefix, address)
        if self.fallback is not None and time.monotonic() < self._fallback_until:
            count, reset = self._count(self.fallback, key)
        else:
            try:
                count, reset = self._count_shared(key)
            except Exception:
                if self.fallback is None:
                    raise
                log.warning("rate limit storage unavailable; counting in memory", exc_info=True)
                self._fallback_until = time.monotonic() + FALLBACK_SECONDS
                count, reset = self._count(self.fallback, key)
        amount = self.item.amount
        return Window(amount, max(0, amount - count), int(reset), count <= amount)


def _check() -> None:
    limiter: RateLimit = current_app.extensions["carescore_ratelimit"]
    if request.blueprint != limiter.blueprint or request.method == "OPTIONS":
        return
    window = request.environ.get(COUNTED) or limiter.hit(request.remote_addr or "unknown")
    g.ratelimit = window
    if not window.allowed:
        raise TooManyRequests(
            f"More than {window.limit} requests in this window from this address.",
            retry_after=max(1, window.reset - int(time.time())),
        )


def _headers(response: Response) -> Response:
    window: Window | None = g.get("ratelimit")
    if window is not None:
        response.headers.extend(window.headers())
    return response


def init_app(app: Flask, blueprint: Blueprint) -> RateLimit:
    """Limit every route of `blueprint` to CARESCORE_RATELIMIT requests per client address."""
    config = settings(app)
    limiter = RateLimit(
        config.ratelimit,
        config.ratelimit_storage,
        config.ratelimit_prefix,
        blueprint.name,
    )
    app.extensions["carescore_ratelimit"] = limiter
    app.before_request(_check)
    app.after_request(_headers)
    return limiter
