"""Benchmark the site's pages against a Flask hello-world under the same gunicorn.

Fills a database with synthetic brands and posts (the ranking benchmark's generator,
straight into the `post` table), computes every ranking window with the production
engine, then starts gunicorn with the production configuration serving both the site and,
under /hello, a bare Flask hello-world app (`bench/api.py`'s `wsgi_app`). One client
times sequential requests, after a warm-up, the hello-world and the pages taking turns,
one request each. Prints
the median and 90th percentile per page and the page's median as a multiple of the
hello-world's, measured in the same run: the multiple compares across machines, the
milliseconds do not.

    .venv/bin/python bench/site.py [--posts 200000] [--brands 200] [--db sqlite|postgres]
                                   [--requests 100] [--workers 2]
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

from carescore.ranking.snapshots import recompute_all  # noqa: E402
from carescore.read.rankings import snapshot_months  # noqa: E402
from carescore.store.db import make_engine  # noqa: E402


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
        month = snapshot_months(session)[1][0]
    print(f"ranked every window ({rows} scores) in {time.perf_counter() - started:.1f} s")
    engine.dispose()
    return month


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "CARESCORE_DATABASE_URL": url,
        "CARESCORE_BIND": f"127.0.0.1:{port}",
        "CARESCORE_WORKERS": str(workers),
        "CARESCORE_LOG_LEVEL": "warning",
        "CARESCORE_ACCESS_LOG_FILE": "/dev/null",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:website.gunicorn_conf", "api:wsgi_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def measure(client: httpx.Client, paths: list[str], requests: int) -> dict[str, list[float]]:
    """Milliseconds per request and path, after 20 warm-up requests each; every answer
    must be 200. The paths take turns, one request each, so that a burst of load on a
    shared machine falls on the hello-world reference as much as on the pages."""
    for path in paths:
        for _ in range(20):
            client.get(path).raise_for_status()
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(requests):
        for path in paths:
            started = time.perf_counter()
            response = client.get(path)
            times[path].append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--brands", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    kind = args.db.replace("postgres", "postgresql")
    url, cleanup = database(kind)
    try:
        month = fill(url, args.posts, args.brands)
        process, base = serve(url, args.workers)
        pages = {
            "hello-world": "/hello/",
            "ranking (90 days)": "/rankings/telecom",
            "ranking (month)": f"/rankings/telecom/{month}",
            "brand": "/brands/brand-5",
            "home": "/",
        }
        try:
            with httpx.Client(base_url=base, timeout=10) as client:
                print(
                    f"{kind}, {args.posts:,} posts, {args.brands} brands, gunicorn_conf.py with "
                    f"{args.workers} workers, {args.requests} sequential requests each:"
                )
                times = measure(client, list(pages.values()), args.requests)
                hello = statistics.median(times[pages["hello-world"]])
                for name, path in pages.items():
                    median = statistics.median(times[path])
                    p90 = statistics.quantiles(times[path], n=10)[-1]
                    print(
                        f"  {name:18} {path:26} median {median:6.2f} ms  p90 {p90:6.2f} ms"
                        f"  = {median / hello:4.1f} x hello-world"
                    )
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        cleanup()


if __name__ == "__main__":
    main()
