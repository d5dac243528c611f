"""The HTTP edge of the API: JSON or CSV from the same `...Public` object, ETag and 304,
Cache-Control and CORS. Views build data; this module decides how it travels.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, Response, request

from website.api.params import CSV_ROW_CAP

MAX_AGE = 60
# Answers that carry post text: a forgotten post must be gone from shared caches soon, so
# docs/deploy.md can state a bound (this, plus the edge cache's generation check).
POSTS_MAX_AGE = 10
POSTS_PREFIX = "/api/v1/posts"
EXPOSED = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
_CSV_CHUNK = 500


def wants_csv(fmt: str | None) -> bool:
    """`.csv` in the path, or an Accept header that prefers CSV to JSON."""
    if fmt == "csv":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def _etag(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def plain(value: Any) -> Any:
    """A `...Public` tree as JSON values: `dataclasses.asdict` without its deep copies."""
    if dataclasses.is_dataclass(value):
        return {k: plain(v) for k, v in value.__dict__.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def json_response(shape: Any) -> Response:
    """A `...Public` dataclass as compact JSON with the ETag of its bytes."""
    return document_response(plain(shape))


def document_response(document: dict[str, Any]) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    response = Response(body, mimetype="application/json")
    response.set_etag(_etag(body))
    return response


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        return " ".join(
            ":".join(str(x) for x in v.values()) if isinstance(v, dict) else str(v) for v in value
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _lines(columns: list[str], rows: list[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for start in range(0, len(rows), _CSV_CHUNK):
        for row in rows[start : start + _CSV_CHUNK]:
            writer.writerow([_cell(row[c]) for c in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_response(shape_type: type, items: Iterable[Any], filename: str) -> Response:
    """Rows streamed in chunks, at most CSV_ROW_CAP of them; the ETag covers the rows sent."""
    rows = [plain(item) for item in list(items)[:CSV_ROW_CAP]]
    columns = list(shape_type.__dataclass_fields__)
    digest = _etag(json.dumps(rows, sort_keys=True, default=str).encode())
    response = Response(_lines(columns, rows), mimetype="text/csv")
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
    if not request.path.startswith("/api/"):
        return response
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    headers.extend(_CORS)
    if request.method == "OPTIONS":
        headers.extend(_PREFLIGHT)
        return response
    if "vary" in present:
        response.vary.add("Accept")
    else:
        headers.add("Vary", "Accept")
    if "etag" not in present and not response.is_streamed:
        response.set_etag(_etag(response.get_data()))
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        if "cache-control" not in present:
            age = POSTS_MAX_AGE if request.path.startswith(POSTS_PREFIX) else MAX_AGE
            headers.add("Cache-Control", f"public, max-age={age}")
        if any(name in request.environ for name in CONDITIONAL):
            response.make_conditional(request)
    elif "cache-control" not in present:
        headers.add("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_finish)
