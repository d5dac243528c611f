"""Incident lists read from indexes in the order they are shown (migration 0015), so a
page of incidents costs the same however many incidents the history holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from carescore.read.incidents import brand_incidents, broken_now, find_incidents
from carescore.store.incident_tables import Incident
from carescore.store.models import Brand

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def _incidents(session) -> None:
    """Two brands' incidents over a year, the newest of each still open."""
    brands = [Brand(slug=s, name=s.title(), sector="telecom", country="FR") for s in ("a", "b")]
    session.add_all(brands)
    session.flush()
    for n in range(30):
        start = NOW - timedelta(days=12 * n)
        session.add(
            Incident(
                brand_id=brands[n % 2].id,
                start_at=start,
                detected_at=start,
                end_at=None if n < 2 else start + timedelta(hours=5),
                is_open=n < 2,
                peak_at=start,
                detector_version="1",
                computed_at=NOW,
            )
        )
    session.commit()


def _plans(session, call) -> list[str]:
    bind = session.get_bind()
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if re.search(r"FROM incident\b(?!state)", statement):
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


def test_incident_lists_seek_their_index_instead_of_reading_every_incident(session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by its statistics")
    _incidents(session)
    assert len(find_incidents(session, limit=50).items) == 30
    assert len(brand_incidents(session, "a").incidents) == 15
    page = broken_now(session, now=NOW)
    assert len(page.open) == 2 and not page.recent
    for name, call in {
        "every incident": lambda: find_incidents(session, limit=10),
        "a brand's": lambda: find_incidents(session, brand_slug="a", limit=10),
        "a brand's page": lambda: brand_incidents(session, "a", limit=10),
    }.items():
        for plan in _plans(session, call):
            # Walked in its index's order and stopped at the page's end: no sort.
            assert "TEMP B-TREE" not in plan, (name, plan)
            assert "ix_incident_recent" in plan or "ix_incident_brand_start" in plan, plan
    (plan,) = _plans(session, lambda: broken_now(session, now=NOW))
    assert "ix_incident_open_now" in plan and "ix_incident_end" in plan, plan
