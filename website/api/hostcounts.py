"""Rate-limit counts shared by every worker process of one host, in a SQLite file.

The `limits` library counts in one process's memory or in a server (Redis, memcached).
Several gunicorn workers each counting in their own memory let a client through about
once per worker: 201 of 300 rapid requests passed a stated 120 per minute with five
workers. One small SQLite file that all of them open gives the host a single count
without running a server: one statement per API request (an upsert that opens a new
window when the old one has ended and returns the count), atomic under SQLite's
write lock, kept in the OS cache (no fsync: the counts are worth losing in a crash).

`CARESCORE_RATELIMIT_STORAGE=sqlite:///path/counts.db` names the file; under `carescore
serve` with the default `memory://`, website/gunicorn_conf.py gives the workers one in
its run directory.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

SCHEME = "sqlite:///"
# A busy writer holds the lock for microseconds; past this the count falls back to memory.
BUSY_TIMEOUT_S = 2.0
# Every so many increments a process removes the windows that have ended.
SWEEP_EVERY = 5_000

_UPSERT = """
INSERT INTO hits (key, count, reset) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN hits.reset <= ? THEN 1 ELSE hits.count + 1 END,
    reset = CASE WHEN hits.reset <= ? THEN excluded.reset ELSE hits.reset END
RETURNING count, reset
"""


class HostCounts:
    """The two storage calls RateLimit makes (`incr`, `get_expiry`), on a shared file."""

    def __init__(self, uri: str) -> None:
        if not uri.startswith(SCHEME):
            raise ValueError(f"not a {SCHEME}path URI: {uri!r}")
        self.path = Path(uri.removeprefix(SCHEME))
        self._local = threading.local()
        self._increments = 0

    def _connection(self) -> sqlite3.Connection:
        """One connection per thread (and per process: forked workers open their own)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS hits "
                "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, reset REAL NOT NULL)"
            )
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count one hit in `key`'s window (a new one of `expiry` seconds once it ended)."""
        now = time.time()
        conn = self._connection()
        count, _reset = conn.execute(_UPSERT, (key, now + expiry, now, now)).fetchone()
        self._increments += 1
        if self._increments % SWEEP_EVERY == 0:
            conn.execute("DELETE FROM hits WHERE reset <= ?", (now,))
        return int(count)

    def get_expiry(self, key: str) -> float:
        """When `key`'s window ends (epoch seconds); now when it has none."""
        row = self._connection().execute("SELECT reset FROM hits WHERE key = ?", (key,))
        found = row.fetchone()
        return float(found[0]) if found else time.time()
