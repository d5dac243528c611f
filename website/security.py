"""Security headers on every response, and no cookies: the site runs no inline script, is
not framed, and keeps no state about a visitor (the language travels in the URL)."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SessionInterface

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
EMBED_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")

_COMMON = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
HEADERS = (("Content-Security-Policy", CSP), *_COMMON, ("X-Frame-Options", "DENY"))
EMBED_HEADERS = (("Content-Security-Policy", EMBED_CSP), *_COMMON)


class NoSessions(SessionInterface):
    """Flask's cookie session, never used here, built a signing serializer on every
    request; a null session costs nothing and makes any accidental use fail loudly."""

    def open_session(self, app: Flask, request):
        return self.make_null_session(app)

    def save_session(self, app: Flask, session, response: Response) -> None:
        return None


_NAMES = frozenset(name.lower() for name, _ in HEADERS + EMBED_HEADERS)


def _headers(response: Response) -> Response:
    here = request._get_current_object()  # type: ignore[attr-defined]
    embeddable = here.blueprint == "embed" or here.path.startswith("/badge/")
    wanted = EMBED_HEADERS if embeddable else HEADERS
    headers = response.headers
    if _NAMES.isdisjoint(name.lower() for name, _ in headers):
        headers.extend(wanted)  # a view rarely sets one of these: nothing to compare
    else:
        present = {name.lower() for name, _ in headers}
        headers.extend((name, value) for name, value in wanted if name.lower() not in present)
    return response


def init_app(app: Flask) -> None:
    app.session_interface = NoSessions()
    app.after_request(_headers)
