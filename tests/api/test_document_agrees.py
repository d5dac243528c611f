"""The OpenAPI document and the code agree on what a cursor and a month are."""

from __future__ import annotations

import re

import pytest


def _schemas(api) -> dict[str, dict]:
    doc = api.get("/api/v1/openapi.json").get_json()
    found: dict[str, dict] = {}
    for operations in doc["paths"].values():
        for op in operations.values():
            for param in op.get("parameters", []) if isinstance(op, dict) else []:
                if param.get("name") in ("cursor", "month") and "schema" in param:
                    found[param["name"]] = param["schema"]
    return found


@pytest.mark.parametrize(
    ("name", "value", "url"),
    [
        ("cursor", "0", "/api/v1/posts?cursor=0"),
        ("month", "0000-01", "/api/v1/rankings?window=month&month=0000-01"),
        ("month", "2006-01", "/api/v1/rankings?window=month&month=2006-01"),
    ],
)
def test_values_the_code_refuses_are_outside_the_document(api, name, value, url):
    pattern = _schemas(api)[name]["pattern"]
    assert not re.search(pattern, value)
    assert api.get(url).status_code == 400


def test_values_the_code_issues_or_takes_are_inside_the_document(api):
    schemas = _schemas(api)
    page = api.get("/api/v1/posts?limit=1").get_json()
    assert re.search(schemas["cursor"]["pattern"], page["next_cursor"])
    assert api.get(f"/api/v1/posts?limit=1&cursor={page['next_cursor']}").status_code == 200
    for month in ("2006-03", "2026-05", "2099-12"):
        assert re.search(schemas["month"]["pattern"], month)
        response = api.get(f"/api/v1/rankings?window=month&month={month}")
        assert response.status_code in (200, 404), month


def _parameter(api, path: str, name: str) -> dict:
    doc = api.get("/api/v1/openapi.json").get_json()
    return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)


@pytest.mark.parametrize(
    ("value", "taken"),
    [
        ("nimbus-telecom,ondeline", True),
        ("nimbus-telecom,ondeline,albatros-air,banque-tilleul", True),
        ("nimbus-telecom", False),
        ("a,b,c,d,e", False),
        ("Nimbus,ondeline", False),
    ],
)
def test_the_comparison_takes_the_brand_lists_its_document_describes(api, value, taken):
    param = _parameter(api, "/compare", "brands")
    assert param["required"] is True
    assert bool(re.search(param["schema"]["pattern"], value)) is taken
    status = api.get(f"/api/v1/compare?brands={value}").status_code
    assert (status != 400) is taken, (value, status)


def test_every_period_endpoint_documents_the_as_of_day(api):
    for path in ("/rankings", "/compare", "/brands/{slug}", "/brands/{slug}.csv",
                 "/brands/{slug}/topics", "/brands/{slug}/delays"):  # fmt: skip
        assert _parameter(api, path, "as_of")["schema"]["format"] == "date", path
    for day in ("2026-02-30", "2026-W05-1", "20260630"):
        assert api.get(f"/api/v1/rankings?as_of={day}").status_code == 400, day
