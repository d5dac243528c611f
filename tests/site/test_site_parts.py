"""The parts of every page kept by language and links (website/pages/site_parts.py) show
what a fresh rendering would, whatever the requests before them asked for."""

from __future__ import annotations

from website.pages import site_parts

# (path, Accept-Language, mount point): each input a kept part depends on, in turn.
REQUESTS = [
    ("/legal", "en", ""),
    ("/legal", "fr", ""),
    ("/legal?lang=fr", "en", ""),
    ("/legal?lang=en", "fr", ""),
    ("/about/data", "en", "/carescore"),
    ("/about/data?lang=fr", "en", "/carescore"),
    ("/methodology", "fr", ""),
]


def _get(client, path: str, lang: str, mount: str) -> str:
    response = client.get(
        path, headers={"Accept-Language": lang}, base_url=f"http://localhost{mount}"
    )
    assert response.status_code == 200
    return response.text


def test_kept_parts_show_what_a_fresh_rendering_shows(app, client):
    fresh = {}
    for request in REQUESTS:
        app.extensions.pop(site_parts._KEY, None)
        fresh[request] = _get(client, *request)
    for _ in range(2):
        for request in REQUESTS:
            assert _get(client, *request) == fresh[request], request


def test_links_carry_the_language_chosen_by_url_and_the_mount_point(app, client):
    french = _get(client, "/legal?lang=fr", "en", "")
    assert '<a href="/about/data?lang=fr">Données, licences' in french
    assert "Classements</a>" in french
    by_header = _get(client, "/legal", "fr", "")
    assert '<a href="/about/data">Données, licences' in by_header
    mounted = _get(client, "/legal", "en", "/carescore")
    assert '<a href="/carescore/about/data">Data, licences' in mounted
    assert 'href="/carescore/static/site.css"' in mounted
    assert 'href="/carescore/about/data"' not in _get(client, "/legal", "en", "")
