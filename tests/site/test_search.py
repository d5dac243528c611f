"""Search finds a brand however its name is typed (case, accents, punctuation) and shows
each result's score, on SQLite and PostgreSQL through the same code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from carescore.read.directory import brand_directory
from carescore.read.search import find_brands
from carescore.store.brands import parse_registry, upsert_brands
from carescore.store.folding import fold
from carescore.store.models import Brand, BrandScore

REGISTRY = """
[[brand]]
slug = "orange-telecom"
name = "Orange Télécom"
sector = "telecom"
country = "FR"

[[brand]]
slug = "nimbus-telecom"
name = "Nimbus Telecom"
sector = "telecom"
country = "FR"

[[brand]]
slug = "societe-generale"
name = "Société Générale"
sector = "bank"
country = "FR"

[[brand]]
slug = "t-mobile"
name = "T-Mobile"
sector = "telecom"
country = "US"

[[brand]]
slug = "oeuvre"
name = "ŒUVRE & Cie"
sector = "retail"
country = "FR"
"""
NOW = datetime(2026, 6, 30, 23, tzinfo=UTC)


@pytest.fixture
def brands(session):
    upsert_brands(session, parse_registry(REGISTRY))
    ids = dict(session.execute(select(Brand.slug, Brand.id)).all())
    for slug, carescore, ranked, rank in (
        ("orange-telecom", 71.25, True, 1),
        ("nimbus-telecom", 40.0, False, None),
    ):
        session.add(
            BrandScore(
                brand_id=ids[slug],
                window="90d",
                period="2026-06-30",
                methodology_version="2.0",
                computed_at=NOW,
                carescore=carescore,
                ranked=ranked,
                rank_sector=rank,
            )
        )
    # An older live score must not be the one shown.
    session.add(
        BrandScore(
            brand_id=ids["orange-telecom"],
            window="90d",
            period="2026-05-31",
            methodology_version="2.0",
            computed_at=NOW,
            carescore=12.0,
            ranked=True,
            rank_sector=2,
        )
    )
    session.commit()
    return session


def _slugs(session, query: str) -> list[str]:
    return [r.brand.slug for r in find_brands(session, query)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("telecom", ["nimbus-telecom", "orange-telecom"]),
        ("Télécom", ["nimbus-telecom", "orange-telecom"]),
        ("TÉLÉCOM", ["nimbus-telecom", "orange-telecom"]),
        ("télé", ["nimbus-telecom", "orange-telecom"]),
        ("societe generale", ["societe-generale"]),
        ("SOCIÉTÉ", ["societe-generale"]),
        ("generale", ["societe-generale"]),
        ("t mobile", ["t-mobile"]),
        ("T-MOBILE", ["t-mobile"]),
        ("oeuvre", ["oeuvre"]),
        ("œuvre & cie", ["oeuvre"]),
        ("telecom nimbus", []),  # never across the name and the slug
        ("%", []),
        ("_", []),
        ("zzz", []),
    ],
)
def test_search_ignores_case_accents_and_punctuation(brands, query, found):
    assert sorted(_slugs(brands, query)) == found


def test_the_api_filter_folds_alike(brands):
    page = brand_directory(brands, text="TELECOM")
    assert [i.brand.slug for i in page.items] == ["nimbus-telecom", "orange-telecom"]
    assert [i.brand.slug for i in brand_directory(brands, text="générale").items] == [
        "societe-generale"
    ]


def test_renamed_brands_are_found_by_their_new_name(brands):
    brand = brands.execute(select(Brand).where(Brand.slug == "nimbus-telecom")).scalar_one()
    brand.name = "Nimbus Réseaux"
    brands.commit()
    assert _slugs(brands, "reseaux") == ["nimbus-telecom"]
    assert brand.search_key == f"{fold('Nimbus Réseaux')}|nimbus telecom"


def test_each_result_shows_its_live_score(brands):
    found = {r.brand.slug: r for r in find_brands(brands, "telecom")}
    orange, nimbus = found["orange-telecom"], found["nimbus-telecom"]
    assert (orange.carescore, orange.rank_sector, orange.period) == (71.25, 1, "2026-06-30")
    assert (nimbus.carescore, nimbus.rank_sector) == (None, None)  # not ranked: no figure
    assert found.keys() == {"orange-telecom", "nimbus-telecom"}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Carescore, 90 days to June 30, 2026", "not enough data", "Rank in its sector")),
        ("fr", ("90 jours", "données insuffisantes", "Rang dans son secteur")),
    ],
)
def test_the_page_lists_scores_in_both_languages(brands, client, lang, words):
    page = client.get("/search", query_string={"q": "TELECOM", "lang": lang}).get_data(as_text=True)
    assert "/brands/orange-telecom" in page and "/brands/nimbus-telecom" in page
    assert "Orange Télécom" in page
    assert ("71.2" if lang == "en" else "71,2") in page
    for word in words:
        assert word in page
