"""A brand page shows each post as its author wrote it: the author's public handle, the
post's time and a link to the original on its platform; a post the scorer does not read is
"not judged", never a complaint; a forgotten post or author is gone from every answer."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlmodel import Session

from carescore.cli import main
from carescore.ranking.snapshots import rank_brands
from carescore.store.db import make_engine
from carescore.store.forget import forget
from carescore.store.models import Brand, BrandScore, Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.conftest import shared_data
from tests.factories import load_acme
from website.config import settings

AS_OF = date(2026, 6, 30)
WHEN = datetime(2026, 6, 20, 10, 15, tzinfo=UTC)
X_URL = "https://x.com/cust_one/status/1790000000000000101"
REDDIT_URL = "https://www.reddit.com/r/examplesub/comments/1abc/acme_internet_down/"
SPANISH = "@AcmeHelp mi internet no funciona desde hace tres días y nadie me responde"
POSTS = [
    NewPost(
        "x",
        "1790000000000000101",
        "2200000101",
        WHEN,
        "@AcmeHelp my internet is down again and nobody answers #fail",
        brand_slug="acme",
        author_handle="cust_one",
        url=X_URL,
    ),
    NewPost(
        "reddit",
        "t3_1abc",
        "t2_9xyz",
        WHEN.replace(minute=20),
        "Acme internet down for the third day, support never answered, terrible",
        brand_slug="acme",
        author_handle="redditor_two",
        url=REDDIT_URL,
    ),
    NewPost(
        "twcs",
        "555",
        "115712",
        WHEN.replace(minute=25),
        "@AcmeHelp my bill is wrong again and nobody answers, awful",
        brand_slug="acme",
    ),
    NewPost(
        "x",
        "1790000000000000104",
        "2200000104",
        WHEN.replace(minute=30),
        SPANISH,
        brand_slug="acme",
        author_handle="cliente",
        url="https://x.com/cliente/status/1790000000000000104",
    ),
]


def _seed(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        load_acme(session)
        store_posts(session, POSTS)
        rank_brands(session, "90d", AS_OF)
        session.commit()
    engine.dispose()


def _labels(session) -> dict[str, str | None]:
    return dict(session.execute(select(Post.external_id, Post.label)).all())


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    end = page.find("</section>", start)
    return page[start:end]


@pytest.fixture
def shown(app, client):
    _seed(settings(app).database_url)
    return client


def test_each_post_links_to_its_original_with_handle_and_time(shown, session):
    labels = _labels(session)
    assert [labels[p.external_id] for p in POSTS[:3]] == ["fail", "fail", "fail"]
    page = shown.get("/brands/acme?lang=en").get_data(as_text=True)
    fails = _section(page, "fails")
    assert f'<a href="{X_URL}" rel="nofollow ugc noopener">original post</a>' in fails
    assert f'<a href="{REDDIT_URL}" rel="nofollow ugc noopener">original post</a>' in fails
    assert "<bdi>@cust_one</bdi>" in fails and "<bdi>u/redditor_two</bdi>" in fails
    assert "June 20, 2026, 10:15 UTC" in fails and "June 20, 2026, 10:20 UTC" in fails
    # TWCS: anonymised ids and authors, so no link and no handle is made up.
    twcs = fails[fails.index("my bill is wrong") :].split("</li>")[0]
    assert "<a href" not in twcs and "author not named by the source" in twcs
    french = _section(shown.get("/brands/acme?lang=fr").get_data(as_text=True), "fails")
    assert "20 juin 2026, 10:15 UTC" in french and "auteur non nommé par la source" in french
    assert "message original" in french


def test_a_post_in_another_language_is_not_judged_and_no_opinion(shown, session):
    assert _labels(session)["1790000000000000104"] is None
    page = shown.get("/brands/acme?lang=en").get_data(as_text=True)
    assert "nadie me responde" not in _section(page, "fails")
    assert "nadie me responde" not in _section(page, "praise")
    unjudged = _section(page, "unjudged")
    assert "nadie me responde" in unjudged and "Not judged" in unjudged
    assert "x.com/cliente/status/1790000000000000104" in unjudged
    assert "Non jugé" in _section(
        shown.get("/brands/acme?lang=fr").get_data(as_text=True), "unjudged"
    )
    score = session.execute(
        select(BrandScore).where(BrandScore.window == "90d", BrandScore.period == AS_OF.isoformat())
    ).scalar_one()
    assert (score.inbound_n, score.fail_n, score.praise_n) == (4, 3, 0)
    assert score.opinion_n == 3  # three complaints by three authors; the Spanish post is none
    api = shown.get("/api/v1/posts?brand=acme").get_json()["items"]
    assert {p["external_id"]: p["label"] for p in api}["1790000000000000104"] is None
    fails = shown.get("/api/v1/posts?brand=acme&label=fail").get_json()["items"]
    assert "1790000000000000104" not in {p["external_id"] for p in fails}


def test_forgotten_posts_and_authors_leave_every_answer_and_cache(db_url):
    """Two workers, each with its own page and answer caches holding the posts for a
    minute: a forget is seen by both at once (the data generation), on the brand page,
    the posts API and its CSV."""
    from carescore.settings import load_settings
    from website import create_app

    _seed(db_url)
    config = load_settings(database_url=db_url, api_cache_seconds=60, page_cache_seconds=60)
    workers = [create_app(config, {"TESTING": True}).test_client() for _ in range(2)]
    urls = ["/brands/acme", "/api/v1/posts?brand=acme", "/api/v1/posts.csv?brand=acme"]
    gone = ("my internet is down again", "cust_one", "redditor_two", "nadie me responde")
    for client in workers:
        for url in urls:
            body = client.get(url).get_data(as_text=True)
            assert [w for w in gone if w in body] == list(gone), url
    engine = make_engine(db_url)
    with Session(engine) as session:
        forget(session, platform="x", post_id="1790000000000000101")
        forget(session, platform="reddit", author_id="t2_9xyz")
        forget(session, platform="x", author_id="2200000104")
        session.commit()
    engine.dispose()
    time.sleep(0.6)  # the interval at which a worker reads the data generation again
    for client in workers:
        for url in urls:
            body = client.get(url).get_data(as_text=True)
            assert not [w for w in gone if w in body], url
            assert "my bill is wrong" in body, url  # the rest stays
    assert not re.search(r"1790000000000000101|t3_1abc", workers[0].get("/api/v1/posts").text)


# An entity shown literally: escaped once more for HTML ("&amp;amp;") or left in JSON.
SHOWN_ENTITY = re.compile(r"&amp;(?:amp|lt|gt|quot|#\d+);")
JSON_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d+);")


def test_no_entity_is_shown_on_any_page_of_imported_twcs(client, session):
    """The shared TWCS threads imported as an operator does: every brand page, in both
    languages, and the posts API show what the authors typed."""
    path = shared_data("twcs/twcs-threads-dev.csv")
    result = CliRunner().invoke(main, ["import", "twcs", str(path), "--create-brands"])
    assert result.exit_code == 0, result.output
    slugs = list(session.execute(select(Brand.slug)).scalars())
    assert len(slugs) > 30
    ampersands = 0
    for slug in slugs:
        for lang in ("en", "fr"):
            page = client.get(f"/brands/{slug}?lang={lang}").get_data(as_text=True)
            assert not SHOWN_ENTITY.search(page), (slug, SHOWN_ENTITY.search(page))
            ampersands += page.count(" &amp; ")
        for post in client.get(f"/api/v1/posts?brand={slug}&limit=100").get_json()["items"]:
            assert not JSON_ENTITY.search(post["text"]), post["text"]
    assert ampersands > 0  # the authors' own "&" are there, escaped once for HTML
