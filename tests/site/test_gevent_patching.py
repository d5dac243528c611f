"""The gevent workers' patching must come before the site's modules are imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import website.gunicorn_conf
from website import create_app

create_app()
import psycopg.waiting

print(psycopg.waiting.wait.__name__)
"""


def test_psycopg_waits_cooperatively_in_a_gevent_worker(tmp_path):
    """psycopg picks how it waits for the server when it is first imported: imported before
    the patching, it blocks the whole worker on every wait, so one frozen connection
    attempt froze the health check with it (2 s instead of 1)."""
    env = {
        **os.environ,
        "CARESCORE_WORKER_CLASS": "gevent",
        "CARESCORE_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert probe.stdout.split()[-1] != "wait_c"
