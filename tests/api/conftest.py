"""API fixtures: the demo brands and posts, ranked by the production functions.

`demo_app` is one SQLite database per test module, loaded once, for the many read-only
tests; tests that take `app` (from tests/conftest.py) run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from carescore.demo import build_demo
from carescore.ranking.snapshots import rank_brands
from carescore.store.db import engine_for, make_engine
from tests.conftest import replace_sqlite_file
from website.config import settings

AS_OF = date(2026, 6, 30)
NOW = datetime(2026, 7, 1, tzinfo=UTC)
MONTHS = ("2026-04", "2026-05")
POSTS = 1500


def load_demo(app, n_posts: int = POSTS) -> None:
    with Session(engine_for(settings(app).database_url)) as session:
        _rank_demo(session, n_posts)


def _rank_demo(session: Session, n_posts: int) -> None:
    build_demo(session, AS_OF, n_posts=n_posts)
    rank_brands(session, "90d", AS_OF, now=NOW)
    for month in MONTHS:
        rank_brands(session, month, AS_OF, now=NOW)
    session.commit()


@pytest.fixture(scope="session")
def demo_files(sqlite_template, tmp_path_factory) -> Callable[[int], Path]:
    """`demo_files(n_posts)`: a SQLite file of the ranked demo, built once per test process.

    Building and ranking the demo takes seconds; the modules and tests that read it copy
    the file instead (the demo is deterministic, so every copy holds the same rows).
    """
    built: dict[int, Path] = {}

    def get(n_posts: int) -> Path:
        if n_posts not in built:
            path = tmp_path_factory.mktemp("demo-template") / "demo.db"
            shutil.copy(sqlite_template, path)
            engine = make_engine(f"sqlite:///{path}")
            with Session(engine) as session:
                _rank_demo(session, n_posts)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            built[n_posts] = path
        return built[n_posts]

    return get


@pytest.fixture(scope="module")
def demo_app(demo_files, tmp_path_factory):
    """A ranked demo database shared by the read-only tests of one module."""
    from carescore.settings import load_settings
    from website import create_app

    path = tmp_path_factory.mktemp("api") / "demo.db"
    shutil.copy(demo_files(POSTS), path)
    url = f"sqlite:///{path}"
    config = load_settings(
        database_url=url,
        ratelimit="100000/minute",
        write_ratelimit="100000/minute",
        api_cache_seconds=0,
    )
    application = create_app(config, {"TESTING": True})
    yield application
    engine_for(url).dispose()


@pytest.fixture
def api(demo_app):
    return demo_app.test_client()


@pytest.fixture
def demo_client(app, demo_files):
    """A client over ranked demo data, once per database kind.

    On SQLite the built demo's file replaces the app's empty one (its engines disposed
    first, so no connection reads the old file); PostgreSQL loads it in place.
    """
    url = settings(app).database_url
    if url.startswith("sqlite:///"):
        replace_sqlite_file(url, demo_files(600))
    else:
        load_demo(app, n_posts=600)
    return app.test_client()


@pytest.fixture(scope="module")
def fuzz_schema(demo_app):
    import schemathesis

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_app)


@pytest.fixture(scope="module")
def pg_demo_app(pg_url):
    """The demo data on this worker's PostgreSQL database, for the PostgreSQL half of the fuzz."""
    from carescore.settings import load_settings
    from carescore.store.db import web_engine
    from tests.conftest import _truncate
    from website import create_app

    engine = make_engine(pg_url)
    _truncate(engine)
    engine.dispose()
    config = load_settings(
        database_url=pg_url,
        ratelimit="100000/minute",
        write_ratelimit="100000/minute",
        api_cache_seconds=0,
    )
    application = create_app(config, {"TESTING": True})
    load_demo(application, n_posts=300)
    yield application
    engine_for(pg_url).dispose()
    web_engine(pg_url).dispose()


@pytest.fixture(scope="module")
def fuzz_schema_pg(pg_demo_app):
    import schemathesis

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", pg_demo_app)
