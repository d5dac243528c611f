"""Benchmark the site's pages under gunicorn against a hello-world, in one run.

    .venv/bin/python bench/site.py [--posts 10000] [--duration 3] [--connections 20]
                                   [--rounds 3]

On bench/serving.py's database (10,000 demo posts by default: the demo; `--posts 1000000`
multiplies them), with its servers: the home page, the telecom ranking and a brand page
from the gunicorn with the page cache on (the default configuration) and from the one with
it off (every page rendered), and the hello-world served by the same gunicorn; and a mixed
row, where each connection asks for three hello-worlds and then a rendered brand page, whose
p99 shows how long a page being rendered holds up the cheap requests of its worker (compare
`--workers`). Prints each row's median req/s, p99 and CPU per request and their ratios to
the hello-world.

The machine may be shared: read the figures as +-20%, and compare rows of the same run.
"""

from __future__ import annotations

import argparse
import os

from serving import SLUG, Row, Servers, database, measure, pin, report, serving_env

PAGES = {"home": "/", "ranking": "/rankings/telecom", "brand": f"/brands/{SLUG}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=3, help="seconds per measure")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--worker-class",
        choices=("gevent", "gthread", "sync"),
        help="CARESCORE_WORKER_CLASS for both gunicorns (default: the configuration's)",
    )
    parser.add_argument("--workers", type=int, help="CARESCORE_WORKERS for both gunicorns")
    parser.add_argument("--threads", type=int, help="CARESCORE_THREADS (gthread)")
    parser.add_argument(
        "--pin",
        action="store_true",
        help="servers on the last CPU and h2load on the others (taskset), for a fair p99",
    )
    args = parser.parse_args()
    db = database(args.posts)
    env = serving_env(args.worker_class, args.workers, args.threads)
    pin(args.pin)
    with Servers(db, env=env) as s:
        rows = [Row("hello-world", f"{s.cached}/hello/", s.cached_pid)]
        for name, path in PAGES.items():
            rows.append(Row(f"{name}, page cache", s.cached + path, s.cached_pid))
            rows.append(Row(f"{name}, rendered", s.uncached + path, s.uncached_pid))
        # Head-of-line blocking: a worker rendering a page holds up the cheap requests it
        # also serves. Each connection asks for three hello-worlds, then a rendered page.
        mix = [f"{s.uncached}/hello/"] * 3 + [s.uncached + PAGES["brand"]]
        rows.append(Row("mix: 3 hello, 1 brand rendered", " ".join(mix), s.uncached_pid))
        tool = measure(rows, args.duration, args.connections, args.rounds)
    print(
        f"{args.posts:,} posts, gunicorn_conf.py ({s.workers}), {tool}, "
        f"{args.connections} connections, "
        f"{args.rounds} x {args.duration:g} s per row, {os.cpu_count()} CPUs "
        "(shared: expect noise)"
    )
    report(rows, rows[0])


if __name__ == "__main__":
    main()
