"""Refusals settled at the edge for every route, on both engines: NUL bytes, a sick database."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

import website.pages.rankings as rankings_pages

SAMPLE = {"slug": "nimbus-telecom", "month": "2026-05", "sector": "telecom", "filename": "x.css"}


def _urls(app) -> list[str]:
    """Every GET route of the app, its variables filled with plausible values."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = {name: SAMPLE.get(name, "x") for name in rule.arguments}
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<{name}>", value)
            for conv in ("string", "path", "int"):
                path = path.replace(f"<{conv}:{name}>", value if conv != "int" else "1")
        urls.append(path)
    return sorted(set(urls))


def test_a_nul_byte_in_any_path_or_query_is_a_400_everywhere(app, client, caplog):
    urls = _urls(app)
    assert len(urls) > 15
    for url in urls:
        for hostile in (f"{url.rstrip('/')}/%00", f"{url}?q=%00", f"{url}?cursor=a%00b&x%00=1"):
            response = client.get(hostile)
            assert response.status_code == 400, (hostile, response.status_code)
            if hostile.startswith("/api/"):
                assert response.mimetype == "application/problem+json", hostile
                assert response.get_json()["status"] == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_error_page_names_the_error(app, client, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(rankings_pages, "overview", broken)
    response = client.get("/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "<h1>Internal Server Error</h1>" in page
    assert "property object" not in page


def _outage(*_args, **_kwargs):
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


@pytest.mark.parametrize(
    "path", ["/", "/api/v1/brands", "/api/v1/brands/nimbus-telecom", "/api/v1/rankings"]
)
def test_a_database_outage_is_a_503_with_retry_after_and_one_log_line(
    app, client, monkeypatch, caplog, path
):
    from sqlalchemy.engine import Connection

    from carescore.read.prepared import Prepared

    # every statement fails: through the ORM session, on its connection, or prepared
    monkeypatch.setattr(Connection, "execute", _outage)
    monkeypatch.setattr(Prepared, "rows", _outage)
    records: list[logging.LogRecord] = []
    keep = logging.Handler()
    keep.emit = records.append
    logger = logging.getLogger("website.errors")
    monkeypatch.setattr(logger, "level", logging.INFO)
    logger.addHandler(keep)
    try:
        response = client.get(path)
    finally:
        logger.removeHandler(keep)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Traceback" not in response.get_data(as_text=True)
    if path.startswith("/api/"):
        assert response.mimetype == "application/problem+json"
    else:
        assert response.mimetype == "text/html"
    failures = [r for r in records if r.levelno >= logging.WARNING]
    assert len(failures) == 1 and failures[0].exc_info is None
    assert "database unavailable" in failures[0].getMessage()
