"""Absolute links from the configured public address, never from the request.

Permalinks, the Atom feeds, the badge and embed code and the API page's examples leave
the site: they are copied into articles and other sites, and pages are cached. The
`Host` header is whatever the client sent, so building them from it would let anyone
plant their own host in a link a reader trusts. Every absolute URL the app builds
(`url_for(..., _external=True)`) is the setting `CARESCORE_PUBLIC_BASE_URL` (in
development, `http://` + the bind address) followed by the route's path.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request

from website.config import settings


class Site(Flask):
    """Flask, with absolute URLs built on the public address (see the module's note)."""

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        if not _external:
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
        return public_url(path, self)


def public_url(path: str, app: Flask) -> str:
    """The absolute address of a path the app built (with its mount point, if any)."""
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return settings(app).base_url + path
