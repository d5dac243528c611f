"""Every collector stores what a post needs to be cited: the permalink its platform gives
and the author's public handle. File imports keep the link when the file has one."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from carescore.read.posts import public_handle
from carescore.store.models import Post
from collectors.bluesky import BlueskySource
from collectors.bluesky import to_post as bluesky_post
from collectors.mastodon import MastodonSource
from collectors.reddit import RedditSource
from collectors.rss import RssSource
from collectors.runner import run_one
from collectors.twcs import TwcsFile
from collectors.x import XSource
from collectors.x import to_post as x_post
from tests.collectors.conftest import FIXTURES, fixture_json, fixture_text, mock_client
from tests.collectors.test_bluesky import make_handler as bluesky_handler
from tests.collectors.test_mastodon import BASE, handler_for
from tests.collectors.test_reddit import make_handler as reddit_handler
from tests.collectors.test_runner_x import _pages as x_handler
from tests.factories import collection_target


def _rss_handler(calls: list[httpx.Request]):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=fixture_text("rss", "news.rss"))

    return handler


SOURCES = {
    "x": (lambda s: XSource(token="t", sleep=s), x_handler, "https://x.com/"),
    "mastodon": (
        lambda s: MastodonSource(instance=BASE, token=None, sleep=s),
        handler_for,
        ("https://social.example/", "https://brand.example/"),  # each post's home server
    ),
    "bluesky": (
        lambda s: BlueskySource(handle="bot.example", app_password="p", sleep=s),
        bluesky_handler,
        "https://bsky.app/profile/",
    ),
    "reddit": (
        lambda s: RedditSource(client_id="c", secret="s", sleep=s),
        reddit_handler,
        "https://www.reddit.com/r/",
    ),
    "rss": (
        lambda s: RssSource(feeds=["https://news.example/feed"], sleep=s),
        _rss_handler,
        "https://news.example/",
    ),
}


NO_HANDLE = {
    "reddit": lambda post: post.author_id == "[deleted]",  # a deleted account
    "bluesky": lambda post: f"/profile/{post.author_id}/" in post.url,  # unverified handle
}


@pytest.mark.parametrize("platform", SOURCES)
def test_every_collected_post_has_its_permalink_and_handle(registry, sleeps, platform):
    make_source, make_handler, prefix = SOURCES[platform]
    client = mock_client(make_handler([]))
    report = run_one(registry, make_source(sleeps), client, collection_target(registry))
    assert report.inserted > 0
    posts = list(registry.execute(select(Post).where(Post.platform == platform)).scalars())
    assert posts and any(p.author_handle for p in posts)
    for post in posts:
        assert post.url and post.url.startswith(prefix), (post.external_id, post.url)
        if post.author_handle is None:  # only where the platform gives none to show
            assert NO_HANDLE.get(platform, lambda _post: False)(post), post.external_id


def test_x_permalink_names_the_author():
    body = fixture_json("x", "page1.json")
    users = {u["id"]: u for u in body["includes"]["users"]}
    post = x_post(body["data"][1], users, None)
    assert post.url == f"https://x.com/example_user/status/{post.external_id}"
    assert public_handle(post.author_handle, "x") == "@example_user"


def test_twcs_has_no_permalink_and_customers_no_handle(registry):
    """TWCS ids and customers are anonymised: no link is made up, no handle invented."""
    run_one(registry, TwcsFile(FIXTURES / "twcs" / "crlf.csv"), None, None)
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    assert all(p.url is None for p in posts.values())
    assert posts["12"].author_handle is None
    assert posts["10"].author_handle == "example_brand"  # brands keep their screen name


@pytest.mark.parametrize(
    ("handle", "platform", "shown"),
    [
        ("example_user", "x", "@example_user"),
        ("@example_user", "x", "@example_user"),
        ("user@social.example", "mastodon", "@user@social.example"),
        ("example-user.bsky.social", "bluesky", "@example-user.bsky.social"),
        ("example_user", "reddit", "u/example_user"),
        ("Example Reporter", "rss", "Example Reporter"),
    ],
)
def test_handles_read_as_their_platform_writes_them(handle, platform, shown):
    assert public_handle(handle, platform) == shown


def test_an_unverified_bluesky_handle_is_not_shown():
    view = fixture_json("bluesky", "search_page1.json")["posts"][0]
    view["author"]["handle"] = "handle.invalid"
    post = bluesky_post(view, None)
    assert post.author_handle is None
    assert post.url.startswith(f"https://bsky.app/profile/{view['author']['did']}/post/")
