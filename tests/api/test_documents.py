"""The brand and rankings answers are written from plain rows without building their
pydantic shapes: they must be the very bytes the shapes write, from the very values the
ORM reads, on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from carescore import METHODOLOGY_VERSION
from carescore.errors import NotFound
from carescore.read.brands import brand_report, brand_timeline
from carescore.read.directory import brand_directory
from carescore.read.posts import find_posts
from carescore.read.rankings import ranking
from carescore.read.sectors import has_demo_data
from carescore.read.serialize import to_json
from carescore.store.db import engine_for
from carescore.store.models import Brand, BrandScore, Post
from website.api.build import (
    METRIC_COLUMNS,
    RANKING_ROW_COLUMNS,
    brand_document,
    brand_public,
    directory_document,
    history_document,
    metrics_public,
    post_list_document,
    post_public,
    ranking_document,
    ranking_rows_public,
)
from website.api.schemas import (
    BrandDetailPublic,
    BrandListPublic,
    HistoryPublic,
    PostListPublic,
    RankingPublic,
)
from website.config import settings

PERIODS = [{}, {"as_of": "2026-06-30"}, {"window": "2026-04"}, {"window": "2026-05"}]
RANKINGS = [
    {},
    {"sector": "telecom"},
    {"window": "month", "period": "2026-04"},
    {"period": "2026-06-30", "sort": "median_reply"},
]


def _awkward_figures(app) -> None:
    """Figures the writers could get wrong: a tiny float (written 0.00001 by pydantic,
    1e-05 by json.dumps), a figure that is not a number, counts absent from 1.0 snapshots."""
    with Session(engine_for(settings(app).database_url)) as session:
        session.execute(
            update(BrandScore)
            .where(BrandScore.window == "90d")
            .values(reply_rate_low=1e-05, within_1h_high=2.5e-7, cases_n=None, recovered_n=None)
        )
        if session.get_bind().dialect.name == "postgresql":  # SQLite stores NaN as null
            session.execute(
                update(BrandScore).where(BrandScore.period == "2026-05").values(carescore=math.nan)
            )
        session.commit()


@pytest.fixture
def awkward_app(app, demo_client):
    _awkward_figures(app)
    return app


def test_the_brand_answer_is_what_the_orm_and_the_shape_give(awkward_app):
    scored = 0
    with Session(engine_for(settings(awkward_app).database_url)) as session:
        for slug in ("nimbus-telecom", "ondeline"):
            for period in PERIODS:
                plain = brand_report(
                    session, slug, history=False, recent=0, columns=METRIC_COLUMNS, **period
                )
                whole = brand_report(session, slug, history=False, recent=0, **period)
                assert whole.accounts
                scored += whole.score is not None
                score = metrics_public(whole.score) if whole.score else None
                shaped = BrandDetailPublic(
                    demo=whole.demo,
                    methodology_version=score.methodology_version if score else METHODOLOGY_VERSION,
                    brand=brand_public(whole.brand, whole.accounts),
                    score=score,
                )
                written = to_json(brand_document(plain))
                assert written == shaped.model_dump_json(), (slug, period)
                assert BrandDetailPublic.model_validate_json(written).model_dump_json() == written
    assert scored >= 4


def test_the_rankings_answer_is_what_the_orm_and_the_shape_give(awkward_app):
    with Session(engine_for(settings(awkward_app).database_url)) as session:
        for asked in RANKINGS:
            plain = ranking(session, columns=RANKING_ROW_COLUMNS, **asked)
            whole = ranking(session, **asked)
            assert plain.ranked or plain.not_enough_data
            written = to_json(ranking_document(plain))
            shaped = RankingPublic(
                demo=whole.demo,
                methodology_version=whole.methodology_version,
                sector=whole.sector,
                window=whole.window,
                period=whole.period,
                is_final=whole.is_final,
                sort=whole.sort,
                computed_at=whole.computed_at,
                count=len(whole.ranked) + len(whole.not_enough_data),
                items=ranking_rows_public(whole),
            )
            assert written == shaped.model_dump_json(), asked
            assert RankingPublic.model_validate_json(written).model_dump_json() == written


def test_the_history_answer_is_what_the_orm_and_the_shape_give(awkward_app):
    client = awkward_app.test_client()
    with Session(engine_for(settings(awkward_app).database_url)) as session:
        session.add(Brand(slug="bare", name="Bare", sector="telecom", country="FR"))
        session.commit()
        for slug, months in (("nimbus-telecom", 2), ("ondeline", 2), ("bare", 0)):
            plain = brand_timeline(session, slug, columns=METRIC_COLUMNS)
            whole = brand_timeline(session, slug)
            assert len(plain.snapshots) == len(whole.snapshots) >= months
            items = [metrics_public(snapshot) for snapshot in whole.snapshots]
            shaped = HistoryPublic(
                demo=has_demo_data(session),
                methodology_version=items[-1].methodology_version if items else METHODOLOGY_VERSION,
                brand=slug,
                count=len(items),
                items=items,
            )
            written = to_json(history_document(plain))
            assert written == shaped.model_dump_json(), slug
            served = client.get(f"/api/v1/brands/{slug}/history").get_data(as_text=True)
            assert served == written, slug
        with pytest.raises(NotFound):
            brand_timeline(session, "nobody", columns=METRIC_COLUMNS)
    assert client.get("/api/v1/brands/nobody/history").status_code == 404


def test_the_brand_list_is_what_the_shape_gives(awkward_app):
    client = awkward_app.test_client()
    with Session(engine_for(settings(awkward_app).database_url)) as session:
        demo = has_demo_data(session)
        for asked in ({}, {"sector": "telecom", "limit": 2}, {"text": "nimbus"}, {"text": "zzz"}):
            page = brand_directory(session, **asked)
            shaped = BrandListPublic(
                demo=demo,
                methodology_version=METHODOLOGY_VERSION,
                count=len(page.items),
                next_cursor=page.next_cursor,
                items=[brand_public(item.brand, item.accounts) for item in page.items],
            )
            written = to_json(directory_document(page))
            assert written == shaped.model_dump_json(), asked
            query = {"q" if k == "text" else k: v for k, v in asked.items()}
            served = client.get("/api/v1/brands", query_string=query).get_data(as_text=True)
            assert served == written, asked
    assert '"next_cursor":null' in to_json(directory_document(page))


def test_the_api_serves_those_documents(awkward_app):
    client = awkward_app.test_client()
    for url, shape in (
        ("/api/v1/brands/nimbus-telecom", BrandDetailPublic),
        ("/api/v1/brands/nimbus-telecom?window=2026-05", BrandDetailPublic),
        ("/api/v1/rankings", RankingPublic),
        ("/api/v1/rankings?window=month&month=2026-05", RankingPublic),
    ):
        body = client.get(url).get_data(as_text=True)
        assert shape.model_validate_json(body).model_dump_json() == body, url
    assert '"reply_rate_low":0.00001' in client.get("/api/v1/brands/nimbus-telecom").get_data(
        as_text=True
    )


def test_a_brand_without_figures_or_accounts(awkward_app):
    with Session(engine_for(settings(awkward_app).database_url)) as session:
        session.add(Brand(slug="bare", name='Bare "Ñ" 🚀', sector="telecom", country="FR"))
        session.commit()
        plain = brand_report(session, "bare", history=False, recent=0, columns=METRIC_COLUMNS)
        assert plain.score is None and plain.accounts == [] and plain.demo is True
        with pytest.raises(NotFound):
            brand_report(session, "nobody", history=False, recent=0, columns=METRIC_COLUMNS)
    shaped = BrandDetailPublic(
        demo=True,
        methodology_version=METHODOLOGY_VERSION,
        brand=brand_public(plain.brand, []),
        score=None,
    )
    body = awkward_app.test_client().get("/api/v1/brands/bare").get_data(as_text=True)
    assert body == to_json(brand_document(plain)) == shaped.model_dump_json()


POST_FILTERS = [
    {},
    {"brand": "nimbus-telecom", "limit": 3},
    {"label": "fail", "topic": "billing"},
    {"brand": "ondeline", "label": "praise"},
    {"brand": "nobody-here-either"},
]


def test_the_post_list_is_what_the_shape_gives(awkward_app):
    """Every kind of post the list shows: French and English, unjudged (no label, no
    cues), a reviewer's label (no cues), a sentiment that is not a number, text a writer
    could mangle; and a page with a next cursor, which the served answer follows."""
    client = awkward_app.test_client()
    with Session(engine_for(settings(awkward_app).database_url)) as session:
        newest = session.exec(
            select(Post).where(Post.direction == "inbound").order_by(Post.created_at.desc())
        ).all()[:3]
        newest[0].label_source, newest[0].label = "human", "praise"
        newest[1].text = 'Quote " backslash \\ <b>tag</b> 🚀 \u2028 end'
        newest[2].label, newest[2].sentiment = None, None
        session.commit()
        demo = has_demo_data(session)
        kinds = set()
        for asked in POST_FILTERS[:-1]:
            page = find_posts(session, **asked)
            assert page.items, asked
            kinds |= {(p.lang, p.label, p.label_source, bool(p.cues)) for p in page.items}
            shaped = PostListPublic(
                demo=demo,
                methodology_version=METHODOLOGY_VERSION,
                count=len(page.items),
                next_cursor=page.next_cursor,
                items=[post_public(p) for p in page.items],
            )
            written = to_json(post_list_document(page, demo))
            assert written == shaped.model_dump_json(), asked
            served = client.get("/api/v1/posts", query_string=asked).get_data(as_text=True)
            assert served == written, asked
        assert {lang for lang, *_ in kinds} >= {"en", "fr"}
        assert ("en", None, "scorer", False) in kinds or ("fr", None, "scorer", False) in kinds
        assert any(source == "human" and not cues for _, _, source, cues in kinds)
        first = client.get("/api/v1/posts", query_string={"limit": 3}).get_json()
        after = client.get("/api/v1/posts", query_string={"cursor": first["next_cursor"]})
        assert after.status_code == 200 and after.get_json()["items"]
    assert client.get("/api/v1/posts", query_string=POST_FILTERS[-1]).status_code == 404
