"""Methodology figures on small hand-computed fixtures, on both databases.

Each fixture post is its own conversation (unless a test says otherwise), so each
actionable post opens one case and the per-case figures read as the posts' figures;
the case rules themselves are tested in test_cases.py.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, literal, select

from carescore import METHODOLOGY_VERSION
from carescore.ranking.delays import median_interval_rank
from carescore.ranking.snapshots import rank_brands, refresh_rankings
from carescore.ranking.stats import median_ci_ranks, ratio_interval, wilson
from carescore.store.models import Brand, BrandScore, Post
from carescore.threads.cases import build_cases

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
AS_OF = date(2026, 6, 30)
OLD = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # a Monday, well inside 90 days, judged
_ids = itertools.count(1)


def brand(session, slug="acme", sector="telecom", timezone="UTC") -> int:
    b = Brand(slug=slug, name=slug.title(), sector=sector, country="FR", timezone=timezone)
    session.add(b)
    session.flush()
    return b.id


def post(
    session,
    brand_id,
    label="fail",
    created=OLD,
    reply_s=None,
    author=None,
    followers=None,
    sentiment=None,
    topics="",
    **kw,
) -> Post:
    number = next(_ids)
    p = Post(
        platform="x",
        external_id=f"p{number}",
        author_id=author or f"a{number}",
        author_followers=followers,
        created_at=created,
        text="...",
        brand_id=brand_id,
        direction=kw.pop("direction", "inbound"),
        label=label,
        sentiment=sentiment,
        topics=topics,
        first_reply_id=f"r{number}" if reply_s is not None else None,
        first_reply_seconds=reply_s,
        collected_at=NOW,
        **kw,
    )
    session.add(p)
    made = [p]
    if reply_s is not None:  # the brand's reply, as threading would find it
        made.append(
            Post(
                platform="x",
                external_id=f"r{number}",
                author_id=f"brand{brand_id}",
                created_at=created + timedelta(seconds=reply_s),
                text="...",
                brand_id=brand_id,
                direction="brand",
                label="neutral",
                in_reply_to_id=p.external_id,
                conversation_id=p.conversation_id,
                collected_at=NOW,
            )
        )
        session.add(made[-1])
    session.flush()
    build_cases(session, [m.id for m in made])
    return p


def score(session, brand_id, window="90d", period=AS_OF.isoformat()) -> BrandScore:
    session.expire_all()
    return session.execute(
        select(BrandScore).where(
            BrandScore.brand_id == brand_id,
            BrandScore.window == window,
            BrandScore.period == period,
        )
    ).scalar_one()


def rank(session, window="90d", as_of=AS_OF, now=NOW) -> int:
    written = rank_brands(session, window, as_of, now=now)
    session.commit()
    return written


def test_no_posts_gives_an_unranked_row_of_zeros(session):
    b = brand(session)
    assert rank(session) == 1
    s = score(session, b)
    assert (s.inbound_n, s.actionable_n, s.answered_n, s.opinion_n) == (0, 0, 0, 0)
    assert s.reply_rate is None and s.median_reply_s is None and s.satisfaction is None
    assert s.ranked is False and s.carescore is None and s.rank_overall is None
    assert s.methodology_version == METHODOLOGY_VERSION and s.is_final is False


def test_one_answered_post(session):
    b = brand(session)
    post(session, b, "fail", reply_s=600)
    rank(session)
    s = score(session, b)
    assert (s.actionable_n, s.answered_n, s.reply_rate) == (1, 1, 1.0)
    assert s.reply_rate_low == pytest.approx(0.2065, abs=1e-4) and s.reply_rate_high == 1.0
    assert (s.median_reply_s, s.p90_reply_s, s.within_1h, s.within_30m) == (600, 600, 1.0, 1.0)
    assert s.median_reply_low_s is None  # no distribution-free interval under 6 values
    assert s.delay_histogram == {
        "0-15m": 1,
        "15-30m": 0,
        "30-60m": 0,
        "1-4h": 0,
        "4-24h": 0,
        "1-7d": 0,
    }
    # alone in its sector, the shrunk rate is pulled toward its own mean: 1.0
    assert s.reply_rate_shrunk == 1.0


def test_all_unanswered(session):
    b = brand(session)
    for _ in range(4):
        post(session, b, "question")
    rank(session)
    s = score(session, b)
    assert (s.actionable_n, s.answered_n, s.reply_rate, s.within_1h) == (4, 0, 0.0, 0.0)
    assert s.median_reply_s is None and s.p90_reply_s is None
    assert sum(s.delay_histogram.values()) == 0


def test_seven_day_rule_and_young_posts(session):
    b = brand(session)
    post(session, b, "fail", reply_s=7 * 86400)  # exactly 7 days: answered
    post(session, b, "fail", reply_s=7 * 86400 + 1)  # late: unanswered
    post(session, b, "fail", created=NOW - timedelta(days=2))  # too young: left out
    post(session, b, "fail", created=NOW - timedelta(days=2), reply_s=60)  # young, answered
    post(session, b, "praise", reply_s=30)  # not actionable
    rank(session)
    s = score(session, b)
    assert (s.inbound_n, s.fail_n, s.actionable_n, s.answered_n) == (5, 4, 3, 2)
    assert s.reply_rate == pytest.approx(2 / 3)
    assert s.median_reply_s == (60 + 7 * 86400) / 2
    assert s.delay_histogram["1-7d"] == 1 and s.delay_histogram["0-15m"] == 1


def test_delay_figures_by_hand(session):
    b = brand(session)
    delays = [60, 300, 600, 900, 1200, 1800, 2400, 3600, 7200, 90000]
    for d in delays:
        post(session, b, "fail", reply_s=d)
    post(session, b, "fail")  # unanswered
    post(session, b, "question")  # unanswered
    rank(session)
    s = score(session, b)
    assert (s.actionable_n, s.answered_n) == (12, 10)
    assert s.median_reply_s == (1200 + 1800) / 2
    assert (s.median_reply_low_s, s.median_reply_high_s) == (300, 7200)  # ranks 2 and 9
    assert s.p90_reply_s == 7200  # nearest rank 9 of 10
    assert s.within_1h == pytest.approx(8 / 12)  # of actionable posts, not of answered ones
    assert s.within_30m == pytest.approx(6 / 12)
    assert (s.within_30m_n, s.within_30m_low, s.within_30m_high) == (6, *wilson(6, 12))
    assert s.delay_histogram == {
        "0-15m": 4,
        "15-30m": 2,
        "30-60m": 2,
        "1-4h": 1,
        "4-24h": 0,
        "1-7d": 1,
    }


def test_satisfaction_deduplicates_and_shrinks_toward_the_sector(session):
    a = brand(session, "acme")
    z = brand(session, "zenith")
    for hour in range(3):  # one author, one day, one label: counts once
        post(session, a, "praise", created=OLD + timedelta(hours=hour), author="fan")
    post(session, a, "praise", created=OLD + timedelta(days=1), author="fan")  # another day
    post(session, a, "fail", created=OLD, author="fan")  # another label
    post(session, a, "fail")
    for _ in range(6):
        post(session, z, "praise")
    for _ in range(2):
        post(session, z, "fail")
    rank(session)
    sa, sz = score(session, a), score(session, z)
    assert (sa.praise_n, sa.fail_n, sa.opinion_n) == (4, 2, 4)
    assert sa.satisfaction_raw == 0.5 and sz.satisfaction_raw == 0.75
    sector = (2 + 6) / (4 + 8)
    assert sa.satisfaction == pytest.approx((2 + 30 * sector) / (4 + 30))
    assert sz.satisfaction == pytest.approx((6 + 30 * sector) / (8 + 30))
    assert sa.satisfaction_low == pytest.approx(0.1500, abs=1e-4)


def test_recovery_rate(session):
    b = brand(session)
    happy = post(session, b, "fail", reply_s=600, author="c1", conversation_id="t1")
    post(
        session,
        b,
        "praise",
        created=OLD + timedelta(hours=1),
        author="c1",
        sentiment=0.8,
        conversation_id="t1",
        in_reply_to_id=happy.first_reply_id,
    )
    sad = post(session, b, "fail", reply_s=600, author="c2", conversation_id="t2")
    post(session, b, "neutral", created=OLD + timedelta(hours=1), author="c2", sentiment=0.6)
    post(
        session,
        b,
        "fail",
        created=OLD + timedelta(hours=2),
        author="c2",
        sentiment=-0.5,
        conversation_id="t2",
        in_reply_to_id="elsewhere-in-t2",
    )
    twcs_style = post(session, b, "fail", reply_s=60, author="c3")
    post(
        session,
        b,
        "praise",
        created=OLD + timedelta(minutes=5),
        author="c3",
        sentiment=0.9,
        in_reply_to_id=twcs_style.first_reply_id,
    )
    post(session, b, "fail", author="c4")  # unanswered: not in the recovery base
    assert happy.id and sad.id
    rank(session)
    s = score(session, b)
    assert s.recovery_n == 3 and s.recovery_rate == pytest.approx(2 / 3)
    assert (s.recovery_rate_low, s.recovery_rate_high) == wilson(2, 3)


def test_equal_treatment_needs_twenty_in_each_group(session):
    b = brand(session)
    for i in range(20):
        post(session, b, "fail", followers=50, reply_s=60 if i % 2 else None)
    for _ in range(19):
        post(session, b, "fail", followers=20_000, reply_s=60)
    post(session, b, "fail", followers=5_000, reply_s=60)  # in neither group
    rank(session)
    s = score(session, b)
    assert (s.small_authors_n, s.large_authors_n, s.equal_treatment) == (20, 19, None)
    assert (s.equal_treatment_low, s.equal_treatment_high) == (None, None)
    post(session, b, "question", followers=10_000, reply_s=60)
    rank(session)
    s = score(session, b)
    assert (s.small_authors_n, s.large_authors_n) == (20, 20)
    assert s.equal_treatment == pytest.approx(0.5)
    # What the ratio and its interval are recomputed from is published beside them.
    assert (s.small_answered_n, s.large_answered_n) == (10, 20)
    assert (s.equal_treatment_low, s.equal_treatment_high) == ratio_interval(10, 20, 20, 20)
    assert s.equal_treatment_low < 0.5 < s.equal_treatment_high


def _ranked_brand(session, slug, sector, praise, answered_fast, answered_slow, unanswered):
    b = brand(session, slug, sector)
    for _ in range(praise):
        post(session, b, "praise")
    for _ in range(answered_fast):
        post(session, b, "fail", reply_s=120)
    for _ in range(answered_slow):
        post(session, b, "fail", reply_s=86400)
    for _ in range(unanswered):
        post(session, b, "question")
    return b


def test_carescore_ranks_and_not_enough_data(session):
    good = _ranked_brand(session, "good", "telecom", 30, 40, 10, 10)
    poor = _ranked_brand(session, "poor", "telecom", 20, 10, 20, 30)
    other = _ranked_brand(session, "other", "air", 30, 40, 10, 10)
    thin = _ranked_brand(session, "thin", "telecom", 5, 5, 0, 40)
    rank(session)
    g, p, o, t = (score(session, b) for b in (good, poor, other, thin))
    # good: opinion 30 praise / 80, actionable 60, answered 50, within 1h 40
    sector_sat = (30 + 20 + 5) / (80 + 50 + 10)
    sector_rate = (50 + 30 + 5) / (60 + 60 + 45)
    sat = (30 + 30 * sector_sat) / (80 + 30)
    rate = (50 + 30 * sector_rate) / (60 + 30)
    assert g.satisfaction == pytest.approx(sat)
    assert g.reply_rate_shrunk == pytest.approx(rate)
    assert g.carescore == round(100 * (sat / 2 + rate / 4 + (40 / 60) / 4), 1)
    assert (t.opinion_n, t.actionable_n, t.ranked, t.carescore) == (10, 45, False, None)
    assert t.rank_overall is None and t.rank_sector is None
    assert g.ranked and p.ranked and o.ranked
    assert g.carescore > p.carescore
    assert (g.rank_sector, p.rank_sector, o.rank_sector) == (1, 2, 1)
    assert sorted([g.rank_overall, o.rank_overall]) == [1, 2] and p.rank_overall == 3


def test_business_hours_follow_daylight_saving(session):
    b = brand(session, timezone="Europe/Paris")
    cases = [  # (UTC time, local, business?)
        (datetime(2026, 3, 27, 7, 30, tzinfo=UTC), "Fri 08:30 CET", False),
        (datetime(2026, 3, 27, 8, 30, tzinfo=UTC), "Fri 09:30 CET", True),
        (datetime(2026, 3, 27, 16, 30, tzinfo=UTC), "Fri 17:30 CET", True),
        (datetime(2026, 3, 28, 10, 0, tzinfo=UTC), "Sat 11:00 CET", False),
        (datetime(2026, 3, 30, 7, 30, tzinfo=UTC), "Mon 09:30 CEST", True),
        (datetime(2026, 3, 30, 16, 30, tzinfo=UTC), "Mon 18:30 CEST", False),
        (datetime(2026, 3, 30, 15, 59, tzinfo=UTC), "Mon 17:59 CEST", True),
    ]
    for index, (when, _, _) in enumerate(cases):
        post(session, b, "fail", created=when, reply_s=100 * (index + 1))
    rank(session, as_of=date(2026, 4, 30), now=NOW)
    s = score(session, b, period="2026-04-30")
    business = [100 * (i + 1) for i, case in enumerate(cases) if case[2]]
    off = [100 * (i + 1) for i, case in enumerate(cases) if not case[2]]
    assert (s.business_n, s.offhours_n) == (4, 3)
    assert s.median_business_s == (business[1] + business[2]) / 2
    assert s.median_offhours_s == off[1]


def test_business_hours_medians_have_distribution_free_intervals(session):
    b = brand(session)
    monday = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    business = [100 * (i + 1) for i in range(10)]
    offhours = [150 * (i + 1) for i in range(7)]
    for i, delay in enumerate(business):
        post(session, b, "fail", created=monday + timedelta(minutes=i), reply_s=delay)
    for i, delay in enumerate(offhours):  # Monday 20:00 and later
        post(session, b, "fail", created=monday + timedelta(hours=10, minutes=i), reply_s=delay)
    post(session, b, "fail", created=monday + timedelta(hours=11), reply_s=10**6)  # 11.6 days
    rank(session)
    s = score(session, b)
    assert (s.business_n, s.offhours_n) == (10, 7)
    low, high = median_ci_ranks(10)
    assert (s.median_business_low_s, s.median_business_high_s) == (
        business[low - 1],
        business[high - 1],
    )
    low, high = median_ci_ranks(7)
    assert (s.median_offhours_low_s, s.median_offhours_high_s) == (
        offhours[low - 1],
        offhours[high - 1],
    )
    assert s.median_offhours_low_s < s.median_offhours_s < s.median_offhours_high_s


def test_business_hours_in_new_york(session):
    b = brand(session, timezone="America/New_York")
    post(session, b, "fail", created=datetime(2026, 3, 6, 13, 30, tzinfo=UTC), reply_s=10)
    post(session, b, "fail", created=datetime(2026, 3, 9, 13, 30, tzinfo=UTC), reply_s=20)
    rank(session, as_of=date(2026, 4, 30), now=NOW)
    s = score(session, b, period="2026-04-30")
    # Fri 08:30 EST is before opening; Mon 09:30 EDT is open
    assert (s.business_n, s.median_business_s, s.median_offhours_s) == (1, 20, 10)
    assert (s.median_business_low_s, s.median_offhours_high_s) == (None, None)  # under 6


def test_topics_count_complaints_only(session):
    b = brand(session)
    post(session, b, "fail", topics="billing,outage")
    post(session, b, "question", topics="billing")
    post(session, b, "praise", topics="billing")
    post(session, b, "fail", topics="delivery")
    rank(session)
    assert score(session, b).topics == {"billing": 2, "outage": 1, "delivery": 1}


def test_windows_rolling_all_and_month(session):
    b = brand(session)
    post(session, b, "fail", created=datetime(2017, 10, 31, 22, 0, tzinfo=UTC), reply_s=60)
    post(session, b, "fail", created=datetime(2026, 4, 1, 23, 59, tzinfo=UTC))  # out of 90d
    post(session, b, "fail", created=datetime(2026, 4, 2, 0, 0, tzinfo=UTC))  # first 90d day
    post(session, b, "fail", created=datetime(2026, 6, 30, 23, 59, tzinfo=UTC), reply_s=1)
    rank(session, "90d")
    rank(session, "all")
    rank(session, "2017-10")
    assert score(session, b).inbound_n == 2
    assert score(session, b, "all").inbound_n == 4
    october = score(session, b, "month", "2017-10")
    assert (october.answered_n, october.median_reply_s, october.is_final) == (1, 60, True)
    assert october.period_start == datetime(2017, 10, 1, tzinfo=UTC)


def test_final_month_is_never_rewritten(session):
    b = brand(session)
    post(session, b, "fail", created=datetime(2026, 3, 10, tzinfo=UTC))
    rank(session, "2026-03", now=datetime(2026, 4, 3, tzinfo=UTC))
    provisional = score(session, b, "month", "2026-03")
    assert provisional.is_final is False and provisional.actionable_n == 1
    post(session, b, "fail", created=datetime(2026, 3, 31, 23, 0, tzinfo=UTC))
    rank(session, "2026-03", now=datetime(2026, 4, 8, tzinfo=UTC))
    final = score(session, b, "month", "2026-03")
    assert final.is_final is True and final.actionable_n == 2
    frozen = (final.id, final.computed_at, final.actionable_n)
    post(session, b, "fail", created=datetime(2026, 3, 15, tzinfo=UTC))
    assert rank(session, "2026-03", now=datetime(2026, 5, 1, tzinfo=UTC)) == 0
    again = score(session, b, "month", "2026-03")
    assert (again.id, again.computed_at, again.actionable_n) == frozen


def test_refresh_writes_the_live_window_and_the_past_year(session):
    b = brand(session)
    post(session, b, "fail", reply_s=60)
    written = refresh_rankings(session, AS_OF, now=NOW)
    session.commit()
    assert written == 1 + 12 + 1
    periods = set(
        session.execute(select(BrandScore.period).where(BrandScore.window == "month")).scalars()
    )
    assert periods == {f"2025-{m:02d}" for m in range(6, 13)} | {
        f"2026-{m:02d}" for m in range(1, 7)
    }
    assert score(session, b, "month", "2026-05").answered_n == 1
    # May ended 30 days ago: final; June is still going on
    assert score(session, b, "month", "2026-05").is_final is True
    assert score(session, b, "month", "2026-06").is_final is False
    assert refresh_rankings(session, AS_OF, now=NOW) == 2  # only 90d and June again


def test_final_snapshots_of_methodology_1_keep_their_figures_and_label(session):
    """A month made final under 1.0 (per-post figures) is never recomputed under 2.0."""
    b = brand(session)
    post(session, b, "fail", created=datetime(2026, 3, 10, tzinfo=UTC), reply_s=60)
    old = BrandScore(
        brand_id=b,
        window="month",
        period="2026-03",
        methodology_version="1.0",
        computed_at=datetime(2026, 4, 9, tzinfo=UTC),
        is_final=True,
        actionable_n=3,
        answered_n=2,
        median_reply_s=1234.0,
    )
    session.add(old)
    session.commit()
    assert rank(session, "2026-03", now=NOW) == 0
    refresh_rankings(session, AS_OF, now=NOW)
    session.commit()
    kept = score(session, b, "month", "2026-03")
    assert (kept.methodology_version, kept.actionable_n, kept.median_reply_s) == ("1.0", 3, 1234.0)
    assert kept.cases_n is None  # 1.0 counted posts, not cases
    fresh = score(session, b, "month", "2026-04")
    assert fresh.methodology_version == METHODOLOGY_VERSION == "2.0"
    live = score(session, b)
    assert live.methodology_version == "2.0" and live.cases_n == 0 and live.reply_rate is None


def test_posts_a_reviewer_corrected_are_counted_per_window_from_their_index(session):
    """human_labels_n counts the window's customer posts with a human label or reply; on
    SQLite the statement reads the small partial index, not every customer post."""
    b = brand(session)
    post(session, b, "praise", label_source="human")  # in May: 90 days, all, 2026-05
    post(session, b, "fail", reply_source="human", created=NOW - timedelta(days=200))
    post(session, b, "neutral", direction="brand", label_source="human")  # not a customer's
    post(session, b, "fail")
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "label_source = 'human'" in statement:
            statements.append((statement, parameters))

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", seen)
    try:
        refresh_rankings(session, AS_OF, now=NOW)
        rank(session, "all")
    finally:
        event.remove(bind, "before_cursor_execute", seen)
    session.commit()
    assert score(session, b).human_labels_n == 1
    assert score(session, b, "all").human_labels_n == 2
    assert score(session, b, "month", "2026-05").human_labels_n == 1
    assert score(session, b, "month", "2026-06").human_labels_n == 0
    assert statements
    if bind.dialect.name == "sqlite":
        for statement, parameters in statements:
            plan = session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters
            )
            assert "ix_post_human" in " ".join(str(row[-1]) for row in plan), statement


def test_the_sql_picks_the_median_interval_ranks_that_python_computes(session):
    """The business-hours medians' interval ranks are found in SQL: exact binomial ranks
    from a list up to 1,000 values, the normal approximation in integer arithmetic above."""
    sizes = [1, 5, 6, 7, 10, 99, 100, 101, 999, 1000, 1001, 1002, 1500, 4097, 5000, 123457]
    largest = max(sizes)
    for size in sizes:
        expected = set(median_ci_ranks(size) or ())
        candidates = {1, size, size // 2, *expected}
        candidates |= {r + step for r in expected for step in (-1, 1)}
        for rank in sorted(r for r in candidates if 1 <= r <= size):
            picked = session.execute(
                select(median_interval_rank(literal(rank), literal(size), largest))
            ).scalar()
            assert bool(picked) == (rank in expected), (size, rank)
