"""A small demo site for page tests: demo brands and posts, a live ranking, monthly snapshots.

Built with the production functions (`build_demo`, `rank_brands`) once per test process
and database, then copied for each module or test that takes it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from carescore.demo import build_demo
from carescore.incidents import refresh_incidents
from carescore.ranking.snapshots import rank_brands
from carescore.store.db import engine_for, make_engine, web_engine
from tests.conftest import pg_copy, pg_drop
from tests.site.snapshots import make_monthly_snapshots
from website.config import settings

AS_OF = date(2026, 6, 30)
DEMO_POSTS = 6000


def build_site(session: Session, n_posts: int = DEMO_POSTS, months: int = 3) -> list[str]:
    """Demo data, today's live ranking and `months` monthly snapshots; returns the months."""
    build_demo(session, AS_OF, n_posts=n_posts)
    periods = make_monthly_snapshots(session, AS_OF, months)
    now = datetime.combine(AS_OF, time(23), tzinfo=UTC)
    rank_brands(session, "90d", AS_OF, now=now)
    refresh_incidents(session, now)
    session.commit()
    return periods


@pytest.fixture(scope="session")
def site_templates(sqlite_template, tmp_path_factory) -> dict:
    """The demo site built once per test process, copied for each module that reads it.

    Building it takes 10-25 s on a loaded machine; copying a SQLite file, or a PostgreSQL
    database with CREATE DATABASE ... TEMPLATE, takes well under a second or two. The
    PostgreSQL copy is made on first use, so SQLite-only runs never need a server.
    """
    path = tmp_path_factory.mktemp("site-template") / "site.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        months = build_site(session)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return {"sqlite": path, "months": months}


def _pg_site_template(request) -> str:
    """This process's PostgreSQL copy of the demo site (built once), as a database name."""
    templates = request.getfixturevalue("site_templates")
    if "postgres" not in templates:
        url = pg_copy(request.getfixturevalue("pg_url"))
        engine = make_engine(url)
        with Session(engine) as session:
            months = build_site(session)
        engine.dispose()
        assert months == templates["months"], "the demo site is deterministic"
        templates["postgres"] = make_url(url).database
    return templates["postgres"]


def site_copy(request, kind: str, folder) -> str:
    """The URL of a fresh copy of the demo site on `kind`, for one module or one test."""
    if kind == "sqlite":
        path = folder / "site.db"
        shutil.copy(request.getfixturevalue("site_templates")["sqlite"], path)
        return f"sqlite:///{path}"
    return pg_copy(request.getfixturevalue("pg_url"), _pg_site_template(request))


@pytest.fixture
def db_url(db_url, request, tmp_path) -> Iterator[str]:
    """The root conftest's empty database, or, for a test that takes `site`, a copy of the
    built demo site of the same kind (its own PostgreSQL database, dropped after it)."""
    if "site" not in request.fixturenames:
        yield db_url
        return
    kind = "sqlite" if db_url.startswith("sqlite") else "postgres"
    folder = tmp_path / "with-site"
    folder.mkdir()
    url = site_copy(request, kind, folder)
    yield url
    if kind == "postgres":
        pg_drop(url)


@pytest.fixture
def site(request, db_url) -> list[str]:
    """The demo site in the test's database (db_url copies it); returns the snapshot months."""
    return list(request.getfixturevalue("site_templates")["months"])


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site_app(request, tmp_path_factory):
    """One demo site per test module and database, for tests that only read.

    Each module reads its own copy of the session's demo site, so a module that writes
    (the page cache's generation) never shows in another; tests that write take the
    function-scoped `app` and `site` fixtures instead.
    """
    url = site_copy(request, request.param, tmp_path_factory.mktemp("site"))
    months = list(request.getfixturevalue("site_templates")["months"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CARESCORE_DATABASE_URL", url)
        from carescore.settings import load_settings
        from website import create_app

        application = create_app(load_settings(database_url=url), {"TESTING": True})
        application.config["SITE_MONTHS"] = months
        yield application
    engine_for(url).dispose()
    web_engine(url).dispose()
    if request.param == "postgres":
        pg_drop(url)


@pytest.fixture
def site_client(site_app):
    return site_app.test_client()


@pytest.fixture
def count_queries() -> Callable:
    """`with count_queries(app) as n: ...` then `n[0]` is the number of SQL statements run."""

    @contextmanager
    def counting(app) -> Iterator[list[int]]:
        engine = web_engine(settings(app).database_url)
        seen = [0]

        def before(*_args, **_kwargs):
            seen[0] += 1

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
