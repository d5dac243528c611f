import subprocess
import sys
import textwrap
import time

import pytest

from carescore.store.locks import AlreadyRunning, job_lock


def test_second_holder_is_refused_then_admitted(engine):
    with job_lock(engine, "collect:x"):
        with pytest.raises(AlreadyRunning), job_lock(engine, "collect:x"):
            pass
        with job_lock(engine, "collect:reddit"):
            pass
    with job_lock(engine, "collect:x"):
        pass


def _acquired_within(engine, name: str, seconds: float) -> bool:
    """PostgreSQL drops a dead client's locks once its backend reads the closed socket,
    which a loaded machine can schedule after our next try; the OS frees a file lock at once."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with job_lock(engine, name):
                return True
        except AlreadyRunning:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


def test_lock_of_a_killed_process_is_released(db_url):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from carescore.store.db import make_engine
            from carescore.store.locks import job_lock
            with job_lock(make_engine({db_url!r}), "collect:x"):
                print("held", flush=True)
                time.sleep(60)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        from carescore.store.db import make_engine

        engine = make_engine(db_url)
        with pytest.raises(AlreadyRunning), job_lock(engine, "collect:x"):
            pass
        holder.kill()
        holder.wait(timeout=10)
        assert _acquired_within(engine, "collect:x", seconds=15)
        engine.dispose()
    finally:
        holder.kill()
