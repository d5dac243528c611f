"""Error pages for people and RFC 9457 problem documents for the API, never a traceback.

Three things are settled at the edge, once for every route: a NUL byte anywhere in the
path or the query is refused with a 400 before any view runs (PostgreSQL refuses NUL in
text, and no route has a use for one); a database that is down or stuck answers 503
with Retry-After and one log line, not a traceback per request; anything else
unexpected is a logged 500 with a generic page.

The domain's `UserError`s are answered here too, once for every view: `NotFound` is a 404,
`BadInput` a 400, each as a page or a problem document by path. So a view calls its one
domain function and renders, with no try/except of its own.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.exceptions import NotFound as PageNotFound

from carescore.errors import BadInput, NotFound
from carescore.store.db import is_outage, one_line

log = logging.getLogger(__name__)
# Seconds a client should wait before retrying while the database is unavailable.
RETRY_AFTER_SECONDS = 5


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    """The one error shape of the API."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _wants_problem() -> bool:
    return request.path.startswith("/api/")


NUL_REASON = "contains a NUL character"


def _nul_param() -> str | None:
    """The query parameter holding a NUL byte ("" for the path itself), or None."""
    if "\x00" in request.path:
        return ""
    raw = request.query_string
    if b"%00" not in raw and b"\x00" not in raw:
        return None  # nothing to decode into a NUL: the parameters need not be parsed
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "%00")
    return None


def _refuse_nul():
    name = _nul_param()
    if name is None:
        return None
    if _wants_problem():
        params = [{"name": name or "path", "reason": NUL_REASON}]
        return problem(400, "Bad Request", f"The address {NUL_REASON}.", invalid_params=params)
    raise BadRequest(f"The address {NUL_REASON}.")


def _handle_http(exc: HTTPException):
    if _wants_problem():
        response = problem(exc.code or 500, exc.name, exc.description)
        # Keep what the exception says about retrying: Allow on 405, Retry-After on 429.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
    return render_template("error.html", code=exc.code, title=exc.name), exc.code


def _caused_by_outage(exc: BaseException) -> BaseException | None:
    seen = 0
    while exc is not None and seen < 10:
        if is_outage(exc):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _unavailable(cause: BaseException):
    log.warning("database unavailable on %s: %s", request.path, one_line(cause))
    title = ServiceUnavailable().name
    if _wants_problem():
        response = problem(503, title, "The database is unavailable; please retry shortly.")
    else:
        response = Response(
            render_template("error.html", code=503, title=_("Temporarily unavailable")),
            status=503,
            mimetype="text/html",
        )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _handle_not_found(exc: NotFound):
    if _wants_problem():
        return problem(404, PageNotFound().name, str(exc))
    return render_template("error.html", code=404, title=PageNotFound().name), 404


def _handle_bad_input(exc: BadInput):
    if _wants_problem():
        return problem(400, BadRequest().name, str(exc))
    return render_template("error.html", code=400, title=BadRequest().name), 400


def _handle_unexpected(exc: Exception):
    cause = _caused_by_outage(exc)
    if cause is not None:
        return _unavailable(cause)
    log.exception("unhandled error on %s", request.path)
    if _wants_problem():
        return problem(500, "Internal Server Error", "The server could not complete the request.")
    return render_template("error.html", code=500, title=InternalServerError().name), 500


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(NotFound, _handle_not_found)
    app.register_error_handler(BadInput, _handle_bad_input)
    app.register_error_handler(Exception, _handle_unexpected)
