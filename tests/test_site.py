from datetime import date

from carescore.demo import build_demo
from carescore.store.brands import load_registry_file, upsert_brands
from carescore.store.db import engine_for
from tests.test_brands import REGISTRY
from website.config import settings


def _load(app, fn):
    from sqlmodel import Session

    with Session(engine_for(settings(app).database_url)) as s:
        fn(s)
        s.commit()


def test_home_lists_sectors_and_brands_without_demo_banner(app, client):
    _load(app, lambda s: upsert_brands(s, load_registry_file(REGISTRY)))
    page = client.get("/").get_data(as_text=True)
    assert "Telecoms" in page and "Société Générale" in page
    assert "Demo data" not in page


def test_demo_is_labelled_on_page_and_api(app, client):
    _load(app, lambda s: build_demo(s, date(2026, 6, 30), n_posts=500))
    assert "Demo data" in client.get("/").get_data(as_text=True)
    body = client.get("/api/v1/brands").get_json()
    assert body["demo"] is True
    assert body["count"] == len(body["items"]) >= 20
    assert {"slug", "name", "sector", "country", "accounts"} <= set(body["items"][0])


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["database"] == "ok"


def test_healthz_fails_cleanly_when_the_database_is_gone(monkeypatch):
    from website import create_app

    monkeypatch.setenv(
        "CARESCORE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    )
    response = create_app().test_client().get("/healthz")
    assert response.status_code == 503
    assert "Traceback" not in response.get_data(as_text=True)


def test_errors_are_friendly_pages_and_problem_documents(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "could not find" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 404


def test_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
