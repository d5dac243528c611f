"""The demo's incidents on the pages, the API and the feeds, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import feedparser
import pytest
from sqlmodel import Session

from carescore.demo import build_demo
from carescore.incidents import refresh_incidents
from carescore.ranking.snapshots import rank_brands
from carescore.store.db import engine_for
from carescore.store.incident_tables import Incident

AS_OF = date(2026, 6, 30)
END_OF_DATA = datetime(2026, 6, 30, 0, 10, tzinfo=UTC)  # the demo's posts stop at midnight


@pytest.fixture
def demo(app, db_url):
    with Session(engine_for(db_url)) as session:
        build_demo(session, AS_OF, n_posts=800)
        rank_brands(session, "90d", AS_OF, now=END_OF_DATA)
        refresh_incidents(session, END_OF_DATA)
        session.commit()
    return app.test_client()


def test_the_demo_incidents_show_everywhere(demo):
    body = demo.get("/api/v1/incidents?limit=200").get_json()
    assert body["demo"] is True
    brands = {item["brand"] for item in body["items"]}
    # the fibre outage, both airlines in the storm, the small outage, the late outage
    assert {
        "nimbus-telecom",
        "skylark-airways",
        "kestrel-jet",
        "parapluie-box",
        "ondeline",
    } <= brands
    storm = {
        i["brand"]: i for i in body["items"] if i["brand"] in ("skylark-airways", "kestrel-jet")
    }
    # the same storm, answered very differently
    assert storm["skylark-airways"]["care_reply_rate"] > 2 * storm["kestrel-jet"]["care_reply_rate"]
    for item in body["items"]:
        assert item["care_unit"] == "case"
        assert item["care_answered"] <= item["care_n"]
        if item["care_n"]:
            assert item["care_reply_rate"] == pytest.approx(item["care_answered"] / item["care_n"])
    late = next(i for i in body["items"] if i["brand"] == "ondeline")
    assert late["is_open"] and late["end_at"] is None

    home = demo.get("/").get_data(as_text=True)
    assert "What is broken now" in home
    assert "Ondeline" in home.split('id="broken-now"')[1].split("</section>")[0]
    french = demo.get("/?lang=fr").get_data(as_text=True)
    assert "Ce qui est en panne en ce moment" in french

    page = demo.get("/brands/nimbus-telecom")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="incidents"' in text and "<svg" in text
    key = next(i["key"] for i in body["items"] if i["brand"] == "nimbus-telecom")
    incident = demo.get(f"/brands/nimbus-telecom/incidents/{key}")
    assert incident.status_code == 200
    assert "Complaints during the incident" in incident.get_data(as_text=True)
    assert "Cases opened during the incident" in incident.get_data(as_text=True)
    assert demo.get("/rankings/telecom").get_data(as_text=True).count('id="broken-now"') == 1
    airline = demo.get("/rankings/airline").get_data(as_text=True)
    assert "Ondeline" not in airline.split('id="broken-now"')[1].split("</section>")[0]
    _feeds(demo)
    text = demo.get("/methodology").get_data(as_text=True)
    assert 'id="incidents"' in text
    assert "negative binomial" in text


def test_filters_csv_errors_and_etags_of_the_api(demo):
    open_now = demo.get("/api/v1/incidents?open=true").get_json()["items"]
    assert [i["brand"] for i in open_now] == ["ondeline"]
    airline = demo.get("/api/v1/incidents?sector=airline").get_json()["items"]
    assert airline and {i["sector"] for i in airline} == {"airline"}
    since = demo.get("/api/v1/incidents?since=2026-06-01").get_json()["items"]
    assert since and all(i["start_at"] >= "2026-06-01" for i in since)
    one = demo.get("/api/v1/incidents?limit=1").get_json()
    second = demo.get(f"/api/v1/incidents?limit=1&cursor={one['next_cursor']}").get_json()
    assert second["items"][0]["key"] != one["items"][0]["key"]
    brand = demo.get("/api/v1/brands/kestrel-jet/incidents").get_json()["items"]
    assert brand and {i["brand"] for i in brand} == {"kestrel-jet"}
    reply = demo.get("/api/v1/brands/kestrel-jet/incidents.csv")
    assert reply.mimetype == "text/csv"
    header = reply.get_data(as_text=True).splitlines()[0]
    assert header.startswith("brand,brand_name,sector,topic,key")
    together = demo.get("/api/v1/incidents?topic=all&limit=200").get_json()["items"]
    assert together and all(i["topic"] is None for i in together)
    _bad_input(demo)


def _bad_input(demo):
    for url, name in (
        ("/api/v1/incidents?open=yes", "open"),
        ("/api/v1/incidents?topic=weather", "topic"),
        ("/api/v1/incidents?brand=nobody", "brand"),
        ("/api/v1/incidents?sector=nowhere", "sector"),
        ("/api/v1/incidents?since=2026-06-02&until=2026-06-01", "until"),
        ("/api/v1/incidents?cursor=abc", "cursor"),
    ):
        response = demo.get(url)
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["invalid_params"][0]["name"] == name
    assert demo.get("/api/v1/brands/nobody/incidents").status_code == 404
    assert demo.get("/brands/nimbus-telecom/incidents/2020-01-01T00").status_code == 404
    assert demo.get("/brands/nimbus-telecom/incidents/<script>").status_code == 404
    first = demo.get("/api/v1/incidents")
    again = demo.get("/api/v1/incidents", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def _feeds(demo):
    feed = demo.get("/incidents.atom")
    assert feed.mimetype == "application/atom+xml"
    titles = [e.title for e in feedparser.parse(feed.data).entries]
    assert any(t.startswith("[demo] Incident opened") for t in titles)
    assert any(t.startswith("[demo] Incident closed") for t in titles)
    brand_feed = feedparser.parse(demo.get("/brands/kestrel-jet/incidents.atom").data)
    assert brand_feed.entries and all("Kestrel" in e.title for e in brand_feed.entries)
    assert demo.get("/brands/nobody/incidents.atom").status_code == 404


def test_a_topic_incident_has_its_page_and_api_entry(app, db_url):
    from tests.incidents.test_run import T0, _acme, _mixed, _store

    with Session(engine_for(db_url)) as session:
        brand_id = _acme(session)
        _store(session, _mixed(brand_id, 4, T0 + timedelta(weeks=3, days=2, hours=15)))
        refresh_incidents(session, T0 + timedelta(weeks=4))
        session.commit()
    client = app.test_client()
    items = client.get("/api/v1/brands/acme/incidents").get_json()["items"]
    assert [(i["topic"], i["key"]) for i in items] == [("billing", "2026-03-25T15.billing")]
    assert client.get("/api/v1/incidents?topic=billing").get_json()["count"] == 1
    assert client.get("/api/v1/incidents?topic=all").get_json()["count"] == 0
    page = client.get("/brands/acme/incidents/2026-03-25T15.billing")
    assert page.status_code == 200
    assert "complaints alone" in page.get_data(as_text=True)
    assert client.get("/brands/acme/incidents/2026-03-25T15").status_code == 404
    assert client.get("/brands/acme/incidents/2026-03-25T15.delivery").status_code == 404


def _download_links(page: str) -> dict[str, str]:
    """The page's "this incident" download links, by type, unescaped as a browser would."""
    block = page.split('<p class="downloads">')[1].split("</p>")[0]
    found = re.findall(r'<a href="([^"]+)" type="([^"]+)"', block)
    return {kind: html.unescape(href) for href, kind in found}


def test_the_incident_download_returns_the_incident_shown_and_no_other(app, db_url):
    from tests.incidents.test_run import T0, _acme

    start = T0 + timedelta(weeks=3, hours=15)
    with Session(engine_for(db_url)) as session:
        brand_id = _acme(session)
        for topic, posts, hours in (("", 40, 3), ("billing", 12, 2), ("delivery", 9, 1)):
            session.add(
                Incident(
                    brand_id=brand_id,
                    topic=topic,
                    start_at=start if topic != "delivery" else start + timedelta(hours=1),
                    detected_at=start + timedelta(hours=1),
                    end_at=start + timedelta(hours=hours),
                    peak_at=start,
                    peak_count=posts // 2,
                    peak_baseline=1.0,
                    peak_ratio=posts / 2,
                    posts=posts,
                    expected=2.0,
                    p_value=1e-6,
                    topics={topic or "billing": posts},
                    detector_version="test",
                    computed_at=start + timedelta(hours=5),
                )
            )
        session.commit()
    client = app.test_client()
    everything = client.get("/api/v1/brands/acme/incidents").get_json()["items"]
    assert len(everything) == 3  # all three overlap; two start in the same hour
    for shown in everything:
        page = client.get(f"/brands/acme/incidents/{shown['key']}")
        assert page.status_code == 200
        links = _download_links(page.get_data(as_text=True))
        body = client.get(links["application/json"]).get_json()
        assert [i["key"] for i in body["items"]] == [shown["key"]]
        assert body["items"][0] == shown
        rows = list(
            csv.DictReader(io.StringIO(client.get(links["text/csv"]).get_data(as_text=True)))
        )
        assert [(r["key"], r["complaints"]) for r in rows] == [
            (shown["key"], str(shown["complaints"]))
        ]
