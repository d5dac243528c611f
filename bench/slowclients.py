"""Slow clients against each gunicorn worker class, and keep-alive hello-world throughput.

For `sync`, `gthread` (4 threads) and `gevent` (the default of website/gunicorn_conf.py),
each with 2 workers over an empty SQLite database: open 50 idle connections (nothing
sent) and then 50 half-sent requests (headers never finished), and time `/healthz` while
they are open; then count requests per second for a small static file from 8 keep-alive
clients for a few seconds. Throughput is printed with its ratio to `sync` measured in the
same run (the machine is shared: compare ratios, not absolute figures).

    .venv/bin/python bench/slowclients.py [--seconds 5] [--clients 8]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carescore.store.db import make_engine  # noqa: E402
from carescore.store.migrate import upgrade  # noqa: E402
from tests.servers import gunicorn  # noqa: E402

CLASSES = {
    "sync": {"CARESCORE_WORKER_CLASS": "sync"},
    "gthread": {"CARESCORE_WORKER_CLASS": "gthread", "CARESCORE_THREADS": "4"},
    "gevent": {"CARESCORE_WORKER_CLASS": "gevent"},
}


def healthz_while_open(base: str, port: int, half_sent: bool, n: int = 50) -> str:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        if half_sent:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n")
        socks.append(s)
    time.sleep(0.5)
    started = time.monotonic()
    try:
        status = str(httpx.get(f"{base}/healthz", timeout=10).status_code)
    except httpx.TimeoutException:
        status = "timeout"
    elapsed = time.monotonic() - started
    for s in socks:
        s.close()
    time.sleep(1)
    return f"{status} in {elapsed:.2f} s"


def throughput(base: str, seconds: float, clients: int) -> float:
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        with httpx.Client(base_url=base, timeout=10) as c:
            while time.monotonic() < stop:
                c.get("/static/favicon.svg").raise_for_status()
                counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="carescore-slow-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(make_engine(url))
    reference = None
    for name, env in CLASSES.items():
        with gunicorn(url, workers=2, extra_env=env) as base:
            port = int(base.rsplit(":", 1)[1])
            idle = healthz_while_open(base, port, half_sent=False)
            half = healthz_while_open(base, port, half_sent=True)
            rate = throughput(base, args.seconds, args.clients)
        reference = reference or rate
        print(
            f"{name:8} /healthz with 50 idle connections: {idle}; with 50 half-sent requests: "
            f"{half}; keep-alive static file: {rate:,.0f} req/s ({rate / reference:.2f}x sync)",
            flush=True,
        )


if __name__ == "__main__":
    main()
