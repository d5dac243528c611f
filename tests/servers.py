"""Real servers for tests: gunicorn with the production config on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(db_url: str, workers: int = 2, extra_env: dict | None = None) -> Iterator[str]:
    """Serve the real app with the production config; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "CARESCORE_DATABASE_URL": db_url,
        "CARESCORE_BIND": f"127.0.0.1:{port}",
        "CARESCORE_WORKERS": str(workers),
        "CARESCORE_ACCESS_LOG_FILE": "/dev/null",
        "CARESCORE_RATELIMIT": "100000 per minute",
        **(extra_env or {}),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    # A file, not a pipe: an undrained pipe fills up and blocks the workers' logging.
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:website.gunicorn_conf",
            "website:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = Path(log.name).read_text(errors="replace")[-2000:]
                raise RuntimeError(f"gunicorn did not start: {tail}")
            time.sleep(0.2)
        yield base
    finally:
        # SIGQUIT, gunicorn's quick shutdown: SIGTERM's graceful one waits for every open
        # keep-alive connection to close (11 s with one idle client, 2-4 s with none), and
        # no test is about the graceful shutdown.
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.unlink(log.name)
