"""Bidirectional overrides and zero-width characters in user text stay inside their element."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from carescore.ranking.snapshots import rank_brands
from carescore.store.brands import BrandSpec, upsert_brands
from carescore.store.db import engine_for
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.site.test_security import AS_OF
from website.config import settings

RLO, ZWJ = "\u202e", "\u200d"
HANDLE = f"{RLO}reversed_handle"
NAME = f"Mirror {RLO}oC"


def _site(url: str) -> None:
    spec = BrandSpec(
        slug="mirror",
        name=NAME,
        sector="telecom",
        country="FR",
        timezone="Europe/Paris",
        keywords=["mirror"],
        accounts={"x": ["MirrorHelp"]},
    )
    when = datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC) - timedelta(days=5)
    posts = [
        NewPost(
            "x",
            "b1",
            "a1",
            when,
            f"@MirrorHelp {RLO}lin{ZWJ}k broken #fail",
            author_handle=HANDLE,
            brand_slug="mirror",
        ),
    ]
    with Session(engine_for(url)) as session:
        upsert_brands(session, [spec])
        session.commit()
        store_posts(session, posts)
        rank_brands(session, "90d", AS_OF)
        session.commit()


def _enclosing_ok(page: str, raw: str) -> bool:
    """Every occurrence of `raw` sits directly in a <bdi> or an element with dir="auto"."""
    for match in re.finditer(re.escape(raw), page):
        before = page[: match.start()]
        opening = before[before.rfind("<") :]
        if not (opening.startswith("<bdi") or 'dir="auto"' in opening):
            return False
    return True


def test_user_text_is_isolated_from_the_page_around_it(app, client):
    _site(settings(app).database_url)
    for url in (
        "/brands/mirror",
        "/",
        "/rankings/telecom",
        "/search?q=mirror",
        "/compare?brands=mirror",
    ):
        page = client.get(url).get_data(as_text=True)
        assert RLO in page, url  # shown as written, not silently dropped
        assert _enclosing_ok(page, HANDLE), url
        assert _enclosing_ok(page, f"@MirrorHelp {RLO}"), url
        # Brand names are isolated where they stand in running text: headings and lists.
        assert f"<bdi>{NAME}</bdi>" in page, url


FSI, PDI = "\u2068", "\u2069"


def _not_isolated(page: str, name: str) -> list[str]:
    """The places where `name` stands neither in <bdi> nor between FSI and PDI."""
    loose = []
    for match in re.finditer(re.escape(name), page):
        start, end = match.span()
        if page.endswith("<bdi>", 0, start) and page.startswith("</bdi>", end):
            continue
        if page[start - 1 : start] == FSI and page[end : end + 1] == PDI:
            continue
        loose.append(page[max(0, start - 80) : end + 10])
    return loose


def test_a_brand_name_is_isolated_in_captions_titles_charts_and_feeds(app, client, site):
    """Every place a brand's name is shown: pages, <title>, chart titles, citation, feeds."""
    from carescore.reply.keys import issue_key
    from carescore.reply.statements import post_statement
    from carescore.store.models import Brand
    from carescore.store.reply_tables import BrandKey

    with Session(engine_for(settings(app).database_url)) as session:
        brand = session.exec(select(Brand).where(Brand.slug == "nimbus-telecom")).one()
        brand.name = NAME
        issued = issue_key(session, "nimbus-telecom", operator="test")
        key = session.get(BrandKey, issued.id)
        post_statement(session, key, "nimbus-telecom", {"text": "Back online"}, address="::1")
        session.commit()
    pages = [
        "/brands/nimbus-telecom?lang=en",
        "/brands/nimbus-telecom?lang=fr",
        "/embed/brands/nimbus-telecom",
        "/compare?brands=nimbus-telecom,skylark-air",
        "/rankings/telecom",
        "/",
        "/search?q=nimbus",
        "/feed.atom",
        "/incidents.atom",
    ]
    shown = 0
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert not _not_isolated(page, NAME), (url, _not_isolated(page, NAME))
        shown += page.count(NAME)
    brand_page = client.get("/brands/nimbus-telecom?lang=en").get_data(as_text=True)
    assert f"<title>{FSI}{NAME}{PDI} – Carescore</title>" in brand_page
    assert f"<bdi>{NAME}</bdi>'s statements" in brand_page
    assert f"Complaint topics, {FSI}{NAME}{PDI}" in brand_page  # an SVG chart's title
    assert f"Carescore, “{FSI}{NAME}{PDI}:" in brand_page  # the citation to copy
    assert shown > 30
