"""The badge and the Atom feed say what a reader needs to judge a number on its own:
the brand's place in its sector (which sets the badge's colour), the period, the scores
that changed, and "demo" on the fictional demo data."""

from __future__ import annotations

import feedparser
import pytest
from sqlalchemy import select
from sqlmodel import Session

from carescore.read.badge import BadgeFigures, badge_figures
from carescore.store.models import Brand, BrandScore
from tests.site.snapshots import parse_xml
from tests.site.test_overview import COMPUTED, _brands, _snapshot
from website.charts import STANDING_COLOURS, standing_colour

SVG = "{http://www.w3.org/2000/svg}"


def _live(
    session,
    slug: str,
    carescore: float | None,
    rank: int | None,
    window: str = "90d",
    period: str = "2026-12-01",
) -> None:
    brand_id = session.execute(select(Brand.id).where(Brand.slug == slug)).scalar_one()
    session.add(
        BrandScore(
            brand_id=brand_id,
            window=window,
            period=period,
            methodology_version="2.0",
            computed_at=COMPUTED,
            carescore=carescore,
            ranked=carescore is not None,
            rank_sector=rank,
        )
    )


@pytest.mark.parametrize(
    ("rank", "n", "standing"),
    [
        (1, 1, None),
        (1, 2, "top"),
        (2, 2, "middle"),
        (2, 3, "middle"),
        (3, 3, "bottom"),
        (2, 5, "middle"),
        (5, 5, "bottom"),
        (2, 6, "top"),
        (None, 6, None),
    ],
)
def test_the_colour_follows_the_place_in_the_sector(rank, n, standing):
    figures = BadgeFigures("a", "A", "telecom", "90d", "2026-12-01", 60.0, rank, n, False)
    assert figures.standing == standing


def test_badge_names_the_place_the_period_and_colours_by_place(engine, client):
    with Session(engine) as session:
        _brands(session)  # alpha, beta, gamma, delta: not demo brands
        for slug, score, rank in [("alpha", 81.0, 1), ("beta", 80.5, 2), ("gamma", 40.0, 3)]:
            _live(session, slug, score, rank)
        _live(session, "delta", None, None)
        session.commit()
        assert badge_figures(session, "beta").ranked_in_sector == 3

    def badge(slug: str, lang: str = "en"):
        response = client.get(f"/badge/{slug}.svg?lang={lang}")
        assert response.mimetype == "image/svg+xml"
        root = parse_xml(response.get_data())
        value_rect = root.findall(f"{SVG}rect")[1]
        return root, value_rect.get("fill"), [t.text for t in root.iter(f"{SVG}text")]

    root, colour, texts = badge("beta")
    # 80.5 is second of three: not red, whatever a fixed scale would say about 80.5.
    assert colour == STANDING_COLOURS["middle"]
    assert texts == ["Carescore", "80.5/100 · #2 of 3 · 90 days to Dec 1, 2026"]
    assert root.find(f"{SVG}title").text == (
        "Carescore of Beta: 80.5/100, rank 2 of 3 ranked in Telecoms, 90 days to Dec 1, 2026"
    )
    assert badge("alpha")[1] == STANDING_COLOURS["top"]
    assert badge("gamma")[1] == STANDING_COLOURS["bottom"]
    _root, colour, texts = badge("delta")
    assert colour == standing_colour(None) and "not enough data" in texts[1]
    _root, _colour, french = badge("beta", "fr")
    assert french[1] == "80,5/100 · 2/3 du secteur · 90 jours au 1 déc. 2026"


def test_a_badge_for_a_named_month_shows_that_month_and_its_place(engine, client):
    with Session(engine) as session:
        _brands(session)
        _live(session, "alpha", 70.0, 2, window="month", period="2026-10")
        _live(session, "beta", 75.0, 1, window="month", period="2026-10")
        _live(session, "alpha", 90.0, 1, window="month", period="2026-11")
        session.commit()
        october = badge_figures(session, "alpha", "2026-10")
        november = badge_figures(session, "alpha", "2026-11")
    assert (october.period, october.carescore, october.rank) == ("2026-10", 70.0, 2)
    assert october.ranked_in_sector == 2
    assert (november.period, november.carescore, november.ranked_in_sector) == ("2026-11", 90.0, 1)
    texts = [
        t.text
        for t in parse_xml(client.get("/badge/alpha.svg?window=2026-10&lang=en").get_data()).iter(
            f"{SVG}text"
        )
    ]
    assert texts[1] == "70.0/100 · #2 of 2 · Oct 2026"


def test_the_badge_and_the_feeds_say_demo_on_demo_data(site_client):
    root = parse_xml(site_client.get("/badge/nimbus-telecom.svg?lang=en").get_data())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Carescore · demo"
    assert root.find(f"{SVG}title").text.endswith("(fictional demo data)")
    feed = feedparser.parse(site_client.get("/feed.atom?lang=en").get_data())
    assert feed.feed.title == "Carescore ranking changes (demo data)"
    assert feed.entries and all(e.title.startswith("[demo] ") for e in feed.entries)
    assert all(e.summary.startswith("Demo data.") for e in feed.entries)
    incidents = feedparser.parse(site_client.get("/incidents.atom?lang=en").get_data())
    assert incidents.feed.title.endswith("(demo data)")


def test_the_feed_carries_the_scores_that_changed(engine, client):
    with Session(engine) as session:
        _brands(session)
        for slug, (april, may) in {
            "alpha": ((60.0, 1), (50.0, 2)),
            "beta": ((55.0, 2), (70.0, 1)),
            "gamma": ((None, None), (65.0, 3)),
        }.items():
            _snapshot(session, slug, "2026-04", *april)
            _snapshot(session, slug, "2026-05", *may)
        session.commit()
    feed = feedparser.parse(client.get("/feed.atom?lang=en").get_data())
    assert not feed.bozo and "demo" not in feed.feed.title
    may = next(e for e in feed.entries if "/rankings/telecom/2026-05" in e.link)
    assert may.title == "Telecoms ranking, May 2026"
    summary = may.summary.replace("\u2068", "").replace("\u2069", "")  # name isolates
    assert summary.startswith(
        "Carescore and rank, change from April 2026: "
        "1. Beta 70.0 (+15.0, was 2); 2. Alpha 50.0 (-10.0, was 1); 3. Gamma 65.0 (new)"
    )
