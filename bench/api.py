"""Benchmark the JSON API under gunicorn against a hello-world Flask route, in one run.

    .venv/bin/python bench/api.py [--posts 200000] [--duration 5] [--connections 8]

1. Prepares a SQLite database once (cached under var/bench/): the demo brands with
   10,000 scored demo posts, multiplied in SQL up to `--posts`, then ranked (90 days and
   the last six months) by the production ranking.
2. Starts gunicorn with the production configuration (website/gunicorn_conf.py: sync workers,
   2 x CPUs + 1, access log) on a free loopback port. The same processes serve the
   Carescore app and, under /hello, a bare Flask app with one hello-world route.
3. Loads each URL with wrk (Debian's `wrk`, or a bounded Python fallback of threads when
   wrk is missing), in interleaved rounds, and prints the median req/s and p99 per URL
   and the ratio to hello.

The rate limit is raised for the run (all requests come from one address). The machine
may be shared: read the figures as +-20%, and compare rows of the same run only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = date(2026, 6, 30)
NOW = datetime(2026, 7, 1, tzinfo=UTC)
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
SEED_POSTS = 10_000
SLUG = "nimbus-telecom"
COPY_COLUMNS = (
    "url, author_id, author_handle, author_followers, created_at, text, lang, brand_id, "
    "direction, in_reply_to_id, conversation_id, reply_ids, sentiment, label, topics, "
    "scorer_version, first_reply_id, first_reply_seconds, collected_at, run_id"
)


def wsgi_app():
    """What gunicorn serves: the Carescore app, with a bare hello-world Flask app at /hello.

    The Carescore app also gets a hello-world route (/bench-hello), which pays for the
    app's own request hooks (request id, JSON log line, metrics, security headers): the
    gap between it and /hello is the framework around the API, not the API.
    """
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from website import create_app

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    app = create_app()
    app.add_url_rule("/bench-hello", "bench_hello", lambda: "Hello, World!")
    return DispatcherMiddleware(app, {"/hello": hello})


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
            conn.execute(
                text(
                    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < :c) "
                    f"INSERT INTO post (platform, external_id, {COPY_COLUMNS}) "
                    f"SELECT platform, external_id || '-' || i, {COPY_COLUMNS} "
                    "FROM post, k LIMIT :n"
                ),
                {"c": copies, "n": posts - seed},
            )
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    db: Path, port: int, ratelimit_storage: str, cache_seconds: float
) -> subprocess.Popen:
    env = {
        **os.environ,
        "CARESCORE_DATABASE_URL": f"sqlite:///{db}",
        "CARESCORE_BIND": f"127.0.0.1:{port}",
        "CARESCORE_RATELIMIT": "100000000 per minute",
        "CARESCORE_RATELIMIT_STORAGE": ratelimit_storage,
        "CARESCORE_API_CACHE_SECONDS": str(cache_seconds),
        "CARESCORE_LOG_LEVEL": "warning",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:website.gunicorn_conf", "api:wsgi_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/hello/", timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _seconds(value: str, unit: str) -> float:
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def load_wrk(url: str, duration: int, connections: int) -> tuple[float, float, int, int]:
    """req/s, p99 in seconds, non-2xx answers and requests made, measured by wrk."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    done = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, _seconds(*p99.groups()), int(errors.group(1)) if errors else 0, done


def load_python(url: str, duration: int, connections: int) -> tuple[float, float, int, int]:
    """The same measure without wrk: `connections` threads, at most 20,000 requests."""
    import httpx

    latencies: list[float] = []
    errors = 0
    budget = threading.Semaphore(20_000)
    deadline = time.monotonic() + duration
    lock = threading.Lock()

    def worker() -> None:
        nonlocal errors
        with httpx.Client() as client:
            while time.monotonic() < deadline and budget.acquire(blocking=False):
                start = time.perf_counter()
                status = client.get(url).status_code
                with lock:
                    latencies.append(time.perf_counter() - start)
                    errors += status >= 400

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    return len(latencies) / elapsed, p99, errors, len(latencies)


def server_cpu_seconds(master: int) -> float:
    """CPU time of gunicorn's master and workers, the dead ones included (reaped workers'
    time is added to the master's cutime and cstime).

    CPU per request hardly depends on what else the machine runs, unlike req/s."""
    tick = os.sysconf("SC_CLK_TCK")

    def fields(pid: int) -> list[str]:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()

    own = fields(master)
    total = sum(int(v) for v in own[11:15])  # utime stime cutime cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = fields(int(entry))
            except OSError:
                continue
            if int(stat[1]) == master:
                total += int(stat[11]) + int(stat[12])
    return total / tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measure")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--ratelimit-storage",
        default="memory://",
        help="memory:// (the default config) or redis://127.0.0.1:6379/0 (shared count)",
    )
    parser.add_argument(
        "--cache-seconds",
        type=float,
        default=10,
        help="CARESCORE_API_CACHE_SECONDS: 10 is the default config; 0 builds every answer",
    )
    args = parser.parse_args()

    db = ROOT / "var" / "bench" / f"api-{args.posts}.db"
    if not db.exists():
        prepare(db, args.posts)
    load = load_wrk if shutil.which("wrk") else load_python
    port = free_port()
    server = start_gunicorn(db, port, args.ratelimit_storage, args.cache_seconds)
    base = f"http://127.0.0.1:{port}"
    urls = {
        "hello": f"{base}/hello/",
        "app-hello": f"{base}/bench-hello",
        "rankings": f"{base}/api/v1/rankings",
        "brand": f"{base}/api/v1/brands/{SLUG}",
    }
    results: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in urls}
    try:
        for url in urls.values():  # warm every worker's connections and caches
            load(url, 2, args.connections)
        for _ in range(args.rounds):
            for name, url in urls.items():
                before = server_cpu_seconds(server.pid)
                rps, p99, errors, done = load(url, args.duration, args.connections)
                cpu_ms = (server_cpu_seconds(server.pid) - before) * 1000 / max(done, 1)
                results[name].append((rps, p99, errors, cpu_ms))
    finally:
        stop(server)

    print(
        f"{args.posts:,} posts, gunicorn_conf.py, {load.__name__.removeprefix('load_')}, "
        f"{args.connections} connections, {args.rounds} x {args.duration} s per URL, "
        f"rate limit in {args.ratelimit_storage.split(':')[0]}, "
        f"answer cache {args.cache_seconds:g} s, "
        f"{os.cpu_count()} CPUs (shared: expect noise)"
    )
    hello = statistics.median(r[0] for r in results["hello"])
    hello_cpu = statistics.median(r[3] for r in results["hello"])
    print(
        f"{'url':10} {'req/s':>7} {'ratio':>6} {'p99 ms':>7} {'errors':>6} "
        f"{'cpu ms/req':>10} {'cpu ratio':>9}"
    )
    for name, runs in results.items():
        rps = statistics.median(r[0] for r in runs)
        p99 = statistics.median(r[1] for r in runs) * 1000
        errors = sum(r[2] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        print(
            f"{name:10} {rps:7.0f} {rps / hello:6.0%} {p99:7.1f} {errors:6d} "
            f"{cpu:10.2f} {hello_cpu / cpu:9.0%}"
        )
    print(
        "ratio: req/s against hello in the same run; cpu ratio: server CPU per hello request"
        " / per request of the row, the capacity ratio with the machine's noise left out"
    )


if __name__ == "__main__":
    main()
