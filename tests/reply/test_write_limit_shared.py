"""The brands' write limit is one count for every worker and host when Redis is
configured, apart from the reads' count (its own key prefix)."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session

from carescore.reply import issue_key
from carescore.store.db import engine_for
from tests.reply.conftest import seed


def test_two_app_instances_share_the_write_count_in_redis(sqlite_template, tmp_path):
    import shutil

    from carescore.settings import load_settings
    from website import create_app

    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    path = tmp_path / "writes.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    with Session(engine_for(url)) as s:
        seed(s)
        token = issue_key(s, "acme", operator="ops").token
        s.commit()
    config = load_settings(
        database_url=url,
        ratelimit="1000 per minute",
        write_ratelimit="3 per minute",
        ratelimit_storage="redis://127.0.0.1:6379/0",
        ratelimit_prefix=f"carescore-test-{uuid.uuid4().hex}",
    )
    first, second = (create_app(config, {"TESTING": True}).test_client() for _ in range(2))
    auth = {"Authorization": f"Bearer {token}"}
    body = {"text": "We are on it."}
    statuses = [
        c.post("/api/v1/brands/acme/statements", json=body, headers=auth).status_code
        for c in (first, second, first, second)
    ]
    assert statuses == [201, 201, 201, 429]
    assert first.get("/api/v1/brands/acme/reply").status_code == 200  # reads count apart
    engine_for(url).dispose()
