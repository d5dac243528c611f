"""The API's edge cache: the same bytes for a few seconds, while the rate limit, request
ids, conditional requests, CSV negotiation and metrics behave as without it."""

from __future__ import annotations

import pytest

import website.api.brand_views
import website.api.views

URL = "/api/v1/rankings?sort=reply_rate"


@pytest.fixture
def cached(demo_app):
    from carescore.settings import load_settings
    from website import create_app
    from website.config import settings

    def make(**overrides):
        url = settings(demo_app).database_url
        base = {"database_url": url, "api_cache_seconds": 30, "page_cache_seconds": 0}
        return create_app(load_settings(**{**base, **overrides})).test_client()

    return make


def _broken_ranking(monkeypatch) -> None:
    monkeypatch.setattr(website.api.views, "ranking", lambda *a, **k: 1 / 0)


def test_answers_are_reused_for_a_few_seconds(cached, monkeypatch):
    client = cached()
    first = client.get(URL)
    _broken_ranking(monkeypatch)
    again = client.get(URL)
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]
    assert client.get("/api/v1/rankings?sort=carescore").status_code == 500


def test_a_cached_answer_still_counts_against_the_rate_limit(cached):
    client = cached(ratelimit="3 per minute")
    remaining = [int(client.get(URL).headers["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    blocked = client.get(URL)
    assert blocked.status_code == 429
    assert blocked.mimetype == "application/problem+json"
    assert blocked.headers["X-RateLimit-Remaining"] == "0"
    assert int(blocked.headers["Retry-After"]) > 0


def test_conditional_and_csv_requests_are_answered_by_the_app(cached, monkeypatch):
    client = cached()
    first = client.get(URL)
    unchanged = client.get(URL, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""
    as_csv = client.get(URL, headers={"Accept": "text/csv"})
    assert as_csv.mimetype == "text/csv"
    _broken_ranking(monkeypatch)
    assert client.get(URL, headers={"Accept": "text/csv"}).status_code == 500
    assert client.get(URL).status_code == 200, "plain GETs still come from the cache"


def test_caller_request_ids_and_metrics_hold_for_cached_answers(cached):
    from website.observability import REQUESTS

    client = cached()
    client.get(URL)
    counter = REQUESTS.labels("GET", "/api/v1/rankings", "200")
    before = counter._value.get()
    again = client.get(URL, headers={"X-Request-ID": "trace-0123456789"})
    assert again.headers["X-Request-ID"] == "trace-0123456789"
    assert counter._value.get() == before + 1


def test_errors_are_never_cached(cached, monkeypatch):
    client = cached()
    assert client.get("/api/v1/brands/no-such-brand").status_code == 404
    assert client.get("/api/v1/rankings?sort=nope").status_code == 400
    real = website.api.brand_views.brand_report
    calls = []
    monkeypatch.setattr(
        website.api.brand_views, "brand_report", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    assert client.get("/api/v1/brands/no-such-brand").status_code == 404
    assert calls == [1], "a 404 is looked up again, not served from memory"


def test_the_cache_keeps_within_its_byte_budget(cached):
    from carescore.vocab import SORTS
    from website.api.cache import EdgeCache

    client = cached()
    edge = client.application.wsgi_app
    assert isinstance(edge, EdgeCache)
    first = client.get("/api/v1/rankings?sort=carescore")
    # Room for about four rankings; every answer is under a quarter of it, so it is kept.
    edge.max_bytes = 4 * len(first.data) + 4_000
    urls = [f"/api/v1/rankings?sort={sort}&window={w}" for w in ("90d", "month") for sort in SORTS]
    assert len(urls) > 5
    for url in urls:
        assert client.get(url).status_code == 200
        assert edge.size <= edge.max_bytes
    assert edge.size == sum(len(e.body) for e in edge._items.values())
    kept = [path + "?" + query for path, query in edge._items]
    assert 0 < len(kept) < len(urls)
    assert kept == urls[-len(kept) :], "the oldest answers made room for the newest"
