"""Import benchmark: a TWCS-format file into SQLite through the real path, against
scoring alone on the same rows.

The import parses, scores, stores and threads, exactly as `carescore import twcs` does.
The reference is `score_text` alone over the same rows' texts, in the same process just
before and just after the import (the scorer's models loaded and its word memo filled by
one untimed pass), so the ratio import / scoring says what parsing, storing and
threading cost on top of scoring, whatever the machine. Prints both rates, their ratio
and the peak RSS.

    .venv/bin/python bench/import.py                   # 50,000 generated rows
    .venv/bin/python bench/import.py --rows 1000000    # the production-sized file
    .venv/bin/python bench/import.py --shared          # also the real files of shared/data/twcs
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlmodel import Session  # noqa: E402

from carescore.scoring.score import score_text, warm_up  # noqa: E402
from carescore.store.brands import load_registry_file, upsert_brands  # noqa: E402
from carescore.store.db import make_engine  # noqa: E402
from carescore.store.migrate import upgrade  # noqa: E402
from collectors.runner import run_one  # noqa: E402
from collectors.twcs import COLUMNS, TwcsFile  # noqa: E402

SHARED = Path(os.environ.get("CARESCORE_SHARED_DATA", REPO.parent / "shared" / "data")) / "twcs"
BRANDS = ["AppleSupport", "AmazonHelp", "Uber_Support", "SpotifyCares", "Delta", "Tesco"]
COMPLAINTS = [
    "my order never arrived and nobody answers",
    "app keeps crashing after the update, fix it please",
    "been on hold for 2 hours, this is ridiculous",
    'billing charged me twice, "again", really?',
    "thanks for the quick fix, great service!",
    "how do I reset my password?",
    "flight delayed 3 hours and no info\ron the board",
    "refund still not here,\nthird time I ask",
]
REPLIES = [
    "Sorry to hear that! Can you DM us your order number?",
    "We're here to help. Which version are you on?",
    "Thanks for reaching out, we'll look into it right away.",
]
FMT = "%a %b %d %H:%M:%S +0000 %Y"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Threads of three tweets: a customer, the brand's reply, the customer's thanks."""
    rng = random.Random(seed)
    start = datetime(2017, 10, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(COLUMNS) + "\n")
        tid = 1
        while tid <= rows:
            brand = rng.choice(BRANDS)
            customer = str(100000 + rng.randrange(500000))
            when = start + timedelta(seconds=rng.randrange(60 * 86400))
            ask, answer, thanks = tid, tid + 1, tid + 2
            late = when + timedelta(seconds=rng.randrange(30, 20000))
            lines = [
                (
                    ask,
                    customer,
                    "True",
                    when,
                    f"@{brand} {rng.choice(COMPLAINTS)} #{tid}",
                    answer,
                    "",
                ),
                (
                    answer,
                    brand,
                    "False",
                    late,
                    f"@{customer} {rng.choice(REPLIES)}",
                    thanks,
                    f"{ask}.0",
                ),
                (
                    thanks,
                    customer,
                    "True",
                    late + timedelta(minutes=5),
                    f"@{brand} ok thanks",
                    "",
                    answer,
                ),
            ]
            for row in lines:
                if row[0] > rows:
                    break
                out.write(
                    f"{row[0]},{row[1]},{row[2]},{row[3].strftime(FMT)},{_quote(row[4])},"
                    f"{row[5]},{row[6]}\n"
                )
            tid += 3


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scoring_seconds(texts: list[str]) -> float:
    """Seconds `score_text` alone takes over the texts."""
    began = time.perf_counter()
    for text in texts:
        score_text(text)
    return time.perf_counter() - began


def import_file(path: Path, workdir: Path, label: str) -> None:
    """Import the file, with scoring alone timed just before and just after it on the
    same texts (the memo filled by one untimed pass), so that a change in the machine's
    load during the run falls on the reference as well as on the import."""
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    scoring_seconds(texts)
    scoring = scoring_seconds(texts)
    db = workdir / f"{label}.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        upsert_brands(session, load_registry_file(REPO / "data" / "brands.toml"))
        session.commit()
        began = time.perf_counter()
        report = run_one(session, TwcsFile(path), None, None)
        elapsed = time.perf_counter() - began
    engine.dispose()
    scoring += scoring_seconds(texts)
    reference = 2 * len(texts) / scoring
    rate = report.inserted / elapsed if elapsed else 0.0
    print(
        f"{label}: import {report.inserted:,} posts in {elapsed:.1f} s = {rate:,.0f} posts/s; "
        f"scoring alone {reference:,.0f} posts/s; ratio import / scoring {rate / reference:.2f}; "
        f"rejected {report.rejected}; peak RSS so far {peak_rss_mb():.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--shared", action="store_true", help="also import the real TWCS files of shared/data"
    )
    args = parser.parse_args()
    warm_up()
    with tempfile.TemporaryDirectory(prefix="carescore-bench-") as tmp:
        workdir = Path(tmp)
        generated = workdir / "twcs-generated.csv"
        began = time.perf_counter()
        generate(generated, args.rows)
        size = generated.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - began:.1f} s"
        )
        import_file(generated, workdir, f"generated-{args.rows}")
        if args.shared:
            for name in (
                "twcs-threads-dev.csv",
                "twcs-random-sample.csv",
                "spotifycares-inbound.csv",
            ):
                if (SHARED / name).exists():
                    import_file(SHARED / name, workdir, name)
                else:
                    print(f"{name}: not found in {SHARED}, skipped")
    print(f"peak RSS {peak_rss_mb():.0f} MB (whole process)")


if __name__ == "__main__":
    main()
