"""Stored incidents on both databases: a full run, incremental runs that agree with it,
the care figures, and the safety net for rescored or forgotten posts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update

from carescore.incidents import refresh_incidents
from carescore.store.models import Brand, ComplaintHour, Incident, Post
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


def _history(session, brand_id: int, weeks: int = 10, seed: int = 1) -> list[Post]:
    """About one complaint an hour for `weeks` weeks, plus a three-hour outage."""
    rng = random.Random(seed)
    posts = []
    for hour in range(weeks * 168):
        for _ in range(rng.choice((0, 1, 1, 2))):
            at = T0 + timedelta(hours=hour, seconds=rng.randrange(3600))
            posts.append(_post(len(posts), at, brand_id))
    for i in range(60):
        at = OUTAGE + timedelta(seconds=i * 180)
        answered = i % 2 == 0
        posts.append(
            _post(
                10_000 + i,
                at,
                brand_id,
                first_reply_seconds=600 if answered else None,
                first_reply_id=f"r{i}" if answered else None,
            )
        )
    return posts


def _acme(session) -> int:
    load_acme(session)
    session.commit()
    return session.execute(select(Brand.id).where(Brand.slug == "acme")).scalar_one()


def _found(session) -> list[tuple]:
    return [
        (i.start_at, i.end_at, i.is_open, i.posts, i.peak_count, i.topics)
        for i in session.execute(select(Incident).order_by(Incident.start_at)).scalars()
    ]


def test_a_full_run_finds_the_outage_with_its_care_figures(session):
    brand_id = _acme(session)
    session.add_all(_history(session, brand_id))
    session.commit()
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
    # half of the outage's 60 complaints were answered, in 10 minutes
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
    session.add_all([p for p in posts if p.created_at < cut])
    session.commit()
    refresh_incidents(session, cut)
    session.commit()
    opened = session.execute(select(Incident)).scalars().one()
    assert opened.is_open and opened.end_at is None
    # the rest arrives, plus a late post inside an hour already decided
    later = [p for p in posts if p.created_at >= cut]
    later.append(_post(99_999, OUTAGE - timedelta(days=3), brand_id))
    session.add_all(later)
    session.commit()
    now = T0 + timedelta(weeks=10)
    summary = refresh_incidents(session, now)
    session.commit()
    assert not summary.full and summary.new_posts == len(later)
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
    assert incremental[0][2] is False  # closed once quiet hours followed


def test_an_open_incident_closes_when_the_clock_moves_on(session):
    brand_id = _acme(session)
    session.add_all(_history(session, brand_id))
    session.commit()
    refresh_incidents(session, OUTAGE + timedelta(hours=2, minutes=5))
    session.commit()
    assert session.execute(select(Incident.is_open)).scalar_one() is True
    refresh_incidents(session, OUTAGE + timedelta(hours=9))
    session.commit()
    assert session.execute(select(Incident.is_open)).scalar_one() is False


def test_rescored_or_forgotten_posts_rebuild_the_brand(session):
    brand_id = _acme(session)
    session.add_all(_history(session, brand_id))
    session.commit()
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
