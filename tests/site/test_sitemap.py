"""What crawlers read first: /robots.txt and the sitemap it names."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from sqlmodel import Session, select

from carescore.store.db import engine_for
from carescore.store.models import Brand, BrandScore
from website.config import settings

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_robots_txt_opens_the_pages_and_names_the_sitemap(site_client):
    """A plain text answer, not a rendered 404, whose rules keep the API, search and
    embeds out while the pages stay open, and which names the sitemap by its public URL."""
    response = site_client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "max-age=86400" in response.headers["Cache-Control"]
    rules = [line.split(":", 1) for line in response.get_data(as_text=True).splitlines() if line]
    assert ["User-agent", " *"] in rules
    disallowed = {path.strip() for name, path in rules if name == "Disallow"}
    assert disallowed == {"/api/", "/search", "/embed/", "/badge/"}
    base = settings(site_client.application).base_url
    assert [value.strip() for name, value in rules if name == "Sitemap"] == [base + "/sitemap.xml"]


def test_the_sitemap_lists_every_page_worth_finding_in_both_languages(site_client):
    app = site_client.application
    response = site_client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)  # noqa: S314  (our own answer)
    base = settings(app).base_url
    paths = []
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        assert loc.startswith(base + "/") and parse_qs(urlsplit(loc).query) == {"lang": ["en"]}
        alternates = {a.get("hreflang"): a.get("href") for a in url.findall("x:link", NS)}
        assert alternates == {"en": loc, "fr": loc.replace("lang=en", "lang=fr")}
        paths.append(urlsplit(loc).path)
    with Session(engine_for(settings(app).database_url)) as session:
        brands = session.exec(select(Brand.slug)).all()
        sectors = set(session.exec(select(Brand.sector)).all())
        finals = set(
            session.exec(
                select(Brand.sector, BrandScore.period)
                .join(BrandScore, BrandScore.brand_id == Brand.id)
                .where(BrandScore.window == "month", BrandScore.is_final)
            ).all()
        )
    assert len(paths) == len(set(paths))
    assert {"/", "/methodology"} <= set(paths)
    assert {p for p in paths if p.startswith("/brands/")} == {f"/brands/{b}" for b in brands}
    ranked = {p for p in paths if p.startswith("/rankings/")}
    assert ranked == {f"/rankings/{s}" for s in sectors} | {f"/rankings/{s}/{m}" for s, m in finals}
    assert finals, "the demo has final monthly snapshots"
    for path in paths:  # every listed page exists
        assert site_client.get(path).status_code == 200, path
