"""The demo dataset: fictional brands and synthetic posts, never real companies.

It is deterministic (same seed and as-of day, same rows) and goes through the same
store -> score -> thread -> rank path as real data, so every page has something real to
show. Every demo brand carries `is_demo`, which the site and API turn into a banner
and a `demo` flag.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain

from sqlmodel import Session

from carescore.demo_brands import BRANDS, CITIES, DEMO_PLATFORM, TEXTS, DemoBrand, demo_specs
from carescore.demo_incidents import incident_posts
from carescore.store.brands import upsert_brands
from carescore.store.normalised import NewPost
from carescore.store.posts import BrandDirectory, StoreResult, store_posts
from carescore.vocab import ACTIONABLE_LABELS

DEFAULT_POSTS = 56_000


def generate_posts(
    as_of: date, *, n_posts: int = DEFAULT_POSTS, seed: int = 2026
) -> Iterator[NewPost]:
    """Yield the demo's customer posts and brand replies for the 365 days before `as_of`.

    Inbound posts number `n_posts`; replies and follow-ups come on top.
    """
    rng = random.Random(seed)
    end = datetime.combine(as_of, time(0), tzinfo=UTC)
    start = end - timedelta(days=365)
    total_volume = sum(b.volume for b in BRANDS)
    counter = 0

    def next_id() -> str:
        nonlocal counter
        counter += 1
        return f"d{seed}-{counter:07d}"

    for brand in BRANDS:
        count = round(n_posts * brand.volume / total_volume)
        authors = [
            (f"u{brand.slug[:3]}{i}", int(rng.lognormvariate(5.0, 1.8)))
            for i in range(max(40, count // 4))
        ]
        trend = rng.uniform(-0.15, 0.15)  # the brand improves or declines over the year
        for _ in range(count):
            created = start + timedelta(seconds=rng.randrange(365 * 86400))
            progress = (created - start) / (end - start)
            lang = "fr" if rng.random() < brand.french else "en"
            texts = TEXTS[lang]
            kind = _pick_kind(rng, brand.praise_share + trend * (progress - 0.5))
            author, followers = rng.choice(authors)
            fill = _filler(rng, brand, lang)
            post = NewPost(
                platform=DEMO_PLATFORM,
                external_id=next_id(),
                author_id=author,
                author_handle=author,
                author_followers=followers,
                created_at=created,
                text=rng.choice(texts[kind]).format(**fill),
                direction="inbound",
                brand_slug=brand.slug,
                lang=lang,
            )
            post.conversation_id = post.external_id
            yield post
            if kind not in ACTIONABLE_LABELS:
                continue
            rate = min(
                0.99,
                brand.reply_rate
                + (0.05 if followers >= 10_000 else 0.0)
                + trend * (progress - 0.5),
            )
            if rng.random() >= rate:
                continue
            delay = _delay_seconds(rng, brand.median_minutes, created)
            replied = created + timedelta(seconds=delay)
            if replied >= end:
                continue
            reply = NewPost(
                platform=DEMO_PLATFORM,
                external_id=next_id(),
                author_id=brand.handle,
                author_handle=brand.handle,
                created_at=replied,
                text=rng.choice(texts["reply"]).format(u=author),
                direction="brand",
                brand_slug=brand.slug,
                lang=lang,
                in_reply_to_id=post.external_id,
                conversation_id=post.external_id,
            )
            yield reply
            if kind == "fail" and rng.random() < 0.35:
                happy = rng.random() < 0.3 + brand.reply_rate / 2
                follow = replied + timedelta(minutes=rng.randint(5, 600))
                if follow < end:
                    key = "followup_ok" if happy else "followup_bad"
                    yield NewPost(
                        platform=DEMO_PLATFORM,
                        external_id=next_id(),
                        author_id=author,
                        author_handle=author,
                        author_followers=followers,
                        created_at=follow,
                        text=rng.choice(texts[key]).format(**fill),
                        direction="inbound",
                        brand_slug=brand.slug,
                        lang=lang,
                        in_reply_to_id=reply.external_id,
                        conversation_id=post.external_id,
                    )


def _pick_kind(rng: random.Random, praise_share: float) -> str:
    roll = rng.random()
    opinion = 0.72
    if roll < opinion:
        return "praise" if rng.random() < max(0.02, min(0.95, praise_share)) else "fail"
    return "question" if roll < 0.90 else "neutral"


def _filler(rng: random.Random, brand: DemoBrand, lang: str) -> dict[str, object]:
    return {
        "h": brand.handle,
        "name": brand.name,
        "n": rng.randint(2, 9),
        "city": rng.choice(CITIES[lang]),
    }


def _delay_seconds(rng: random.Random, median_minutes: float, created: datetime) -> int:
    """Log-normal delay around the brand's median, slower at night and at weekends."""
    minutes = rng.lognormvariate(math.log(median_minutes), 1.0)
    if created.weekday() >= 5 or not 8 <= created.hour < 19:
        minutes *= 2.5
    return max(30, int(minutes * 60))


def build_demo(
    session: Session,
    as_of: date,
    *,
    n_posts: int = DEFAULT_POSTS,
    seed: int = 2026,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> StoreResult:
    """Load the demo brands and posts, committing batch by batch (re-running adds nothing)."""
    upsert_brands(session, demo_specs())
    session.commit()
    directory = BrandDirectory(session)
    total = StoreResult()
    batch: list[NewPost] = []
    for post in chain(
        generate_posts(as_of, n_posts=n_posts, seed=seed), incident_posts(as_of, seed=seed)
    ):
        batch.append(post)
        if len(batch) >= batch_size:
            total.add(store_posts(session, batch, directory=directory))
            session.commit()
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        total.add(store_posts(session, batch, directory=directory))
        session.commit()
        if progress:
            progress(len(batch))
    total.inserted_ids = []
    return total
