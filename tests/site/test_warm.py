"""What gunicorn's master loads before it forks the workers (website/warm.py)."""

from __future__ import annotations

from website.warm import warm


def test_warm_compiles_every_page_template_and_loads_the_scorer(app):
    from carescore.scoring.classifier import load_model
    from carescore.scoring.language import _identifier

    env = app.jinja_env
    names = env.list_templates(extensions=("html", "xml", "txt", "svg"))
    assert {"brand.html", "home.html", "rankings.html", "feed.atom.xml"} <= set(names)
    env.cache.clear()
    load_model.cache_clear()
    _identifier.cache_clear()

    warm(app)

    compiled = {name for (_, name) in env.cache}
    assert set(names) <= compiled
    assert load_model.cache_info().currsize == 1
    assert _identifier.cache_info().currsize == 1


def test_warming_opens_no_database_connection(app):
    """The master never connects: workers open their own connections after the fork."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    from carescore.store.db import engine_for, web_engine

    engine_for.cache_clear()  # as gunicorn_conf.post_fork does: no inherited engine
    web_engine.cache_clear()
    opened: list[object] = []

    def connected(dbapi_connection, record) -> None:
        opened.append(dbapi_connection)

    event.listen(Pool, "connect", connected)
    try:
        warm(app)
        during_warm = len(opened)
        assert app.test_client().get("/").status_code == 200
    finally:
        event.remove(Pool, "connect", connected)
    assert during_warm == 0
    assert opened, "a page's connection is seen: the check can fail"
