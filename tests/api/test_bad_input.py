"""Bad input is a 400 problem document naming the parameter, never a 500."""

from __future__ import annotations

import pytest

BAD = [
    ("/posts?limit=abc", "limit"),
    ("/posts?limit=-5", "limit"),
    ("/posts?limit=0", "limit"),
    ("/posts?limit=99999999999999999999", "limit"),
    ("/posts?limit=1.5", "limit"),
    ("/posts?limit=201", "limit"),
    ("/brands?limit=1&limit=2", "limit"),
    ("/brands?sector=a&sector=b", "sector"),
    ("/brands?sector=", "sector"),
    ("/brands?sector=Not%20A%20Slug", "sector"),
    ("/brands?country=france", "country"),
    ("/brands?cursor=!!!", "cursor"),
    ("/brands?cursor=bm90LWEtY3Vyc29y", "cursor"),
    ("/posts?cursor=WyJiIiwgIngiXQ", "cursor"),
    ("/posts?cursor=eyJ9", "cursor"),
    ("/rankings?sector=no-such-sector", "sector"),
    ("/brands?sector=no-such-sector", "sector"),
    ("/rankings?sort=loudness", "sort"),
    ("/rankings?window=week", "window"),
    ("/rankings?window=month&month=2026-13", "month"),
    ("/rankings?window=month&month=1999-01", "month"),
    ("/rankings?month=2026-05", "month"),
    ("/posts?label=angry", "label"),
    ("/posts?topic=Bill%20ing", "topic"),
    ("/posts?since=yesterday", "since"),
    ("/posts?since=1900-01-01", "since"),
    ("/posts?until=9999-12-31", "until"),
    ("/posts?since=2026-06-01T00:00:00", "since"),
    ("/posts?since=2026-06-10&until=2026-06-01", "until"),
    ("/posts?since=2026-02-30", "since"),
    ("/posts?brand=%C3%28", "brand"),
    ("/brands?q=%FF%FE", "q"),
    ("/brands?%FF=1", "%FF"),
    ("/brands?q=" + "x" * 101, "q"),
    ("/brands?q=%00", "q"),
]


@pytest.mark.parametrize(("url", "name"), BAD)
def test_bad_parameter_is_a_400_naming_it(api, url, name):
    response = api.get(f"/api/v1{url}")
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400
    assert body["invalid_params"][0]["name"] == name
    assert body["invalid_params"][0]["reason"]


def test_a_misspelled_period_is_refused_not_answered_with_another(api):
    response = api.get("/api/v1/rankings?window=month&period=bogus&montth=2026-05")
    assert response.status_code == 400
    names = [p["name"] for p in response.get_json()["invalid_params"]]
    assert names == ["period", "montth"]
    assert "did you mean month?" in response.get_json()["invalid_params"][1]["reason"]
