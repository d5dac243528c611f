"""A lock per job name, so two runs of the same collector never overlap.

PostgreSQL: a session-level advisory lock, which the server drops by itself if the
holder dies (even by SIGKILL). SQLite: a file lock beside the database file, which the
operating system drops when the holding process dies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from carescore.errors import AlreadyRunning


def _key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def job_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock for `name` or raise AlreadyRunning at once (never waits)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(name)}).scalar()
            if not got:
                raise AlreadyRunning(f"{name} is already running")
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(name)})
                    conn.commit()
                except DBAPIError:
                    pass  # the connection is gone, and the server dropped the lock with it
        return
    database = engine.url.database
    folder = Path(database).resolve().parent if database and database != ":memory:" else Path(".")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    lock = FileLock(str(folder / f".carescore-{safe}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise AlreadyRunning(f"{name} is already running") from exc
    try:
        yield
    finally:
        lock.release()
