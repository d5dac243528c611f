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
from flask.globals import _cv_app, _cv_request

from website.config import settings

# A path built for a request is kept for the next requests that ask the same: a page
# builds thirty to fifty links, each through Flask's URL builder (about 10 µs), and the
# site has a few hundred distinct ones. Bounded, since a query string can carry anything.
MEMO_SIZE = 4096


class Site(Flask):
    """Flask, with absolute URLs built on the public address (see the module's note), and
    the paths of links kept once built (see MEMO_SIZE)."""

    _paths: dict[tuple[Any, ...], str]

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
            if _anchor is None and _method is None and _scheme is None:
                return self._path_for(endpoint, values)
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

    def _path_for(self, endpoint: str, values: dict[str, Any]) -> str:
        """A link's path, the same as Flask builds it, from the memo when it was built.

        What else a path depends on is part of the key: the mount point, the blueprint
        that a relative endpoint names and the language a visitor chose by URL (the only
        URL default the site sets, `website.i18n`). Values other than text go to Flask.
        """
        ctx = _cv_request.get(None)
        if ctx is None or not _plain(values):
            return super().url_for(endpoint, **values)
        key = (
            endpoint,
            ctx.url_adapter.script_name if ctx.url_adapter is not None else None,
            ctx.request.blueprint if endpoint[:1] == "." else None,
            # read from g's own attributes: `getattr(g, name, None)` raises and catches an
            # AttributeError when the name is unset, which it is unless a language was
            # chosen by URL
            _cv_app.get().g.__dict__.get("explicit_lang"),
            *values.items(),
        )
        paths = self.__dict__.get("_paths")
        if paths is None:
            paths = self._paths = {}
        found = paths.get(key)
        if found is None:
            found = super().url_for(endpoint, **values)
            if len(paths) >= MEMO_SIZE:
                paths.clear()
            paths[key] = found
        return found


def _plain(values: dict[str, Any]) -> bool:
    return all(value is None or type(value) is str for value in values.values())


def public_url(path: str, app: Flask) -> str:
    """The absolute address of a path the app built (with its mount point, if any)."""
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return settings(app).base_url + path
