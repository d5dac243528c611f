"""/metrics is not public: a monitoring listener of its own, or a bearer token."""

from __future__ import annotations

import httpx
import pytest

from carescore.settings import ConfigError, load_settings
from tests.servers import free_port, gunicorn
from website import create_app, observability

PRODUCTION = {
    "env": "production",
    "secret_key": "k" * 32,
    "public_base_url": "https://carescore.example",
    "operator_name": "Carescore test operator",
    "contact_email": "ops@carescore.example",
    "hosting_provider": "Test hosting",
}
PRODUCTION_ENV = {f"CARESCORE_{name.upper()}": value for name, value in PRODUCTION.items()}


@pytest.fixture(autouse=True)
def _fresh_post_counts():
    """Each worker keeps its post count for a minute, by database URL; the PostgreSQL
    half of every test shares one URL, so a count read here must not outlive the test."""
    yield
    observability._post_counts.clear()


def _client(db_url: str, **overrides):
    settings = load_settings(database_url=db_url, **overrides)
    return create_app(settings, {"TESTING": True}).test_client()


def test_production_serves_no_metrics_by_default(db_url):
    client = _client(db_url, **PRODUCTION)
    assert client.get("/metrics").status_code == 404
    assert client.get("/healthz").status_code == 200


def test_the_token_opens_metrics_and_nothing_else_does(db_url):
    client = _client(db_url, **PRODUCTION, metrics_token="t0ken-for-the-scraper")
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic t0ken-for-the-scraper"},
        {"Authorization": "Bearer t0ken-for-the-scraper-and-more"},
    ):
        refused = client.get("/metrics", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["WWW-Authenticate"] == "Bearer"
        assert b"carescore_http_requests_total" not in refused.data
    allowed = client.get("/metrics", headers={"Authorization": "Bearer t0ken-for-the-scraper"})
    assert allowed.status_code == 200
    assert b"carescore_http_requests_total" in allowed.data


def test_development_keeps_metrics_open_unless_told_otherwise(db_url):
    assert _client(db_url).get("/metrics").status_code == 200
    closed = _client(db_url, metrics_token="t0ken-for-the-scraper")
    assert closed.get("/metrics").status_code == 401


def test_the_metrics_bind_must_be_an_address_and_port_of_its_own():
    with pytest.raises(ConfigError, match="METRICS_BIND"):
        load_settings(metrics_bind="unix:/run/metrics.sock")
    with pytest.raises(ConfigError, match="METRICS_BIND"):
        load_settings(bind="127.0.0.1:8000", metrics_bind="127.0.0.1:8000")
    assert load_settings(metrics_bind="0.0.0.0:9100").metrics_bind == "0.0.0.0:9100"


def test_gunicorn_serves_metrics_only_on_the_monitoring_listener(db_url):
    """Real gunicorn in production: the public port hides /metrics, whatever Host says."""
    port = free_port()
    env = {**PRODUCTION_ENV, "CARESCORE_METRICS_BIND": f"127.0.0.1:{port}"}
    with gunicorn(db_url, workers=2, extra_env=env) as base:
        monitoring = f"http://127.0.0.1:{port}"
        public = httpx.get(f"{base}/metrics", timeout=10)
        assert public.status_code == 404
        pretending = httpx.get(f"{base}/metrics", headers={"Host": f"127.0.0.1:{port}"}, timeout=10)
        assert pretending.status_code == 404
        scraped = httpx.get(f"{monitoring}/metrics", timeout=10)
        assert scraped.status_code == 200
        assert "carescore_http_requests_total" in scraped.text
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
