"""Lists of posts newest first: every page once, in order, and read from an index in
that order, so a page costs the same however long the history (migration 0014)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from carescore.read.posts import posts, recent_posts
from carescore.store.models import Brand, Post

START = datetime(2026, 3, 1, 12, tzinfo=UTC)
LABELS = ("fail", "praise", None, "question")


def _history(session) -> tuple[int, list[Post]]:
    """Two brands' posts, customers' and replies, several posts sharing each second."""
    brands = [Brand(slug=s, name=s.title(), sector="telecom", country="FR") for s in "ab"]
    session.add_all(brands)
    session.flush()
    stored = []
    for n in range(40):
        stored.append(
            Post(
                platform="x",
                external_id=str(n),
                author_id=f"u{n % 7}",
                text=f"post {n}",
                direction="brand" if n % 5 == 4 else "inbound",
                brand_id=brands[n % 2].id,
                label=LABELS[n % len(LABELS)],
                topics="billing" if n % 3 == 0 else "",
                created_at=START + timedelta(seconds=n // 3),
                collected_at=START,
            )
        )
    session.add_all(stored)
    session.commit()
    return brands[0].id, stored


def _newest_first(rows: list[Post]) -> list[int]:
    return [p.id for p in sorted(rows, key=lambda p: (p.created_at, p.id), reverse=True)]


def test_cursor_pages_give_every_post_once_in_order_even_when_posts_share_a_time(session):
    brand_id, stored = _history(session)
    for filters, keep in (
        ({}, lambda p: True),
        ({"brand_id": brand_id}, lambda p: p.brand_id == brand_id),
        ({"label": "fail"}, lambda p: p.label == "fail"),
        ({"brand_id": brand_id, "judged": False}, lambda p: p.brand_id == brand_id and not p.label),
    ):
        seen, cursor = [], None
        while True:
            page = posts(session, cursor=cursor, limit=2, **filters)
            seen += [int(p.external_id) for p in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        expected = [p for p in stored if p.direction == "inbound" and keep(p)]
        by_id = {p.id: int(p.external_id) for p in stored}
        assert seen == [by_id[i] for i in _newest_first(expected)], filters


def _plans(session, call) -> list[str]:
    """The SQLite plan of each statement on the post table that `call` runs."""
    bind = session.get_bind()
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if " post" in statement and statement.lstrip().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(bind, "before_cursor_execute", seen)
    try:
        call()
    finally:
        event.remove(bind, "before_cursor_execute", seen)
    assert statements
    return [
        " | ".join(
            str(row[-1])
            for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + s, p)
        )
        for s, p in statements
    ]


def test_each_list_of_posts_seeks_an_index_in_its_order_instead_of_sorting_the_history(
    session,
):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by its statistics")
    brand_id, _ = _history(session)
    first = posts(session, limit=2).next_cursor
    since, until = START, START + timedelta(seconds=5)
    lists = {
        "every post": lambda: posts(session),
        "a label": lambda: posts(session, label="fail"),
        "a topic": lambda: posts(session, topic="billing"),
        "a period": lambda: posts(session, since=since, until=until),
        "after a cursor": lambda: posts(session, cursor=first),
        "a brand": lambda: posts(session, brand_id=brand_id),
        "a brand and a label": lambda: posts(session, brand_id=brand_id, label="praise"),
        "a brand after a cursor": lambda: posts(session, brand_id=brand_id, cursor=first),
        "a brand's posts not judged": lambda: posts(session, brand_id=brand_id, judged=False),
    }
    for name, call in lists.items():
        for plan in _plans(session, call):
            assert "SCAN post" not in plan and "TEMP B-TREE" not in plan, (name, plan)
    # Each of the three lists is a seek of a few rows; only those are sorted together.
    (plan,) = _plans(session, lambda: recent_posts(session, brand_id, 5))
    assert "SCAN post" not in plan and plan.count("INDEX ix_post_brand_label") == 3, plan
