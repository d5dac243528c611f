"""Request ids, structured JSON logs and Prometheus metrics.

Every request gets an id (the caller's `X-Request-ID` when it looks sane, else a new
one), echoed in the response and in every log line written while serving it, so one
complaint about one page can be traced through the logs. Under gunicorn the access log
(gunicorn.conf.py) already writes one JSON line per request with that id, so the app's
own per-request line is off unless CARESCORE_ACCESS_LOG is true. Metrics are shared between
gunicorn workers through `PROMETHEUS_MULTIPROC_DIR` when it is set (gunicorn.conf.py
sets it).
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import time
from random import getrandbits
from typing import Any

from flask import Blueprint, Flask, Response, abort, g, has_request_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import func, select

from carescore.store.models import CollectorRun, Post
from website.config import settings
from website.db import get_session

log = logging.getLogger("carescore.request")
bp = Blueprint("ops", __name__)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

REQUESTS = Counter(
    "carescore_http_requests_total", "HTTP requests served", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "carescore_http_request_duration_seconds",
    "Time to serve a request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


class RequestContextFilter(logging.Filter):
    """Adds the request id to log records, and blanks the secrets we know of."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if s and len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = g.get("request_id") if has_request_context() else None
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, None
        return True


def configure_logging(app: Flask) -> None:
    """JSON lines on stderr, one object per event, with the request id."""
    from sqlalchemy.engine import make_url

    config = settings(app)
    secrets = [config.secret_key.get_secret_value()]
    secrets += [s.get_secret_value() for s in config.secrets() if s.get_secret_value()]
    password = make_url(config.database_url).password
    if password:
        secrets.append(str(password))
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(RequestContextFilter(secrets))
    root = logging.getLogger("carescore")
    root.handlers = [handler]
    root.setLevel(config.log_level.upper())
    root.propagate = False
    for name in ("website", "collectors"):
        other = logging.getLogger(name)
        other.handlers = [handler]
        other.setLevel(root.level)
        other.propagate = False


def request_id(incoming: str | None) -> str:
    """The caller's id when it looks sane (so a proxy's id runs through), else a new one.

    A new id is 128 random bits from `random`, which Python reseeds in every forked
    worker: an id must be unique, not secret, and reading the OS's generator cost a
    system call per request."""
    if incoming and _SANE_ID.match(incoming):
        return incoming
    return "%032x" % getrandbits(128)  # noqa: UP031 - the fastest of the spellings


# The metrics' children by label values: `labels()` checks and converts its arguments on
# every call. Bounded, since a client chooses the method.
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
CHILDREN = 2_000


def record(
    method: str, endpoint: str, status: int, elapsed: float, path: str, rid: str, access_log: bool
) -> None:
    """Count one answered request; every way of answering one (Flask, the API's edge
    cache) calls this, so the metrics and the optional access line never disagree."""
    children = _children.get((method, endpoint, status))
    if children is None:
        children = (REQUESTS.labels(method, endpoint, str(status)), LATENCY.labels(endpoint))
        if len(_children) >= CHILDREN:
            _children.clear()
        _children[method, endpoint, status] = children
    children[0].inc()
    children[1].observe(elapsed)
    if access_log:
        log.info(
            "request",
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "request_id": rid,
            },
        )


def _start() -> None:
    g.request_id = request_id(request.environ.get("HTTP_X_REQUEST_ID"))
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    rid = g.get("request_id", "")
    here = request._get_current_object()  # type: ignore[attr-defined]
    rule = here.url_rule
    endpoint = rule.rule if rule is not None else "unmatched"
    access_log = settings().access_log
    record(here.method, endpoint, response.status_code, elapsed, here.path, rid, access_log)
    response.headers.add("X-Request-ID", rid)
    return response


POST_COUNT_TTL = 60.0
_post_counts: dict[str, tuple[float, list[tuple[str, int]]]] = {}


def _posts_per_platform(session) -> list[tuple[str, int]]:
    """Counting posts scans the whole table, so a worker does it at most once a minute."""
    key = session.get_bind().url.render_as_string()
    cached = _post_counts.get(key)
    if cached and time.monotonic() - cached[0] < POST_COUNT_TTL:
        return cached[1]
    rows = [
        (platform, count)
        for platform, count in session.execute(
            select(Post.platform, func.count()).group_by(Post.platform)
        ).all()
    ]
    _post_counts[key] = (time.monotonic(), rows)
    return rows


class DatabaseCollector:
    """Figures read from the database at scrape time: what the collectors have stored."""

    def collect(self):
        session = get_session()
        posts = GaugeMetricFamily(
            "carescore_posts_stored",
            "Posts in the database (refreshed each minute)",
            labels=["platform"],
        )
        for platform, count in _posts_per_platform(session):
            posts.add_metric([platform], count)
        yield posts
        runs = GaugeMetricFamily(
            "carescore_collector_runs", "Collector runs recorded", labels=["source", "status"]
        )
        for source, status, count in session.execute(
            select(CollectorRun.source, CollectorRun.status, func.count()).group_by(
                CollectorRun.source, CollectorRun.status
            )
        ).all():
            runs.add_metric([source, status], count)
        yield runs


_ANY_ADDRESS = ("0.0.0.0", "::", "[::]")  # noqa: S104 - compared with, not bound to


def on_listener(environ: dict, address: str) -> bool:
    """Did the request come in on the listener bound to `address` (host:port)?

    gunicorn sets SERVER_NAME and SERVER_PORT from the socket that accepted the
    connection, never from the Host header, so a client cannot pretend to be on it.
    """
    host, _, port = address.rpartition(":")
    if environ.get("SERVER_PORT") != port:
        return False
    return host in _ANY_ADDRESS or environ.get("SERVER_NAME") in (host, host.strip("[]"))


def metrics_refusal(environ: dict, authorization: str | None) -> int | None:
    """None when this request may read /metrics, else the status to answer (401 or 404).

    The figures say how busy the site is and what the collectors fetched: not for
    everyone. They are served on the monitoring listener (CARESCORE_METRICS_BIND), or
    with the bearer token (CARESCORE_METRICS_TOKEN); with neither set, in development
    only.
    """
    config = settings()
    if config.metrics_bind and on_listener(environ, config.metrics_bind):
        return None
    if config.metrics_token:
        scheme, _, given = (authorization or "").partition(" ")
        expected = config.metrics_token.get_secret_value()
        ok = scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)
        return None if ok else 401
    if config.metrics_bind or config.is_production:
        return 404
    return None


@bp.get("/metrics")
def metrics() -> Response:
    refused = metrics_refusal(request.environ, request.headers.get("Authorization"))
    if refused == 401:
        return Response("a bearer token is needed\n", 401, {"WWW-Authenticate": "Bearer"})
    if refused:
        abort(refused)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseCollector())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    if not app.testing or settings(app).json_logs:
        configure_logging(app)
    app.before_request(_start)
    app.after_request(_finish)
    app.register_blueprint(bp)
