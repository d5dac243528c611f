"""What bench/api.py and bench/site.py share: the database, the servers and the load.

- `database` (bench/benchdb.py) builds bench/api.py's SQLite database once (kept under
  var/bench/): the demo brands with 10,000 scored demo posts, multiplied in SQL up to
  `--posts`, then ranked (90 days and the last six months) by the production ranking.
- `Servers` starts, on free loopback ports, two gunicorns with the production
  configuration (website/gunicorn_conf.py), one with the answer and page caches at their
  defaults and one with both off, each serving the Carescore app and, under /hello, a bare
  Flask hello-world app; and Datasette on the same database file when it is installed
  (the `bench` extra).
- `measure` loads each URL with h2load (Debian's `nghttp2-client`, over HTTP/1.1 with
  keep-alive, or a bounded Python fallback of threads when it is missing) in interleaved
  rounds, so a burst of load from other programs falls on every row alike, and `report`
  prints the median req/s, p99 and CPU per request of each row with its ratio to the
  hello-world of the same run, and the machine's load average before and after, since
  req/s and p99 move with it.
- `pin` (`--pin`) runs the servers on the second CPU and h2load on the first (`taskset`),
  so that on a two-CPU machine the load generator does not take turns with the server for
  a core: the p99 then measures the server, not the two sharing a CPU.
"""

from __future__ import annotations

import itertools
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import MONTHS, database  # noqa: E402, F401  (bench/api.py, site.py, profile_routes.py)

SLUG = "nimbus-telecom"
APP = "serving:wsgi_app()"
# How long past its duration an h2load run may take before it is killed (load_h2load).
H2LOAD_GRACE_SECONDS = 20
# CPU lists for `taskset`: (the servers', the load generator's), or None: the scheduler's.
PINNED: tuple[str, str] | None = None
# The 1-minute load average when `measure` started and ended.
LOADS: list[float] = []


def pin(on: bool) -> None:
    """Servers on the last CPU, the load generator on the others (when there are two or more)."""
    global PINNED
    cpus = os.cpu_count() or 1
    if on and cpus >= 2 and shutil.which("taskset"):
        PINNED = (str(cpus - 1), f"0-{cpus - 2}")


def _pinned(command: list[str], which: int) -> list[str]:
    return ["taskset", "-c", PINNED[which], *command] if PINNED else command


def wsgi_app():
    """What gunicorn serves: the Carescore app, with a bare hello-world Flask app at /hello.

    The Carescore app also gets a hello-world route (/bench-hello), which pays for the
    app's own request hooks (request id, JSON log line, metrics, security headers): the
    gap between it and /hello is the framework around the answer, not the answer.
    """
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from website import create_app
    from website.warm import warm

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    app = create_app()
    warm(app)  # gunicorn_conf.when_ready warms only a Flask app, not this dispatcher
    app.add_url_rule("/bench-hello", "bench_hello", lambda: "Hello, World!")
    return DispatcherMiddleware(app, {"/hello": hello})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, server: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit(f"{what} did not start")


def start_gunicorn(
    db: Path, ratelimit_storage: str, cache_seconds: float, env: dict
) -> tuple[str, subprocess.Popen]:
    """A gunicorn with the production configuration; returns its base URL."""
    port = free_port()
    server = subprocess.Popen(
        _pinned([sys.executable, "-m", "gunicorn", "-c", "python:website.gunicorn_conf", APP], 0),
        cwd=ROOT,
        env={
            **os.environ,
            "CARESCORE_DATABASE_URL": f"sqlite:///{db}",
            "CARESCORE_BIND": f"127.0.0.1:{port}",
            "CARESCORE_RATELIMIT": "100000000 per minute",
            "CARESCORE_RATELIMIT_STORAGE": ratelimit_storage,
            "CARESCORE_API_CACHE_SECONDS": str(cache_seconds),
            "CARESCORE_PAGE_CACHE_SECONDS": str(cache_seconds),
            "CARESCORE_LOG_LEVEL": "warning",
            "CARESCORE_ACCESS_LOG_FILE": "/dev/null",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
            # No worker restarts during a run: at bench rates a worker reaches its quota of
            # requests (max_requests) within a few rows, so the restarts fell on whichever
            # rows came next in every round; they cut that row's connections, and an exited
            # worker's CPU time is no longer counted in the master's children (the third
            # row of the API bench showed 2.4 ms of CPU per cached answer, and ran at
            # 0.61-0.94 x the hello-world that always ran first). In production a restart
            # comes once per 20,000 requests of a worker, spread over minutes.
            "GUNICORN_CMD_ARGS": "--max-requests 0",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/hello/", server, "gunicorn")
    return base, server


def start_datasette(db: Path) -> tuple[str, subprocess.Popen] | None:
    """Datasette serving the same file, or None when the bench extra is not installed."""
    binary = Path(sys.executable).parent / "datasette"
    if not binary.exists():
        return None
    port = free_port()
    server = subprocess.Popen(
        _pinned([str(binary), "serve", str(db), "--host", "127.0.0.1", "--port", str(port)], 0),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/-/versions.json", server, "datasette")
    return base, server


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def load_h2load(url: str, duration: float, connections: int) -> tuple[float, float, int, int]:
    """req/s, p99 in seconds, non-2xx answers and requests made, measured by h2load.

    `url` may hold several URLs of one server, separated by spaces: each connection asks
    for them in turn (a mixed load).

    The p99 is read from h2load's log of every request (`--log-file`: start, status,
    microseconds to the end of the answer). The wrk used before reported latencies that
    broke Little's law by a factor of 20 here (a 60 ms mean at 1,410 req/s over 4
    connections, where h2load's log gives 2.3 ms), as its own tracker records (wg/wrk#82,
    #438): its p99 described no request.

    h2load 1.52 never stops a client whose connection the server closed and which it
    reconnected (a gunicorn worker restarting after its quota of requests): that client
    goes on asking after the duration. Past `H2LOAD_GRACE_SECONDS` it is killed, and the
    rate is the log's requests started within the duration."""
    command = _pinned(
        ["h2load", "--h1", "-t1", f"-c{connections}", f"-D{duration:g}", *url.split()], 1
    )
    with tempfile.NamedTemporaryFile("r", suffix=".tsv") as log:
        command.insert(-len(url.split()), f"--log-file={log.name}")
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as h2load:
            try:
                out, _ = h2load.communicate(timeout=duration + H2LOAD_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                h2load.kill()
                out = None
            else:
                if h2load.returncode:
                    raise subprocess.CalledProcessError(h2load.returncode, command, out)
        fields = [line.split("\t") for line in log]
    if out is None:  # killed: its rate is what the log holds within the duration
        first = min((int(f[0]) for f in fields), default=0)
        fields = [f for f in fields if int(f[0]) - first <= duration * 1e6]
        rps = len(fields) / duration
    else:
        rps = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out).group(1))
    latencies = sorted(int(f[2]) for f in fields if int(f[1]) >= 0)
    errors = sum(1 for f in fields if not 200 <= int(f[1]) < 400)
    p99 = latencies[max(0, -(-len(latencies) * 99 // 100) - 1)] / 1e6 if latencies else 0.0
    return rps, p99, errors, len(fields)


def load_python(url: str, duration: float, connections: int) -> tuple[float, float, int, int]:
    """The same measure without h2load: `connections` threads, at most 20,000 requests."""
    latencies: list[float] = []
    errors = 0
    budget = threading.Semaphore(20_000)
    deadline = time.monotonic() + duration
    lock = threading.Lock()

    urls = url.split()

    def worker() -> None:
        nonlocal errors
        with httpx.Client() as client:
            for turn in itertools.count():
                if time.monotonic() >= deadline or not budget.acquire(blocking=False):
                    break
                start = time.perf_counter()
                status = client.get(urls[turn % len(urls)]).status_code
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
    """CPU time of a server process and its children, the dead ones included (reaped
    workers' time is added to the master's cutime and cstime).

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


@dataclass
class Row:
    """One URL of one server, and what each round measured of it."""

    name: str
    url: str
    pid: int
    runs: list[tuple[float, float, int, float, float]] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(r[0] for r in self.runs)

    @property
    def p99_ms(self) -> float:
        return statistics.median(r[1] for r in self.runs) * 1000

    @property
    def errors(self) -> int:
        return sum(r[2] for r in self.runs)

    @property
    def cpu_ms(self) -> float:
        return statistics.median(r[3] for r in self.runs)

    @property
    def client_ms(self) -> float:
        return statistics.median(r[4] for r in self.runs)


def serving_env(
    worker_class: str | None, workers: int | None, threads: int | None = None
) -> dict[str, str]:
    """Environment overrides of the servers' worker model (none: the configuration's)."""
    env = {}
    if worker_class:
        env["CARESCORE_WORKER_CLASS"] = worker_class
    if workers:
        env["CARESCORE_WORKERS"] = str(workers)
    if threads:
        env["CARESCORE_THREADS"] = str(threads)
    return env


class Servers:
    """The cached and uncached gunicorns and Datasette, stopped on leaving the block."""

    def __init__(self, db: Path, ratelimit_storage: str = "memory://", env: dict | None = None):
        self.db = db
        self.ratelimit_storage = ratelimit_storage
        self.env = env or {}
        self.started: list[subprocess.Popen] = []

    def __enter__(self) -> Servers:
        from carescore.settings import load_settings

        defaults = load_settings(self.env)
        threads = f" x {defaults.threads} threads" if defaults.worker_class == "gthread" else ""
        self.workers = f"{defaults.workers} {defaults.worker_class} workers{threads}"
        self.cached, server = start_gunicorn(
            self.db, self.ratelimit_storage, defaults.api_cache_seconds, self.env
        )
        self.cached_pid = server.pid
        self.started.append(server)
        self.uncached, server = start_gunicorn(self.db, self.ratelimit_storage, 0, self.env)
        self.uncached_pid = server.pid
        self.started.append(server)
        found = start_datasette(self.db)
        self.datasette, self.datasette_pid = (found[0], found[1].pid) if found else (None, 0)
        if found:
            self.started.append(found[1])
        return self

    def __exit__(self, *exc) -> None:
        for server in self.started:
            stop(server)


def _children_cpu_seconds() -> float:
    """CPU time of the finished child processes: h2load's, once each run has ended."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def measure(rows: list[Row], duration: float, connections: int, rounds: int) -> str:
    """Every row once per round, in turns; returns the load generator's name."""
    load = load_h2load if shutil.which("h2load") else load_python
    for row in rows:  # warm every worker's connections and caches
        for _ in range(10):  # a cold worker's first answers can take over a second
            if load(row.url, 1, connections)[3] >= 10 * connections:
                break
    LOADS[:] = [os.getloadavg()[0]]
    for _ in range(rounds):
        for row in rows:
            before = server_cpu_seconds(row.pid)
            client = _children_cpu_seconds()
            rps, p99, errors, done = load(row.url, duration, connections)
            cpu_ms = (server_cpu_seconds(row.pid) - before) * 1000 / max(done, 1)
            client_ms = (_children_cpu_seconds() - client) * 1000 / max(done, 1)
            row.runs.append((rps, p99, errors, cpu_ms, client_ms))
    LOADS.append(os.getloadavg()[0])
    return load.__name__.removeprefix("load_") + (
        f" pinned to CPU {PINNED[1]}, servers to CPU {PINNED[0]}" if PINNED else ""
    )


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "n/a"


def report(rows: list[Row], reference: Row) -> None:
    """The table: each row's median req/s and CPU per request against the reference's."""
    print(
        f"{'row':28} {'req/s':>7} {'x hello':>7} {'p99 ms':>7} {'errors':>6} "
        f"{'cpu ms/req':>10} {'cpu x hello':>11} {'client ms/req':>13}"
    )
    for row in rows:
        print(
            f"{row.name:28} {row.rps:7.0f} {ratio(row.rps, reference.rps):>7} "
            f"{row.p99_ms:7.1f} {row.errors:6d} {row.cpu_ms:10.2f} "
            f"{ratio(reference.cpu_ms, row.cpu_ms):>11} {row.client_ms:13.3f}"
        )
    print(
        "x hello: req/s against the hello-world in the same run; cpu x hello: its CPU per "
        "request / the row's, the capacity ratio with the machine's other load left out; "
        "client ms/req: the load generator's CPU per request (h2load's; 0 without it), "
        "which takes the same CPUs unless --pin, and grows with the answer's bytes"
    )
    if LOADS:
        print(
            f"load average (1 min) {LOADS[0]:.1f} when the rounds began, {LOADS[-1]:.1f} "
            f"when they ended, on {os.cpu_count()} CPUs: req/s and p99 move with it"
        )
