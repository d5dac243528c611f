"""The Kaggle "Customer Support on Twitter" file (TWCS), read exactly as published.

Records end at '\\n' only (texts hold bare carriage returns; some copies use CRLF), ids
may read `3.0`, `created_at` is `Tue Oct 31 22:10:47 +0000 2017` and the answers of a
tweet are a comma-separated list. Texts escape `&`, `<` and `>` as X's API did
(`&amp;`); they are decoded once here, so the stored text is what the author wrote.
Posts are stored under the platform `twcs`; brand handles are matched to the registry's
X accounts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx

from carescore.errors import BadInput
from carescore.store.limits import checked_post
from carescore.store.normalised import NewPost
from collectors.base import Batch, BrandTarget
from collectors.lines import csv_records
from collectors.text import decode_entities

COLUMNS = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
PLATFORM = "twcs"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_ZONES: dict[str, timezone] = {"+0000": UTC}


def parse_id(value: str) -> str:
    """`3`, `3.0` -> `3`; anything else is a malformed row."""
    value = value.strip()
    if value.isdigit():
        return value.lstrip("0") or "0"
    number = float(value)
    if not number.is_integer() or number < 0:
        raise ValueError(f"not a tweet id: {value!r}")
    return str(int(number))


def parse_created(value: str) -> datetime:
    """`%a %b %d %H:%M:%S %z %Y`, parsed by hand: strptime is the slowest step at 1M rows."""
    parts = value.split()
    if len(parts) != 6 or parts[1] not in _MONTHS:
        raise ValueError(f"bad created_at: {value!r}")
    hh, mm, ss = parts[3].split(":")
    zone = _ZONES.get(parts[4])
    if zone is None:
        sign, off = parts[4][0], parts[4][1:]
        if sign not in "+-" or len(off) != 4 or not off.isdigit():
            raise ValueError(f"bad zone in created_at: {value!r}")
        delta = timedelta(hours=int(off[:2]), minutes=int(off[2:]))
        zone = _ZONES.setdefault(parts[4], timezone(delta if sign == "+" else -delta))
    return datetime(
        int(parts[5]), _MONTHS[parts[1]], int(parts[2]), int(hh), int(mm), int(ss), tzinfo=zone
    )


def parse_row(fields: list[str]) -> NewPost:
    if len(fields) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} fields, got {len(fields)}")
    tweet_id, author_id, inbound, created, text, responses, parent = fields
    flag = inbound.strip().lower()
    if flag not in ("true", "false"):
        raise ValueError(f"inbound must be True or False, got {inbound!r}")
    author_id = author_id.strip()
    if not author_id:
        raise ValueError("empty author_id")
    is_brand = flag == "false"
    post = NewPost(
        platform=PLATFORM,
        external_id=parse_id(tweet_id),
        author_id=author_id,
        created_at=parse_created(created),
        text=decode_entities(text),
        direction="brand" if is_brand else "inbound",
        author_handle=author_id if is_brand else None,
        in_reply_to_id=parse_id(parent) if parent.strip() else None,
        reply_ids=tuple(parse_id(r) for r in responses.split(",") if r.strip()),
    )
    return checked_post(post)


class TwcsFile:
    """A TWCS file as a source: one run, batches of posts, broken rows rejected by line."""

    name = "import:twcs"
    per_brand = False

    def __init__(self, path: Path, batch_size: int = 2000) -> None:
        self.path = Path(path)
        self.batch_size = batch_size
        self.brand_handles: Counter[str] = Counter()

    def configured(self) -> str | None:
        return None

    def records(self) -> Iterator[tuple[int, list[str]]]:
        records = csv_records(self.path)
        header = next(records, None)
        if (
            header is None
            or isinstance(header[1], Exception)
            or [h.strip() for h in header[1]] != COLUMNS
        ):
            raise BadInput(f"{self.path}: not a TWCS file (expected header {','.join(COLUMNS)})")
        return records

    def batches(
        self, client: httpx.Client | None, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        batch = Batch()
        for line, fields in self.records():
            try:
                if isinstance(fields, Exception):
                    raise fields
                post = parse_row(fields)
            except (ValueError, TypeError, OverflowError) as exc:
                raw = None if isinstance(fields, Exception) else fields
                batch.reject(f"{self.path.name}: line {line}", str(exc), raw)
            else:
                if post.direction == "brand":
                    self.brand_handles[post.author_id] += 1
                batch.posts.append(post)
            if len(batch.posts) + batch.rejected >= self.batch_size:
                yield batch
                batch = Batch()
        if batch.posts or batch.rejected:
            yield batch

    def scan_brand_handles(self) -> Counter[str]:
        """Brand authors of the whole file, read without storing (for --create-brands)."""
        found: Counter[str] = Counter()
        for _line, fields in self.records():
            if isinstance(fields, Exception) or len(fields) != len(COLUMNS):
                continue
            if fields[2].strip().lower() == "false":
                found[fields[1].strip()] += 1
        return found
