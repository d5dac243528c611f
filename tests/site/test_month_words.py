"""Months read right: which months the movers compare, and when a month becomes final.

On 2 December 2026, September and October are final, November is over but final only on
8 December (its complaints have 7 days to be answered) and December is running. Pages
read the clock through `utcnow`, set here to that day.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import Session

from carescore.demo import build_demo
from carescore.ranking.snapshots import rank_brands
from carescore.read.overview import overview
from carescore.read.trend import trend_points
from carescore.store.models import BrandScore
from tests.site.conftest import AS_OF
from tests.site.snapshots import parse_xml
from tests.site.test_overview import _brands, _snapshot

DAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


def _at(monkeypatch, now: datetime) -> None:
    for name in (
        "carescore.read.overview",
        "carescore.read.rankings",
    ):
        monkeypatch.setattr(sys.modules[name], "utcnow", lambda: now)


@pytest.fixture
def december(engine) -> None:
    with Session(engine) as session:
        build_demo(session, DAY, n_posts=1500)
        for period in ("2026-09", "2026-10", "2026-11", "2026-12"):
            rank_brands(session, period, DAY, now=NOW)
        session.commit()


def test_movers_name_the_two_final_months_and_when_the_next_is_final(engine, client, monkeypatch):
    with Session(engine) as session:
        _brands(session)
        for slug, scores in {"alpha": (60.0, 50.0, 40.0), "beta": (55.0, 70.0, 75.0)}.items():
            for period, score, final in zip(
                ("2026-09", "2026-10", "2026-11"), scores, (True, True, False), strict=True
            ):
                _snapshot(session, slug, period, score, 1, final=final)
        session.commit()
    _at(monkeypatch, NOW)
    with Session(engine) as session:
        view = overview(session)
    assert [(m.brand.slug, m.previous_period, m.period) for m in view.movers] == [
        ("beta", "2026-09", "2026-10"),
        ("alpha", "2026-09", "2026-10"),
    ]
    assert view.pending.period == "2026-11" and view.pending.final_on == date(2026, 12, 8)

    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Biggest movers from September 2026 to October 2026" in page
    assert "since last month" not in page
    assert "November 2026 is final on December 8, 2026" in page
    french = client.get("/?lang=fr").get_data(as_text=True)
    assert "Plus fortes variations de septembre 2026 à octobre 2026" in french
    assert "novembre 2026 sera définitif le 8 décembre 2026" in french

    assert view.compared == ("2026-09", "2026-10")

    _at(monkeypatch, datetime(2026, 11, 20, tzinfo=UTC))
    with Session(engine) as session:
        assert overview(session).pending is None, "November is not over on the 20th"


def test_a_month_over_but_not_final_says_when_it_is_final(december, client, monkeypatch):
    """The demo's brands are few per month, so nobody is ranked: the words still hold."""
    _at(monkeypatch, NOW)
    november = client.get("/rankings/telecom/2026-11?lang=en").get_data(as_text=True)
    assert "This month is over; its figures are final on December 8, 2026" in november
    assert "not over" not in november
    french = client.get("/rankings/telecom/2026-11?lang=fr").get_data(as_text=True)
    assert "définitifs le 8 décembre 2026" in french
    december_page = client.get("/rankings/telecom/2026-12?lang=en").get_data(as_text=True)
    assert "This month is not over" in december_page
    assert "final on January 8, 2027" in december_page
    october = client.get("/rankings/telecom/2026-10?lang=en").get_data(as_text=True)
    assert "its figures never change" in october

    _at(monkeypatch, datetime(2026, 12, 10, tzinfo=UTC))
    late = client.get("/rankings/telecom/2026-11?lang=en").get_data(as_text=True)
    assert "was due to be final on December 8, 2026" in late
    assert "frozen at the next ranking run" in late


def test_the_trend_leaves_out_thin_months_and_marks_the_running_one(site, engine, client):
    """In the small test demo, March to May hold some 30 opinions per brand: below the
    ranking's minimum, so they are not plotted. June, ranked on its last day, is plotted
    as partial (hollow, with its interval)."""
    with Session(engine) as session:
        rank_brands(session, "2026-06", AS_OF, now=datetime.combine(AS_OF, time(23), UTC))
        session.commit()
    page = client.get("/brands/nimbus-telecom?lang=en").get_data(as_text=True)
    start = page.index('<section aria-labelledby="trend">')
    trend = page[start : page.index("</section>", start)]
    wide = parse_xml(trend[trend.index('<div class="charts">') : trend.index("</div>") + 6])[0]
    svg = "{http://www.w3.org/2000/svg}"
    hollow = wide.findall(f"{svg}circle[@class='partial']")
    assert len(hollow) == 3, "June's Carescore, satisfaction and reply rate"
    assert len(wide.findall(f"{svg}circle")) == 3, "March to May are too thin to plot"
    assert len(wide.findall(f"{svg}line[@class='interval']")) == 2
    labels = [t.text for t in wide.findall(f"{svg}text") if t.text and "20" in t.text]
    assert "Mar 2026" in labels and "Jun 2026" in labels
    assert 'June 2026 <span class="note">(not final)</span>' in trend
    french = client.get("/brands/nimbus-telecom?lang=fr").get_data(as_text=True)
    assert ">mars 2026</text>" in french and ">juin 2026</text>" in french


def test_trend_points_follow_the_minimum_sample_and_finality():
    rows = [
        BrandScore(period="2026-04", is_final=True, ranked=False, satisfaction=0.2),
        BrandScore(period="2026-05", is_final=True, ranked=True, satisfaction=0.6),
        BrandScore(
            period="2026-06",
            is_final=False,
            ranked=True,
            satisfaction=0.5,
            satisfaction_low=0.4,
            satisfaction_high=0.62,
        ),
    ]
    rows.insert(0, BrandScore(period="2026-01", is_final=True, ranked=True, satisfaction=0.3))
    points = trend_points(rows)
    assert [p.period for p in points] == [f"2026-0{m}" for m in range(1, 7)]
    assert [(p.plotted, p.partial) for p in points[3:]] == [
        (False, False),
        (True, False),
        (True, True),
    ]
    assert not points[1].plotted and not points[2].plotted, "months without a snapshot"
    points = points[3:]
    assert points[0].satisfaction is None and points[1].satisfaction == 60
    assert (points[2].satisfaction_low, points[2].satisfaction_high) == (40, 62)


def test_two_final_months_without_a_mover_still_say_which_months(engine, client):
    with Session(engine) as session:
        _brands(session)
        _snapshot(session, "alpha", "2026-09", 60.0, 1)
        _snapshot(session, "beta", "2026-10", 70.0, 1)  # nobody ranked in both months
        session.commit()
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Biggest movers from September 2026 to October 2026" in page
    assert "No brand ranked in both months changed its Carescore." in page
    assert "once two monthly snapshots are final" not in page
