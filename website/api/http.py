"""The HTTP edge of the API: JSON or CSV from the same `...Public` object, ETag and 304,
Cache-Control and CORS. Views build data; this module decides how it travels, through
`carescore.read.serialize`, the writer `carescore export` uses too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from flask import Flask, Response, request

from carescore.read.serialize import csv_lines, plain, to_json
from website.api.params import CSV_ROW_CAP
from website.api.shape_base import Public, csv_columns

MAX_AGE = 60
# Answers that carry post text: a forgotten post must be gone from shared caches soon, so
# docs/deploy.md can state a bound (this, plus the edge cache's generation check).
POSTS_MAX_AGE = 10
POSTS_PREFIX = "/api/v1/posts"
EXPOSED = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


def wants_csv(fmt: str | None) -> bool:
    """`.csv` in the path, or an Accept header that prefers CSV to JSON."""
    if fmt == "csv":
        return True
    accept = request.environ.get("HTTP_ACCEPT", "")
    if "text/" not in accept.lower() and ";" not in accept:
        # Without a text type or a quality, JSON (listed first) wins or nothing matches:
        # the header need not be parsed, as it is for almost every client.
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def body_etag(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def json_response(shape: Public, filename: str | None = None) -> Response:
    """A `...Public` model as compact JSON with the ETag of its bytes; `filename` (without
    `.json`) is the name a browser saves it under, shown inline all the same."""
    response = document_response(shape)
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}.json"'
    return response


def document_response(document: Any) -> Response:
    return bytes_response(to_json(document).encode())


def bytes_response(body: bytes, etag: str | None = None) -> Response:
    """JSON already written; `etag` is `body_etag(body)` when the caller keeps it (a
    document written once per process)."""
    response = Response(body, mimetype="application/json")
    response.set_etag(etag or body_etag(body))
    return response


def csv_response(shape_type: type[Public], items: Iterable[Public], filename: str) -> Response:
    """Rows streamed in chunks, at most CSV_ROW_CAP of them; the ETag covers the rows sent.

    The rows are already in memory (a page of the read model), so the ETag is known
    before the first byte goes out.
    """
    rows = [plain(item) for _, item in zip(range(CSV_ROW_CAP), items, strict=False)]
    digest = body_etag(to_json(rows).encode())
    response = Response(csv_lines(csv_columns(shape_type), rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.set_etag(digest)
    return response


_CORS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED),
)
_PREFLIGHT = (
    ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, If-None-Match, Cache-Control"),
    ("Access-Control-Max-Age", "86400"),
)
# Headers a request may carry that make an answer conditional; without them, werkzeug's
# make_conditional would only add a Date header, which the server adds anyway.
CONDITIONAL = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)


def _finish(response: Response) -> Response:
    here = request._get_current_object()  # type: ignore[attr-defined]
    path = here.path
    if not path.startswith("/api/"):
        return response
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    headers.extend(_CORS)
    method = here.method
    if method == "OPTIONS":
        headers.extend(_PREFLIGHT)
        return response
    if "vary" in present:
        response.vary.add("Accept")
    else:
        headers.add("Vary", "Accept")
    if "etag" not in present and not response.is_streamed:
        response.set_etag(body_etag(response.get_data()))
    if response.status_code == 200 and method in ("GET", "HEAD"):
        if "cache-control" not in present:
            age = POSTS_MAX_AGE if path.startswith(POSTS_PREFIX) else MAX_AGE
            headers.add("Cache-Control", f"public, max-age={age}")
        environ = here.environ
        if any(name in environ for name in CONDITIONAL):
            response.make_conditional(here)
    elif "cache-control" not in present:
        headers.add("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_finish)
