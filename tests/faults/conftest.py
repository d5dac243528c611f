"""A private PostgreSQL for fault tests that stop and restart it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _signal_cluster(data: Path, sig: int) -> None:
    """Send `sig` to the postmaster and every backend (SIGSTOP freezes the whole server)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    pids = [postmaster]
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(postmaster):
            pids.append(int(status.parent.name))
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


@pytest.fixture
def private_postgres() -> Iterator[dict]:
    """A PostgreSQL cluster of this test's own, which it may stop and restart freely.

    The shared server on 5432 serves the other tests; restarting it would break them.
    """
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL binaries not found")
        pytest.skip("PostgreSQL binaries not found")
    bin_dir = versions[-1].parent
    data = Path(tempfile.mkdtemp(prefix="carescore-pg-"))
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    shutil.chown(data, "postgres") if os.geteuid() == 0 else None
    subprocess.run(
        [*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )

    def ctl(*args: str) -> None:
        subprocess.run(
            [
                *as_postgres,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-o",
                f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                *args,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    ctl("-l", str(data / "log"), "start")
    try:
        yield {
            "url": f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
            "stop": lambda: ctl("-m", "fast", "stop"),
            "start": lambda: ctl("-l", str(data / "log"), "start"),
            "signal": lambda sig: _signal_cluster(data, sig),
        }
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)
