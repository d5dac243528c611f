"""The Flask site: HTML pages and the JSON API over the domain in `carescore`.

The package is `website`, not `site`: Python imports its own `site` module at start-up,
so a package named `site` could never be imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from flask import Flask

from carescore.settings import Settings, load_settings
from website import bidi, db, errors, i18n, observability, page_cache, security, templating
from website import config as site_config
from website.links import Site

# Callables whose sync-or-async answer App keeps; past this many it stops keeping more.
SYNC_CALLABLES = 1_000


class App(Site):
    """The site's Flask, remembering which hooks and views need no async wrapper.

    Flask asks `inspect.iscoroutinefunction` of every hook, view and teardown function
    on every request (eleven per request here, a tenth of a hello-world's CPU); the
    answer never changes for one function, so it is looked up once.
    """

    _sync: dict[Callable[..., Any], Callable[..., Any]]

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        known = self._sync.get(func)
        if known is None:
            known = super().ensure_sync(func)
            if len(self._sync) < SYNC_CALLABLES:
                self._sync[func] = known
        return known


def create_app(settings: Settings | None = None, config: Mapping[str, Any] | None = None) -> Flask:
    """Build an app; nothing is connected until the first request needs it.

    `settings` defaults to the environment, read once here; tests hand their own
    (`load_settings(database_url=...)`). `config` holds Flask's own keys, e.g. TESTING.
    """
    if isinstance(settings, Mapping):
        raise TypeError("create_app(settings, config): Flask's own keys go in `config`")
    settings = settings if settings is not None else load_settings()
    app = App(
        __name__,
        template_folder=str(resources.files("website.templates")),
        static_folder=str(resources.files("website") / "static"),
    )
    app._sync = {}
    app.extensions[site_config.KEY] = settings
    app.config.update(
        SECRET_KEY=settings.secret_key.get_secret_value(),
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)

    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    i18n.init_app(app)
    bidi.init_app(app)
    observability.init_app(app)

    from website.api.views import bp as api_bp
    from website.embed import bp as embed_bp
    from website.pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    page_cache.init_app(app)
    return app
