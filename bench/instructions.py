"""Instructions per request of the rendered pages and the API's answers, in process,
caches off, under callgrind.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg/callgrind.%p \\
        .venv/bin/python bench/instructions.py --dumps /tmp/cg [--requests 200] [--warm 50]
        [--api] [--posts 1000000] [--only PATH]

Instruction counts do not move with whatever else the machine runs, unlike seconds: on a
shared machine they tell a change that saves 5% from noise. Uses bench/serving.py's
database (built on first use), builds the app with the answer and page caches off, warms
each page `--warm` times through WSGI (bench/profile_routes.py's `call`), then counts the
instructions of `--requests` more between `callgrind_control -i on` and `-i off`, and
prints them per request. Without valgrind it prints wall time per request instead, which
only checks that the driver runs.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from profile_routes import call, uncached_app  # noqa: E402
from serving import SLUG  # noqa: E402

PAGES = ("/", "/rankings/telecom", f"/brands/{SLUG}", f"/brands/{SLUG}?lang=fr")
API = (
    f"/api/v1/brands/{SLUG}",
    "/api/v1/rankings",
    "/api/v1/brands",
    f"/api/v1/brands/{SLUG}/history",
    "/api/v1/posts",
    "/api/v1/sectors",
    "/api/v1/incidents",
)


def _callgrind(*args: str) -> str:
    return subprocess.run(
        ["callgrind_control", *args, str(os.getpid())],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _counted(dumps: Path) -> int:
    """The instructions of this process's newest dump in `dumps` (its `totals:` line)."""
    mine = sorted(
        dumps.glob(f"*{os.getpid()}.*"),
        key=lambda p: int(p.name.rsplit(".", 1)[1]),
    )
    text = mine[-1].read_text()
    return int(re.search(r"^totals: (\d+)", text, re.M).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warm", type=int, default=50)
    parser.add_argument("--api", action="store_true", help="the API's answers too")
    parser.add_argument("--only", action="append", help="measure only these paths")
    parser.add_argument(
        "--dumps", type=Path, default=Path("."), help="the directory of --callgrind-out-file"
    )
    args = parser.parse_args()
    under_valgrind = "vgpreload" in os.environ.get("LD_PRELOAD", "")

    app = uncached_app(args.posts)
    for path in args.only or (PAGES + API if args.api else PAGES):
        for _ in range(args.warm):
            status, _body = call(app, path)
        if not status.startswith("200"):
            print(f"{path}: {status}, skipped")
            continue
        if under_valgrind:
            _callgrind("--dump=before")
            _callgrind("--instr=on")
        started = time.perf_counter()
        for _ in range(args.requests):
            call(app, path)
        wall = (time.perf_counter() - started) / args.requests * 1000
        if under_valgrind:
            _callgrind("--instr=off")
            _callgrind(f"--dump={path}")
            per = _counted(args.dumps) / args.requests
            print(f"{path:40} {per / 1e6:8.3f} M instructions/request", flush=True)
        else:
            print(f"{path:40} {wall:8.3f} ms/request (not under valgrind)", flush=True)


if __name__ == "__main__":
    main()
