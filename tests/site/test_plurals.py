"""Counts read right in both languages: every count goes through the catalogue's plural
forms ("1 opinion", "1 autre marque"), never a sentence written for the plural only."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from sqlalchemy import select
from sqlmodel import Session

from carescore.store.models import Brand, BrandScore
from tests.site.test_overview import COMPUTED, _brands

ROOT = Path(__file__).resolve().parents[2]
# A placeholder followed by a counted noun, in a message that has no plural form.
COUNTED = re.compile(
    r"%\((?!topic\b)\w+\)s (more )?(small |large |customer |answered )?"
    r"(opinion|complaint|repl|post|brand|account|dispute|question|case|praise)",
)


def test_no_message_counts_without_plural_forms():
    method_map = [
        ("website/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.xml", "jinja2"),
    ]
    keywords = {"_": None, "gettext": None, "_l": None, "ngettext": (1, 2)}
    singular_only = [
        message
        for _f, _l, message, _c, _ctx in extract_from_dir(str(ROOT), method_map, keywords=keywords)
        if isinstance(message, str) and COUNTED.search(message)
    ]
    assert singular_only == []


def _score(session, slug: str, **figures) -> None:
    brand_id = session.execute(select(Brand.id).where(Brand.slug == slug)).scalar_one()
    session.add(
        BrandScore(
            brand_id=brand_id,
            window="90d",
            period="2026-12-01",
            methodology_version="2.0",
            computed_at=COMPUTED,
            **figures,
        )
    )


def test_one_of_a_kind_reads_singular_in_both_languages(engine, client):
    with Session(engine) as session:
        _brands(session)
        for rank, slug in enumerate(("alpha", "beta", "gamma"), start=1):
            _score(session, slug, carescore=70.0 - rank, ranked=True, rank_sector=rank)
        _score(
            session,
            "delta",
            ranked=False,
            opinion_n=1,
            actionable_n=1,
            answered_n=1,
            inbound_n=1,
            praise_n=1,
            fail_n=0,
            opinion_praise_n=1,
            cases_n=1,
        )
        session.commit()
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Not enough data to rank 1 more brand." in home
    assert "Full ranking (4 brands)" in home
    french = client.get("/?lang=fr").get_data(as_text=True)
    assert "Données insuffisantes pour classer 1 autre marque." in french
    brand = client.get("/brands/delta?lang=en").get_data(as_text=True)
    for words in ("1 opinion<", "1 reply<", "1 post in all", "1 customer post<", "1 case<"):
        assert words in brand, words
    assert "1 opinions" not in brand and "1 replies" not in brand
    ranking = client.get("/rankings/telecom?lang=en").get_data(as_text=True)
    assert "1 opinion, 1 complaint or question" in ranking
    french_ranking = client.get("/rankings/telecom?lang=fr").get_data(as_text=True)
    assert "1 avis, 1 plainte ou question" in french_ranking
