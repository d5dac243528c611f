"""Scale on PostgreSQL: import rate, full ranking time and API p99 at growing sizes.

    python bench/scale.py [--sizes 1000000,10000000] [--brands 1000] [--seconds 15]

For each size it builds a fresh PostgreSQL database with `bench/rank.py`'s synthetic posts
(COPY, the bulk path an operator would use to load history; the per-post import path with
scoring is measured by `bench/import.py`), recomputes every ranking with `recompute_all`,
then serves the real app with website/gunicorn_conf.py against that database and measures
`/api/v1/rankings` and `/api/v1/brands/{slug}` with bounded loopback load. Prints one
table row per size, so growth from 1M to 10M reads off directly. The full ranking is also
given as a multiple of one grouped scan of the same table (`bench/rank.py`'s reference).
Not part of `make bench`: at its default sizes it runs for an hour or more.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from api import free_port, load_python  # noqa: E402
from rank import bulk_insert, database, grouped_scan_seconds, prepare, synthetic_rows  # noqa: E402

from carescore.ranking.snapshots import recompute_all  # noqa: E402
from carescore.store.db import make_engine  # noqa: E402


def serve(url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "CARESCORE_DATABASE_URL": url,
        "CARESCORE_BIND": f"127.0.0.1:{port}",
        "CARESCORE_RATELIMIT": "100000000 per minute",
        "CARESCORE_LOG_LEVEL": "warning",
        "CARESCORE_ACCESS_LOG_FILE": "/dev/null",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:website.gunicorn_conf", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("gunicorn did not start")


def measure(size: int, brands: int, seconds: int) -> dict[str, float]:
    url, cleanup = database("postgresql")
    try:
        prepare(url, brands)
        now = datetime.now(UTC).replace(microsecond=0)
        engine = make_engine(url)
        started = time.perf_counter()
        bulk_insert(engine, synthetic_rows(size, brands, now, 365, 1, "p"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE post"))
        imported = size / (time.perf_counter() - started)
        scan = grouped_scan_seconds(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            scores = recompute_all(session, now.date(), now=now)
            session.commit()
            ranking = time.perf_counter() - started
        engine.dispose()
        server, base = serve(url)
        try:
            figures = {
                "size": size,
                "import_per_s": imported,
                "rank_s": ranking,
                "scan_s": scan,
                "scores": scores,
            }
            for name, path in (
                ("rankings", "/api/v1/rankings"),
                ("brand", "/api/v1/brands/brand-1"),
            ):
                load_python(base + path, 2, 4)  # warm every worker
                rps, p99, errors, _done = (
                    load_python(base + path, seconds, 4) if seconds else (0, 0, 0, 0)
                )
                figures[f"{name}_rps"], figures[f"{name}_p99_ms"] = rps, p99 * 1000
                figures[f"{name}_errors"] = errors
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        return figures
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--brands", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=15, help="API load per route; 0 skips it")
    args = parser.parse_args()
    print(
        "| posts | brands | import (COPY) posts/s | full ranking (x grouped scan) | scores | "
        "rankings req/s, p99 | brand req/s, p99 | errors |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        f = measure(size, args.brands, args.seconds)
        print(
            f"| {size:,} | {args.brands} | {f['import_per_s']:,.0f} | "
            f"{f['rank_s']:.1f} s ({f['rank_s'] / f['scan_s']:.0f} x {f['scan_s']:.2f} s) | "
            f"{f['scores']:,} | {f['rankings_rps']:.0f}, {f['rankings_p99_ms']:.0f} ms | "
            f"{f['brand_rps']:.0f}, {f['brand_p99_ms']:.0f} ms | "
            f"{f['rankings_errors'] + f['brand_errors']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
