"""The page cache: the same bytes for a few seconds, per language and query, dropped at
once by a new data generation; ETags and 304 on pages with the cache on and off."""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session

import website.pages.rankings
from carescore.store.db import engine_for
from carescore.store.generation import bump_generation
from website.config import settings
from website.page_cache import PageCache, language

PAGE = "/rankings/telecom"


@pytest.fixture
def make(site_app):
    from carescore.settings import load_settings
    from website import create_app

    def build(**overrides):
        base = {"database_url": settings(site_app).database_url, "page_cache_seconds": 30}
        return create_app(load_settings(**{**base, **overrides}), {"TESTING": True}).test_client()

    return build


def _count_renders(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = website.pages.rankings.sector_page
    monkeypatch.setattr(
        website.pages.rankings,
        "sector_page",
        lambda *a, **k: calls.append(1) or real(*a, **k),
    )
    return calls


def test_a_page_is_rendered_once_then_served_from_memory(make, monkeypatch):
    client = make()
    assert isinstance(client.application.wsgi_app, PageCache)
    calls = _count_renders(monkeypatch)
    first = client.get(PAGE)
    again = client.get(PAGE)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data and calls == [1]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers["Vary"] == first.headers["Vary"]
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_each_language_and_query_has_its_own_page_and_any_host_shares_it(make, monkeypatch):
    client = make()
    calls = _count_renders(monkeypatch)
    english = client.get(PAGE, headers={"Accept-Language": "en"})
    french = client.get(PAGE, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert english.data != french.data and 'lang="fr"' in french.get_data(as_text=True)
    assert client.get(PAGE, headers={"Accept-Language": "fr"}).data == french.data
    assert client.get(PAGE + "?lang=en", headers={"Accept-Language": "fr"}).status_code == 200
    assert len(calls) == 3
    other_host = client.get(PAGE, headers={"Host": "mirror.example"})
    assert len(calls) == 3 and other_host.status_code == 200
    assert "mirror.example" not in other_host.get_data(as_text=True)
    client.get(PAGE + "?sort=reply_rate")
    assert len(calls) == 4


def test_language_matches_the_sites_choice():
    assert language("", None) == "en"
    assert language("", "fr-CA,fr;q=0.8,en;q=0.5") == "fr"
    assert language("sort=x&lang=en", "fr") == "en"
    assert language("lang=de", "fr") == "fr", "an unknown ?lang= falls back to the header"
    assert language("", "de, es") == "en"


def test_a_new_data_generation_drops_every_page(make, monkeypatch):
    client = make()
    calls = _count_renders(monkeypatch)
    client.get(PAGE)
    url = settings(client.application).database_url
    with Session(engine_for(url)) as session:
        bump_generation(session)
        session.commit()
    time.sleep(0.6)  # the generation check's interval
    client.get(PAGE)
    assert calls == [1, 1]


def test_errors_and_the_health_check_are_never_kept(make, monkeypatch):
    client = make()
    assert client.get("/brands/no-such-brand").status_code == 404
    assert client.get("/rankings/no-such-sector").status_code == 404
    assert client.get("/healthz").status_code == 200
    edge = client.application.wsgi_app
    assert not any(key[0] in ("/brands/no-such-brand", "/healthz") for key in edge._items)
    calls = _count_renders(monkeypatch)
    assert client.get("/rankings/no-such-sector").status_code == 404
    assert calls == [1], "a 404 is rendered again, not served from memory"


@pytest.mark.parametrize("seconds", [30, 0])
def test_pages_answer_conditional_requests(make, seconds):
    client = make(page_cache_seconds=seconds)
    first = client.get(PAGE)
    etag = first.headers["ETag"]
    unchanged = client.get(PAGE, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag
    changed = client.get(PAGE, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.data == first.data
    french = client.get(PAGE, headers={"Accept-Language": "fr", "If-None-Match": etag})
    assert french.status_code == 200, "another language is another page, with its own ETag"


def test_only_cacheable_pages_wait_on_the_generation_counter(make, monkeypatch):
    """A frozen database blocks the generation read; the health check, metrics and unknown
    paths must not make it (the health check answers within its bound during a freeze)."""
    client = make()
    reads: list[str] = []
    real = PageCache.generation
    monkeypatch.setattr(PageCache, "generation", lambda self: reads.append(1) or real(self))
    client.get("/healthz")
    client.get("/no-such-page")
    assert reads == []
    assert client.get(PAGE).status_code == 200
    assert reads == [1]
