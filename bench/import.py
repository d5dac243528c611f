"""Import benchmark: a TWCS-format file into SQLite and PostgreSQL through the real path,
against scoring alone on the same rows and against each other.

The import parses, scores, stores and threads, exactly as `carescore import twcs` does.
The reference is `score_text` alone over the same rows' texts, in the same process just
before and just after each import (the scorer's models loaded and its word memo filled by
one untimed pass), so the ratio import / scoring says what parsing, storing and
threading cost on top of scoring, whatever the machine. The same file then goes into a
new PostgreSQL database, and the PostgreSQL / SQLite ratio of the two import rates,
measured in the same run, says whether production's database keeps up with the embedded
one (the target is 0.8 or more). Prints the rates, the ratios and the peak RSS, and how
much of each import went to building cases (methodology 2.0:
`carescore.threads.cases.build_cases`, timed around each call the import makes), so the
import without it is known from the same run.

PostgreSQL is reached at --postgres-url (default $CARESCORE_TEST_DATABASE_URL, else
postgres@127.0.0.1:5432); the benchmark creates a database of its own on that server
and drops it at the end. Unreachable, that half is skipped with a message.

    .venv/bin/python bench/import.py                   # 50,000 generated rows, both engines
    .venv/bin/python bench/import.py --rows 1000000    # the production-sized file
    .venv/bin/python bench/import.py --no-postgres     # SQLite only
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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

import carescore.store.posts as stored_posts  # noqa: E402
from carescore.errors import DatabaseUnavailable  # noqa: E402
from carescore.scoring.score import score_text, warm_up  # noqa: E402
from carescore.store.brands import load_registry_file, upsert_brands  # noqa: E402
from carescore.store.db import make_engine, ping  # noqa: E402
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
    for item in texts:
        score_text(item)
    return time.perf_counter() - began


DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database of this run's own; dropped afterwards."""
    base = make_url(admin_url)
    name = f"carescore_bench_import_{os.getpid()}"
    admin = make_engine(base.render_as_string(hide_password=False))
    try:
        ping(admin)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except DatabaseUnavailable:
            pass
        except Exception as exc:
            print(f"could not drop the benchmark database {name}: {exc}")
        admin.dispose()


class Stopwatch:
    """Wraps a function and adds up the seconds spent in it."""

    def __init__(self, function) -> None:
        self.function, self.seconds = function, 0.0

    def __call__(self, *args, **kwargs):
        began = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - began


def import_file(path: Path, url: str, label: str) -> float:
    """Import the file into the database at `url`; returns the import rate (posts/s).

    Scoring alone is timed just before and just after the import on the same texts (the
    memo filled by one untimed pass), so that a change in the machine's load during the
    run falls on the reference as well as on the import.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    scoring_seconds(texts)
    scoring = scoring_seconds(texts)
    engine = make_engine(url)
    upgrade(engine)
    cases = Stopwatch(stored_posts.build_cases)
    stored_posts.build_cases = cases
    try:
        with Session(engine, expire_on_commit=False) as session:
            upsert_brands(session, load_registry_file(REPO / "data" / "brands.toml"))
            session.commit()
            began = time.perf_counter()
            report = run_one(session, TwcsFile(path), None, None)
            elapsed = time.perf_counter() - began
    finally:
        stored_posts.build_cases = cases.function
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
    if report.inserted and elapsed > cases.seconds:
        without = report.inserted / (elapsed - cases.seconds)
        print(
            f"{label}: building cases {cases.seconds:.1f} s = {cases.seconds / elapsed:.0%} of "
            f"the import; without it {without:,.0f} posts/s, ratio to scoring "
            f"{without / reference:.2f}",
            flush=True,
        )
    return rate


def compare(path: Path, workdir: Path, label: str, postgres_url: str | None) -> None:
    """The file into SQLite, then into PostgreSQL, and the ratio of their rates."""
    sqlite_rate = import_file(path, f"sqlite:///{workdir / label}.db", f"{label} sqlite")
    if postgres_url is None:
        return
    try:
        with postgres_database(postgres_url) as url:
            postgres_rate = import_file(path, url, f"{label} postgresql")
    except DatabaseUnavailable as exc:
        print(f"{label} postgresql: skipped, {exc}")
        return
    print(
        f"{label}: PostgreSQL / SQLite import rate {postgres_rate / sqlite_rate:.2f} "
        f"({postgres_rate:,.0f} / {sqlite_rate:,.0f} posts/s; target 0.8 or more)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--shared", action="store_true", help="also import the real TWCS files of shared/data"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("CARESCORE_TEST_DATABASE_URL") or DEFAULT_POSTGRES,
        help="a PostgreSQL server where the benchmark may create and drop a database",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    postgres_url = None if args.no_postgres else args.postgres_url
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
        compare(generated, workdir, f"generated-{args.rows}", postgres_url)
        if args.shared:
            for name in (
                "twcs-threads-dev.csv",
                "twcs-random-sample.csv",
                "spotifycares-inbound.csv",
            ):
                if (SHARED / name).exists():
                    compare(SHARED / name, workdir, name, postgres_url)
                else:
                    print(f"{name}: not found in {SHARED}, skipped")
    print(f"peak RSS {peak_rss_mb():.0f} MB (whole process)")


if __name__ == "__main__":
    main()
