"""Links that leave the site carry the configured public address, whatever Host was sent."""

from __future__ import annotations

import re

import pytest

from carescore.settings import load_settings
from website import create_app
from website.config import settings

PUBLIC = "https://carescore.example"
HOSTILE = "evil.example"


@pytest.fixture(scope="module")
def public_client(site_app):
    """The demo site, served with a public address set (as production requires)."""
    application = create_app(
        load_settings(database_url=settings(site_app).database_url, public_base_url=PUBLIC),
        {"TESTING": True},
    )
    application.config["SITE_MONTHS"] = site_app.config["SITE_MONTHS"]
    return application.test_client()


def _absolute_urls(body: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>&]+", body)


def test_permalinks_badge_embed_and_feeds_ignore_the_host_header(public_client):
    month = public_client.application.config["SITE_MONTHS"][-1]
    pages = {
        "/rankings/telecom": [f"{PUBLIC}/rankings/telecom/{month}"],
        f"/rankings/telecom/{month}": [f"{PUBLIC}/rankings/telecom/{month}"],
        "/brands/nimbus-telecom": [
            f"{PUBLIC}/badge/nimbus-telecom.svg",
            f"{PUBLIC}/embed/brands/nimbus-telecom",
            f"{PUBLIC}/brands/nimbus-telecom",
        ],
        "/embed/brands/nimbus-telecom": [f"{PUBLIC}/brands/nimbus-telecom"],
        "/feed.atom": [f"{PUBLIC}/feed.atom", f"{PUBLIC}/rankings/telecom/"],
        "/incidents.atom": [f"{PUBLIC}/incidents.atom"],
        "/api": [f"{PUBLIC}/api/v1/brands"],
    }
    for path, expected in pages.items():
        for host in (HOSTILE, f"{HOSTILE}:8443", "localhost"):
            response = public_client.get(path, headers={"Host": host})
            assert response.status_code == 200, (path, host)
            body = response.get_data(as_text=True)
            assert HOSTILE not in body, (path, host)
            ours = [u for u in _absolute_urls(body) if "carescore" in u or host in u]
            assert ours, path
            assert all(u.startswith(PUBLIC + "/") for u in ours if host in u or PUBLIC in u), (
                path,
                [u for u in ours if not u.startswith(PUBLIC)],
            )
            for start in expected:
                assert any(u.startswith(start) for u in ours), (path, start)


def test_forwarded_host_headers_are_ignored_too(public_client):
    body = public_client.get(
        "/feed.atom",
        headers={"Host": HOSTILE, "X-Forwarded-Host": HOSTILE, "Forwarded": f"host={HOSTILE}"},
    ).get_data(as_text=True)
    assert HOSTILE not in body and f"{PUBLIC}/feed.atom" in body


def test_development_links_use_the_bind_address_not_the_request(site_client):
    body = site_client.get("/feed.atom", headers={"Host": HOSTILE}).get_data(as_text=True)
    assert HOSTILE not in body
    assert f"{settings(site_client.application).base_url}/feed.atom" in body
