"""Bluesky: app-password session, refresh on ExpiredToken, cursor paging, thread replies."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from carescore.store.models import Post
from collectors.bluesky import BlueskySource
from collectors.runner import run_one
from tests.collectors.conftest import fixture_json, fixture_text, json_response, mock_client
from tests.factories import collection_target


def make_handler(calls: list[httpx.Request], expire_once: bool = True):
    state = {"expired": not expire_once}

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        method = request.url.path.rsplit("/", 1)[-1]
        auth = request.headers.get("Authorization")
        if method == "com.atproto.server.createSession":
            return json_response(fixture_json("bluesky", "session.json"))
        if method == "com.atproto.server.refreshSession":
            assert auth == "Bearer refresh-1"
            return json_response(fixture_json("bluesky", "refreshed.json"))
        if auth == "Bearer access-1" and not state["expired"]:
            state["expired"] = True
            return json_response(fixture_json("bluesky", "expired.json"), 400)
        if method == "app.bsky.feed.getPostThread":
            return json_response(fixture_json("bluesky", "thread.json"))
        params = request.url.params
        if params.get("mentions") != "examplebrand.com":
            return json_response(fixture_json("bluesky", "search_empty.json"))
        if params.get("cursor") == "25":
            return json_response(fixture_json("bluesky", "search_page2.json"))
        return json_response(fixture_json("bluesky", "search_page1.json"))

    return handler


def test_session_refresh_paging_and_thread_replies(registry, sleeps):
    calls: list[httpx.Request] = []
    source = BlueskySource(handle="bot.example", app_password="app-pass", sleep=sleeps)
    report = run_one(
        registry, source, mock_client(make_handler(calls)), collection_target(registry)
    )
    methods = [c.url.path.rsplit("/", 1)[-1] for c in calls]
    assert methods.count("com.atproto.server.createSession") == 1
    assert methods.count("com.atproto.server.refreshSession") == 1
    assert calls[0].url.host == "bsky.social"
    assert (report.inserted, report.rejected, report.status) == (3, 1, "partial")
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    customer = posts["at://did:plc:exampleuser00000000000000/app.bsky.feed.post/3kxyzexample2a"]
    reply = posts["at://did:plc:examplebrand0000000000000/app.bsky.feed.post/3kxyzreply01"]
    assert reply.direction == "brand" and reply.in_reply_to_id == customer.external_id
    assert customer.first_reply_id == reply.external_id
    assert customer.url == "https://bsky.app/profile/example-user.bsky.social/post/3kxyzexample2a"
    older = posts["at://did:plc:otheruser000000000000000/app.bsky.feed.post/3kxyzolder01"]
    assert older.url.startswith("https://bsky.app/profile/did:plc:otheruser")


def test_forbidden_html_search_fails_the_brand_with_a_message(registry, sleeps):
    def handler(request):
        if request.url.path.endswith("createSession"):
            return json_response(fixture_json("bluesky", "session.json"))
        return httpx.Response(
            403,
            text=fixture_text("bluesky", "forbidden.html"),
            headers={"content-type": "text/html"},
        )

    source = BlueskySource(handle="bot.example", app_password="app-pass", sleep=sleeps)
    report = run_one(registry, source, mock_client(handler), collection_target(registry))
    assert report.status == "failed" and "403" in report.message


def test_without_app_password_is_skipped(registry, monkeypatch):
    monkeypatch.setenv(
        "CARESCORE_BLUESKY_APP_PASSWORD", "https://ignored.example"
    )  # sources never read the environment
    report = run_one(
        registry, BlueskySource(handle="bot.example"), None, collection_target(registry)
    )
    assert report.status == "skipped" and "CARESCORE_BLUESKY_APP_PASSWORD" in report.message
