"""Fixtures over real databases: a SQLite file and a PostgreSQL database.

Tests that take `engine` (or `session`, `app`, `client`) run once per database. The
PostgreSQL half uses CARESCORE_TEST_DATABASE_URL; outside CI it skips with a visible
reason when no server answers, under CI=true an unreachable server fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from carescore.store.db import DatabaseUnavailable, make_engine, ping
from carescore.store.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DATA_DIR = Path(os.environ.get("CARESCORE_SHARED_DATA", SHARED_DATA))


def shared_data(relative: str) -> Path:
    """A file of ../shared/data, or a skip that says it is missing."""
    path = DATA_DIR / relative
    if not path.exists():
        pytest.skip(f"shared dataset not found: {path} (set CARESCORE_SHARED_DATA)")
    return path


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database of this test worker's own."""
    base = make_url(os.environ.get("CARESCORE_TEST_DATABASE_URL", DEFAULT_PG))
    admin = make_engine(base.render_as_string(hide_password=False))
    try:
        ping(admin)
    except DatabaseUnavailable as exc:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI: {exc}")
        pytest.skip(f"PostgreSQL not reachable, skipping its half: {exc}")
    # One database per test process, so parallel runs never drop each other's.
    name = f"{base.database}_{_worker()}_{os.getpid()}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()
    # Copied now, while nothing is connected to it: later copies (pg_copy) start from this
    # migrated template instead of migrating again.
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}_tpl" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{name}_tpl" TEMPLATE "{name}"')
    yield url
    from carescore.store.db import engine_for, web_engine

    engine_for.cache_clear()
    web_engine.cache_clear()
    for made in [*_PG_COPIES, f"{name}_tpl", name]:
        _admin_sql(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)')
    _PG_COPIES.clear()


_PG_COPIES: list[str] = []


def _admin_sql(statement: str) -> None:
    """Run one statement on the server's default database, outside a transaction (CREATE
    and DROP DATABASE refuse to run inside one)."""
    base = make_url(os.environ.get("CARESCORE_TEST_DATABASE_URL", DEFAULT_PG))
    admin = make_engine(base.render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


def pg_copy(pg_url: str, source: str | None = None) -> str:
    """A new PostgreSQL database of this process's own, copied from `source` (a database
    name made by this function) or from the migrated template; returns its URL.

    CREATE DATABASE ... TEMPLATE copies files: a second or two, against many seconds to
    migrate and load demo data again. The copies are dropped with `pg_url` at session end,
    or earlier by `pg_drop`. Nothing may be connected to the source while it is copied.
    """
    url = make_url(pg_url)
    name = f"{url.database}_c{len(_PG_COPIES)}"
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source or url.database + "_tpl"}"')
    _PG_COPIES.append(name)
    return url.set(database=name).render_as_string(hide_password=False)


def pg_drop(url: str) -> None:
    """Drop a database made by `pg_copy`, with the cached engines that point at it."""
    from carescore.store.db import engine_for, web_engine

    engine_for(url).dispose()
    web_engine(url).dispose()
    name = make_url(url).database
    _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if name in _PG_COPIES:
        _PG_COPIES.remove(name)


def replace_sqlite_file(url: str, source: Path) -> None:
    """Put a copy of the SQLite file `source` where `url` points, for a test whose app was
    made over an empty database: the cached engines are disposed first and a stale WAL
    removed, so no connection reads the old file (a copy instead of loading data again)."""
    from carescore.store.db import engine_for, web_engine

    engine_for(url).dispose()
    web_engine(url).dispose()
    path = Path(url.removeprefix("sqlite:///"))
    for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.copy(source, path)


def _truncate(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty, migrated database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "carescore.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_url")
        eng = make_engine(url)
        _truncate(eng)
        eng.dispose()
        yield url


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def app(db_url, monkeypatch):
    from carescore.settings import load_settings
    from carescore.store.db import engine_for, web_engine
    from website import create_app

    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)  # for the CLI commands a test runs
    # Pages rendered on every request: tests change the data between two requests (the
    # page cache has tests of its own, tests/site/test_page_cache.py).
    config = load_settings(database_url=db_url, page_cache_seconds=0)
    application = create_app(config, {"TESTING": True})
    yield application
    engine_for(db_url).dispose()
    web_engine(db_url).dispose()


@pytest.fixture
def client(app):
    return app.test_client()
