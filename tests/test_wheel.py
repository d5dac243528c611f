"""The wheel is the product: built, installed into a fresh virtualenv outside the checkout,
it creates a database, builds the demo and serves every kind of page.

Anything the runtime reads from the checkout instead of the package (templates, static
files, translations, migrations, the registry, the weights, the docs /methodology renders)
fails here. Dependencies come from uv's cache when it has them (the test venv was just
installed with the same ones), from the registry otherwise; pip is the fallback when uv
is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from carescore import METHODOLOGY_VERSION
from tests.servers import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
UV = shutil.which("uv", path=str(BIN)) or shutil.which("uv")


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def _build(dist: Path) -> Path:
    if UV:
        _run([UV, "build", "--wheel", "--out-dir", str(dist), str(ROOT)])
    else:
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)])
    (wheel,) = dist.glob("carescore-*.whl")
    return wheel


def _install(wheel: Path, venv: Path) -> Path:
    python = venv / "bin" / "python"
    if UV:
        _run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)])
        install = [UV, "pip", "install", "--quiet", "--python", str(python), str(wheel)]
        if subprocess.run([*install, "--offline"], capture_output=True).returncode != 0:
            _run(install)  # something missing from uv's cache: ask the registry
    else:
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)])
    return venv / "bin" / "carescore"


def _get(base: str, path: str) -> httpx.Response:
    response = httpx.get(f"{base}{path}", timeout=30)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response


def _first(data: object, key: str) -> str | None:
    """The first value of `key` anywhere in a JSON document (its shape is not the point)."""
    if isinstance(data, dict):
        if isinstance(data.get(key), str):
            return data[key]
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            found = _first(item, key)
            if found:
                return found
    return None


def test_the_installed_wheel_builds_the_demo_and_serves_every_kind_of_page(tmp_path):
    wheel = _build(tmp_path / "dist")
    carescore = _install(wheel, tmp_path / "venv")
    work = tmp_path / "work"  # not the checkout: nothing may be found through the cwd
    work.mkdir()
    port = free_port()
    env = {
        "PATH": f"{carescore.parent}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CARESCORE_DATABASE_URL": f"sqlite:///{work}/demo.db",
        "CARESCORE_BIND": f"127.0.0.1:{port}",
        "CARESCORE_WORKERS": "1",
        "CARESCORE_ACCESS_LOG_FILE": "/dev/null",
    }
    _run([str(carescore), "db", "upgrade"], cwd=work, env=env)
    demo = _run([str(carescore), "demo", "--posts", "3000"], cwd=work, env=env)
    assert "demo built" in demo.stdout
    imported = _run(
        [
            str(carescore.parent / "python"),
            "-c",
            "import carescore, website; print(website.__file__)",
        ],
        cwd=work,
        env=env,
    )
    assert str(tmp_path / "venv") in imported.stdout, "the test must run the installed copy"

    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(carescore), "serve"], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"carescore serve did not answer: {(tmp_path / 'serve.log').read_text()}"
                )
            time.sleep(0.3)

        rankings = _get(base, "/api/v1/rankings").json()
        slug, name = _first(rankings, "slug"), _first(rankings, "name")
        assert rankings["demo"] is True and slug and name, "the demo's rankings are empty"
        home = _get(base, "/")
        assert "Carescore" in home.text and "/static/site.css" in home.text
        assert "font" in _get(base, "/static/site.css").text
        assert name in _get(base, f"/brands/{slug}").text
        methodology = _get(base, "/methodology")
        assert "<h2" in methodology.text and METHODOLOGY_VERSION in methodology.text
        french = _get(base, "/?lang=fr")
        assert 'lang="fr"' in french.text and "Classements" in french.text
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
