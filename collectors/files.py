"""Generic CSV and JSON Lines imports with one documented column mapping.

See docs/import-formats.md. Each record is one post; columns we do not know are ignored,
so exports of other tools load after a header rename.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from carescore.errors import BadInput
from carescore.store.limits import checked_post
from carescore.store.normalised import NewPost
from collectors.base import Batch, BrandTarget, parse_iso
from collectors.lines import bounded_lines, csv_records, open_binary

REQUIRED = ("external_id", "author_id", "created_at", "text")
OPTIONAL = (
    "platform",
    "direction",
    "brand",
    "author_handle",
    "author_followers",
    "url",
    "lang",
    "in_reply_to_id",
    "conversation_id",
    "reply_ids",
)


def _text(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"{key} must be text, got {type(value).__name__}")
    return str(value)


def _reply_ids(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    raise TypeError(f"reply_ids must be a list or comma-separated text, got {value!r}")


def to_post(record: dict[str, Any], platform: str) -> NewPost:
    """One record of the generic mapping; raises ValueError/TypeError/KeyError when malformed."""
    missing = [k for k in REQUIRED if _text(record, k) is None and k != "text"]
    if missing or record.get("text") is None:
        raise KeyError(f"missing {', '.join(missing or ['text'])}")
    direction = _text(record, "direction")
    if direction not in (None, "inbound", "brand"):
        raise ValueError(f"direction must be inbound or brand, got {direction!r}")
    followers = record.get("author_followers")
    if followers in (None, ""):
        followers = None
    elif isinstance(followers, bool) or not isinstance(followers, int | str):
        raise TypeError(f"author_followers must be an integer, got {followers!r}")
    else:
        followers = int(followers)
    if not isinstance(record["text"], str):
        raise TypeError("text must be a string")
    post = NewPost(
        platform=_text(record, "platform") or platform,
        external_id=_text(record, "external_id"),
        author_id=_text(record, "author_id"),
        created_at=parse_iso(record["created_at"]),
        text=record["text"],
        direction=direction,
        brand_slug=_text(record, "brand"),
        author_handle=_text(record, "author_handle"),
        author_followers=followers,
        url=_text(record, "url"),
        lang=_text(record, "lang"),
        in_reply_to_id=_text(record, "in_reply_to_id"),
        conversation_id=_text(record, "conversation_id"),
        reply_ids=_reply_ids(record.get("reply_ids")),
    )
    return checked_post(post)


class MappedFile:
    """A CSV (with a header) or JSON Lines file in the generic mapping."""

    per_brand = False

    def __init__(
        self, path: Path, kind: str, platform: str = "import", batch_size: int = 2000
    ) -> None:
        if kind not in ("csv", "jsonl"):
            raise BadInput(f"unknown file kind {kind!r} (csv or jsonl)")
        self.path, self.kind, self.platform = Path(path), kind, platform
        self.name = f"import:{kind}"
        self.batch_size = batch_size

    def configured(self) -> str | None:
        return None

    def _records(self) -> Iterator[tuple[int, Any]]:
        if self.kind == "csv":
            rows = csv_records(self.path)
            first = next(rows, None)
            if first is not None and isinstance(first[1], Exception):
                raise BadInput(f"{self.path}: unreadable header: {first[1]}")
            header = [h.strip() for h in first[1]] if first else []
            absent = [k for k in REQUIRED if k not in header]
            if absent:
                raise BadInput(f"{self.path}: header lacks {', '.join(absent)}")
            for line, fields in rows:
                if isinstance(fields, Exception):
                    yield line, fields
                elif len(fields) != len(header):
                    yield line, ValueError(f"expected {len(header)} fields, got {len(fields)}")
                else:
                    yield line, dict(zip(header, fields, strict=True))
            return
        with open_binary(self.path) as handle:
            for number, raw in enumerate(bounded_lines(handle), 1):
                if isinstance(raw, Exception):
                    yield number, raw
                    continue
                if not raw.strip():
                    continue
                try:
                    yield number, json.loads(raw)
                except ValueError as exc:
                    yield number, ValueError(f"not JSON: {exc}")

    def batches(
        self, client: httpx.Client | None, brand: BrandTarget | None, checkpoint: str | None
    ) -> Iterator[Batch]:
        batch = Batch()
        for line, record in self._records():
            try:
                if isinstance(record, Exception):
                    raise record
                if not isinstance(record, dict):
                    raise TypeError("a record must be an object")
                batch.posts.append(to_post(record, self.platform))
            except (KeyError, TypeError, ValueError, OverflowError) as exc:
                raw = None if isinstance(record, Exception) else record
                batch.reject(f"{self.path.name}: line {line}", str(exc), raw)
            if len(batch.posts) + batch.rejected >= self.batch_size:
                yield batch
                batch = Batch()
        if batch.posts or batch.rejected:
            yield batch
