"""A small bounded load generator on loopback: threads, keep-alive, per-request timings."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0


def run_load(
    base: str,
    paths: list[str],
    requests: int,
    concurrency: int = 4,
    stop: threading.Event | None = None,
    pause: float = 0.0,
) -> LoadResult:
    """Send `requests` GETs spread over `paths` (or until `stop` is set); never unbounded.

    `pause` seconds between a worker's requests gives steady traffic instead of a flood.
    """
    result = LoadResult()
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            for i in counter:
                if stop is not None and stop.is_set():
                    return
                path = paths[i % len(paths)]
                started = time.perf_counter()
                try:
                    response = client.get(path)
                    status = response.status_code
                except httpx.HTTPError as exc:
                    with lock:
                        result.failures.append(f"{path}: {exc!r}")
                    continue
                took = time.perf_counter() - started
                with lock:
                    result.latencies.append(took)
                    result.statuses[status] += 1
                    if status >= 400:
                        result.failures.append(f"{path}: {status}")
                if pause:
                    time.sleep(pause)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.elapsed = time.perf_counter() - started
    return result
