"""Movers and the change feed, over monthly snapshot rows as the ranking engine stores them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from carescore.read.overview import movers, overview, ranking_changes
from carescore.store.brands import BrandSpec, upsert_brands
from carescore.store.models import Brand, BrandScore

COMPUTED = datetime(2026, 6, 1, tzinfo=UTC)


def _snapshot(
    session, slug: str, period: str, carescore: float | None, rank: int | None, final=True
):
    brand_id = session.execute(select(Brand.id).where(Brand.slug == slug)).scalar_one()
    session.add(
        BrandScore(
            brand_id=brand_id,
            window="month",
            period=period,
            methodology_version="1.0",
            computed_at=COMPUTED,
            is_final=final,
            carescore=carescore,
            ranked=carescore is not None,
            rank_sector=rank,
        )
    )


def _brands(session):
    upsert_brands(
        session,
        [
            BrandSpec(slug, slug.title(), "telecom", "FR", "Europe/Paris")
            for slug in ("alpha", "beta", "gamma", "delta")
        ],
    )
    session.commit()


def test_movers_compare_the_two_newest_final_months_and_skip_unranked(session):
    _brands(session)
    for slug, (april, may) in {
        "alpha": ((60.0, 1), (50.0, 2)),
        "beta": ((55.0, 2), (70.0, 1)),
        "gamma": ((None, None), (65.0, 3)),
        "delta": ((40.0, 3), (40.0, 4)),
    }.items():
        _snapshot(session, slug, "2026-04", *april)
        _snapshot(session, slug, "2026-05", *may)
    _snapshot(session, "alpha", "2026-03", 10.0, 1)
    _snapshot(session, "alpha", "2026-06", 99.0, 1, final=False)
    _snapshot(session, "beta", "2026-06", 1.0, 2, final=False)
    session.commit()
    found = movers(session)
    assert [(m.brand.slug, m.delta) for m in found] == [("beta", 15.0), ("alpha", -10.0)]
    assert found[0].period == "2026-05" and found[0].previous_period == "2026-04"
    assert overview(session).movers == found

    entries = ranking_changes(session)
    assert "2026-06" not in {e.period for e in entries}
    assert [(e.period, e.sector) for e in entries][:2] == [
        ("2026-05", "telecom"),
        ("2026-04", "telecom"),
    ]
    may = entries[0]
    assert [(c.brand.slug, c.rank, c.previous_rank) for c in may.changes] == [
        ("beta", 1, 2),
        ("alpha", 2, 1),
        ("gamma", 3, None),
        ("delta", 4, 3),
    ]


def test_no_movers_before_two_snapshots(session):
    _brands(session)
    _snapshot(session, "alpha", "2026-05", 50.0, 1)
    session.commit()
    assert movers(session) == []
    assert len(ranking_changes(session)) == 1
