"""X recent search through the runner: paging, checkpoints, faults and bad items."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import func, select

from carescore.store.models import Checkpoint, CollectorRun, Post
from collectors.base import Sweep
from collectors.runner import load_targets, run_one, run_sources
from collectors.x import XSource, build_query
from tests.collectors.conftest import fixture_json, json_response, mock_client
from tests.factories import collection_target


def _count(session) -> int:
    return session.execute(select(func.count()).select_from(Post)).scalar_one()


def _pages(requests: list[httpx.Request]):
    """Page 1, then page 2 when next_token is sent; newer posts once since_id is known."""

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        params = request.url.params
        if params.get("next_token") == "b26v89c19zqg8o3fexample":
            return json_response(fixture_json("x", "page2.json"))
        if params.get("since_id") == "1790000000000000009":
            return json_response(fixture_json("x", "newer.json"))
        return json_response(fixture_json("x", "page1.json"))

    return handler


def test_query_covers_mentions_replies_and_hashtags(registry):
    query = build_query(collection_target(registry))
    assert "@example_brand" in query and "to:example_brand" in query
    assert "from:example_brand" in query and "#examplebrandfail" in query
    assert query.endswith("-is:retweet") and len(query) <= 512


def test_pages_store_followers_links_and_since_id(registry, sleeps):
    requests: list[httpx.Request] = []
    source = XSource(token="token", sleep=sleeps)
    report = run_one(registry, source, mock_client(_pages(requests)), collection_target(registry))
    assert (report.status, report.fetched, report.inserted) == ("ok", 3, 3)
    assert requests[0].headers["Authorization"] == "Bearer token"
    assert "Carescore" in requests[0].headers["User-Agent"]
    customer = registry.execute(
        select(Post).where(Post.external_id == "1790000000000000002")
    ).scalar_one()
    assert customer.direction == "inbound" and customer.author_followers == 120
    assert customer.first_reply_id == "1790000000000000009"
    assert customer.first_reply_seconds == 26 * 60 + 8
    reply = registry.execute(
        select(Post).where(Post.external_id == "1790000000000000009")
    ).scalar_one()
    assert reply.direction == "brand" and reply.in_reply_to_id == "1790000000000000002"
    assert reply.url == "https://x.com/example_brand/status/1790000000000000009"
    cursor = registry.execute(select(Checkpoint.cursor)).scalar_one()
    assert Sweep.load(cursor).since == "1790000000000000009"

    again = run_one(registry, source, mock_client(_pages(requests)), collection_target(registry))
    assert requests[-1].url.params["since_id"] == "1790000000000000009"
    assert (again.inserted, _count(registry)) == (1, 4)
    cursor = registry.execute(select(Checkpoint.cursor)).scalar_one()
    assert Sweep.load(cursor).since == "1790000000000000020"


def test_crash_between_batches_resumes_without_gap_or_duplicate(registry, sleeps):
    requests: list[httpx.Request] = []
    normal = _pages(requests)

    def crashing(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("next_token"):
            raise RuntimeError("power cut")
        return normal(request)

    source = XSource(token="token", sleep=sleeps)
    with pytest.raises(RuntimeError):
        run_one(registry, source, mock_client(crashing), collection_target(registry))
    assert _count(registry) == 2
    saved = Sweep.load(registry.execute(select(Checkpoint.cursor)).scalar_one())
    assert (saved.since, saved.page) == (None, "b26v89c19zqg8o3fexample")
    crashed = registry.execute(select(CollectorRun)).scalar_one()
    assert crashed.status == "failed" and "power cut" in crashed.message

    report = run_one(registry, source, mock_client(normal), collection_target(registry))
    assert requests[-1].url.params["next_token"] == "b26v89c19zqg8o3fexample"
    assert (report.status, report.inserted, report.duplicates) == ("ok", 1, 0)
    assert _count(registry) == 3
    assert Sweep.load(registry.execute(select(Checkpoint.cursor)).scalar_one()).since == (
        "1790000000000000009"
    )


def test_429_honours_retry_after_then_succeeds(registry, sleeps):
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            return json_response(fixture_json("x", "rate_limited.json"), 429, {"Retry-After": "7"})
        return json_response(fixture_json("x", "empty.json"))

    report = run_one(
        registry,
        XSource(token="t", sleep=sleeps),
        mock_client(handler),
        collection_target(registry),
    )
    assert report.status == "ok" and sleeps == [7]


def test_429_waits_until_x_reset_epoch(registry, sleeps):
    reset = int(time.time()) + 120
    answers = iter(
        [
            json_response(
                fixture_json("x", "rate_limited.json"),
                429,
                {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
            ),
            json_response(fixture_json("x", "empty.json")),
        ]
    )
    report = run_one(
        registry,
        XSource(token="t", sleep=sleeps),
        mock_client(lambda r: next(answers)),
        collection_target(registry),
    )
    assert report.status == "ok" and 110 <= sleeps[0] <= 121


def test_5xx_and_timeout_are_retried_with_backoff(registry, sleeps):
    answers = iter(["timeout", 503, 500, "ok"])

    def handler(request):
        answer = next(answers)
        if answer == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        if answer == "ok":
            return json_response(fixture_json("x", "page2.json"))
        return httpx.Response(answer, text="upstream error")

    report = run_one(
        registry,
        XSource(token="t", sleep=sleeps),
        mock_client(handler),
        collection_target(registry),
    )
    assert (report.status, report.inserted) == ("ok", 1)
    assert len(sleeps) == 3 and all(s > 0 for s in sleeps)


def test_server_down_fails_the_brand_not_the_process(registry, sleeps):
    report = run_one(
        registry,
        XSource(token="t", sleep=sleeps),
        mock_client(lambda r: httpx.Response(502)),
        collection_target(registry),
    )
    assert report.status == "failed" and "502" in report.message
    assert len(sleeps) == 4  # five attempts


def test_malformed_items_are_rejected_and_the_rest_stored(registry, sleeps):
    client = mock_client(lambda r: json_response(fixture_json("x", "malformed.json")))
    report = run_one(
        registry, XSource(token="t", sleep=sleeps), client, collection_target(registry)
    )
    assert (report.status, report.inserted, report.rejected, report.fetched) == (
        "partial",
        1,
        4,
        5,
    )
    run = registry.execute(select(CollectorRun)).scalar_one()
    assert run.rejected == 4 and len(run.errors) == 4


def test_non_json_body_is_rejected_and_other_brands_go_on(registry, sleeps):
    def handler(request):
        if "example_brand" in request.url.params["query"]:
            return httpx.Response(
                200, text="<html>oops</html>", headers={"content-type": "text/html"}
            )
        return json_response(fixture_json("x", "page2.json"))

    reports = run_sources(
        registry, [XSource(token="t", sleep=sleeps)], mock_client(handler), load_targets(registry)
    )
    by_slug = {r.brand_slug: r for r in reports}
    assert by_slug["example-brand"].rejected == 1
    assert by_slug["example-brand"].status == "partial"
    assert "not JSON" in by_slug["example-brand"].message
    assert (by_slug["other-brand"].status, by_slug["other-brand"].inserted) == ("ok", 1)


def test_empty_result(registry, sleeps):
    client = mock_client(lambda r: json_response(fixture_json("x", "empty.json")))
    report = run_one(
        registry, XSource(token="t", sleep=sleeps), client, collection_target(registry)
    )
    assert (report.status, report.fetched) == ("ok", 0)


def test_missing_token_is_skipped_with_a_reason(registry, monkeypatch):
    monkeypatch.setenv(
        "CARESCORE_X_BEARER_TOKEN", "https://ignored.example"
    )  # sources never read the environment
    reports = run_sources(registry, [XSource()], None, load_targets(registry))
    assert len(reports) == 1
    assert reports[0].status == "skipped" and "CARESCORE_X_BEARER_TOKEN" in reports[0].message
    assert registry.execute(select(CollectorRun.status)).scalar_one() == "skipped"


def test_page_limit_stops_the_run_and_the_next_run_resumes(registry, sleeps):
    requests: list[httpx.Request] = []
    source = XSource(token="t", max_pages=1, sleep=sleeps)
    report = run_one(registry, source, mock_client(_pages(requests)), collection_target(registry))
    assert report.status == "partial" and "page limit" in report.message
    report = run_one(registry, source, mock_client(_pages(requests)), collection_target(registry))
    assert (report.status, report.inserted, _count(registry)) == ("ok", 1, 3)
