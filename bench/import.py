"""Import benchmark: a generated TWCS-format file into SQLite through the real path.

Parse, score, store and thread, exactly as `carescore import twcs` does. Prints posts per
second and the process's peak RSS, then the same for the real files in
../shared/data/twcs. Numbers are noisy on a shared machine: run it twice.

    .venv/bin/python bench/import.py                # 1,000,000 rows
    .venv/bin/python bench/import.py --rows 100000  # quicker
"""

from __future__ import annotations

import argparse
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

from carescore.store.brands import load_registry_file, upsert_brands  # noqa: E402
from carescore.store.db import make_engine  # noqa: E402
from carescore.store.migrate import upgrade  # noqa: E402
from collectors.runner import run_one  # noqa: E402
from collectors.twcs import COLUMNS, TwcsFile  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "twcs"
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


def import_file(path: Path, workdir: Path, label: str) -> None:
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
    rate = report.inserted / elapsed if elapsed else 0.0
    print(
        f"{label}: {report.inserted:,} posts in {elapsed:.1f} s = {rate:,.0f} posts/s; "
        f"rejected {report.rejected}; peak RSS so far {peak_rss_mb():.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-shared", action="store_true", help="only the generated file")
    args = parser.parse_args()
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
        if not args.skip_shared:
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
