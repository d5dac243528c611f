"""Rate limiting of the API per client address: a fixed window per address.

The count lives in this process's memory with `memory://` (a dictionary: `limits`' own
memory storage ran a timer thread every 10 ms), in a memory-mapped file that every
process of the host shares with `file:///path` (website/api/hostcounts.py; what
`carescore serve` uses by default, so its gunicorn workers keep one count), in a SQLite
file with `sqlite:///path`, and in Redis when CARESCORE_RATELIMIT_STORAGE=redis://host:port/db
is set, so that every host shares one.
Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so that the client address is
the real one.

`limits` is the storage and strategy library under Flask-Limiter, by the same authors. We
call it directly because Flask-Limiter's per-request machinery (decorator resolution,
exemption scopes, a dozen context lookups, and a check on every page, not only the API)
cost about as much CPU as a whole hello-world route, while the API needs one counter per
address: one `incr` per request, and an expiry lookup only when this process does
not know when the client's window ends. The host's own storages (memory, mapped file,
SQLite) answer the count and the window's end in one call.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, current_app, g, request
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from werkzeug.exceptions import TooManyRequests

from website.api.hostcounts import FILE_SCHEME, SCHEME, HostCounts, HostFile
from website.config import settings

# After a storage error, count in this process's memory for this long, then try again.
FALLBACK_SECONDS = 30.0
# The WSGI environ key of a request that the API's edge cache has already counted.
COUNTED = "carescore.ratelimit.window"
# Window ends remembered per process; past this many, the ended ones are forgotten.
KNOWN_RESETS = 10_000
# How often the in-memory counts forget the windows that have ended.
SWEEP_SECONDS = 60.0

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


class LocalCounts:
    """Fixed windows in this process's memory: a dictionary, swept of ended windows now
    and then, with no thread of its own."""

    def __init__(self) -> None:
        self._windows: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._sweep_at = 0.0

    def count(self, key: str, expiry: int) -> tuple[int, float]:
        now = time.time()
        with self._lock:
            window = self._windows.get(key)
            if window is None or window[1] <= now:
                if now >= self._sweep_at:
                    self._windows = {k: w for k, w in self._windows.items() if w[1] > now}
                    self._sweep_at = now + SWEEP_SECONDS
                window = self._windows[key] = [0, now + expiry]
            window[0] += 1
            return int(window[0]), window[1]


HostStorage = LocalCounts | HostFile | HostCounts


def storage_for(uri: str) -> HostStorage | Storage:
    """The storage a URI names: this host's own kinds, else `limits`' (Redis...)."""
    if uri.startswith("memory://"):
        return LocalCounts()
    if uri.startswith(FILE_SCHEME):
        return HostFile(uri)
    if uri.startswith(SCHEME):
        return HostCounts(uri)
    return storage_from_string(uri)


class RateLimit:
    """One limit per client address, in shared storage with an in-memory fallback.

    A Redis outage degrades to per-process counting rather than failing requests: the
    API stays up, and the limit is only looser until Redis is back.
    """

    def __init__(self, limit: str, storage_uri: str, prefix: str, blueprint: str) -> None:
        self.blueprint = blueprint
        self.item: RateLimitItem = parse(limit)
        self.prefix = prefix
        self.expiry = self.item.get_expiry()
        # `limits`' key, with the address in the middle: built once, filled per request.
        self._key_head, self._key_tail = self.item.key_for(self.prefix, "\0").split("\0")
        self.storage = storage_for(storage_uri)
        self.fallback: LocalCounts | None = (
            None if isinstance(self.storage, LocalCounts) else LocalCounts()
        )
        self._count_shared = (
            self.storage.count if isinstance(self.storage, HostStorage) else self._count_remote
        )
        self._fallback_until = 0.0
        self._resets: dict[str, float] = {}

    def _count_remote(self, key: str, expiry: int) -> tuple[int, float]:
        """The count in `limits`' storage (Redis), with the window's end remembered: a
        window ends when its key expires, which is set when its first request is counted
        and never moved, so a second round trip to Redis per request (its TTL) is needed
        only when this process has not seen the window start. A remembered end already
        past means the window was renewed elsewhere: it is looked up again.
        """
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
        key = self._key_head + address + self._key_tail
        if self.fallback is not None and time.monotonic() < self._fallback_until:
            count, reset = self.fallback.count(key, self.expiry)
        else:
            try:
                count, reset = self._count_shared(key, self.expiry)
            except Exception:
                if self.fallback is None:
                    raise
                log.warning("rate limit storage unavailable; counting in memory", exc_info=True)
                self._fallback_until = time.monotonic() + FALLBACK_SECONDS
                count, reset = self.fallback.count(key, self.expiry)
        amount = self.item.amount
        return Window(amount, max(0, amount - count), int(reset), count <= amount)


def _check() -> None:
    limiter: RateLimit = current_app.extensions["carescore_ratelimit"]
    here = request._get_current_object()  # type: ignore[attr-defined]
    if here.blueprint != limiter.blueprint or here.method == "OPTIONS":
        return
    window = here.environ.get(COUNTED) or limiter.hit(here.remote_addr or "unknown")
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
