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
