"""`carescore --help` wall time against a bare Python start, in the same run.

Run: `.venv/bin/python bench/cli.py [--runs N]` (default 20 runs of each, in each mode).

Each run starts a fresh process, as a person typing the command does: the console
script `carescore --help`, and the reference `python -c pass` from the same interpreter
(what any Python command pays before its first line), taking turns so both see the same
load on a shared machine. A third command, `python -c "import click"`, shows what the
command-line library costs on its own.

Two modes, each with its own bytecode cache folder (PYTHONPYCACHEPREFIX, a temporary
folder, so nothing is written beside the sources): `cached`, the usual case (pip compiles
bytecode at install, and Python writes it on the first run otherwise), and `uncached`,
where every module is compiled from source on every run (PYTHONDONTWRITEBYTECODE set
and no cache, as in some containers). Prints the median and the 90th percentile of
each command, and the ratios help / bare start and help / click import. Only the ratios
compare across machines; the seconds are for orientation (the target is under 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "carescore --help": [str(BIN / "carescore"), "--help"],
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import click'": [sys.executable, "-c", "import click"],
}


def _once(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def _mode(name: str, env: dict[str, str], runs: int) -> None:
    for args in COMMANDS.values():  # file caches warm; in `cached` mode, bytecode written
        _once(args, env)
    times: dict[str, list[float]] = {command: [] for command in COMMANDS}
    for _ in range(runs):
        for command, args in COMMANDS.items():
            times[command].append(_once(args, env))
    medians = []
    print(f"-- {name}")
    for command, values in times.items():
        medians.append(statistics.median(values))
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{command:26} median {medians[-1]:.3f} s   p90 {p90:.3f} s   ({runs} runs)")
    help_s, bare, click_s = medians
    print(f"help / bare start: {help_s / bare:.2f} x", end="   ")
    print(f"help / click import: {help_s / click_s:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as cached, tempfile.TemporaryDirectory() as empty:
        _mode("cached", {**base, "PYTHONPYCACHEPREFIX": cached}, runs)
        _mode(
            "uncached",
            {**base, "PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"},
            runs,
        )


if __name__ == "__main__":
    main()
