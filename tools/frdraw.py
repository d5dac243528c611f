"""Draw the Free tweets for a round of blind hand labels: `python -m tools.frdraw`.

    python -m tools.frdraw [--seed 20261203] [--n 600] [--out var/french/draw.csv]

Draws `n` tweets at random (Python's `random.Random(seed).sample`, over the tweet_ids in
file order) among the Free tweets of ../shared/data that carry no label yet in
tests/fixtures/scoring/fr-free-labels.csv, whose text is not empty and whose author is not
one of Free's official accounts (data/brands.toml: the brand's own posts are not customer
posts, and the earlier samples excluded them, docs/scoring.md), and writes their
tweet_id and text only (no author, no scorer output: each is labelled from its text alone,
with the guideline of issue #22, before any scorer runs on it). Each drawn tweet's split
is set by `split_of`: the half with the lower hash of the tweet_id is `heldout-3`, the
other `tune-2`.

The round of scorer 2.1 -> 2.4 (issue #22) used seed 20261203 and n 600.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import tomllib
from pathlib import Path

from tools.trainingdata import FR_TWEETS

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261203


def _hash(tweet_id: str) -> str:
    return hashlib.sha1(f"fr-split-3:{tweet_id}".encode(), usedforsecurity=False).hexdigest()


def split_of(tweet_ids: list[str]) -> dict[str, str]:
    """`heldout-3` for the half of `tweet_ids` with the lower hashes, `tune-2` for the rest."""
    ordered = sorted(tweet_ids, key=_hash)
    half = len(ordered) // 2
    return {t: ("heldout-3" if i < half else "tune-2") for i, t in enumerate(ordered)}


def official_accounts(brand: str = "free") -> set[str]:
    """The brand's official X handles, lower-cased, from data/brands.toml."""
    with (ROOT / "data" / "brands.toml").open("rb") as handle:
        brands = tomllib.load(handle)
    entry = next(b for b in brands["brand"] if b["slug"] == brand)
    return {h.lower() for h in entry["accounts"]["x"]}


def draw(data: Path, labels: Path, n: int, seed: int) -> list[dict[str, str]]:
    with labels.open(encoding="utf-8", newline="") as handle:
        labelled = {r["tweet_id"] for r in csv.DictReader(handle)}
    official = official_accounts()
    with (data / FR_TWEETS).open(encoding="utf-8", newline="") as handle:
        pool = [
            r
            for r in csv.DictReader(handle)
            if r["tweet_id"] not in labelled
            and r["text"].strip()
            and r["author"].lower() not in official
        ]
    return random.Random(seed).sample(pool, n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.frdraw", description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    labels = ROOT / "tests" / "fixtures" / "scoring" / "fr-free-labels.csv"
    parser.add_argument("--labels", type=Path, default=labels)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "french" / "draw.csv")
    args = parser.parse_args(argv)
    drawn = draw(args.data, args.labels, args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tweet_id", "text"])
        for r in drawn:
            writer.writerow([r["tweet_id"], r["text"]])
    print(f"wrote {len(drawn)} tweets to {args.out} (seed {args.seed})")


if __name__ == "__main__":
    main()
