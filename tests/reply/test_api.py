"""The write API through the Flask test client, on SQLite and PostgreSQL: keys, scope,
limits, and what the brand page then shows."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from carescore.reply import accept_dispute, issue_key, revoke_key
from carescore.store.db import engine_for
from tests.reply.conftest import seed
from website.config import settings

STATEMENT = {"text": "We fixed the outage of 3 June.", "link": "https://acme.example/status"}
DISPUTE = {"kind": "mislabelled", "label": "praise", "reason": "The customer thanks us."}


@pytest.fixture
def world(app):
    """Seeded brands and one key per brand (plus a revoked one for acme)."""
    with Session(engine_for(settings(app).database_url)) as s:
        seed(s)
        keys = {slug: issue_key(s, slug, operator="ops").token for slug in ("acme", "bolt")}
        revoked = issue_key(s, "acme", operator="ops")
        revoke_key(s, revoked.id, operator="ops")
        keys["revoked"] = revoked.token
        s.commit()
    return keys


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _writes(client, keys):
    """Every write endpoint on acme's resources: (method, path, body)."""
    created = client.post(
        "/api/v1/brands/acme/statements", json=STATEMENT, headers=_auth(keys["acme"])
    )
    assert created.status_code == 201, created.get_json()
    sid = created.get_json()["id"]
    return [
        ("post", "/api/v1/brands/acme/statements", STATEMENT),
        ("delete", f"/api/v1/brands/acme/statements/{sid}", None),
        ("post", "/api/v1/posts/x/a1/disputes", DISPUTE),
    ]


def test_every_write_needs_the_brands_own_valid_key(client, world):
    for method, path, body in _writes(client, world):
        call = getattr(client, method)
        for headers, status in [
            ({}, 401),
            ({"Authorization": "Basic dXNlcjpwdw=="}, 401),
            (_auth("csk_notakeyatallnotakeyatallnotakeyatall00000"), 401),
            (_auth(world["revoked"]), 401),
            (_auth(world["bolt"]), 403),
        ]:
            response = call(path, json=body, headers=headers)
            assert response.status_code == status, (method, path, headers)
            assert response.mimetype == "application/problem+json"
            if status == 401:
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # and the dispute read is the brand's own
    filed = client.post("/api/v1/posts/x/a1/disputes", json=DISPUTE, headers=_auth(world["acme"]))
    assert filed.status_code == 201
    path = f"/api/v1/disputes/{filed.get_json()['id']}"
    assert client.get(path, headers=_auth(world["bolt"])).status_code == 403
    assert client.get(path).status_code == 401
    mine = client.get(path, headers=_auth(world["acme"]))
    assert mine.status_code == 200 and mine.get_json()["status"] == "pending"


def test_bad_bodies_get_problem_documents(client, world):
    auth = _auth(world["acme"])
    path = "/api/v1/brands/acme/statements"
    big = client.post(path, json={"text": "x" * 20_000}, headers=auth)
    assert big.status_code == 413 and big.mimetype == "application/problem+json"
    form = client.post(path, data={"text": "hi"}, headers=auth)
    assert form.status_code == 415
    broken = client.post(path, data="{", content_type="application/json", headers=auth)
    assert broken.status_code == 400
    listed = client.post(path, json=["hi"], headers=auth)
    assert listed.status_code == 400
    markup = client.post(path, json={"text": "<img src=x onerror=alert(1)>"}, headers=auth)
    assert markup.status_code == 400
    assert markup.get_json()["invalid_params"][0]["name"] == "text"
    script = client.post(path, json={"text": "hi", "link": "javascript:alert(1)"}, headers=auth)
    assert script.get_json()["invalid_params"] == [
        {"name": "link", "reason": "an absolute http:// or https:// URL"}
    ]
    assert (
        client.post("/api/v1/posts/x/zzz/disputes", json=DISPUTE, headers=auth).status_code == 404
    )
    assert (
        client.post("/api/v1/brands/nope/statements", json=STATEMENT, headers=auth).status_code
        == 404
    )
    twice = [client.post("/api/v1/posts/x/a1/disputes", json=DISPUTE, headers=auth) for _ in "12"]
    assert [r.status_code for r in twice] == [201, 409]


def test_the_brand_page_shows_statements_escaped_and_corrections(app, client, world):
    auth = _auth(world["acme"])
    text = "Fixed <3 & back online\nSee our page"
    link = 'https://acme.example/s?a=1&b="x"'
    assert client.post("/api/v1/brands/acme/statements", json={"text": "old one"},
                       headers=auth).status_code == 201  # fmt: skip
    posted = client.post("/api/v1/brands/acme/statements", json={"text": text, "link": link,
                         "refers_to": "outage of 3 June"}, headers=auth)  # fmt: skip
    assert posted.status_code == 201
    dispute = client.post("/api/v1/posts/x/a1/disputes", json=DISPUTE, headers=auth).get_json()
    with Session(engine_for(settings(app).database_url)) as s:
        accept_dispute(s, dispute["id"], reviewer="alice", note='Says "fixed" & thanks')
        s.commit()
    page = client.get("/brands/acme?lang=en").get_data(as_text=True)
    assert "Fixed &lt;3 &amp; back online" in page and "<3 &" not in page
    assert 'href="https://acme.example/s?a=1&amp;b=&#34;x&#34;" rel="nofollow ugc noopener"' in page
    assert page.index("Fixed &lt;3") < page.index("old one")  # newest first
    assert "Statement by <bdi>Acme Telecom</bdi>" in page and "outage of 3 June" in page
    assert "1 correction made after a dispute by the brand." in page
    # the dispute counts are over every stored post, not the period the figures show
    assert "1 dispute filed for 3 customer posts on record (all periods)" in page
    assert "label corrected from complaint to praise" in page
    assert "Says &#34;fixed&#34; &amp; thanks" in page
    french = client.get("/brands/acme?lang=fr").get_data(as_text=True)
    assert "1 correction apportée après une contestation de la marque." in french
    assert "pour 3 messages de clients enregistrés (toutes périodes)" in french
    # withdrawn: gone from the page
    client.delete(f"/api/v1/brands/acme/statements/{posted.get_json()['id']}", headers=auth)
    assert "Fixed &lt;3" not in client.get("/brands/acme").get_data(as_text=True)
    public = client.get("/api/v1/brands/acme/reply")
    assert public.status_code == 200
    body = public.get_json()
    assert [s["text"] for s in body["statements"]] == ["old one"]
    assert body["disputes"] == {
        "inbound_posts": 3,
        "filed": 1,
        "pending": 0,
        "accepted": 1,
        "rejected": 0,
        "dispute_rate": 1 / 3,
        "acceptance_rate": 1.0,
    }
    assert body["corrections"][0]["label"] == "praise"
    posts = {
        p["external_id"]: p for p in client.get("/api/v1/posts?brand=acme").get_json()["items"]
    }
    assert (posts["a1"]["label"], posts["a1"]["label_source"]) == ("praise", "human")
    assert posts["a2"]["label_source"] == "scorer"
    assert client.get("/api/v1/brands/nope/reply").status_code == 404


def test_writes_have_their_own_lower_rate_limit(db_url):
    from carescore.settings import load_settings
    from website import create_app

    config = load_settings(database_url=db_url, write_ratelimit="2 per minute", disputes_per_day=1)
    app = create_app(config, {"TESTING": True})
    with Session(engine_for(db_url)) as s:
        seed(s)
        token = issue_key(s, "acme", operator="ops").token
        s.commit()
    client = app.test_client()
    auth = _auth(token)
    first = client.post("/api/v1/posts/x/a1/disputes", json=DISPUTE, headers=auth)
    quota = client.post("/api/v1/posts/x/a3/disputes", json={**DISPUTE, "label": "neutral"},
                        headers=auth)  # fmt: skip
    assert (first.status_code, quota.status_code) == (201, 429)
    assert (
        int(quota.headers["Retry-After"]) > 0 and "disputes per brand" in quota.get_json()["detail"]
    )
    limited = client.post("/api/v1/brands/acme/statements", json=STATEMENT, headers=auth)
    assert limited.status_code == 429 and "writes" in limited.get_json()["detail"]
    assert client.get("/api/v1/brands/acme/reply").status_code == 200  # reads unaffected


def test_the_openapi_document_describes_the_writes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["components"]["securitySchemes"]["brandKey"]["scheme"] == "bearer"
    post = doc["paths"]["/brands/{slug}/statements"]["post"]
    assert post["security"] == [{"brandKey": []}]
    assert {"401", "403", "413", "429"} <= set(post["responses"])
    assert doc["components"]["schemas"]["StatementInput"]["required"] == ["text"]
    assert "get" not in doc["paths"]["/posts/{platform}/{external_id}/disputes"]
    assert json.dumps(doc)  # serialisable
