"""Load in gunicorn's master what every worker would otherwise load on its first requests.

gunicorn imports the app once in its master (`preload_app`) and forks the workers from
it, so whatever the master holds, each worker starts with. Jinja compiles a template the
first time it renders, and the scorer's weights, lexicons and language model load on the
first post whose cues a page explains. Measured in process on the demo database, a fresh
worker's first brand page cost 1.4 s of CPU at a load average of 7 (templates and the
scorer about equally) against 8 ms for the next one; every worker start or restart
(`max_requests`) put such requests in the p99 of whoever asked first.

The master never connects to the database (workers open their own connections after the
fork), so nothing here reads data. gunicorn's `when_ready` hook (website/gunicorn_conf.py)
calls `warm`, so `carescore serve`, `wsgi.py` and every gunicorn the tests start pay for it
once per server; an app built by `create_app()` alone (a test's, a CLI command's) does not.
"""

from __future__ import annotations

from flask import Flask

from carescore.scoring.score import warm_up as warm_scorer
from website import i18n


def warm(app: Flask) -> None:
    """Compile every page template and load the scorer and the translation catalogues."""
    env = app.jinja_env
    for name in env.list_templates(extensions=("html", "xml", "txt", "svg")):
        env.get_template(name)
    warm_scorer()
    i18n.warm()
