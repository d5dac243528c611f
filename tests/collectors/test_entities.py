"""Posts as their authors wrote them: HTML entities decoded once, at import, and escaped
again only where a page shows the text."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from carescore.store.models import Post
from collectors.bluesky import to_post as bluesky_post
from collectors.runner import run_one
from collectors.twcs import TwcsFile
from collectors.x import XSource
from tests.collectors.conftest import FIXTURES, fixture_json, json_response, mock_client
from tests.conftest import shared_data
from tests.factories import collection_target

ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)


def _collect_x(session) -> dict[str, Post]:
    brand = collection_target(session)

    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(fixture_json("x", "entities.json"))

    report = run_one(session, XSource(token="t"), mock_client(handler), brand)
    assert report.status == "ok" and report.inserted == 3
    return {p.external_id: p for p in session.execute(select(Post)).scalars()}


def test_x_text_is_stored_as_written(registry):
    posts = _collect_x(registry)
    assert posts["1790000000000000031"].text == (
        "@example_brand 3 calls & 2 emails, still no line >:( <script>alert(1)</script>"
    )
    # Decoded once: the author typed "&amp;", and that is what is kept.
    assert posts["1790000000000000032"].text == "@example_brand in HTML you write &amp; for &"
    # The full text of a long post is escaped the same way.
    assert posts["1790000000000000033"].text.startswith("@example_brand Q&A: the long version <3")


def test_twcs_text_is_stored_as_written(registry):
    run_one(registry, TwcsFile(FIXTURES / "twcs" / "entities.csv"), None, None)
    posts = {p.external_id: p for p in registry.execute(select(Post)).scalars()}
    assert posts["40"].text == "@example_brand fed up of this: more staff & stock <3"
    assert posts["41"].text == "@900001 Sorry! Settings > Account > Reset & try again"
    assert posts["42"].text == "@example_brand I mean the text &amp; not the sign"


def test_plain_text_sources_are_left_alone():
    """Bluesky records are plain text: an author's literal "&amp;" stays."""
    view = fixture_json("bluesky", "search_page1.json")["posts"][0]
    view["record"]["text"] = "@examplebrand.com typed &amp; and &lt;3 on purpose"
    assert bluesky_post(view, None).text == "@examplebrand.com typed &amp; and &lt;3 on purpose"


def test_shared_twcs_files_keep_no_entity(session):
    """Every text of the shared TWCS files, stored, holds what its author typed."""
    for name in ("twcs-threads-dev.csv", "twcs-random-sample.csv"):
        run_one(session, TwcsFile(shared_data(f"twcs/{name}")), None, None)
    texts = list(session.execute(select(Post.text).where(Post.platform == "twcs")).scalars())
    assert len(texts) > 7000
    assert [t for t in texts if ENTITY.search(t)] == []
    assert sum("&" in t for t in texts) > 100  # the ampersands are there, decoded
    assert any(">" in t for t in texts) and any("<" in t for t in texts)


def test_decoded_text_is_escaped_on_the_page(registry, client):
    """A decoded `<script>` is shown as text, never run; no entity is shown twice-escaped."""
    _collect_x(registry)
    page = client.get("/brands/example-brand").get_data(as_text=True)
    assert "3 calls &amp; 2 emails" in page  # the author's "&", escaped once for HTML
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page
    api = client.get("/api/v1/posts?brand=example-brand").get_json()
    texts = {p["external_id"]: p["text"] for p in api["items"]}
    assert texts["1790000000000000031"].endswith("<script>alert(1)</script>")
