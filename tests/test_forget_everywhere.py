"""Forget means forgotten: every cache at once, every spelling of an id, no copy left behind."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlmodel import Session

from carescore.cli import main
from carescore.store.db import make_engine
from carescore.store.forget import forget
from carescore.store.models import Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import load_acme

WHEN = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
SECRET = "my-address-is-42-rue-secrete"


def _seed(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        load_acme(session)
        store_posts(
            session,
            [
                NewPost("x", "100", "Cust1", WHEN, f"@AcmeHelp {SECRET} #fail"),
                NewPost("x", "101", "cust2", WHEN, "@AcmeHelp still waiting"),
            ],
        )
        session.commit()
    engine.dispose()


def _workers(db_url: str, monkeypatch, n: int = 2):
    """Apps as separate gunicorn workers are: each with its own edge cache."""
    from carescore.settings import load_settings
    from website import create_app

    settings = load_settings(database_url=db_url, api_cache_seconds=60)
    return [create_app(settings, {"TESTING": True}).test_client() for _ in range(n)]


def test_a_forgotten_post_leaves_every_workers_cache_at_once(db_url, monkeypatch):
    _seed(db_url)
    workers = _workers(db_url, monkeypatch)
    for client in workers:
        first = client.get("/api/v1/posts")
        assert SECRET in first.get_data(as_text=True)
        max_age = int(first.headers["Cache-Control"].split("max-age=")[1])
        assert max_age <= 10
    engine = make_engine(db_url)
    with Session(engine) as session:
        forget(session, platform="x", post_id="100")
        session.commit()
    engine.dispose()
    time.sleep(0.6)  # the generation check's interval
    for client in workers:
        assert SECRET not in client.get("/api/v1/posts").get_data(as_text=True)


def test_other_spellings_of_a_forgotten_id_stay_out(db_url, session, monkeypatch, tmp_path):
    _seed(db_url)
    forget(session, platform="x", author_id="cust1 ")
    forget(session, platform="x", post_id=" 101")
    session.commit()
    monkeypatch.setenv("CARESCORE_DATABASE_URL", db_url)
    path = tmp_path / "again.jsonl"
    rows = [
        '{"platform": "x", "external_id": "100 ", "author_id": "CUST1", '
        '"created_at": "2025-03-04T10:00:00Z", "text": "back?"}',
        '{"platform": "x", "external_id": "101 ", "author_id": "cust2", '
        '"created_at": "2025-03-04T10:00:00Z", "text": "back?"}',
        '{"platform": "x", "external_id": "102", "author_id": " Cust1", '
        '"created_at": "2025-03-05T10:00:00Z", "text": "a new post by the forgotten author"}',
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.execute(select(func.count()).select_from(Post)).scalar() == 0


def test_the_text_is_overwritten_before_the_row_goes(tmp_path, sqlite_template):
    import shutil

    path = tmp_path / "forget.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    _seed(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert SECRET.encode() in path.read_bytes()
    with Session(engine) as session:
        forget(session, platform="x", post_id="100")
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    wal = path.with_name(path.name + "-wal")
    leftovers = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert SECRET.encode() not in leftovers
