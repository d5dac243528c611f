"""Rate limiting of the API per client address, with Flask-Limiter.

The count lives in memory by default (one count per worker process) and in Redis when
CARESCORE_RATELIMIT_STORAGE=redis://host:port/db is set, so that every gunicorn worker and
every host share one count. Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so
that the client address is the real one.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULT_LIMIT = "120 per minute"


def init_app(app: Flask, blueprint: Blueprint) -> Limiter:
    """Limit every route of `blueprint` to CARESCORE_RATELIMIT requests per client address."""
    limiter = Limiter(
        get_remote_address,
        storage_uri=app.config.get("CARESCORE_RATELIMIT_STORAGE") or "memory://",
        key_prefix=app.config.get("CARESCORE_RATELIMIT_PREFIX", "carescore"),
        headers_enabled=True,
        strategy="fixed-window",
        # A Redis outage degrades to per-process counting rather than failing requests.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.init_app(app)
    limiter.limit(lambda: app.config.get("CARESCORE_RATELIMIT") or DEFAULT_LIMIT)(blueprint)
    app.extensions["carescore_limiter"] = limiter
    return limiter
