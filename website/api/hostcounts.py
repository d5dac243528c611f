"""Rate-limit counts shared by every worker process of one host, in a memory-mapped file.

The `limits` library counts in one process's memory or in a server (Redis, memcached).
Several gunicorn workers each counting in their own memory let a client through about
once per worker: 201 of 300 rapid requests passed a stated 120 per minute with five
workers. One small file that all of them map gives the host a single count without
running a server.

`HostFile` (`file:///path`, what `carescore serve` gives its workers by default, see
website/gunicorn_conf.py) is a fixed table of windows in shared memory: a request hashes
its key to a slot and, under an exclusive `flock` of the file (released by the kernel if
a worker dies holding it), reads and updates the slot's count and window end. That is
two system calls and a few bytes of memory per API request, about a tenth of what a
SQLite upsert cost (a write transaction and a WAL frame per request). The counts are
worth losing in a crash: nothing is ever synced to disk.

`HostCounts` (`sqlite:///path`) keeps the same counts in a SQLite file, for hosts that
named one before the mapped file existed.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import sqlite3
import struct
import threading
import time
from pathlib import Path

SCHEME = "sqlite:///"
FILE_SCHEME = "file:///"
# A busy writer holds the lock for microseconds; past this the count falls back to memory.
BUSY_TIMEOUT_S = 2.0
# Every so many increments a process removes the windows that have ended.
SWEEP_EVERY = 5_000
# Slots of the mapped table (6 MB, of which only the touched pages take memory), and how
# far a key looks past its own slot for a free or ended one.
SLOTS = 1 << 18
PROBES = 64
_SLOT = struct.Struct("<Qqd")  # key hash (0: never used), count, window end (epoch s)

_UPSERT = """
INSERT INTO hits (key, count, reset) VALUES (?, 1, ?)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN hits.reset <= ? THEN 1 ELSE hits.count + 1 END,
    reset = CASE WHEN hits.reset <= ? THEN excluded.reset ELSE hits.reset END
RETURNING count, reset
"""


class TableFull(RuntimeError):
    """More live windows near one slot than PROBES: the caller counts in memory for a while."""


class HostFile:
    """Fixed windows in a table that every process of the host maps from one file."""

    def __init__(self, uri: str) -> None:
        if not uri.startswith(FILE_SCHEME):
            raise ValueError(f"not a {FILE_SCHEME}path URI: {uri!r}")
        self.path = Path("/" + uri.removeprefix(FILE_SCHEME).lstrip("/"))
        self._pid = 0
        self._fd = -1
        self._map: mmap.mmap | None = None

    def _open(self) -> tuple[int, mmap.mmap]:
        """The file's descriptor and mapping, opened once per process: a descriptor
        inherited over fork would share its flock with the parent, so each worker opens
        its own."""
        if self._pid != os.getpid() or self._map is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            size = SLOTS * _SLOT.size
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)  # zero-filled: every slot unused
            self._fd, self._map, self._pid = fd, mmap.mmap(fd, size), os.getpid()
        return self._fd, self._map

    def count(self, key: str, expiry: int) -> tuple[int, float]:
        """Count one hit in `key`'s window (a new one of `expiry` seconds once it ended);
        returns the count and when the window ends."""
        digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest()) or 1
        fd, table = self._open()
        now = time.time()
        first = digest % SLOTS
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            free = -1
            for probe in range(PROBES):
                offset = ((first + probe) % SLOTS) * _SLOT.size
                owner, count, reset = _SLOT.unpack_from(table, offset)
                if owner == digest:
                    if reset <= now:
                        count, reset = 0, now + expiry
                    _SLOT.pack_into(table, offset, digest, count + 1, reset)
                    return count + 1, reset
                if free < 0 and (owner == 0 or reset <= now):
                    free = offset
                if owner == 0:
                    break
            if free < 0:
                raise TableFull(f"{PROBES} live windows around slot {first}")
            _SLOT.pack_into(table, free, digest, 1, now + expiry)
            return 1, now + expiry
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


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

    def count(self, key: str, expiry: int) -> tuple[int, float]:
        """Count one hit in `key`'s window; returns the count and when the window ends."""
        now = time.time()
        conn = self._connection()
        count, reset = conn.execute(_UPSERT, (key, now + expiry, now, now)).fetchone()
        self._increments += 1
        if self._increments % SWEEP_EVERY == 0:
            conn.execute("DELETE FROM hits WHERE reset <= ?", (now,))
        return int(count), float(reset)
