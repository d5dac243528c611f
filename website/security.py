"""Security headers on every response: the site runs no inline script and is not framed."""

from __future__ import annotations

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def _headers(response: Response) -> Response:
    embeddable = request.blueprint == "embed" or request.path.startswith("/badge/")
    response.headers.setdefault("Content-Security-Policy", EMBED_CSP if embeddable else CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not embeddable:
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)
