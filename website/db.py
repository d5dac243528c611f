"""One SQLModel session per request, opened lazily on `g` and closed on teardown."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy.engine import Engine
from sqlmodel import Session

from carescore.store.db import web_engine
from website.config import settings


def get_engine() -> Engine:
    """The site's engine: connection, pool and statement waits are bounded (web_engine)."""
    return web_engine(settings().database_url)


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_session)
