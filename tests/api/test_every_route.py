"""Every API route, walked from the URL map: each is in the OpenAPI document with the
query parameters its view reads, and refuses a parameter it does not take."""

from __future__ import annotations

import re

import pytest

from website.api.params import declared

PREFIX = "/api/v1"
SAMPLE = {"slug": "nimbus-telecom", "platform": "x", "external_id": "1", "statement_id": "1"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _routes(app) -> list[tuple[str, str, str]]:
    """(flask rule, document path, method) of every API route."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len(PREFIX) :])
        for method in sorted(rule.methods - IGNORED_METHODS):
            found.append((rule.rule, path, method))
    return found


def _url(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: SAMPLE.get(m[1], "1"), rule)


def test_the_walk_sees_every_kind_of_route(demo_app):
    paths = {path for _, path, _ in _routes(demo_app)}
    assert {"/rankings", "/brands/{slug}.csv", "/compare", "/brands/{slug}/topics"} <= paths
    assert any(method == "POST" for *_, method in _routes(demo_app))


def test_every_route_is_documented_with_the_parameters_its_view_reads(demo_app, api):
    doc = api.get(f"{PREFIX}/openapi.json").get_json()
    for rule, path, method in _routes(demo_app):
        operation = doc["paths"].get(path, {}).get(method.lower())
        assert operation is not None, f"{method} {path} is not in the OpenAPI document"
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        endpoint = next(r.endpoint for r in demo_app.url_map.iter_rules() if r.rule == rule)
        read = {p.name for p in declared(demo_app.view_functions[endpoint])}
        assert documented == read, f"{method} {path}: document {documented}, view {read}"


@pytest.mark.parametrize("bogus", ["period", "utm_source", "Window"])
def test_every_route_refuses_a_parameter_it_does_not_take(demo_app, api, bogus):
    for rule, path, method in _routes(demo_app):
        response = api.open(f"{_url(rule)}?{bogus}=x", method=method)
        assert response.status_code == 400, f"{method} {path}?{bogus}: {response.status_code}"
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert [p["name"] for p in body["invalid_params"]] == [bogus], (method, path)
        assert "unknown parameter" in body["invalid_params"][0]["reason"]


def test_the_parameters_a_route_takes_are_still_taken(api):
    assert api.get(f"{PREFIX}/rankings?window=90d&sort=reply_rate").status_code == 200
    assert api.get(f"{PREFIX}/brands/nimbus-telecom?window=all").status_code in (200, 400)
