"""Reddit: client-credentials token, search paging with `after`, comment trees, 401."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from carescore.store.models import Post
from collectors.reddit import RedditSource
from collectors.runner import run_one
from tests.collectors.conftest import fixture_json, json_response, mock_client
from tests.factories import collection_target


def make_handler(calls: list[httpx.Request]):
    tokens = iter(["reddit-token-1", "reddit-token-2"])

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.path == "/api/v1/access_token":
            assert request.headers["Authorization"].startswith("Basic ")
            assert b"grant_type=client_credentials" in request.content
            return json_response(
                {**fixture_json("reddit", "token.json"), "access_token": next(tokens)}
            )
        if request.headers["Authorization"] == "bearer reddit-token-1":
            return json_response(fixture_json("reddit", "unauthorized.json"), 401)
        if request.url.path.startswith("/comments/"):
            return json_response(fixture_json("reddit", "comments.json"))
        if request.url.params.get("after") == "t3_1abcde2":
            return json_response(
                fixture_json("reddit", "search_page2.json"),
                headers={"x-ratelimit-remaining": "998.0", "x-ratelimit-reset": "318"},
            )
        return json_response(fixture_json("reddit", "search_page1.json"))

    return handler


def test_search_pages_comments_and_token_renewal(registry, sleeps):
    calls: list[httpx.Request] = []
    source = RedditSource(client_id="client-id", secret="secret", sleep=sleeps)
    report = run_one(
        registry, source, mock_client(make_handler(calls)), collection_target(registry)
    )
    assert (report.inserted, report.rejected) == (3, 1)
    assert [c.url.path for c in calls].count("/api/v1/access_token") == 2
    search = next(c for c in calls if c.url.path == "/search")
    assert search.url.params["sort"] == "new" and "Carescore" in search.headers["User-Agent"]
    # Without raw_json=1 Reddit escapes &, < and > in texts; we store what authors wrote.
    trees = [c for c in calls if c.url.path.startswith("/comments/")]
    assert trees and all(c.url.params["raw_json"] == "1" for c in [search, *trees])
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    submission = posts["t3_1abcde2"]
    assert submission.text.startswith("ExampleBrand support never answered\n\nOrdered on the 2nd &")
    assert submission.url.startswith("https://www.reddit.com/r/examplesub/")
    reply = posts["t1_kc1"]
    assert reply.direction == "brand" and reply.in_reply_to_id == "t3_1abcde2"
    assert submission.first_reply_id == "t1_kc1" and submission.first_reply_seconds == 1800
    assert "t1_kc3" not in posts  # a bystander's comment is not collected
    assert posts["t3_1abcd01"].author_id == "[deleted]"


def test_429_waits_reddit_seconds_until_reset(registry, sleeps):
    answers = iter(
        [
            json_response(fixture_json("reddit", "token.json")),
            httpx.Response(
                429, text="<html>slow down</html>", headers={"x-ratelimit-reset": "12.5"}
            ),
            json_response(fixture_json("reddit", "search_page2.json")),
        ]
    )
    source = RedditSource(client_id="client-id", secret="secret", sleep=sleeps)
    report = run_one(
        registry, source, mock_client(lambda r: next(answers)), collection_target(registry)
    )
    assert sleeps == [12.5] and report.inserted == 1
