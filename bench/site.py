"""Benchmark the site: median page time for a ranking and a brand page under gunicorn.

Fills a database with synthetic brands and posts (the ranking benchmark's generator,
straight into the `post` table), computes every ranking window with the production
engine, starts gunicorn on a free local port and times sequential requests from one
client, after a warm-up. Prints the median and 90th percentile per page.

    .venv/bin/python bench/site.py [--posts 1000000] [--brands 200] [--db sqlite|postgres]
                                   [--requests 200] [--workers 2]

Wall-clock figures on a shared machine (2 cores shared with other jobs): expect noise
of tens of percent, and compare medians rather than single runs.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rank import bulk_insert, database, prepare, synthetic_rows  # noqa: E402
from sqlmodel import Session  # noqa: E402

from carescore import reports  # noqa: E402
from carescore.ranking.snapshots import recompute_all  # noqa: E402
from carescore.store.db import make_engine  # noqa: E402

TARGET_MS = 15.0


def fill(url: str, posts: int, brands: int) -> str:
    """Brands, posts and every ranking window; returns the newest monthly snapshot."""
    prepare(url, brands)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    engine = make_engine(url)
    bulk_insert(engine, synthetic_rows(posts, brands, now, 365, 1, "p"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text("VACUUM ANALYZE post" if engine.dialect.name == "postgresql" else "ANALYZE")
        )
    print(f"built {posts:,} posts, {brands} brands in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with Session(engine) as session:
        rows = recompute_all(session, now.date(), now=now)
        session.commit()
        month = reports.months(session)[1]
    print(f"ranked every window ({rows} scores) in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return month


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "wsgi:app",
        ],
        cwd=ROOT,
        env={**os.environ, "CARESCORE_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def measure(client: httpx.Client, url: str, requests: int) -> list[float]:
    """Milliseconds per request, after 20 warm-up requests; every answer must be 200."""
    for _ in range(20):
        client.get(url).raise_for_status()
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--brands", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    kind = args.db.replace("postgres", "postgresql")
    url, cleanup = database(kind)
    try:
        month = fill(url, args.posts, args.brands)
        process, base = serve(url, args.workers)
        pages = {
            "ranking (90 days)": "/rankings/telecom",
            "ranking (month)": f"/rankings/telecom/{month}",
            "brand": "/brands/brand-5",
            "home": "/",
        }
        try:
            with httpx.Client(base_url=base, timeout=10) as client:
                print(f"{kind}, gunicorn {args.workers} workers, {args.requests} requests each:")
                for name, path in pages.items():
                    times = measure(client, path, args.requests)
                    median = statistics.median(times)
                    p90 = statistics.quantiles(times, n=10)[-1]
                    verdict = "ok" if median < TARGET_MS else f"over {TARGET_MS:.0f} ms"
                    print(
                        f"  {name:18} {path:26} median {median:6.2f} ms"
                        f"  p90 {p90:6.2f} ms  {verdict}"
                    )
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
