"""Scorer throughput against raw VADER on the same posts: posts/s, their ratio, peak RSS.

Run: `.venv/bin/python bench/scoring.py [N] [--rounds R]` (default 20,000 posts, 3 rounds).
The posts are real airline, Free and TWCS tweets from the shared data folder (English and
French mixed), repeated up to N.

The reference is VADER's `SentimentIntensityAnalyzer.polarity_scores`, the analyser the
scorer's English lexicon comes from, on the same posts in the same process. Within each
round the two take turns every 500 posts, so both see the same neighbours on a shared
machine; the lines print every round's rates and ratio, and their medians. Only the
ratio compares across machines; the absolute posts/s are for orientation. The scorer
does more than VADER (language detection, cue patterns, two model heads, topics, French
as well as English).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from carescore.scoring.score import score_text, warm_up

DATA = Path(
    os.environ.get(
        "CARESCORE_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    )
)


def _texts() -> list[str]:
    texts = []
    for name, column in (
        ("airline-sentiment/labels-dev.csv", "text"),
        ("fr-free/free-tweets-dev.csv", "text"),
        ("twcs/twcs-random-sample.csv", "text"),
    ):
        path = DATA / name
        if not path.exists():
            sys.exit(f"shared dataset not found: {path} (set CARESCORE_SHARED_DATA)")
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row[column] for row in csv.DictReader(handle))
    return texts


CHUNK = 500


def _round(
    ours: Callable[[str], object], theirs: Callable[[str], object], posts: list[str]
) -> tuple[float, float]:
    """Posts/s of each analyser over the same posts, taking turns every CHUNK posts, so
    that a neighbour's burst of load falls on both sides rather than on one."""
    spent = [0.0, 0.0]
    for start in range(0, len(posts), CHUNK):
        chunk = posts[start : start + CHUNK]
        for side, func in enumerate((ours, theirs)):
            began = time.perf_counter()
            for text in chunk:
                func(text)
            spent[side] += time.perf_counter() - began
    return len(posts) / spent[0], len(posts) / spent[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000, help="posts per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = _texts()
    posts = [texts[i % len(texts)] for i in range(args.n)]
    warm_up()
    vader = SentimentIntensityAnalyzer()
    ours, theirs = [], []
    for _ in range(args.rounds):
        mine, reference = _round(score_text, vader.polarity_scores, posts)
        ours.append(mine)
        theirs.append(reference)
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.n:,} posts ({len(texts):,} distinct, en+fr) x {args.rounds} rounds, "
        f"scorer and VADER taking turns every {CHUNK} posts"
    )
    print(
        f"scorer: {', '.join(f'{r:,.0f}' for r in ours)} posts/s, "
        f"median {statistics.median(ours):,.0f}; peak RSS {rss_mb:.0f} MB"
    )
    print(
        f"VADER polarity_scores: {', '.join(f'{r:,.0f}' for r in theirs)} posts/s, "
        f"median {statistics.median(theirs):,.0f}"
    )
    print(
        f"ratio scorer / VADER: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median {statistics.median(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
