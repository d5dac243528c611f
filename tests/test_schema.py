from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from carescore.store.migrate import alembic_config, current_revision, upgrade
from carescore.store.models import Brand, Post


def test_migration_creates_every_table_and_is_idempotent(engine):
    upgrade(engine)  # second run on an up-to-date database
    tables = set(inspect(engine).get_table_names())
    assert {
        "brand",
        "brandaccount",
        "post",
        "brandscore",
        "checkpoint",
        "collectorrun",
        "removal",
        "complainthour",
        "incidentstate",
        "incident",
        "brandkey",
        "statement",
        "dispute",
        "auditentry",
    } <= tables
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) == head


def _post(**kw):
    base = dict(
        platform="x",
        external_id="1",
        author_id="a",
        text="hi",
        direction="inbound",
        created_at=datetime(2024, 5, 13, 9, 15, tzinfo=UTC),
        collected_at=datetime.now(UTC),
    )
    base.update(kw)
    return Post(**base)


def test_post_platform_external_id_is_unique(session):
    session.add(_post())
    session.commit()
    session.add(_post(text="again"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_timestamps_come_back_as_aware_utc(session):
    paris = timezone(timedelta(hours=2))
    session.add(_post(created_at=datetime(2024, 5, 13, 11, 15, tzinfo=paris)))
    session.commit()
    session.expunge_all()
    post = session.execute(select(Post)).scalar_one()
    assert post.created_at == datetime(2024, 5, 13, 9, 15, tzinfo=UTC)
    assert post.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(session):
    session.add(_post(created_at=datetime(2024, 5, 13, 9, 15)))
    with pytest.raises(Exception, match="naive datetime"):
        session.commit()


def test_json_columns_round_trip(session):
    session.add(
        Brand(
            slug="b",
            name="B",
            sector="telecom",
            country="FR",
            keywords=["box", "fibre"],
            hashtags=["#bfail"],
        )
    )
    session.commit()
    session.expunge_all()
    brand = session.execute(select(Brand)).scalar_one()
    assert brand.keywords == ["box", "fibre"]


def test_methodology_2_migration_builds_the_cases_of_existing_posts(tmp_path):
    """Posts stored before 0003_methodology_2 get their conversations and cases."""
    from alembic import command
    from sqlalchemy import text

    from carescore.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    before = (
        ScriptDirectory.from_config(alembic_config(engine))
        .get_revision("0003_methodology_2")
        .down_revision
    )
    upgrade(engine, before)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO brand (id, slug, name, sector, country, timezone, keywords, "
                "hashtags, is_demo) VALUES (1, 'acme', 'Acme', 'telecom', 'FR', 'UTC', "
                "'[]', '[]', 0)"
            )
        )
        for ext, direction, reply_to, minute, label in (
            ("1", "inbound", None, 0, "fail"),
            ("2", "inbound", "1", 1, "fail"),
            ("3", "brand", "2", 10, "neutral"),
        ):
            conn.execute(
                text(
                    "INSERT INTO post (platform, external_id, author_id, created_at, text, "
                    "lang, brand_id, direction, in_reply_to_id, label, topics, collected_at) "
                    "VALUES ('x', :ext, :author, :created, '...', 'en', 1, :direction, "
                    ":reply_to, :label, '', :created)"
                ),
                {
                    "ext": ext,
                    "author": "acme" if direction == "brand" else "c1",
                    "created": f"2024-05-13 09:{minute:02d}:00.000000",
                    "direction": direction,
                    "reply_to": reply_to,
                    "label": label,
                },
            )
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT external_id, thread_key, opens_case, case_reply_seconds FROM post")
        ).all()
    assert sorted(tuple(r) for r in rows) == [
        ("1", "1", 1, 600),  # one case for the two complaints, answered through the second
        ("2", "1", 0, None),
        ("3", "1", 0, None),
    ]
    command.downgrade(alembic_config(engine), before)
    assert current_revision(engine) == before
    engine.dispose()
