"""The store's bulk helpers give the same rows on both engines, however the values travel."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from carescore.store.db import PlannerStatistics, one_of, update_rows
from carescore.store.models import Post
from carescore.store.normalised import NewPost
from carescore.store.posts import store_posts
from tests.factories import load_acme

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def _posts(count: int, start: int = 0) -> list[NewPost]:
    return [
        NewPost(
            "x",
            f"p{n}",
            f"author{n % 7}",
            T0 + timedelta(minutes=n),
            f"@AcmeHelp post number {n}",
            in_reply_to_id=f"p{n - 1}" if n % 3 else None,
        )
        for n in range(start, start + count)
    ]


def test_one_of_finds_exactly_the_values_given(session):
    load_acme(session)
    store_posts(session, _posts(30))
    session.commit()
    wanted = ["p3", "p17", "p29", "absent", "p3"]
    found = session.execute(
        select(Post.external_id).where(one_of(session, Post.external_id, wanted))
    )
    assert sorted(found.scalars()) == ["p17", "p29", "p3"]
    assert session.execute(select(Post.id).where(one_of(session, Post.id, []))).all() == []


def test_update_rows_sets_each_row_its_own_values_nulls_and_booleans_included(session):
    load_acme(session)
    ids = store_posts(session, _posts(4)).inserted_ids
    session.commit()
    changes = [
        {"id": ids[0], "case_reply_id": "r0", "case_reply_seconds": 60, "opens_case": True},
        {"id": ids[1], "case_reply_id": None, "case_reply_seconds": None, "opens_case": False},
        {"id": ids[2], "case_reply_id": "r2", "case_reply_seconds": 0, "opens_case": True},
    ]
    update_rows(session, Post.__table__, changes)
    update_rows(session, Post.__table__, [])
    session.commit()
    rows = session.execute(
        select(Post.id, Post.case_reply_id, Post.case_reply_seconds, Post.opens_case).order_by(
            Post.id
        )
    ).all()
    assert [tuple(r) for r in rows] == [
        (ids[0], "r0", 60, True),
        (ids[1], None, None, False),
        (ids[2], "r2", 0, True),
        (ids[3], None, None, False),
    ]


def test_new_posts_are_stored_with_their_conversation(session):
    """The thread key is written with the post, the same as threading computes it later."""
    load_acme(session)
    store_posts(session, _posts(9))
    session.commit()
    keys = dict(session.execute(select(Post.external_id, Post.thread_key)).all())
    # p0 opens a chain p0 <- p1 <- p2; p3 opens the next one, and so on.
    assert keys == {f"p{n}": f"p{n - n % 3}" for n in range(9)}


def test_late_root_renames_the_chain_it_joins(session):
    """A reply stored before its parent is named after the missing parent, then moves."""
    load_acme(session)
    late = _posts(3)
    store_posts(session, late[1:])
    session.commit()
    store_posts(session, late[:1])
    session.commit()
    keys = dict(session.execute(select(Post.external_id, Post.thread_key)).all())
    assert keys == {"p0": "p0", "p1": "p0", "p2": "p0"}


def test_statistics_are_taken_once_an_import_outgrows_them(session):
    load_acme(session)
    statistics = PlannerStatistics(session, Post.__table__)
    store_posts(session, _posts(100))
    session.commit()
    assert statistics.added(100) is False  # too few rows to matter
    if session.get_bind().dialect.name != "postgresql":
        assert statistics.added(PlannerStatistics.MIN_ROWS) is False  # SQLite has none
        return
    store_posts(session, _posts(PlannerStatistics.MIN_ROWS, start=100))
    session.commit()
    assert statistics.added(PlannerStatistics.MIN_ROWS) is True
    described = session.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('post')")
    ).scalar_one()
    assert described == pytest.approx(PlannerStatistics.MIN_ROWS + 100, rel=0.05)
    # The statistics now describe 5,100 rows: 5,000 more do not yet double the table.
    assert statistics.added(PlannerStatistics.MIN_ROWS) is False
