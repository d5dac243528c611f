"""Which statements of the pages and API answers cost more as the posts grow.

    .venv/bin/python bench/statements.py [--posts 10000,1000000] [--repeat 15] [--plans]
        [--postgresql postgresql+psycopg://postgres@127.0.0.1:5432/] [--only /brands/...]

For each size, bench/serving.py's database of that many posts (built on first use) with
its incidents detected, so the incident pages have something to read: a copy kept beside
it, or with `--postgresql` a copy in a PostgreSQL database of that server, also kept
between runs. Every page and API answer is asked once through WSGI, caches off,
and each SQL statement it runs is recorded with its parameters; each statement is then
run again on its own `--repeat` times (execute and fetch every row, no ORM) and its
median time kept. One row per statement of each answer, the smallest size beside the
largest, largest ratio first; `--plans` adds the query plan of the statements that grow
(SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN ANALYZE). A statement that grows with
the history is one the posts' indexes do not serve.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from benchdb import MONTHS, database, postgresql_copy  # noqa: E402
from profile_routes import call  # noqa: E402
from serving import SLUG  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

OLD = "2025-08-01T00:00:00+00:00"
# Every GET answer of the site and the API that reads the database, with the filters of
# the posts list that choose different indexes (brand, label, topic, period, deep cursor).
ROUTES = (
    "/",
    "/rankings/telecom",
    f"/rankings/telecom/{MONTHS[-1]}",
    f"/brands/{SLUG}",
    f"/brands/{SLUG}/incidents.atom",
    f"/brands/{SLUG}/incidents/{{incident}}",
    f"/compare?brands={SLUG},skylark-airways",
    "/search?q=nim",
    "/methodology",
    "/about/data",
    "/feed.atom",
    "/incidents.atom",
    f"/badge/{SLUG}.svg",
    f"/embed/brands/{SLUG}",
    "/api/v1/brands",
    f"/api/v1/brands/{SLUG}",
    f"/api/v1/brands/{SLUG}/history",
    f"/api/v1/brands/{SLUG}/reply",
    f"/api/v1/brands/{SLUG}/delays",
    f"/api/v1/brands/{SLUG}/topics",
    f"/api/v1/brands/{SLUG}/incidents",
    f"/api/v1/compare?brands={SLUG},skylark-airways",
    "/api/v1/rankings",
    "/api/v1/rankings?sector=telecom",
    "/api/v1/leaders",
    "/api/v1/movers",
    "/api/v1/sectors",
    "/api/v1/search?q=nim",
    "/api/v1/incidents",
    "/api/v1/incidents?cursor={old}",
    "/api/v1/accuracy",
    "/api/v1/methodology",
    "/api/v1/posts",
    "/api/v1/posts?label=fail",
    "/api/v1/posts?topic=billing",
    "/api/v1/posts?topic=account",
    f"/api/v1/posts?since={OLD[:10]}&until=2025-08-08",
    f"/api/v1/posts?brand={SLUG}",
    f"/api/v1/posts?brand={SLUG}&label=praise",
    f"/api/v1/posts?brand={SLUG}&topic=billing",
    f"/api/v1/posts?brand={SLUG}&since={OLD[:10]}&until=2025-08-08",
    "/api/v1/posts?cursor={old}",
    f"/api/v1/posts?brand={SLUG}&cursor={{old}}",
)


class Recorder:
    """Every statement a request runs, with its parameters, in order."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] | None = None
        event.listen(Engine, "before_cursor_execute", self._before)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.seen is not None and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.seen.append((statement, parameters))

    def statements(self, app, path: str) -> list[tuple[str, Any]]:
        self.seen = []
        try:
            status, _ = call(app, path)
        finally:
            seen, self.seen = self.seen, None
        if not status.startswith("200"):
            print(f"  {path}: {status}", file=sys.stderr)
        return seen


def _detect(url: str) -> None:
    """Detect the incidents of the database at `url`, unless done already, and analyse
    their tables."""
    from sqlalchemy import func, select, text
    from sqlmodel import Session

    from carescore.incidents import refresh_incidents
    from carescore.store.db import make_engine
    from carescore.store.incident_tables import IncidentState

    engine = make_engine(url)
    with Session(engine) as session:
        if not session.execute(select(func.count()).select_from(IncidentState)).scalar_one():
            refresh_incidents(session, full=True)
            session.commit()
        # The database's statistics were gathered before there were incidents.
        for table in ("incident", "incidentstate", "complainthour"):
            session.execute(text(f"ANALYZE {table}"))
        session.commit()
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def with_incidents(path: Path, postgresql: str | None) -> str:
    """The URL of a copy of the database with its incidents detected, made once (the
    benchmarks' own file is left as it is)."""
    import shutil

    if postgresql:
        url = postgresql_copy(path, postgresql)
        _detect(url)
        return url
    copy = path.with_name(path.stem + "-incidents.db")
    if not copy.exists():
        partial = copy.with_suffix(".partial")
        shutil.copy(path, partial)
        _detect(f"sqlite:///{partial}")
        partial.rename(copy)
    return f"sqlite:///{copy}"


def _incident_key(engine: Engine) -> str:
    """The key of the brand's newest incident, as its page's address names it."""
    from sqlalchemy import select

    from carescore.read.incidents import KEY_FORMAT
    from carescore.store.incident_tables import Incident
    from carescore.store.models import Brand

    with engine.connect() as conn:
        start, topic = conn.execute(
            select(Incident.start_at, Incident.topic)
            .join(Brand, Brand.id == Incident.brand_id)
            .where(Brand.slug == SLUG)
            .order_by(Incident.start_at.desc())
            .limit(1)
        ).one()
    return start.strftime(KEY_FORMAT) + (f".{topic}" if topic else "")


def _app(url: str):
    from carescore.settings import load_settings
    from website import create_app

    return create_app(
        load_settings(
            database_url=url,
            api_cache_seconds=0,
            page_cache_seconds=0,
            ratelimit="100000000 per minute",
            log_level="warning",
        )
    )


def _timed(engine: Engine, statement: str, parameters: Any, repeat: int) -> float:
    """Median seconds to execute the statement and fetch all its rows, straight on the driver."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        times = []
        for _ in range(repeat + 1):
            started = time.perf_counter()
            cursor.execute(statement, parameters)
            cursor.fetchall()
            times.append(time.perf_counter() - started)
        cursor.close()
        return statistics.median(times[1:])
    finally:
        raw.close()


def _plan(engine: Engine, statement: str, parameters: Any) -> str:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(f"    {row[1]:>3} {row[3]}" for row in cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return "\n".join(f"    {row[0]}" for row in cursor.fetchall())
    finally:
        raw.rollback()
        raw.close()


def _short(statement: str) -> str:
    text = re.sub(r"\s+", " ", statement)
    text = re.sub(r"SELECT .*? FROM", "SELECT ... FROM", text, count=1)
    return text[:110]


def _measure(url: str, repeat: int, routes: list[str]) -> dict[tuple[str, int], tuple]:
    from carescore.read.posts import encode_time_cursor
    from carescore.store.db import make_engine

    old = encode_time_cursor(datetime.fromisoformat(OLD), 0)
    app = _app(url)
    engine = make_engine(url)
    recorder = Recorder()
    out = {}
    incident = _incident_key(engine)
    for path in routes:
        target = path.replace("{old}", old).replace("{incident}", incident)
        call(app, target)
        for i, (statement, parameters) in enumerate(recorder.statements(app, target)):
            seconds = _timed(engine, statement, parameters, repeat)
            out[(path, i)] = (statement, parameters, seconds)
    event.remove(Engine, "before_cursor_execute", recorder._before)
    return out, engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", default="10000,1000000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--plans", action="store_true", help="plans of the statements that grow")
    parser.add_argument("--postgresql", help="server URL: copy each database there")
    parser.add_argument("--only", action="append", help="only these paths")
    parser.add_argument("--all", action="store_true", help="every statement, not only growing")
    args = parser.parse_args()
    sizes = [int(s) for s in args.posts.split(",")]
    routes = args.only or list(ROUTES)
    runs = []
    for size in sizes:
        url = with_incidents(database(size), args.postgresql)
        print(f"{size:,} posts: {url}", file=sys.stderr)
        runs.append(_measure(url, args.repeat, routes))
    (small, _), (large, engine) = runs[0], runs[-1]
    rows = []
    for key, (_statement, _parameters, seconds) in large.items():
        before = small.get(key, (None, None, float("nan")))[2]
        rows.append((seconds / before if before else float("inf"), key, before, seconds))
    rows.sort(key=lambda r: -r[0])
    print(f"| answer | # | statement | {sizes[0]:,} ms | {sizes[-1]:,} ms | x |")
    print("|---|---|---|---|---|---|")
    grows = []
    for ratio, key, before, after in rows:
        growing = ratio > 1.5 and after - before > 0.05e-3
        if growing:
            grows.append(key)
        if growing or args.all:
            statement = large[key][0]
            print(
                f"| {key[0]} | {key[1]} | `{_short(statement)}` | {before * 1000:.3f} | "
                f"{after * 1000:.3f} | {ratio:.1f} |"
            )
    print(f"\n{len(grows)} of {len(rows)} statements grow (x > 1.5 and > 0.05 ms more)")
    if args.plans:
        for key in grows:
            statement, parameters, _ = large[key]
            flat = re.sub(r"\s+", " ", statement)
            print(f"\n{key[0]} #{key[1]}: {flat[:400]}")
            print(_plan(engine, statement, parameters))


if __name__ == "__main__":
    main()
