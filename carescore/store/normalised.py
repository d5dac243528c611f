"""The one shape every source produces, whatever the platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class NewPost:
    """A post as a collector or importer hands it to the store.

    `created_at` must be aware (any zone; it is stored as UTC). `direction` is
    `inbound` for a customer and `brand` for an official account; leave it None to let
    the store decide from the brand registry's accounts. Ids are the platform's own.
    """

    platform: str
    external_id: str
    author_id: str
    created_at: datetime
    text: str
    direction: str | None = None
    brand_slug: str | None = None
    author_handle: str | None = None
    author_followers: int | None = None
    url: str | None = None
    lang: str | None = None
    in_reply_to_id: str | None = None
    conversation_id: str | None = None
    reply_ids: tuple[str, ...] = ()
