"""The Flask site: HTML pages and the JSON API over the domain in `carescore`.

The package is `website`, not `site`: Python imports its own `site` module at start-up,
so a package named `site` could never be imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from typing import Any

from flask import Flask

from carescore.settings import Settings, load_settings
from website import bidi, db, errors, i18n, observability, page_cache, security
from website import config as site_config
from website.links import Site


def create_app(settings: Settings | None = None, config: Mapping[str, Any] | None = None) -> Flask:
    """Build an app; nothing is connected until the first request needs it.

    `settings` defaults to the environment, read once here; tests hand their own
    (`load_settings(database_url=...)`). `config` holds Flask's own keys, e.g. TESTING.
    """
    if isinstance(settings, Mapping):
        raise TypeError("create_app(settings, config): Flask's own keys go in `config`")
    settings = settings if settings is not None else load_settings()
    app = Site(
        __name__,
        template_folder=str(resources.files("website.templates")),
        static_folder=str(resources.files("website") / "static"),
    )
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
