"""The HTTP edge of the API: JSON or CSV from the same `...Public` object, ETag and 304,
Cache-Control and CORS. Views build data; this module decides how it travels.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, request

from website.api_params import CSV_ROW_CAP

MAX_AGE = 60
CACHE_SECONDS = 10
CACHE_ENTRIES = 1024
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


class MicroCache:
    """Finished API answers of this process for a few seconds, by URL and format.

    Every figure comes from precomputed snapshots that change when a ranking job runs,
    and clients may cache for MAX_AGE anyway, so serving the same bytes for a few seconds
    costs no freshness worth having and spares the database on every popular URL.
    """

    def __init__(self, seconds: float, entries: int = CACHE_ENTRIES) -> None:
        self.seconds = seconds
        self.entries = entries
        self._items: dict[tuple, tuple[float, bytes, str, list[tuple[str, str]]]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Response | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        _, body, mimetype, headers = item
        return Response(body, mimetype=mimetype, headers=headers)

    def put(self, key: tuple, response: Response) -> None:
        headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
        item = (time.monotonic() + self.seconds, response.get_data(), response.mimetype, headers)
        with self._lock:
            if len(self._items) >= self.entries:
                self._items.pop(next(iter(self._items)))
            self._items[key] = item


def micro_cached(view: Callable[..., Response]) -> Callable[..., Response]:
    """Serve a view's successful, non-streamed answers from the MicroCache."""

    @wraps(view)
    def cached(*args: Any, **kwargs: Any) -> Response:
        cache: MicroCache | None = current_app.extensions.get("carescore_api_cache")
        if cache is None:
            return view(*args, **kwargs)
        key = (request.path, request.query_string, wants_csv(kwargs.get("fmt")))
        hit = cache.get(key)
        if hit is not None:
            return hit
        response = view(*args, **kwargs)
        if response.status_code == 200 and not response.is_streamed:
            cache.put(key, response)
        return response

    return cached


def _finish(response: Response) -> Response:
    if not request.path.startswith("/api/"):
        return response
    headers = response.headers
    headers["Access-Control-Allow-Origin"] = "*"
    headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match, Cache-Control"
        headers["Access-Control-Max-Age"] = "86400"
        return response
    response.vary.add("Accept")
    if response.status_code not in (429, 503):
        # Flask-Limiter sends Retry-After on every answer; it only means something on a 429.
        headers.pop("Retry-After", None)
    if "ETag" not in headers and not response.is_streamed:
        response.set_etag(_etag(response.get_data()))
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
        response.make_conditional(request)
    else:
        headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """CARESCORE_API_CACHE_SECONDS (default 10; 0 turns the cache off) bounds how long an
    answer may lag behind a new ranking."""
    seconds = float(app.config.get("CARESCORE_API_CACHE_SECONDS", CACHE_SECONDS))
    if seconds > 0:
        app.extensions["carescore_api_cache"] = MicroCache(seconds)
    app.after_request(_finish)
