"""Scorer throughput on real posts, language detection included: posts/s and peak RSS.

Run: `.venv/bin/python bench/scoring.py [N]`. Uses ../shared/data (airline and Free
tweets, mixed); prints one line. Not a timed test: the figure depends on the machine.
"""

from __future__ import annotations

import csv
import resource
import sys
import time
from pathlib import Path

from carescore.scoring import score_text, warm_up

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
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    texts = _texts()
    warm_up()
    posts = [texts[i % len(texts)] for i in range(n)]
    start = time.perf_counter()
    for text in posts:
        score_text(text)
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"scored {n} posts ({len(texts)} distinct, en+fr) in {elapsed:.2f}s: "
        f"{n / elapsed:,.0f} posts/s, peak RSS {rss_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
