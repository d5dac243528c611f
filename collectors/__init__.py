"""Collectors: one module per source, a small shared base and the runner.

Sources turn platform payloads and files into `carescore.store.normalised.NewPost`; the runner
stores them through `carescore.store.posts.store_posts` and keeps the checkpoints and run records.
"""

from collectors.base import (
    Batch,
    BrandTarget,
    CollectorError,
    MissingCredentials,
    PageLimitReached,
    RateLimited,
    Source,
)

__all__ = [
    "Batch",
    "BrandTarget",
    "CollectorError",
    "MissingCredentials",
    "PageLimitReached",
    "RateLimited",
    "Source",
]
