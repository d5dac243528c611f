"""Benchmark the JSON API under gunicorn against a hello-world and Datasette, in one run.

    .venv/bin/python bench/api.py [--posts 10000] [--duration 3] [--connections 20]
                                  [--rounds 3] [--ratelimit-storage redis://...]

On bench/serving.py's database (10,000 demo posts by default: the demo; `--posts 1000000`
multiplies them), with its servers: the brand and rankings answers from the gunicorn with
the answer cache on and from the one with it off, and Datasette (`pip install -e
.[bench]`) answering the equivalent SQL on the same file through its JSON API. Prints
each row's median req/s, p99 and CPU per request, their ratios to the hello-world served
by the same gunicorn, and the uncached answers' ratios to Datasette's.

The rate limit is raised for the run (all requests come from one address). The machine
may be shared: read the figures as +-20%, and compare rows of the same run only.
"""

from __future__ import annotations

import argparse
import os
from urllib.parse import urlencode

from serving import SLUG, Row, Servers, database, measure, pin, ratio, report, serving_env

from website.api.build import METRIC_COLUMNS, RANKING_ROW_COLUMNS

# The brand answer's fields in one statement: the brand, the columns the answer shows of
# its live 90-day score, and its official accounts; the live period is the newest 90-day
# one, as the API chooses it.
BRAND_SQL = f"""
select brand.slug, brand.name, brand.sector, brand.country, brand.is_demo,
  {", ".join(f"brandscore.{name}" for name in METRIC_COLUMNS)},
  (select json_group_array(json_object('platform', platform, 'handle', handle))
     from brandaccount where brandaccount.brand_id = brand.id) as accounts
from brand left join brandscore on brandscore.brand_id = brand.id
  and brandscore.window = '90d'
  and brandscore.period = (select max(period) from brandscore where window = '90d')
where brand.slug = :slug
"""
# The rankings answer's fields: each row's brand and the score columns it shows.
RANKINGS_SQL = f"""
select brand.slug, brand.name, brand.sector, brand.country, brand.is_demo,
  {", ".join(f"brandscore.{name}" for name in RANKING_ROW_COLUMNS)}
from brandscore join brand on brand.id = brandscore.brand_id
where brandscore.window = '90d'
  and brandscore.period = (select max(period) from brandscore where window = '90d')
order by brandscore.ranked desc, brandscore.carescore is null, brandscore.carescore desc,
  brand.name
"""


def datasette_url(base: str, db_name: str, sql: str, **params: str) -> str:
    query = urlencode({"sql": " ".join(sql.split()), "_shape": "array", **params})
    return f"{base}/{db_name}.json?{query}"


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
    parser.add_argument(
        "--ratelimit-storage",
        default="memory://",
        help="memory:// (the default config) or redis://127.0.0.1:6379/0 (shared count)",
    )
    args = parser.parse_args()
    db = database(args.posts)
    env = serving_env(args.worker_class, args.workers, args.threads)
    pin(args.pin)
    with Servers(db, args.ratelimit_storage, env) as s:
        brand, rankings = f"/api/v1/brands/{SLUG}", "/api/v1/rankings"
        rows = [
            Row("hello-world", f"{s.cached}/hello/", s.cached_pid),
            Row("app hello-world", f"{s.cached}/bench-hello", s.cached_pid),
            Row("brand, cached", s.cached + brand, s.cached_pid),
            Row("brand, uncached", s.uncached + brand, s.uncached_pid),
            Row("rankings, cached", s.cached + rankings, s.cached_pid),
            Row("rankings, uncached", s.uncached + rankings, s.uncached_pid),
        ]
        if s.datasette:
            name = db.stem
            rows += [
                Row(
                    "datasette brand SQL",
                    datasette_url(s.datasette, name, BRAND_SQL, slug=SLUG),
                    s.datasette_pid,
                ),
                Row(
                    "datasette rankings SQL",
                    datasette_url(s.datasette, name, RANKINGS_SQL),
                    s.datasette_pid,
                ),
            ]
        tool = measure(rows, args.duration, args.connections, args.rounds)
    print(
        f"{args.posts:,} posts, gunicorn_conf.py ({s.workers}), {tool}, "
        f"{args.connections} connections, "
        f"{args.rounds} x {args.duration:g} s per row, rate limit in "
        f"{args.ratelimit_storage.split(':')[0]}, {os.cpu_count()} CPUs (shared: expect noise)"
    )
    report(rows, rows[0])
    by_name = {row.name: row for row in rows}
    if s.datasette:
        for what in ("brand", "rankings"):
            ours, theirs = by_name[f"{what}, uncached"], by_name[f"datasette {what} SQL"]
            print(
                f"{what} uncached / Datasette: {ratio(ours.rps, theirs.rps)} x req/s, "
                f"{ratio(theirs.cpu_ms, ours.cpu_ms)} x by CPU per request"
            )
    else:
        print("Datasette not installed (pip install -e '.[bench]'): no Datasette rows")


if __name__ == "__main__":
    main()
