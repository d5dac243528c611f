"""Slow and idle clients must not take the site down (real gunicorn, default config)."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tests.faults.test_serving_faults import _prepare
from tests.servers import gunicorn

pytestmark = pytest.mark.slow


def _open(port: int, n: int, first_bytes: bytes) -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        if first_bytes:
            s.sendall(first_bytes)
        socks.append(s)
    return socks


def test_healthz_answers_within_1_s_with_50_idle_and_50_half_sent_connections(db_url):
    _prepare(db_url)
    # The default worker class and count of website/gunicorn_conf.py, as `carescore serve`.
    with gunicorn(db_url, workers=2) as base, httpx.Client(base_url=base, timeout=5) as client:
        port = int(base.rsplit(":", 1)[1])
        for path in ("/healthz", "/api/v1/brands", "/") * 4:  # every worker warmed up
            assert client.get(path).status_code == 200
        for first_bytes in (b"", b"GET /healthz HTTP/1.1\r\nHost: test\r\n"):
            socks = _open(port, 50, first_bytes)
            try:
                time.sleep(0.3)
                for path in ("/healthz", "/api/v1/brands", "/"):
                    started = time.monotonic()
                    response = client.get(path)
                    assert response.status_code == 200, path
                    # /healthz is the bound the issue sets; pages get slack for a loaded machine.
                    bound = 1.0 if path == "/healthz" else 3.0
                    assert time.monotonic() - started < bound, (path, first_bytes)
            finally:
                for s in socks:
                    s.close()
