"""Prepared statements give the ORM's values and fail the way SQLAlchemy fails."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, Numeric, Table, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from carescore.read.prepared import Prepared
from carescore.store.db import is_outage, make_engine
from carescore.store.models import Brand, BrandScore

AT = datetime(2026, 5, 1, 9, 30, 15, 123_456, tzinfo=UTC)
NAMES = ("computed_at", "period_start", "ranked", "topics", "reply_rate", "rank_overall")


def test_values_come_back_as_the_orm_reads_them(session):
    brand = Brand(slug="acme", name="Acme", sector="telecom", country="FR", is_demo=True)
    session.add(brand)
    session.flush()
    session.add(
        BrandScore(
            brand_id=brand.id,
            window="90d",
            period="2026-05-01",
            methodology_version="2.0",
            computed_at=AT,
            topics={"billing": 3},
            reply_rate=0.25,
            ranked=True,
        )
    )
    session.commit()
    columns = (Brand.slug, Brand.is_demo, *(BrandScore.__table__.c[name] for name in NAMES))
    statement = (
        select(*columns)
        .join(BrandScore, BrandScore.brand_id == Brand.id)
        .where(Brand.slug == bindparam("slug"))
    )
    [row] = Prepared(statement).rows(session, slug="acme")
    [orm] = session.execute(statement, {"slug": "acme"}).all()
    assert tuple(row) == tuple(orm)
    assert row.computed_at == AT and row.computed_at.tzinfo is not None
    assert row.is_demo is True and row.ranked is True and row.topics == {"billing": 3}
    assert row.period_start is None and row.slug == "acme"
    assert Prepared(statement).rows(session, slug="nobody") == []


def test_a_type_it_cannot_decode_is_refused_at_once():
    table = Table("t", MetaData(), Column("id", Integer), Column("amount", Numeric()))
    with pytest.raises(TypeError, match="decode"):
        Prepared(select(table.c.amount))


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(session):
    """The same class (OperationalError on SQLite, which `is_outage` counts, as for the
    ORM), the driver's error kept as `orig`."""
    missing = select(Table("no_such_table", MetaData(), Column("id", Integer)).c.id)
    with pytest.raises(DBAPIError) as by_orm:
        session.execute(missing)
    session.rollback()
    with pytest.raises(DBAPIError) as prepared:
        Prepared(missing).rows(session)
    session.rollback()
    assert type(prepared.value) is type(by_orm.value)
    assert type(prepared.value.orig) is type(by_orm.value.orig)
    assert is_outage(prepared.value) == is_outage(by_orm.value)


def test_a_database_it_cannot_reach_is_an_outage():
    """The pool hands on the driver's own error when it cannot connect; a prepared
    statement raises SQLAlchemy's, so the site answers 503 as for any other statement."""
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/unreachable")
    with Session(engine) as unreachable, pytest.raises(DBAPIError) as prepared:
        Prepared(select(Brand.id)).rows(unreachable)
    with Session(engine) as unreachable, pytest.raises(DBAPIError) as by_orm:
        unreachable.execute(select(Brand.id))
    engine.dispose()
    assert type(prepared.value) is type(by_orm.value)
    assert is_outage(prepared.value) and is_outage(by_orm.value)


def test_inside_a_transaction_it_sees_what_the_session_wrote(session):
    by_slug = Prepared(select(Brand.name).where(Brand.slug == bindparam("slug")))
    assert by_slug.rows(session, slug="acme") == []
    session.add(Brand(slug="acme", name="Acme", sector="telecom", country="FR"))
    session.flush()  # not committed: only the session's own connection sees it
    assert [tuple(row) for row in by_slug.rows(session, slug="acme")] == [("Acme",)]
    session.rollback()
    assert by_slug.rows(session, slug="acme") == []
