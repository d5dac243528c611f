"""Any period on the site and the brand API: the same ?window= and ?as_of= everywhere."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from carescore.store.db import engine_for
from carescore.store.models import Brand, BrandScore


def _history(db_url) -> None:
    """A brand ranked in November 2017 and in `all`, not in today's live window."""
    with Session(engine_for(db_url)) as session:
        brand = Brand(slug="acme", name="Acme", sector="telecom", country="FR")
        session.add(brand)
        session.flush()
        for window, period, ranked, score in (
            ("90d", "2026-06-30", False, None),
            ("month", "2017-11", True, 71.5),
            ("all", "2017-12-31", True, 64.25),
        ):
            session.add(
                BrandScore(
                    brand_id=brand.id,
                    window=window,
                    period=period,
                    methodology_version="2.0",
                    computed_at=datetime(2026, 6, 30, tzinfo=UTC),
                    ranked=ranked,
                    carescore=score,
                    cases_n=60 if ranked else 0,
                    opinion_n=55 if ranked else 0,
                )
            )
        session.commit()


def test_home_points_to_the_latest_period_with_ranked_brands(db_url, client):
    _history(db_url)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "No ranked brand in the live 90 days" in page
    assert "/?window=2017-11" in page
    month = client.get("/?window=2017-11&lang=en").get_data(as_text=True)
    assert "No ranked brand" not in month and "71.5" in month
    assert "64.2" in client.get("/?window=all&lang=en").get_data(as_text=True)


def test_brand_page_and_api_take_the_same_period_parameters(db_url, client):
    _history(db_url)
    page = client.get("/brands/acme?window=2017-11&lang=en")
    assert page.status_code == 200 and "71.5" in page.get_data(as_text=True)
    assert "64.2" in client.get("/brands/acme?window=all&lang=en").get_data(as_text=True)
    assert client.get("/brands/acme?window=2017-13").status_code == 400
    body = client.get("/api/v1/brands/acme?window=2017-11").get_json()
    assert (body["score"]["window"], body["score"]["period"]) == ("month", "2017-11")
    assert body["score"]["cases_n"] == 60 and body["score"]["carescore"] == 71.5
    every = client.get("/api/v1/brands/acme?window=all&as_of=2017-12-31").get_json()
    assert every["score"]["carescore"] == 64.25
    assert client.get("/api/v1/brands/acme?as_of=2017-12-01").get_json()["score"] is None
    bad = client.get("/api/v1/brands/acme?as_of=2017-02-30")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"


def test_sector_rankings_take_the_same_period_parameters(db_url, client):
    _history(db_url)
    assert "64.2" in client.get("/rankings/telecom?window=all&lang=en").get_data(as_text=True)
    month = client.get("/rankings/telecom?window=2017-11")
    assert month.status_code == 302 and month.headers["Location"].startswith(
        "/rankings/telecom/2017-11"
    )
    assert client.get("/rankings/telecom?as_of=2017-99-01").status_code == 400


def _final_1_0_month(db_url: str, slugs: list[str], **figures: float) -> None:
    """Telecom brands with a final January 2026 snapshot computed under methodology 1.0."""
    with Session(engine_for(db_url)) as session:
        for slug in slugs:
            brand = Brand(slug=slug, name=slug.title(), sector="telecom", country="FR")
            session.add(brand)
            session.flush()
            session.add(
                BrandScore(
                    brand_id=brand.id,
                    window="month",
                    period="2026-01",
                    methodology_version="1.0",
                    computed_at=datetime(2026, 2, 8, tzinfo=UTC),
                    is_final=True,
                    **figures,
                )
            )
        session.commit()


def test_a_final_1_0_month_says_its_secondary_intervals_were_not_computed(db_url, client):
    """A 1.0 snapshot has no intervals for the figures that gained them under 2.0: the
    brand page says why instead of a bare dash, and the API gives null."""
    _final_1_0_month(
        db_url,
        ["acme"],
        within_30m=0.25,
        recovery_rate=0.5,
        median_business_s=900.0,
        median_offhours_s=1800.0,
    )
    page = client.get("/brands/acme?window=2026-01&lang=en").get_data(as_text=True)
    for label in (
        "Answered within 30 minutes",
        "Median first reply, business hours",
        "Median first reply, other hours",
        "Recovery rate (customer happy after the reply)",
        "Equal treatment (small accounts vs. large)",
    ):
        row = page[page.index(label) :].split("</tr>", 1)[0]
        assert "not computed under methodology 1.0" in row, label
    score = client.get("/api/v1/brands/acme?window=2026-01").get_json()["score"]
    assert score["within_30m"] == 0.25 and score["within_30m_low"] is None
    assert score["small_answered_n"] is None and score["recovery_rate_high"] is None


def test_a_1_0_month_on_the_compare_page_says_its_intervals_were_not_computed(db_url, client):
    """Within 1 hour and recovery gained their intervals under 2.0: on a 1.0 month the
    compare page says so under each brand's figure rather than leaving it bare."""
    _final_1_0_month(db_url, ["acme", "globex"], within_1h=0.5, recovery_rate=0.25)
    for lang, label, why in (
        (
            "en",
            "Recovery rate (customer happy after the reply)",
            "not computed under methodology 1.0",
        ),
        (
            "fr",
            "Taux de rattrapage (client satisfait après la réponse)",
            "non calculé par la méthodologie 1.0",
        ),
    ):
        page = client.get(f"/compare?brands=acme,globex&window=2026-01&lang={lang}")
        row = page.get_data(as_text=True).split(label, 1)[1].split("</tr>", 1)[0]
        assert row.count(why) == 2, lang
        assert '<span class="ci">' not in row, lang
