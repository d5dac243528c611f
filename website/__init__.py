"""The Flask site: HTML pages and the JSON API over the domain in `carescore`.

The package is `website`, not `site`: Python imports its own `site` module at start-up,
so a package named `site` could never be imported.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from typing import Any

from flask import Flask

from carescore.settings import Settings
from website import db, errors, i18n, observability, security


def _prefixed_env() -> dict[str, Any]:
    """Every CARESCORE_* variable under its full name (JSON values decoded, as Flask does).

    Flask's own `from_prefixed_env` strips the prefix; keeping it means one name for a
    setting everywhere: in the environment, in app.config and in the docs.
    """
    config: dict[str, Any] = {}
    for key, value in os.environ.items():
        if key.startswith("CARESCORE_"):
            try:
                config[key] = json.loads(value)
            except ValueError:
                config[key] = value
    return config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build an app; nothing is connected until the first request needs it."""
    app = Flask(
        __name__,
        template_folder=str(resources.files("website.templates")),
        static_folder=str(resources.files("website") / "static"),
    )
    settings = Settings.from_env()
    settings.check()
    app.config.update(
        SECRET_KEY=settings.secret_key,
        CARESCORE_DATABASE_URL=settings.database_url,
        CARESCORE_ENV=settings.env,
        CARESCORE_RATELIMIT_STORAGE=settings.ratelimit_storage,
        JSON_SORT_KEYS=False,
    )
    app.config.update(_prefixed_env())
    if config:
        app.config.update(config)

    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    observability.init_app(app)

    from website.api.views import bp as api_bp
    from website.embed import bp as embed_bp
    from website.pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(embed_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    return app
