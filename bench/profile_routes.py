"""Where each API route and page spends its time, in process, caches off.

    .venv/bin/python bench/profile_routes.py [--posts 10000] [--requests 200] [--top 8]
                                             [--only /api/v1/brands/nimbus-telecom]

Uses bench/serving.py's database (built on first use), builds the app with the answer and
page caches off, calls every route straight through WSGI (no test client, no server)
under cProfile, and prints per route the wall time per request and the functions with
the largest own time (tottime), grouped by where they live: this tells which layer
(SQLAlchemy, Jinja, pydantic, our read models) an answer pays for. docs/performance.md
records what it printed and what was changed because of it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serving import MONTHS, SLUG, database  # noqa: E402

ROUTES = (
    "/api/v1/brands",
    f"/api/v1/brands/{SLUG}",
    f"/api/v1/brands/{SLUG}/history",
    f"/api/v1/brands/{SLUG}/reply",
    "/api/v1/rankings",
    "/api/v1/rankings?sector=telecom",
    "/api/v1/sectors",
    "/api/v1/posts?limit=50",
    "/api/v1/incidents",
    "/api/v1/methodology",
    "/api/v1/openapi.json",
    "/",
    "/rankings/telecom",
    f"/rankings/telecom/{MONTHS[-1]}",
    f"/brands/{SLUG}",
    f"/brands/{SLUG}?lang=fr",
    f"/compare?brands={SLUG},skylark-airways",
    "/search?q=nim",
    "/methodology",
    "/feed.atom",
    f"/badge/{SLUG}.svg",
    f"/embed/brands/{SLUG}",
)


def _layer(filename: str) -> str:
    for marker, name in (
        ("sqlalchemy", "sqlalchemy"),
        ("sqlmodel", "sqlalchemy"),
        ("jinja2", "jinja"),
        ("/templates/", "jinja"),
        ("<template>", "jinja"),
        ("pydantic", "pydantic"),
        ("werkzeug", "werkzeug"),
        ("flask", "flask"),
        ("babel", "babel"),
        ("sqlite3", "sqlite"),
        ("/carescore/", "carescore"),
        ("/website/", "website"),
    ):
        if marker in filename:
            return name
    return "other"


def call(app, path: str) -> tuple[str, bytes]:
    target, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": target,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_ACCEPT": "*/*",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    sent: list[str] = []
    body = b"".join(app(environ, lambda status, headers, exc=None: sent.append(status)))
    return sent[0], body


def uncached_app(posts: int):
    """The Carescore app on bench/serving.py's database of `posts` posts, with the answer
    and page caches off, so every request builds its answer."""
    from carescore.settings import load_settings
    from website import create_app

    settings = load_settings(
        database_url=f"sqlite:///{database(posts)}",
        api_cache_seconds=0,
        page_cache_seconds=0,
        ratelimit="100000000 per minute",
        log_level="warning",
    )
    return create_app(settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--only", action="append", help="profile only these paths")
    args = parser.parse_args()

    app = uncached_app(args.posts)
    for path in args.only or ROUTES:
        for _ in range(20):
            status, _body = call(app, path)
        if not status.startswith("200"):
            print(f"{path}: {status}, skipped")
            continue
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.requests):
            call(app, path)
        profiler.disable()
        wall = (time.perf_counter() - started) / args.requests * 1000
        stats = pstats.Stats(profiler)
        layers: dict[str, float] = defaultdict(float)
        rows = []
        for (filename, line, func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            layers[_layer(filename)] += tottime
            rows.append((tottime, f"{Path(filename).name}:{line}({func})"))
        total = sum(layers.values()) or 1
        print(f"\n{path}  {wall:.2f} ms/request under the profiler")
        print(
            "  by layer: "
            + ", ".join(
                f"{name} {share / total:.0%}"
                for name, share in sorted(layers.items(), key=lambda kv: -kv[1])
                if share / total >= 0.02
            )
        )
        for tottime, where in sorted(rows, reverse=True)[: args.top]:
            print(f"  {tottime / args.requests * 1e6:7.0f} us  {where}")


if __name__ == "__main__":
    main()
