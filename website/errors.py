"""Error pages for people and RFC 9457 problem documents for the API, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


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


def _handle_http(exc: HTTPException):
    if _wants_problem():
        response = problem(exc.code or 500, exc.name, exc.description)
        # Keep what the exception says about retrying: Allow on 405, Retry-After on 429.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
    return render_template("error.html", code=exc.code, title=exc.name), exc.code


def _handle_unexpected(exc: Exception):
    log.exception("unhandled error on %s", request.path)
    if _wants_problem():
        return problem(500, "Internal Server Error", "The server could not complete the request.")
    return render_template("error.html", code=500, title=InternalServerError.name), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
