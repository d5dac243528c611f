"""Stored incidents on both databases: a full run, incremental runs that agree with it,
the care figures, and the safety net for rescored or forgotten posts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from carescore.incidents import refresh_incidents
from carescore.store.brands import parse_registry, upsert_brands
from carescore.store.incident_tables import ComplaintHour, Incident
from carescore.store.models import Brand, Post
from carescore.threads.cases import build_cases
from tests.factories import load_acme

T0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
OUTAGE = T0 + timedelta(weeks=9, hours=18)


def _post(n: int, at: datetime, brand_id: int, label: str = "fail", **extra) -> Post:
    values = {
        "platform": "x",
        "external_id": f"p{n}",
        "author_id": f"a{n}",
        "created_at": at,
        "text": "down again",
        "brand_id": brand_id,
        "direction": "inbound",
        "label": label,
        "topics": "outage" if label == "fail" else "",
        "conversation_id": f"p{n}",
        "collected_at": at,
    }
    values.update(extra)
    return Post(**values)


def _reply(n: int, to: Post, seconds: int) -> Post:
    """The brand's public reply to `to`, `seconds` after it."""
    at = to.created_at + timedelta(seconds=seconds)
    return _post(
        n,
        at,
        to.brand_id,
        label="neutral",
        direction="brand",
        author_id="acme-support",
        in_reply_to_id=to.external_id,
        conversation_id=to.conversation_id,
    )


def _history(session, brand_id: int, weeks: int = 10, seed: int = 1) -> list[Post]:
    """About one complaint an hour for `weeks` weeks, plus a three-hour outage whose
    complaints are answered every other one, in 10 minutes."""
    rng = random.Random(seed)
    posts = []
    for hour in range(weeks * 168):
        for _ in range(rng.choice((0, 1, 1, 2))):
            at = T0 + timedelta(hours=hour, seconds=rng.randrange(3600))
            posts.append(_post(len(posts), at, brand_id))
    for i in range(60):
        complaint = _post(10_000 + i, OUTAGE + timedelta(seconds=i * 180), brand_id)
        posts.append(complaint)
        if i % 2 == 0:
            posts.append(_reply(20_000 + i, complaint, 600))
    return posts


def _store(session, posts: list[Post]) -> None:
    """Store posts and build their cases, as the import does."""
    session.add_all(posts)
    session.flush()
    build_cases(session, [p.id for p in posts])
    session.commit()


def _acme(session) -> int:
    load_acme(session)
    session.commit()
    return session.execute(select(Brand.id).where(Brand.slug == "acme")).scalar_one()


def _found(session) -> list[tuple]:
    return [
        (i.topic, i.start_at, i.end_at, i.is_open, i.posts, i.peak_count, i.topics)
        for i in session.execute(select(Incident).order_by(Incident.start_at)).scalars()
    ]


def test_a_full_run_finds_the_outage_with_its_care_figures(session):
    brand_id = _acme(session)
    _store(session, _history(session, brand_id))
    now = T0 + timedelta(weeks=10)
    summary = refresh_incidents(session, now)
    session.commit()
    assert summary.full
    incidents = session.execute(select(Incident)).scalars().all()
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident.start_at == OUTAGE
    assert incident.end_at == OUTAGE + timedelta(hours=3)
    assert not incident.is_open
    assert incident.posts >= 60
    assert incident.topics["outage"] == incident.posts
    # each complaint is its own customer's case: half of the 60 answered, in 10 minutes
    assert incident.care_unit == "case"
    assert incident.care_answered == 30
    assert incident.care_n == incident.posts
    assert incident.care_median_reply_s == 600
    assert incident.usual_n > 500
    assert incident.usual_answered == 0


def test_incremental_runs_agree_with_a_full_run(session):
    brand_id = _acme(session)
    posts = _history(session, brand_id)
    posts.sort(key=lambda p: p.created_at)
    cut = OUTAGE + timedelta(hours=1, minutes=30)
    _store(session, [p for p in posts if p.created_at < cut])
    refresh_incidents(session, cut)
    session.commit()
    opened = session.execute(select(Incident)).scalars().one()
    assert opened.is_open and opened.end_at is None
    # the rest arrives, plus a late post inside an hour already decided
    later = [p for p in posts if p.created_at >= cut]
    later.append(_post(99_999, OUTAGE - timedelta(days=3), brand_id))
    _store(session, later)
    now = T0 + timedelta(weeks=10)
    summary = refresh_incidents(session, now)
    session.commit()
    assert not summary.full
    assert summary.new_posts == sum(p.direction == "inbound" for p in later)
    incremental = _found(session)
    hours = session.execute(
        select(ComplaintHour.hour, ComplaintHour.complaints).order_by(ComplaintHour.hour)
    ).all()
    refresh_incidents(session, now, full=True)
    session.commit()
    assert _found(session) == incremental
    assert (
        session.execute(
            select(ComplaintHour.hour, ComplaintHour.complaints).order_by(ComplaintHour.hour)
        ).all()
        == hours
    )
    assert incremental[0][3] is False  # closed once quiet hours followed


def test_an_open_incident_closes_when_the_clock_moves_on(session):
    brand_id = _acme(session)
    _store(session, _history(session, brand_id))
    refresh_incidents(session, OUTAGE + timedelta(hours=2, minutes=5))
    session.commit()
    assert session.execute(select(Incident.is_open)).scalar_one() is True
    refresh_incidents(session, OUTAGE + timedelta(hours=9))
    session.commit()
    assert session.execute(select(Incident.is_open)).scalar_one() is False


def test_rescored_or_forgotten_posts_rebuild_the_brand(session):
    brand_id = _acme(session)
    _store(session, _history(session, brand_id))
    now = T0 + timedelta(weeks=10)
    refresh_incidents(session, now)
    session.commit()
    # the outage's complaints are rescored as questions, without any new post
    session.execute(update(Post).where(Post.external_id.like("p100%")).values(label="question"))
    session.execute(delete(Post).where(Post.external_id == "p10059"))
    session.commit()
    summary = refresh_incidents(session, now)
    session.commit()
    assert summary.brands_rebuilt == 1
    assert session.execute(select(Incident)).scalars().all() == []


def test_care_during_an_incident_counts_cases_not_posts(session):
    """20 customers write 3 complaints each in their own conversation during the outage:
    20 cases, 10 of them answered (once, after their first post), 5 of those recovered."""
    brand_id = _acme(session)
    posts = [p for p in _history(session, brand_id) if p.created_at < OUTAGE]
    for c in range(20):
        first = None
        for k in range(3):
            at = OUTAGE + timedelta(minutes=9 * c + 3 * k)
            thread = {"author_id": f"angry{c}", "conversation_id": f"t{c}"}
            if first is not None:
                thread["in_reply_to_id"] = first.external_id
            post = _post(30_000 + 3 * c + k, at, brand_id, **thread)
            posts.append(post)
            first = first or post
        if c % 2 == 0:
            posts.append(_reply(40_000 + c, first, 1800 + 60 * c))
            if c % 4 == 0:  # the customer thanks the brand after the reply
                thanks = _post(
                    50_000 + c,
                    first.created_at + timedelta(hours=2),
                    brand_id,
                    label="praise",
                    author_id=f"angry{c}",
                    conversation_id=f"t{c}",
                    in_reply_to_id=f"p{40_000 + c}",
                )
                posts.append(thanks)
    _store(session, posts)
    refresh_incidents(session, T0 + timedelta(weeks=10))
    session.commit()
    incident = session.execute(select(Incident)).scalars().one()
    assert incident.posts >= 60  # the surge itself is counted in posts
    assert incident.care_unit == "case"
    assert incident.care_n == 20
    assert incident.care_answered == 10
    # delays 30 min + 0, 2, ... 18 min: the median of 30-48 minutes in 2-minute steps
    assert incident.care_median_reply_s == 1800 + 60 * 9
    assert incident.care_recovery_n == 10
    assert incident.care_recovered == 5


def test_incidents_measured_in_posts_are_measured_again_in_cases(session):
    brand_id = _acme(session)
    _store(session, _history(session, brand_id))
    now = T0 + timedelta(weeks=10)
    refresh_incidents(session, now)
    session.commit()
    session.execute(update(Incident).values(care_unit="post", care_n=999))
    session.commit()
    refresh_incidents(session, now)
    session.commit()
    incident = session.execute(select(Incident)).scalars().one()
    assert (incident.care_unit, incident.care_n) == ("case", incident.posts)


def _mixed(brand_id: int, weeks: int, surge_at: datetime | None) -> list[Post]:
    """Every hour, 4 complaints about deliveries and 1 about billing; from `surge_at`,
    3 hours with 6 more billing complaints each (the total goes from 5 to 11 an hour)."""
    posts: list[Post] = []
    for hour in range(weeks * 168):
        at = T0 + timedelta(hours=hour)
        for k in range(5):
            topic = "billing" if k == 0 else "delivery"
            posts.append(_post(len(posts), at + timedelta(minutes=10 * k), brand_id, topics=topic))
    if surge_at is not None:
        for i in range(18):
            posts.append(
                _post(90_000 + i, surge_at + timedelta(minutes=10 * i), brand_id, topics="billing")
            )
    return posts


def test_a_topic_surge_that_the_total_hides_is_its_own_incident(session):
    brand_id = _acme(session)
    surge = T0 + timedelta(weeks=3, days=2, hours=15)
    posts = _mixed(brand_id, 4, surge)
    cut = surge + timedelta(hours=2, minutes=30)
    _store(session, [p for p in posts if p.created_at < cut])
    refresh_incidents(session, cut)
    session.commit()
    assert session.execute(select(Incident.topic, Incident.is_open)).one() == ("billing", True)
    _store(session, [p for p in posts if p.created_at >= cut])
    now = T0 + timedelta(weeks=4)
    refresh_incidents(session, now)
    session.commit()
    incremental = _found(session)
    refresh_incidents(session, now, full=True)
    session.commit()
    assert _found(session) == incremental
    incidents = session.execute(select(Incident)).scalars().all()
    assert [(i.topic, i.start_at, i.end_at) for i in incidents] == [
        ("billing", surge, surge + timedelta(hours=3))
    ]
    billing = incidents[0]
    assert billing.posts == 21 and billing.topics == {"billing": 21}
    assert billing.expected == pytest.approx(3, abs=0.5)
    # its care counts the billing cases alone: 21 during it, one an hour before it
    assert billing.care_n == 21
    assert billing.usual_n == (surge - T0) // timedelta(hours=1)


def test_a_topic_surge_inside_a_surge_of_the_total_is_not_counted_twice(session):
    brand_id = _acme(session)
    _store(session, _history(session, brand_id))  # every complaint is about an outage
    refresh_incidents(session, T0 + timedelta(weeks=10))
    session.commit()
    assert session.execute(select(Incident.topic)).scalars().all() == [""]


def test_no_surge_no_incident_on_any_topic(session):
    brand_id = _acme(session)
    _store(session, _mixed(brand_id, 4, None))
    refresh_incidents(session, T0 + timedelta(weeks=4))
    session.commit()
    assert session.execute(select(Incident)).scalars().all() == []


def test_incremental_runs_over_several_brands_agree_with_a_full_run(session):
    """Two brands with an open incident in one run: one gets the rest of its posts, the
    other only a late post in an hour already decided (its outage closes as the hours
    after it stay quiet)."""
    acme = _acme(session)
    upsert_brands(
        session,
        parse_registry(
            '[[brand]]\nslug = "beta"\nname = "Beta"\nsector = "telecom"\ncountry = "FR"'
        ),
    )
    session.commit()
    beta = session.execute(select(Brand.id).where(Brand.slug == "beta")).scalar_one()
    posts = _history(session, acme)
    for p in _history(session, beta, seed=2):
        p.external_id, p.conversation_id = f"b{p.external_id}", f"b{p.conversation_id}"
        p.in_reply_to_id = f"b{p.in_reply_to_id}" if p.in_reply_to_id else None
        posts.append(p)
    cut = OUTAGE + timedelta(hours=1, minutes=30)
    _store(session, [p for p in posts if p.created_at < cut])
    refresh_incidents(session, cut)
    session.commit()
    later = [p for p in posts if p.created_at >= cut and p.brand_id == acme]
    later.append(_post(99_999, OUTAGE - timedelta(days=3), beta))
    _store(session, later)
    now = OUTAGE + timedelta(days=2)
    refresh_incidents(session, now)
    session.commit()
    incremental = _found(session)
    refresh_incidents(session, now, full=True)
    session.commit()
    assert _found(session) == incremental
    assert {(i.brand_id, i.is_open) for i in session.execute(select(Incident)).scalars()} == {
        (acme, False),
        (beta, False),
    }
