"""The Flask site: HTML pages and the JSON API over the domain in `carescore`.

The package is `website`, not `site`: Python imports its own `site` module at start-up,
so a package named `site` could never be imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from carescore.config import Settings
from website import db, errors, observability, security

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build an app; nothing is connected until the first request needs it."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    settings = Settings.from_env()
    settings.check()
    app.config.update(
        SECRET_KEY=settings.secret_key,
        CARESCORE_DATABASE_URL=settings.database_url,
        CARESCORE_ENV=settings.env,
        JSON_SORT_KEYS=False,
    )
    app.config.from_prefixed_env("CARESCORE")
    if config:
        app.config.update(config)

    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    observability.init_app(app)

    from website.api import bp as api_bp
    from website.pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    return app
