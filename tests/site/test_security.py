"""Post text, author handles, URLs and brand names are untrusted: escaped, links only http(s).

The hostile rows go in through the production path (`upsert_brands`, `store_posts`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from carescore.ranking.snapshots import rank_brands
from carescore.store.brands import BrandSpec, upsert_brands
from carescore.store.db import engine_for
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from website.config import settings

AS_OF = date(2026, 6, 30)
SCRIPT = "<script>alert('xss')</script>"
HANDLE = '"><img src=x onerror=alert(1)>'
BROKEN = "</blockquote></li></ul><b><i>unclosed <a href='http://evil.example'>"
HOSTILE_URLS = [
    "javascript:alert(1)",
    "  JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/no-scheme",
    'https://ok.example/" onmouseover="alert(1)',
]
GOOD_URL = "https://social.example/status/1?a=1&b=2"


def _hostile_site(url: str) -> None:
    spec = BrandSpec(
        slug="evil",
        name=f"Evil & Co {SCRIPT}",
        sector="telecom",
        country="FR",
        timezone="Europe/Paris",
        keywords=["evil"],
        accounts={"x": ["EvilSupport"]},
    )
    when = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC) - timedelta(days=10)
    posts = [
        NewPost(
            platform="x",
            external_id=f"h{i}",
            author_id=f"a{i}",
            author_handle=HANDLE,
            created_at=when + timedelta(minutes=i),
            text=f"@EvilSupport {SCRIPT} {BROKEN} #fail",
            brand_slug="evil",
            url=bad,
        )
        for i, bad in enumerate(HOSTILE_URLS)
    ]
    posts.append(
        NewPost(
            platform="x",
            external_id="good",
            author_id="g",
            author_handle="happy_customer",
            created_at=when,
            text="@EvilSupport thank you, great and fast help!",
            brand_slug="evil",
            url=GOOD_URL,
        )
    )
    with Session(engine_for(url)) as session:
        upsert_brands(session, [spec])
        session.commit()
        store_posts(session, posts)
        rank_brands(session, "90d", AS_OF)
        session.commit()


@pytest.fixture
def hostile(app, client):
    _hostile_site(settings(app).database_url)
    return client


def _pages(client) -> dict[str, str]:
    urls = [
        "/",
        "/brands/evil",
        "/rankings/telecom",
        "/compare?brands=evil,evil",
        "/search?q=evil",
        "/compare",
        "/embed/brands/evil",
        "/feed.atom",
        "/badge/evil.svg",
    ]
    return {u: client.get(u).get_data(as_text=True) for u in urls}


def test_post_text_handles_and_brand_names_are_escaped(hostile):
    pages = _pages(hostile)
    brand = pages["/brands/evil"]
    assert "&lt;script&gt;alert(" in brand
    assert "&lt;/blockquote&gt;&lt;/li&gt;" in brand
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in brand
    assert "Evil &amp; Co &lt;script&gt;" in brand
    own_script = '<script src="/static/picker.js" defer></script>'
    for url, page in pages.items():
        assert "<script" not in page.replace(own_script, ""), url
        assert "<img src=x" not in page, url
        assert "<a href='http://evil.example'>" not in page, url


def test_only_http_links_to_posts_with_nofollow_ugc_noopener(hostile):
    page = _pages(hostile)["/brands/evil"]
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if "script:" in h.lower() or h.lower().startswith("data:")]
    assert "evil.example/no-scheme" not in page
    assert 'onmouseover="alert' not in page
    good = re.search(r'<a href="([^"]*social\.example[^"]*)" rel="([^"]*)">', page)
    assert good is not None
    assert good.group(1) == GOOD_URL.replace("&", "&amp;")
    assert good.group(2) == "nofollow ugc noopener"


def test_search_query_is_reflected_escaped(client):
    page = client.get("/search", query_string={"q": SCRIPT}).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_crash_is_a_friendly_500_without_a_trace(app):
    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom-for-test", "boom", boom)
    response = app.test_client().get("/boom-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page
    assert response.headers["X-Frame-Options"] == "DENY"


def test_safe_url_keeps_only_absolute_http_links():
    from website.pages import safe_url

    assert safe_url(GOOD_URL) == GOOD_URL
    assert safe_url("http://a.example/x") == "http://a.example/x"
    for bad in [*HOSTILE_URLS[:5], "", None, "http://", "https:///path", "ftp://x.example"]:
        assert safe_url(bad) is None, bad
