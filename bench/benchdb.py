"""bench/api.py's database: the demo multiplied in SQL to any number of posts, kept on disk.

- `database(posts)` builds the SQLite file once and keeps it under var/bench/, keyed by
  the schema's head revision and a hash of the code that decides its content (the
  migrations, the demo, the scorer, the ranking, the post store and this module): a
  rerun reuses the file, a new migration or a change to that code builds a new one (and
  drops the old one of the same size, the 1M file being over half a gigabyte).
- `postgresql_copy(path, server)` copies such a file into a PostgreSQL database of the
  server named after it, once, so the same data can be explained and timed on both.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 6, 30)
NOW = datetime(2026, 7, 1, tzinfo=UTC)
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
SEED_POSTS = 10_000
COPY_COLUMNS = (
    "url, author_id, author_handle, author_followers, created_at, text, lang, brand_id, "
    "direction, in_reply_to_id, conversation_id, reply_ids, sentiment, label, topics, "
    "scorer_version, first_reply_id, first_reply_seconds, collected_at, run_id"
)
# What the file's content depends on besides the schema.
CONTENT = (
    "carescore/demo.py",
    "carescore/demo_brands.py",
    "carescore/demo_incidents.py",
    "carescore/scoring",
    "carescore/ranking",
    "carescore/store/migrations/versions",
    "carescore/store/posts.py",
    "carescore/store/tally.py",
    "bench/benchdb.py",
)


def content_hash() -> str:
    """A hash of the files in CONTENT: the demo's posts, their labels, their scores."""
    digest = hashlib.sha256()
    for name in CONTENT:
        path = ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file() and file.suffix in (".py", ".json"):
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def database(posts: int) -> Path:
    """bench/api.py's database of `posts` posts, built on first use and again after a new
    migration or a change to the code that decides its content."""
    from alembic.script import ScriptDirectory

    from carescore.store.db import make_engine
    from carescore.store.migrate import alembic_config

    engine = make_engine("sqlite://")
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    engine.dispose()
    path = ROOT / "var" / "bench" / f"api-{posts}-{head}-{content_hash()}.db"
    if not path.exists():
        for stale in path.parent.glob(f"api-{posts}-*"):
            stale.unlink()
        prepare(path, posts)
    return path


def prepare(path: Path, posts: int) -> None:
    """Demo brands and scored posts, multiplied to `posts` rows, ranked; kept for next time."""
    from sqlalchemy import text
    from sqlmodel import Session

    from carescore.demo import build_demo
    from carescore.ranking.snapshots import rank_brands
    from carescore.store.db import make_engine
    from carescore.store.migrate import upgrade

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    engine = make_engine(f"sqlite:///{partial}")
    upgrade(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        build_demo(session, AS_OF, n_posts=min(posts, SEED_POSTS))
    with engine.begin() as conn:
        seed = conn.execute(text("SELECT count(*) FROM post")).scalar_one()
        copies = -(-posts // seed) - 1
        if copies > 0:
            # The post table's indexes are built again once the copies are in, which is
            # several times quicker than keeping a dozen of them up to date row by row.
            indexes = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'post' AND sql IS NOT NULL"
                )
            ).all()
            for name, _sql in indexes:
                conn.execute(text(f'DROP INDEX "{name}"'))
            conn.execute(
                text(
                    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < :c) "
                    f"INSERT INTO post (platform, external_id, {COPY_COLUMNS}) "
                    f"SELECT platform, external_id || '-' || i, {COPY_COLUMNS} "
                    "FROM post, k LIMIT :n"
                ),
                {"c": copies, "n": posts - seed},
            )
            for _name, sql in indexes:
                conn.exec_driver_sql(sql)
        conn.execute(text("ANALYZE"))
        total = conn.execute(text("SELECT count(*) FROM post")).scalar_one()
    with Session(engine) as session:
        rank_brands(session, "90d", AS_OF, now=NOW)
        for month in MONTHS:
            rank_brands(session, month, AS_OF, now=NOW)
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    partial.rename(path)
    print(f"prepared {total:,} posts in {time.perf_counter() - started:.0f} s: {path}")


def postgresql_copy(path: Path, server: str) -> str:
    """The URL of a PostgreSQL database holding the same rows as the SQLite file `path`,
    on `server` (a URL without a database name), copied on first use: the schema by the
    migrations, then every table by COPY, then ANALYZE."""
    import psycopg
    from sqlalchemy import select
    from sqlmodel import SQLModel

    import carescore.store.models  # noqa: F401  (every table on the metadata)
    from carescore.store.db import make_engine
    from carescore.store.migrate import upgrade

    name = "bench_" + re.sub(r"[^a-z0-9]+", "_", path.stem.lower())
    base = server.rstrip("/")
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return f"{base}/{name}"
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_partial"')
        conn.execute(f'CREATE DATABASE "{name}_partial"')
    started = time.perf_counter()
    source = make_engine(f"sqlite:///{path}")
    target = make_engine(f"{base}/{name}_partial")
    upgrade(target)
    tables = [t for t in SQLModel.metadata.sorted_tables]
    with source.connect() as src, target.connect() as dst:
        raw = dst.connection.driver_connection
        for table in tables:
            columns = [c.name for c in table.columns]
            quoted = ", ".join(f'"{c}"' for c in columns)
            dst.exec_driver_sql(f'DELETE FROM "{table.name}"')
            with raw.cursor().copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in src.execute(select(table)).yield_per(10_000):
                    copy.write_row(
                        [json.dumps(v) if isinstance(v, dict | list) else v for v in row]
                    )
            if "id" in columns and table.c.id.autoincrement is not False:
                dst.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'coalesce(max(id), 0) + 1, false) FROM "{table.name}"'
                )
        dst.commit()
    source.dispose()
    target.dispose()
    with psycopg.connect(admin.removesuffix("/postgres") + f"/{name}_partial") as conn:
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"')
    print(f"copied into PostgreSQL in {time.perf_counter() - started:.0f} s: {name}")
    return f"{base}/{name}"
