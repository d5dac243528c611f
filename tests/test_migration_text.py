"""Migration 0008_text_as_written: stored X and TWCS texts lose their HTML entities once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import command

from carescore.store.generation import current_generation
from carescore.store.migrate import alembic_config, upgrade

WHEN = datetime(2024, 5, 13, 9, 0)
_run = sa.table(
    "collectorrun",
    sa.column("id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("started_at", sa.DateTime),
    sa.column("status", sa.String),
    sa.column("fetched", sa.Integer),
    sa.column("inserted", sa.Integer),
    sa.column("duplicates", sa.Integer),
    sa.column("rejected", sa.Integer),
    sa.column("errors", sa.JSON),
)
_post = sa.table(
    "post",
    sa.column("platform", sa.String),
    sa.column("external_id", sa.String),
    sa.column("author_id", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("collected_at", sa.DateTime),
    sa.column("text", sa.Text),
    sa.column("lang", sa.String),
    sa.column("direction", sa.String),
    sa.column("topics", sa.String),
    sa.column("run_id", sa.Integer),
)
# (platform, external id, run's source, text as stored by the earlier code)
STORED = [
    ("twcs", "1", "import:twcs", "staff &amp; stock &lt;3"),
    ("twcs", "2", "import:twcs", "I mean &amp;amp; itself"),
    ("x", "3", "x", "Settings &gt; Account"),
    ("x", "4", "import:jsonl", "a file said &amp; and meant it"),
    ("demo", "5", "demo", "Q&amp;A"),
    ("twcs", "6", "import:twcs", "no entity, & a bare ampersand"),
]
AS_WRITTEN = {
    "1": "staff & stock <3",
    "2": "I mean &amp; itself",
    "3": "Settings > Account",
    "4": "a file said &amp; and meant it",
    "5": "Q&amp;A",
    "6": "no entity, & a bare ampersand",
}


def _texts(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(_post.c.external_id, _post.c.text)).all())


def test_stored_texts_are_decoded_once_and_the_caches_told(engine):
    config = alembic_config(engine)
    command.downgrade(config, "0007_human_index")
    try:
        with engine.begin() as conn:
            for run_id, (platform, ext, source, text) in enumerate(STORED, 1):
                conn.execute(
                    sa.insert(_run).values(
                        id=run_id,
                        source=source,
                        started_at=WHEN,
                        status="ok",
                        fetched=1,
                        inserted=1,
                        duplicates=0,
                        rejected=0,
                        errors=[],
                    )
                )
                conn.execute(
                    sa.insert(_post).values(
                        platform=platform,
                        external_id=ext,
                        author_id="a",
                        created_at=WHEN,
                        collected_at=WHEN,
                        text=text,
                        lang="en",
                        direction="inbound",
                        topics="",
                        run_id=run_id,
                    )
                )
            before = current_generation(conn)
        command.upgrade(config, "0008_text_as_written")
        assert _texts(engine) == AS_WRITTEN
        with engine.connect() as conn:
            assert current_generation(conn) == before + 1
        command.downgrade(config, "0007_human_index")
        restored = _texts(engine)
        assert restored["1"] == "staff &amp; stock &lt;3"
        assert restored["3"] == "Settings &gt; Account"
        assert restored["2"] == "I mean &amp;amp; itself" and restored["5"] == "Q&amp;A"
        assert restored["6"] == "no entity, &amp; a bare ampersand"  # as X would have sent it
    finally:
        upgrade(engine)
