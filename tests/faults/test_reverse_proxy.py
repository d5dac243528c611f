"""docs/deploy/nginx.conf in front of real gunicorn: it serves, and slow clients stay at nginx."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.faults.test_serving_faults import _prepare
from tests.servers import free_port, gunicorn

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "docs" / "deploy" / "nginx.conf"


def _local_conf(upstream_port: int, port: int, folder: Path) -> str:
    """The documented config on a plain loopback port: no TLS, no redirect server."""
    text = CONF.read_text(encoding="utf-8")
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    text = re.sub(r"\n\s*ssl_certificate[^\n]*", "", text)
    text = text[: text.rindex("server {")]  # the port-80 redirect
    return (
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log off;\nclient_body_temp_path {folder};\n"
        f"proxy_temp_path {folder};\n{text}\n}}\n"
    )


def test_the_documented_nginx_config_serves_and_holds_slow_clients(db_url):
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    _prepare(db_url)
    folder = Path(tempfile.mkdtemp(prefix="carescore-nginx-"))
    with gunicorn(db_url, workers=2) as base:
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(_local_conf(int(base.rsplit(":", 1)[1]), port, folder), encoding="utf-8")
        subprocess.run([nginx, "-t", "-c", str(conf)], check=True, capture_output=True)
        proc = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"])
        try:
            front = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 10
            while True:
                try:
                    if httpx.get(f"{front}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.2)
            socks = []
            for first in (b"", b"GET /healthz HTTP/1.1\r\nHost: test\r\n"):
                for _ in range(50):
                    s = socket.create_connection(("127.0.0.1", port))
                    if first:
                        s.sendall(first)
                    socks.append(s)
            time.sleep(0.3)
            with httpx.Client(base_url=front, timeout=5) as client:
                started = time.monotonic()
                assert client.get("/healthz").status_code == 200
                assert time.monotonic() - started < 1.0
                page = client.get("/api/v1/brands")
                assert page.status_code == 200 and page.headers["X-Request-ID"]
            for s in socks:
                s.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            shutil.rmtree(folder, ignore_errors=True)
