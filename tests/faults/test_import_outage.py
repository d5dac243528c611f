"""An import cut off by a database outage: one line, a non-zero exit, and a rerun completes it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from carescore.store.db import make_engine
from carescore.store.migrate import upgrade
from carescore.store.models import CollectorRun, Post
from tests.faults.test_collector_kill import _generator

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ROWS = 10_000


def _import(url: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "carescore.cli", "import", "twcs", str(path)],
        cwd=ROOT,
        env={**os.environ, "CARESCORE_DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(Post)).scalar()


def test_database_lost_mid_import_is_one_line_and_the_rerun_completes(private_postgres, tmp_path):
    url = private_postgres["url"]
    engine = make_engine(url)
    upgrade(engine)
    path = tmp_path / "twcs.csv"
    _generator()(path, ROWS)
    proc = _import(url, path)
    deadline = time.monotonic() + 120
    while _count(engine) == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    engine.dispose()
    private_postgres["stop"]()
    out, err = proc.communicate(timeout=120)
    private_postgres["start"]()
    assert proc.returncode not in (0, None), out
    assert "Traceback" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: database unavailable"), err[-3000:]

    again = _import(url, path)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err[-3000:]
    engine = make_engine(url)
    with Session(engine) as session:
        assert _count(engine) == ROWS
        statuses = list(
            session.execute(select(CollectorRun.status).order_by(CollectorRun.id)).scalars()
        )
    engine.dispose()
    assert statuses == ["interrupted", "ok"]
