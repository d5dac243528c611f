"""Rate limiting per client address: a 429 problem with the standard headers, and one
count shared through Redis by every app instance (gunicorn workers, hosts)."""

from __future__ import annotations

import uuid

import pytest


def _app(db_url: str, **overrides):
    from carescore.settings import load_settings
    from website import create_app

    return create_app(load_settings(database_url=db_url, **overrides), {"TESTING": True})


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path):
    import shutil

    path = tmp_path / "limit.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def test_the_limit_gives_a_429_problem_with_headers(sqlite_url):
    client = _app(sqlite_url, ratelimit="3 per minute").test_client()
    remaining = [
        int(client.get("/api/v1/sectors").headers["X-RateLimit-Remaining"]) for _ in range(3)
    ]
    assert remaining == [2, 1, 0]
    blocked = client.get("/api/v1/sectors")
    assert blocked.status_code == 429
    assert blocked.mimetype == "application/problem+json"
    assert blocked.get_json()["status"] == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.headers["X-RateLimit-Limit"] == "3"
    other = client.get("/api/v1/sectors", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200, "the count is per client address"
    assert client.get("/").status_code != 429, "the pages are not limited"


def test_two_app_instances_share_the_count_in_redis(sqlite_url):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    config = {
        "ratelimit": "4 per minute",
        "ratelimit_storage": "redis://127.0.0.1:6379/0",
        # A fresh namespace, so that parallel and repeated runs never share a count.
        "ratelimit_prefix": f"carescore-test-{uuid.uuid4().hex}",
    }
    first = _app(sqlite_url, **config).test_client()
    second = _app(sqlite_url, **config).test_client()
    statuses = [c.get("/api/v1/sectors").status_code for c in (first, second, first, second)]
    assert statuses == [200, 200, 200, 200]
    assert first.get("/api/v1/sectors").status_code == 429
    assert second.get("/api/v1/sectors").status_code == 429


def test_a_redis_outage_degrades_to_counting_in_memory():
    import logging

    from website.api.ratelimit import RateLimit

    warnings: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = warnings.append
    logger = logging.getLogger("website.api.ratelimit")
    logger.addHandler(handler)
    try:
        limiter = RateLimit("2 per minute", "redis://127.0.0.1:1/0", "carescore-test", "api")
        windows = [limiter.hit("10.0.0.1") for _ in range(3)]
    finally:
        logger.removeHandler(handler)
    assert [w.allowed for w in windows] == [True, True, False]
    assert [w.remaining for w in windows] == [1, 0, 0]
    assert len(warnings) == 1, "one warning per outage, not one per request"
    assert "counting in memory" in warnings[0].getMessage()


def test_every_instance_reports_the_same_window_end_and_a_new_window_after_it():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    import time

    from website.api.ratelimit import RateLimit

    prefix = f"carescore-test-{uuid.uuid4().hex}"
    first, second = (
        RateLimit("3 per 2 seconds", "redis://127.0.0.1:6379/0", prefix, "api") for _ in range(2)
    )
    opened = first.hit("10.0.0.1")
    joined = second.hit("10.0.0.1")  # this process did not see the window open
    again = first.hit("10.0.0.1")
    assert [w.remaining for w in (opened, joined, again)] == [2, 1, 0]
    assert abs(joined.reset - opened.reset) <= 1
    assert again.reset == opened.reset
    assert not second.hit("10.0.0.1").allowed
    time.sleep(max(0.0, opened.reset + 1.1 - time.time()))
    renewed = second.hit("10.0.0.1")
    assert renewed.allowed and renewed.remaining == 2
    assert renewed.reset > opened.reset
    assert abs(first.hit("10.0.0.1").reset - renewed.reset) <= 1


def _redis_or_skip() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return url


@pytest.mark.parametrize("storage", ["default", "redis"])
def test_several_gunicorn_workers_hold_the_stated_limit_exactly(sqlite_url, storage):
    """Real gunicorn, four workers, rapid requests on fresh connections from eight threads
    (so every worker takes some): exactly the stated number pass, with the default storage
    (one count per host) as with Redis. Counting per worker let about 4 x 20 through."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.servers import gunicorn

    env = {"CARESCORE_RATELIMIT": "20 per minute", "CARESCORE_API_CACHE_SECONDS": "0"}
    if storage == "redis":
        env["CARESCORE_RATELIMIT_STORAGE"] = _redis_or_skip()
        env["CARESCORE_RATELIMIT_PREFIX"] = f"carescore-test-{uuid.uuid4().hex}"
    with gunicorn(sqlite_url, workers=4, extra_env=env) as base:

        def status(_: int) -> int:
            with httpx.Client(timeout=20) as client:  # a connection of its own
                return client.get(f"{base}/api/v1/sectors").status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(status, range(60)))
    assert statuses.count(200) == 20, statuses
    assert statuses.count(429) == 40, statuses


def test_a_host_file_gives_two_processes_one_count_and_a_new_window_after_it(tmp_path):
    import time

    from website.api.ratelimit import RateLimit

    uri = f"sqlite:///{tmp_path / 'counts.db'}"
    first, second = (RateLimit("3 per 2 seconds", uri, "carescore", "api") for _ in range(2))
    windows = [limiter.hit("10.0.0.1") for limiter in (first, second, first, second)]
    assert [w.allowed for w in windows] == [True, True, True, False]
    assert [w.remaining for w in windows] == [2, 1, 0, 0]
    resets = [w.reset for w in windows]
    assert max(resets) - min(resets) <= 1
    assert second.hit("10.0.0.2").allowed, "the count is per client address"
    time.sleep(max(0.0, windows[0].reset + 1.1 - time.time()))
    renewed = first.hit("10.0.0.1")
    assert renewed.allowed and renewed.remaining == 2 and renewed.reset > windows[0].reset


def _hit_from_another_process(uri: str, address: str):
    from website.api.ratelimit import RateLimit

    return RateLimit("3 per 2 seconds", uri, "carescore", "api").hit(address)


def test_a_mapped_host_file_gives_two_processes_one_count_and_a_new_window_after_it(tmp_path):
    """The default of `carescore serve`: two processes map one file and keep one count."""
    import multiprocessing
    import time

    from website.api.ratelimit import RateLimit

    uri = f"file://{tmp_path / 'counts'}"
    first = RateLimit("3 per 2 seconds", uri, "carescore", "api")
    opened = first.hit("10.0.0.1")
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:  # another process, mapping the file for itself
        joined = pool.apply(_hit_from_another_process, (uri, "10.0.0.1"))
    windows = [opened, joined, first.hit("10.0.0.1"), first.hit("10.0.0.1")]
    assert [w.allowed for w in windows] == [True, True, True, False]
    assert [w.remaining for w in windows] == [2, 1, 0, 0]
    assert max(w.reset for w in windows) - min(w.reset for w in windows) <= 1
    assert first.hit("10.0.0.2").allowed, "the count is per client address"
    time.sleep(max(0.0, opened.reset + 1.1 - time.time()))
    renewed = first.hit("10.0.0.1")
    assert renewed.allowed and renewed.remaining == 2 and renewed.reset > opened.reset
