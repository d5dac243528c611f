"""Scorer throughput on real posts, language detection included: posts/s and peak RSS.

Run: `.venv/bin/python bench/scoring.py [N] [--rounds R]`. Uses ../shared/data (airline
and Free tweets, mixed). Not a timed test: the figure depends on the machine.

The session machines are shared: the same run can print 10,000 posts/s and then 14,000
posts/s. Each round therefore scores the same N posts, and the line gives every round,
their median and the best; the best is the least disturbed by neighbours (the reason
`timeit` reports a minimum), the median what a long import can count on.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import sys
import time
from pathlib import Path

from carescore.scoring.score import score_text, warm_up

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def _texts() -> list[str]:
    texts = []
    for name, column in (
        ("airline-sentiment/labels-dev.csv", "text"),
        ("fr-free/free-tweets-dev.csv", "text"),
        ("twcs/twcs-random-sample.csv", "text"),
    ):
        path = DATA / name
        if not path.exists():
            sys.exit(f"shared dataset not found: {path}")
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row[column] for row in csv.DictReader(handle))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", nargs="?", type=int, default=50_000, help="posts per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = _texts()
    warm_up()
    posts = [texts[i % len(texts)] for i in range(args.n)]
    rates = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in posts:
            score_text(text)
        rates.append(args.n / (time.perf_counter() - start))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rounds = ", ".join(f"{rate:,.0f}" for rate in rates)
    print(
        f"scored {args.n} posts ({len(texts)} distinct, en+fr) x {args.rounds} rounds: "
        f"{rounds} posts/s; median {statistics.median(rates):,.0f}, best {max(rates):,.0f}; "
        f"peak RSS {rss_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
