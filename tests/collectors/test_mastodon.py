"""Mastodon: Link-header paging, HTML to text, brand statuses, checkpoints, 404 and 429."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from carescore.store.models import Checkpoint, Post
from collectors.base import load_streams
from collectors.mastodon import MastodonSource
from collectors.runner import run_one
from tests.collectors.conftest import fixture_json, json_response, mock_client
from tests.factories import collection_target

BASE = "https://social.example"
NEXT = f"{BASE}/api/v1/timelines/tag/examplebrandfail?max_id=112233445566778890"


def handler_for(calls: list[httpx.Request], rate_limit_first: bool = False):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        path, params = request.url.path, request.url.params
        if rate_limit_first and len(calls) == 1:
            return json_response(
                fixture_json("mastodon", "rate_limited.json"),
                429,
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2000-01-01T00:00:00.000Z"},
            )
        if path == "/api/v1/timelines/tag/examplebrandfail":
            if params.get("max_id"):
                return json_response(fixture_json("mastodon", "tag_page2.json"))
            if params.get("since_id") == "112233445566778899":
                return json_response([])  # nothing new; no Link header
            link = f'<{NEXT}>; rel="next", <{BASE}/api/v1/timelines/tag/x?min_id=1>; rel="prev"'
            return json_response(fixture_json("mastodon", "tag_page1.json"), headers={"Link": link})
        if path == "/api/v1/accounts/lookup":
            return json_response(fixture_json("mastodon", "lookup.json"))
        if path == "/api/v1/accounts/4455/statuses":
            return json_response(fixture_json("mastodon", "account_statuses.json"))
        return json_response(fixture_json("mastodon", "not_found.json"), 404)

    return handler


def test_tag_timeline_paging_html_and_brand_replies(registry, sleeps):
    calls: list[httpx.Request] = []
    source = MastodonSource(instance=BASE, token=None, sleep=sleeps)
    report = run_one(
        registry, source, mock_client(handler_for(calls, True)), collection_target(registry)
    )
    assert sleeps == [1.0]  # a reset time already past: wait the minimum, then retry
    assert (report.inserted, report.rejected, report.status) == (4, 2, "partial")
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    first = posts["112233445566778899"]
    assert (
        first.text
        == "@example_brand colis perdu #examplebrandfail\n\nDeuxième & dernier avis\nmerci"
    )
    assert first.author_followers == 42 and first.author_id == "example_user"
    scripted = posts["112233445566778890"]
    assert "alert" not in scripted.text and "color" not in scripted.text
    assert scripted.text == "#examplebrandfail router dead again"
    assert scripted.url.startswith("https://social.example/users/")  # url was null: uri
    reply = posts["112233445566779000"]
    assert reply.direction == "brand" and reply.in_reply_to_id == first.external_id
    assert first.first_reply_id == reply.external_id and first.first_reply_seconds == 1799

    streams = load_streams(registry.execute(select(Checkpoint.cursor)).scalar_one())
    assert streams["tag:examplebrandfail"].since == "112233445566778899"
    again = run_one(registry, source, mock_client(handler_for(calls)), collection_target(registry))
    tag_calls = [c for c in calls if "timelines" in c.url.path]
    assert tag_calls[-1].url.params["since_id"] == "112233445566778899"
    assert again.inserted == 0


def test_unknown_hashtag_404_is_empty(registry, sleeps):
    def handler(request):
        if request.url.path.startswith("/api/v1/timelines/tag/"):
            return json_response(fixture_json("mastodon", "not_found.json"), 404)
        return json_response([])  # older servers: [] for everything else

    source = MastodonSource(instance=BASE, token=None, sleep=sleeps)
    report = run_one(registry, source, mock_client(handler), collection_target(registry))
    assert report.status == "ok" and report.fetched == 0


def test_search_only_with_a_token(registry, sleeps):
    calls: list[httpx.Request] = []

    def handler(request):
        calls.append(request)
        if request.url.path == "/api/v2/search":
            return json_response(
                {
                    "accounts": [],
                    "hashtags": [],
                    "statuses": fixture_json("mastodon", "tag_page1.json"),
                }
            )
        return handler_for([])(request)

    run_one(
        registry,
        MastodonSource(instance=BASE, token=None, sleep=sleeps),
        mock_client(handler),
        collection_target(registry),
    )
    assert not [c for c in calls if c.url.path == "/api/v2/search"]
    run_one(
        registry,
        MastodonSource(instance=BASE, token="tok", sleep=sleeps),
        mock_client(handler),
        collection_target(registry),
    )
    searches = [c for c in calls if c.url.path == "/api/v2/search"]
    assert searches and searches[0].headers["Authorization"] == "Bearer tok"
    assert searches[0].url.params["type"] == "statuses"


def test_no_instance_is_skipped(registry, monkeypatch):
    monkeypatch.setenv(
        "CARESCORE_MASTODON_INSTANCE", "https://ignored.example"
    )  # sources never read the environment
    report = run_one(registry, MastodonSource(), None, collection_target(registry))
    assert report.status == "skipped" and "CARESCORE_MASTODON_INSTANCE" in report.message
