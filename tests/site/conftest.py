"""A small demo site for page tests: demo brands and posts, a live ranking, monthly snapshots.

Built with the production functions (`build_demo`, `rank_brands`), once per test on each
database, like the rest of the suite.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import event
from sqlmodel import Session

from carescore.demo import build_demo
from carescore.incidents import refresh_incidents
from carescore.ranking.snapshots import rank_brands
from carescore.store.db import engine_for, make_engine, web_engine
from tests.conftest import _truncate
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


@pytest.fixture
def site(app) -> list[str]:
    """The app's database filled with the demo site; returns the snapshot months."""
    with Session(engine_for(settings(app).database_url)) as session:
        return build_site(session)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site_app(request, tmp_path_factory):
    """One demo site per test module and database, for tests that only read.

    Building the demo takes seconds, so read-only tests share it; tests that write take
    the function-scoped `app` and `site` fixtures instead.
    """
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("site") / "site.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
        admin = make_engine(url)
        _truncate(admin)
        admin.dispose()
    with Session(engine_for(url)) as session:
        months = build_site(session)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CARESCORE_DATABASE_URL", url)
        from carescore.settings import load_settings
        from website import create_app

        application = create_app(load_settings(database_url=url), {"TESTING": True})
        application.config["SITE_MONTHS"] = months
        yield application
    engine_for(url).dispose()


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
