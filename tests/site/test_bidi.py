"""Bidirectional overrides and zero-width characters in user text stay inside their element."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

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
