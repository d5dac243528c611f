"""RSS and Atom: keyword matching, HTML stripped, dates in UTC, bad entries and bad XML."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from carescore.store.models import Post
from collectors.rss import RssSource
from collectors.runner import load_targets, run_sources
from tests.collectors.conftest import fixture_text, mock_client

FEEDS = {
    "news.example": "news.rss",
    "blog.example": "blog.atom",
    "broken.example": "broken.rss",
}


def test_feeds_matched_by_keyword_once_per_run(registry, sleeps):
    calls: list[httpx.Request] = []

    def handler(request):
        calls.append(request)
        if request.url.host == "down.example":
            return httpx.Response(503)
        return httpx.Response(200, text=fixture_text("rss", FEEDS[request.url.host]))

    urls = [f"https://{host}/feed" for host in FEEDS] + ["https://down.example/feed"]
    source = RssSource(feeds=urls, sleep=sleeps)
    reports = run_sources(registry, [source], mock_client(handler), load_targets(registry))
    assert len([c for c in calls if c.url.host == "news.example"]) == 1  # shared by both brands
    example = next(r for r in reports if r.brand_slug == "example-brand")
    assert example.status == "partial" and example.rejected == 1  # the undated item
    assert any("badly formed" in e for e in example.errors)
    assert any("down.example" in e for e in example.errors)
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    news = posts["https://news.example/2024/05/examplebrand-outage"]
    title = "ExampleBrand outage leaves thousands offline"
    assert news.text == f"{title}\n\nCustomers of ExampleBrand report no service."
    assert news.created_at.hour == 13 and news.author_handle == "Example Reporter"
    assert news.lang == "en"
    blog = posts["urn:example:blog:1"]
    assert blog.url == "https://blog.example/left-examplebrand" and blog.direction == "inbound"
    assert "https://broken.example/1" in posts
    assert "https://news.example/2024/05/gardening" not in posts


def test_no_feeds_is_skipped(registry, monkeypatch):
    monkeypatch.setenv(
        "CARESCORE_RSS_FEEDS", "https://ignored.example"
    )  # sources never read the environment
    reports = run_sources(registry, [RssSource()], None, load_targets(registry))
    assert [r.status for r in reports] == ["skipped"]
