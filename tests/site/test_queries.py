"""Each page runs a fixed number of SQL statements, whatever the number of brands or posts."""

from __future__ import annotations

from sqlmodel import Session

from carescore.demo import build_demo
from carescore.incidents import refresh_incidents
from carescore.ranking.snapshots import rank_brands
from carescore.store.brands import BrandSpec, upsert_brands
from carescore.store.db import engine_for
from tests.site.conftest import AS_OF, build_site
from website.config import settings

# page -> statements: the demo flag (unless the view read it: the home page's sectors list
# every brand, a ranking's statement reads the flag), then the view's own reads (see each
# domain function).
EXPECTED = {
    "/": 6,
    "/rankings/telecom": 4,
    "/rankings/telecom/{month}": 2,
    # the brand, its score, the period, the demo flag, the dispute figures and incident
    # detection's state in one; then the accounts, the history, the recent posts, the
    # statements, the corrections, the incidents and their timeline's hours
    # (carescore.read.brand_page)
    "/brands/nimbus-telecom": 8,
    "/compare?brands=nimbus-telecom,ondeline,cirrus-mobile": 4,
    "/badge/nimbus-telecom.svg": 1,
    "/embed/brands/nimbus-telecom": 3,
    "/feed.atom": 3,
    "/search?q=a": 2,
    "/methodology": 1,
}


def _counts(app, client, count_queries, month: str) -> dict[str, int]:
    counts = {}
    for page in EXPECTED:
        url = page.format(month=month)
        with count_queries(app) as seen:
            assert client.get(url).status_code == 200, url
        counts[page] = seen[0]
    return counts


def test_query_counts_are_fixed_and_do_not_grow_with_the_data(app, client, count_queries):
    url = settings(app).database_url
    with Session(engine_for(url)) as session:
        months = build_site(session, n_posts=2000, months=2)
    small = _counts(app, client, count_queries, months[-1])
    assert small == EXPECTED
    with Session(engine_for(url)) as session:
        extra = [
            BrandSpec(f"extra-{i}", f"Extra {i}", "telecom", "FR", "Europe/Paris", [f"extra{i}"])
            for i in range(12)
        ]
        upsert_brands(session, extra)
        session.commit()
        build_demo(session, AS_OF, n_posts=6000, seed=7)
        rank_brands(session, "90d", AS_OF)
        refresh_incidents(session)
        session.commit()
    assert _counts(app, client, count_queries, months[-1]) == EXPECTED
