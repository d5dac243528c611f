"""Benchmark the ranking against one grouped scan of the same table, on both databases.

Builds synthetic rows straight into the `post` table (no scoring, no threading: this
times the ranking, not the import), then prints:

- the reference: one `SELECT brand_id, label, count(*) FROM post GROUP BY brand_id,
  label` over the same table, the least any ranking must do, timed (best of 3) just
  before and just after each ranking run and averaged;
- full: the 90-day and `all` windows and every month holding posts (`recompute_all`);
- incremental: after 10,000 new posts, `refresh_rankings`, i.e. the 90-day window and
  the months that are not final yet (final months are skipped).

Each ranking figure is printed in seconds and as a multiple of the scan measured in the
same run on the same database: the multiple compares across machines, the seconds do not.

    .venv/bin/python bench/rank.py [--posts 200000] [--brands 200] [--db sqlite|postgres|both]

Methodology 2.0 against 1.0: the rows are drawn with the 1.0 benchmark's random draws
(the case columns threading writes are added), so the last 1.0 commit ranks the same
posts. Run it from a temporary worktree with this virtualenv, alternating with this one
on a shared machine:

    git worktree add --detach /tmp/rank-1.0 6b7b863   # the last commit ranking by 1.0
    (cd /tmp && /path/to/.venv/bin/python /tmp/rank-1.0/bench/rank.py --posts 1000000)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from carescore.ranking.snapshots import recompute_all, refresh_rankings
from carescore.store.db import make_engine
from carescore.store.migrate import upgrade
from carescore.store.models import Brand

SECTORS = ("telecom", "airline", "bank", "retail", "energy")
ZONES = ("Europe/Paris", "America/New_York", "Europe/London", "UTC", "Asia/Tokyo")
TOPICS = ("outage", "billing", "delivery", "delay", "waiting", "account", "defect", "staff")
COLUMNS = (
    "platform",
    "external_id",
    "author_id",
    "author_followers",
    "created_at",
    "text",
    "lang",
    "brand_id",
    "direction",
    "in_reply_to_id",
    "conversation_id",
    "sentiment",
    "label",
    "topics",
    "first_reply_id",
    "first_reply_seconds",
    "collected_at",
    "thread_key",
    "opens_case",
    "case_reply_id",
    "case_reply_seconds",
    "case_recovered",
)
PG_URL = os.environ.get(
    "CARESCORE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def synthetic_rows(n: int, brands: int, end: datetime, days: int, seed: int, prefix: str):
    """Customer posts, brand replies (about 60% of complaints and questions) and customer
    follow-ups to 30% of the answered complaints, spread over `days` before `end`.

    Each customer post is its own conversation, so each complaint or question opens a
    case and a follow-up belongs to it: the case columns are written as threading would
    (`carescore.threads.cases`). The random draws are those of the 1.0 benchmark, in
    the same order, so both rank the same posts.
    """
    rng = random.Random(seed)
    span = days * 86400
    made = 0
    stamp = end.replace(tzinfo=None)
    while made < n:
        brand_id = rng.randint(1, brands)
        created = end - timedelta(seconds=rng.randrange(span))
        label = rng.choices(("praise", "fail", "question", "neutral"), (30, 35, 20, 15))[0]
        answered = label in ("fail", "question") and rng.random() < 0.6
        delay = int(rng.lognormvariate(8, 1.5)) if answered else None
        ext = f"{prefix}{made}"
        author = f"u{rng.randrange(n // 5 + 1)}"
        followers = int(rng.lognormvariate(5, 2))
        sentiment = rng.uniform(-1, 1)
        topics = rng.choice(TOPICS) if label == "fail" else ""
        made += 1
        reply = answered and made < n
        follow = reply and label == "fail" and rng.random() < 0.3 and made + 1 < n
        happy = follow and rng.random() < 0.5
        yield (
            "bench", ext, author, followers, created.replace(tzinfo=None), "...", "en",
            brand_id, "inbound", None, ext, sentiment, label, topics,
            f"{ext}r" if answered else None, delay, stamp,
            ext, label in ("fail", "question"), f"{ext}r" if answered else None, delay, happy,
        )  # fmt: skip
        if reply:
            yield (
                "bench", f"{ext}r", f"brand{brand_id}", None,
                (created + timedelta(seconds=delay)).replace(tzinfo=None), "...", "en",
                brand_id, "brand", ext, ext, 0.2, "neutral", "", None, None, stamp,
                ext, False, None, None, False,
            )  # fmt: skip
            made += 1
            if follow:
                yield (
                    "bench", f"{ext}f", author, None,
                    (created + timedelta(seconds=delay + 600)).replace(tzinfo=None), "...",
                    "en", brand_id, "inbound", f"{ext}r", ext, 0.6 if happy else -0.4,
                    "praise" if happy else "fail", "", None, None, stamp,
                    ext, False, None, None, False,
                )  # fmt: skip
                made += 1


def bulk_insert(engine, rows) -> None:
    """COPY on PostgreSQL, executemany on SQLite: the fastest plain path of each."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cursor.copy(f"COPY post ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in COLUMNS)
            cursor.executemany(
                f"INSERT INTO post ({', '.join(COLUMNS)}) VALUES ({marks})",
                (
                    (*r[:4], r[4].isoformat(sep=" "), *r[5:16], r[16].isoformat(sep=" "), *r[17:])
                    for r in rows
                ),
            )
        raw.commit()
    finally:
        raw.close()


def prepare(url: str, brands: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        for i in range(1, brands + 1):
            session.add(
                Brand(
                    id=i,
                    slug=f"brand-{i}",
                    name=f"Brand {i}",
                    sector=SECTORS[i % len(SECTORS)],
                    country="FR",
                    timezone=ZONES[i % len(ZONES)],
                )
            )
        session.commit()
    engine.dispose()


def database(kind: str) -> tuple[str, callable]:
    """A fresh database URL and a function that removes it afterwards."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="carescore-bench-")
        path = Path(folder) / "bench.db"
        return f"sqlite:///{path}", lambda: [p.unlink() for p in Path(folder).glob("bench.db*")]
    base = make_url(PG_URL)
    name = f"{base.database}_bench_{os.getpid()}"
    admin = make_engine(base.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


GROUPED_SCAN = "SELECT brand_id, label, count(*) FROM post GROUP BY brand_id, label"


def grouped_scan_seconds(engine) -> float:
    """Best of 3 runs of one grouped count over every post: the reference."""
    best = float("inf")
    with engine.connect() as conn:
        for _ in range(3):
            started = time.perf_counter()
            conn.execute(text(GROUPED_SCAN)).all()
            best = min(best, time.perf_counter() - started)
    return best


def run(kind: str, posts: int, brands: int, new_posts: int) -> None:
    url, cleanup = database(kind)
    try:
        prepare(url, brands)
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        bulk_insert(make_engine(url), synthetic_rows(posts, brands, now, 365, 1, "p"))
        engine = make_engine(url)
        if kind == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE post"))
        else:
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        print(
            f"{kind}: built {posts:,} posts, {brands} brands "
            f"in {time.perf_counter() - started:.1f} s"
        )
        scan = grouped_scan_seconds(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            rows = recompute_all(session, now.date(), now=now)
            session.commit()
            full = time.perf_counter() - started
        scan = (scan + grouped_scan_seconds(engine)) / 2
        print(
            f"{kind}: full recomputation ({rows} scores) {full:.2f} s = "
            f"{full / scan:.0f} x the grouped scan ({scan:.3f} s, before and after)"
        )
        bulk_insert(engine, synthetic_rows(new_posts, brands, now, 2, 2, "n"))
        scan = grouped_scan_seconds(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            rows = refresh_rankings(session, now.date(), now=now)
            session.commit()
            incremental = time.perf_counter() - started
        scan = (scan + grouped_scan_seconds(engine)) / 2
        print(
            f"{kind}: incremental after {new_posts:,} new posts ({rows} scores) "
            f"{incremental:.2f} s = {incremental / scan:.1f} x the grouped scan ({scan:.3f} s)"
        )
        engine.dispose()
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--brands", type=int, default=200)
    parser.add_argument("--new-posts", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    kinds = (
        ["sqlite", "postgresql"]
        if args.db == "both"
        else [args.db.replace("postgres", "postgresql")]
    )
    for kind in kinds:
        run(kind, args.posts, args.brands, args.new_posts)


if __name__ == "__main__":
    main()
