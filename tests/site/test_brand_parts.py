"""The brand page's kept parts (website/pages/brand_parts.py) show what a fresh rendering
would: keyed by the figures themselves, the language and the links' query."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import Session

from carescore.store.db import engine_for
from carescore.store.models import Brand, BrandScore
from website.config import settings
from website.pages import brand_parts


def _brand(db_url) -> None:
    with Session(engine_for(db_url)) as session:
        brand = Brand(slug="acme", name="Acme", sector="telecom", country="FR")
        session.add(brand)
        session.flush()
        for window, period in (("90d", "2026-06-30"), ("month", "2026-05")):
            session.add(
                BrandScore(
                    brand_id=brand.id,
                    window=window,
                    period=period,
                    methodology_version="2.0",
                    computed_at=datetime(2026, 6, 30, tzinfo=UTC),
                    is_final=window == "month",
                    ranked=True,
                    carescore=71.5,
                    opinion_n=60,
                    actionable_n=60,
                )
            )
        session.commit()


def test_a_figure_changed_in_place_shows_at_once(app, client):
    """Same rows, same ids, same computation time, same generation: a new value is a new
    key, so the kept headline and table cannot show the old one."""
    url = settings(app).database_url
    _brand(url)
    assert "71.5" in client.get("/brands/acme").text
    with Session(engine_for(url)) as session:
        session.execute(update(BrandScore).values(carescore=42.25))
        session.commit()
    page = client.get("/brands/acme").text
    assert "42.2" in page
    assert "71.5" not in page


def test_each_language_and_its_links_are_kept_apart(app, client):
    _brand(settings(app).database_url)
    french = client.get("/brands/acme?lang=fr").text
    assert "90 derniers jours" in french
    assert 'href="/brands/acme?window=all&amp;lang=fr"' in french
    english = client.get("/brands/acme").text
    assert "Last 90 days" in english
    assert 'href="/brands/acme?window=all"' in english
    assert "lang=fr" not in english.split("<main", 1)[1]
    by_header = client.get("/brands/acme", headers={"Accept-Language": "fr"}).text
    assert 'href="/brands/acme?window=all"' in by_header
    assert "90 derniers jours" in by_header
    kept = app.extensions[brand_parts._KEY].items
    assert kept
    before = len(kept)
    client.get("/brands/acme?lang=fr")
    client.get("/brands/acme")
    assert len(kept) == before  # the same inputs again: served from what was kept
