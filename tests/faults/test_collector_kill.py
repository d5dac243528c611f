"""A collector killed with SIGKILL mid-run, then run again: no duplicate, no missing post."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from carescore.store.db import make_engine
from carescore.store.models import Post

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
# Enough rows that the kill lands mid-run (at 4,000 stored, a third of the file) and the
# rerun has both kinds of rows to handle: those already stored and those not yet. 30,000
# rows made this the suite's third-slowest test without reaching any other code path.
ROWS = 12_000


def _generator():
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def _import(db_url: str, path: Path) -> subprocess.Popen:
    env = {**os.environ, "CARESCORE_DATABASE_URL": db_url}
    return subprocess.Popen(
        [sys.executable, "-m", "carescore.cli", "import", "twcs", str(path), "--create-brands"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _counts(engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return session.execute(
            select(
                func.count(),
                func.count(func.distinct(Post.external_id)),
                func.count(Post.first_reply_id),
            ).where(Post.platform == "twcs")
        ).one()


def test_sigkill_mid_import_then_rerun_loses_and_doubles_nothing(db_url, tmp_path):
    path = tmp_path / "twcs.csv"
    _generator()(path, ROWS)
    engine = make_engine(db_url)
    first = _import(db_url, path)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and first.poll() is None:
        stored = _counts(engine)[0]
        if stored >= 4000:
            break
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert 0 < stored < ROWS, f"not killed mid-run ({stored} of {ROWS} stored)"
    killed_at = _counts(engine)[0]

    second = _import(db_url, path)
    _out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err[-2000:]
    total, distinct, answered = _counts(engine)
    engine.dispose()
    assert killed_at < ROWS
    assert total == distinct == ROWS
    # Every third row is a customer's first tweet, answered by the row after it.
    assert answered == ROWS // 3
