"""The conventions every API response keeps: ETag and 304, caching, CORS, CSV, one error
shape on every route (walked from the URL map, so a new route cannot escape it)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from website.api.openapi import document

TABLES = ["/brands", "/rankings", "/sectors", "/posts", "/brands/nimbus-telecom/history"]


def _required(path: str) -> str:
    """The query of a path's required parameters, from their examples in the document."""
    operation = document()["paths"].get(path, {}).get("get", {})
    return "&".join(
        f"{p['name']}={p['example']}"
        for p in operation.get("parameters", [])
        if p["required"] and p["in"] == "query"
    )


def _api_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            url = rule.rule.replace("<slug>", "nimbus-telecom")
            query = _required(rule.rule.removeprefix("/api/v1").replace("<slug>", "{slug}"))
            urls.append(f"{url}?{query}" if query else url)
    return sorted(urls)


def test_every_success_has_etag_cache_control_cors_and_demo(api, demo_app):
    for url in _api_urls(demo_app):
        response = api.get(url)
        assert response.status_code == 200, url
        assert response.headers["ETag"], url
        assert response.headers["Cache-Control"].startswith("public"), url
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "X-RateLimit-Limit" in response.headers, url
        assert "Retry-After" not in response.headers, url
        if response.mimetype == "application/json" and not url.endswith("openapi.json"):
            assert isinstance(response.get_json()["demo"], bool), url


def test_if_none_match_gives_304_without_body(api, demo_app):
    for url in _api_urls(demo_app):
        first = api.get(url)
        again = api.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, url
        assert again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    stale = api.get("/api/v1/rankings", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200


def test_preflight_allows_get_from_any_origin(api):
    response = api.options(
        "/api/v1/rankings",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("path", TABLES)
def test_tables_as_csv_by_suffix_or_accept(api, path):
    by_accept = api.get(f"/api/v1{path}", headers={"Accept": "text/csv"})
    by_suffix = api.get(f"/api/v1{path}.csv")
    assert by_accept.mimetype == by_suffix.mimetype == "text/csv"
    assert by_accept.data == by_suffix.data
    rows = list(csv.DictReader(io.StringIO(by_suffix.get_data(as_text=True))))
    assert rows, path
    assert by_suffix.headers["ETag"] and "attachment" in by_suffix.headers["Content-Disposition"]
    json_rows = api.get(f"/api/v1{path}").get_json()["items"]
    assert len(rows) == len(json_rows)


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("*/*", "application/json"),
        ("application/*, image/png", "application/json"),
        ("", "application/json"),
        ("TEXT/CSV", "text/csv"),
        ("text/*", "text/csv"),
        ("application/json;q=0.1, */*", "text/csv"),
    ],
)
def test_the_accept_header_chooses_csv_only_when_it_prefers_it(api, accept, mimetype):
    """The header is read only when it could prefer CSV: these are the edges of that."""
    assert api.get("/api/v1/sectors", headers={"Accept": accept}).mimetype == mimetype


def test_csv_pages_of_posts_go_beyond_the_json_cap_with_a_next_link(api):
    big = api.get("/api/v1/posts.csv?limit=300")
    rows = list(csv.DictReader(io.StringIO(big.get_data(as_text=True))))
    assert len(rows) == 300 and "cursor=" in big.headers["Link"]
    assert api.get("/api/v1/posts?limit=300").status_code == 400


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    assert "Traceback" not in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return body


def test_one_error_shape_on_every_route(api, demo_app):
    for url in _api_urls(demo_app):
        _assert_problem(api.post(url), 405)
        assert "GET" in api.delete(url).headers["Allow"]
    _assert_problem(api.get("/api/v1/nothing-here"), 404)
    _assert_problem(api.get("/api/v1/brands/unknown"), 404)


def test_server_errors_hide_internals(demo_app, monkeypatch):
    import website.api.views

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret connection string postgres://user:pw@db")

    monkeypatch.setattr(website.api.views, "ranking", explode)
    response = demo_app.test_client().get("/api/v1/rankings")
    body = _assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True) and "detail" in body
    assert response.headers["Cache-Control"] == "no-store"


def test_every_route_is_documented(demo_app):
    paths = document()["paths"]
    routed: dict[str, set[str]] = {}
    for rule in demo_app.url_map.iter_rules():
        if not rule.endpoint.startswith(("api.", "api_write.")):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
        routed.setdefault(path, set()).update(methods)
    assert set(paths) == set(routed)
    for path, methods in routed.items():
        assert set(paths[path]) == methods, path


def test_the_document_validates_as_openapi_31(api):
    from openapi_spec_validator import validate

    served = api.get("/api/v1/openapi.json").get_json()
    assert served["openapi"] == "3.1.0"
    validate(served)
