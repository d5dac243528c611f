"""What each endpoint answers, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from carescore.read.refs import accounts_of
from carescore.store.db import engine_for
from carescore.store.models import Brand, BrandAccount
from website.config import settings

ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def test_a_brand_fetches_its_score_and_history(demo_client):
    brand = demo_client.get("/api/v1/brands/nimbus-telecom").get_json()
    assert brand["demo"] is True and brand["methodology_version"]
    assert brand["brand"]["slug"] == "nimbus-telecom"
    assert brand["brand"]["accounts"] and brand["brand"]["is_demo"] is True
    score = brand["score"]
    assert score["window"] == "90d" and ISO_Z.match(score["computed_at"])
    for name in ("reply_rate", "reply_rate_low", "reply_rate_high", "median_reply_s"):
        assert name in score
    assert score["inbound_n"] > 0 and isinstance(score["topics"], dict)

    history = demo_client.get("/api/v1/brands/nimbus-telecom/history").get_json()
    assert history["demo"] is True and history["brand"] == "nimbus-telecom"
    assert [s["period"] for s in history["items"]] == ["2026-04", "2026-05"]
    assert all(s["window"] == "month" for s in history["items"])


def test_rankings_by_window_month_sector_and_sort(demo_client):
    live = demo_client.get("/api/v1/rankings").get_json()
    assert live["window"] == "90d" and live["period"] == "2026-06-30"
    assert live["count"] == len(live["items"]) == 25
    month = demo_client.get("/api/v1/rankings?window=month&month=2026-05&sector=airline")
    body = month.get_json()
    assert month.status_code == 200 and body["period"] == "2026-05"
    assert {row["sector"] for row in body["items"]} == {"airline"}
    fastest = demo_client.get("/api/v1/rankings?sort=median_reply").get_json()
    assert fastest["sort"] == "median_reply"
    positions = [r["position"] for r in fastest["items"] if r["ranked"]]
    assert positions == list(range(1, len(positions) + 1))


def test_unknown_month_is_404_and_unknown_brand_is_404(demo_client):
    assert demo_client.get("/api/v1/rankings?window=month&month=2019-01").status_code == 404
    missing = demo_client.get("/api/v1/brands/no-such-brand")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert demo_client.get("/api/v1/brands/no-such-brand/history").status_code == 404
    assert demo_client.get("/api/v1/posts?brand=no-such-brand").status_code == 404


def test_posts_filter_and_paginate_without_overlap(demo_client):
    seen: list[str] = []
    url = "/api/v1/posts?brand=nimbus-telecom&limit=7"
    for _ in range(3):
        body = demo_client.get(url).get_json()
        assert body["count"] == len(body["items"]) <= 7
        assert all(p["brand_slug"] == "nimbus-telecom" for p in body["items"])
        assert all(ISO_Z.match(p["created_at"]) for p in body["items"])
        seen += [p["external_id"] for p in body["items"]]
        url = f"/api/v1/posts?brand=nimbus-telecom&limit=7&cursor={body['next_cursor']}"
    assert len(seen) == len(set(seen)) == 21
    dated = demo_client.get("/api/v1/posts?since=2026-06-01&until=2026-06-15T00:00:00Z")
    stamps = [p["created_at"] for p in dated.get_json()["items"]]
    assert stamps and all("2026-06-01" <= s < "2026-06-15" for s in stamps)


def test_brands_filter_by_sector_country_text_and_paginate(demo_client):
    everything = demo_client.get("/api/v1/brands?limit=200").get_json()
    assert everything["next_cursor"] is None
    slugs, url = [], "/api/v1/brands?limit=4"
    while url:
        body = demo_client.get(url).get_json()
        slugs += [b["slug"] for b in body["items"]]
        url = body["next_cursor"] and f"/api/v1/brands?limit=4&cursor={body['next_cursor']}"
    assert slugs == [b["slug"] for b in everything["items"]] == sorted(slugs)
    airlines = demo_client.get("/api/v1/brands?sector=airline").get_json()["items"]
    assert airlines and {b["sector"] for b in airlines} == {"airline"}
    french = demo_client.get("/api/v1/brands?country=FR").get_json()["items"]
    assert french and {b["country"] for b in french} == {"FR"}
    found = demo_client.get("/api/v1/brands?q=NIMBUS").get_json()["items"]
    assert [b["slug"] for b in found] == ["nimbus-telecom"]
    assert demo_client.get("/api/v1/brands?q=%25").get_json()["items"] == []


def test_sectors_and_methodology(demo_client):
    sectors = demo_client.get("/api/v1/sectors").get_json()
    assert sectors["demo"] is True
    assert sum(s["brand_count"] for s in sectors["items"]) == 25
    rules = demo_client.get("/api/v1/methodology").get_json()
    assert rules["methodology_version"] and {"reply_rate", "carescore"} <= {
        r["name"] for r in rules["rules"]
    }


def test_empty_database_says_not_demo_and_has_no_score(client):
    assert client.get("/api/v1/brands").get_json() == {
        "demo": False,
        "methodology_version": client.get("/api/v1/methodology").get_json()["methodology_version"],
        "count": 0,
        "next_cursor": None,
        "items": [],
    }
    ranking = client.get("/api/v1/rankings").get_json()
    assert ranking["period"] is None and ranking["items"] == []


def test_post_records_carry_the_cues_their_label_rests_on(demo_client):
    items = demo_client.get("/api/v1/posts?brand=nimbus-telecom&label=fail&limit=20")
    items = items.get_json()["items"]
    assert items and all(p["label"] == "fail" for p in items)
    assert all(isinstance(p["cues"], list) for p in items)
    assert sum(bool(p["cues"]) for p in items) >= len(items) * 0.8
    assert all(isinstance(c, str) and c for p in items for c in p["cues"])


def test_brands_carry_every_account_and_filters_combine(app, demo_client):
    """One statement lists a page of brands with their accounts: a brand with several
    accounts is one item, a brand with none is listed with none, a cursor continues a
    filtered list, and a search folds punctuation (LIKE's wildcards) away."""
    with Session(engine_for(settings(app).database_url)) as session:
        brands = {b.slug: b.id for b in session.exec(select(Brand))}
        nimbus = brands["nimbus-telecom"]
        session.add(
            BrandAccount(
                brand_id=nimbus, platform="x", handle="Nimbus_Second", handle_key="nimbus_second"
            )
        )
        session.add(Brand(slug="zz-bare", name="Bare 100%_/x", sector="telecom", country="FR"))
        session.commit()
        expected = accounts_of(session, list(brands.values()))
    items = demo_client.get("/api/v1/brands?limit=200").get_json()["items"]
    shown = {b["slug"]: [(a["platform"], a["handle"]) for a in b["accounts"]] for b in items}
    assert len(items) == len(shown) == len(brands) + 1
    for slug, brand_id in brands.items():
        assert shown[slug] == [(a.platform, a.handle) for a in expected.get(brand_id, [])]
    assert len(shown["nimbus-telecom"]) >= 2 and shown["zz-bare"] == []
    telecoms = [b["slug"] for b in items if b["sector"] == "telecom"]
    first = demo_client.get("/api/v1/brands?sector=telecom&limit=2").get_json()
    rest = demo_client.get(
        f"/api/v1/brands?sector=telecom&limit=200&cursor={first['next_cursor']}"
    ).get_json()
    assert [b["slug"] for b in first["items"] + rest["items"]] == telecoms
    for query, found in (("BARE 100%", ["zz-bare"]), ("100_x", ["zz-bare"]), ("%", []), ("_", [])):
        listed = demo_client.get("/api/v1/brands", query_string={"q": query}).get_json()
        assert [b["slug"] for b in listed["items"]] == found, query
