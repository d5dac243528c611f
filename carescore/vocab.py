"""The code lists of Carescore, defined once: labels (and the actionable and opinion ones
among them), languages, directions, platforms, windows, sorts, sectors, topics and the
kinds and statuses of disputes.

Codes are what is stored, sent by the API and accepted as parameters; never rename one
without migrating what is stored. Each list also carries its English display names,
marked with `N_` so the site's message catalogue (website/translations) extracts them and
translates them to French; the domain itself never translates.

Complaint topics are defined by the scorer (`carescore.scoring.topics.TAXONOMY`, with
their English and French names), which finds them; they are re-exported here so every
other part reads the codes from one module.
"""

from __future__ import annotations

from carescore.scoring.topics import TAXONOMY, TOPIC_CODES


def N_(message: str) -> str:
    """Mark a display name for the message catalogue; translated where it is shown."""
    return message


LABEL_NAMES: dict[str, str] = {
    "praise": N_("Praise"),
    "fail": N_("Complaint"),
    "question": N_("Question"),
    "neutral": N_("Neutral"),
}
LABELS: tuple[str, ...] = tuple(LABEL_NAMES)
"""What the scorer says a customer post is; `fail` and `question` are actionable."""

NOT_JUDGED_NAME: str = N_("Not judged")
"""The display name of a post without a label: written in a language the scorer does not
read (or one it could not read), so neither a complaint nor praise, and no opinion."""

ACTIONABLE_LABELS: tuple[str, ...] = ("fail", "question")
"""Labels of posts a brand could answer: the reply figures count them, and only they carry
complaint topics."""

OPINION_LABELS: tuple[str, ...] = ("praise", "fail")
"""Labels that are an opinion of the brand: satisfaction is praise among them."""

ADDRESSEE_LABEL: str = "addressee"
"""The label source of the scorer's praise counted as neutral because the post is written
to other brands' accounts, not to its brand's (`carescore.store.posts.brand_label`)."""

LABEL_SOURCES: tuple[str, ...] = ("scorer", "human", ADDRESSEE_LABEL)
"""Who set a post's label: the scorer; a reviewer who accepted a dispute (rescoring keeps
it); or the addressee rule."""

LANGUAGES: tuple[str, ...] = ("en", "fr", "other")
"""A post's language as stored: English, French, or any other (which the scorer does not
judge)."""

JUDGED_LANGUAGES: tuple[str, ...] = ("en", "fr")
"""The languages the scorer reads (it has a lexicon and weights for each); a post in any
other is stored unlabelled, "not judged"."""

PLATFORMS: tuple[str, ...] = ("x", "mastodon", "bluesky", "reddit", "rss")
"""Where posts come from; an official account and each collector name one of them."""

DEMO_PLATFORM = "demo"
"""The platform of the demo's synthetic posts and accounts: stored like the others, never
collected, so it is not among PLATFORMS."""

HANDLE_PREFIXES: dict[str, str] = {
    "x": "@",
    "twcs": "@",
    "mastodon": "@",
    "bluesky": "@",
    "reddit": "u/",
    "demo": "@",
}
"""How each platform writes an author's public handle before it (`@name`, `u/name`); a
feed's author is a name, shown as given. `twcs` posts are X posts, `demo` the demo's."""

DISPUTE_KINDS: tuple[str, ...] = ("mislabelled", "misattributed", "answered")
"""What a brand may say is wrong with a post: its label, that it is about the brand, or
that the brand's public reply was missed."""

DISPUTE_STATUSES: tuple[str, ...] = ("pending", "accepted", "rejected")
"""A dispute waits for a reviewer, who accepts or rejects it."""

DIRECTIONS: tuple[str, ...] = ("inbound", "brand")
"""`inbound` from a customer, `brand` from one of the brand's official accounts."""

WINDOW_NAMES: dict[str, str] = {
    "90d": N_("Last 90 days"),
    "month": N_("Calendar month"),
    "all": N_("All time"),
}
WINDOWS: tuple[str, ...] = tuple(WINDOW_NAMES)
"""Stored as BrandScore.window: rolling 90 days, a calendar month, everything."""

SORT_NAMES: dict[str, str] = {
    "carescore": N_("Carescore"),
    "satisfaction": N_("Satisfaction"),
    "reply_rate": N_("Public reply rate"),
    "median_reply": N_("Median first reply"),
}
SORTS: tuple[str, ...] = tuple(SORT_NAMES)
"""Metrics a ranking can be ordered by; median_reply puts the fastest first."""

SECTOR_NAMES: dict[str, str] = {
    "telecom": N_("Telecoms"),
    "airline": N_("Airlines"),
    "rail": N_("Rail and transit"),
    "bank": N_("Banks and payments"),
    "tech": N_("Tech and software"),
    "retail": N_("Retail"),
    "delivery": N_("Delivery and mobility"),
}
SECTORS: tuple[str, ...] = tuple(SECTOR_NAMES)
"""The sectors the registry uses; a registry may add others, shown by their code."""

TOPICS: tuple[str, ...] = TOPIC_CODES
"""Complaint topic codes, in the scorer's taxonomy order."""


def sector_name(slug: str) -> str:
    """The English display name of a sector (its code, capitalised, when not listed)."""
    return SECTOR_NAMES.get(slug, slug.title())


def topic_name(code: str, lang: str = "en") -> str:
    """A topic's display name from the scorer's taxonomy (the code when unknown)."""
    topic = TAXONOMY.get(code)
    if topic is None:
        return code
    return topic.fr if lang == "fr" else topic.en


__all__ = [
    "DIRECTIONS",
    "HANDLE_PREFIXES",
    "LABELS",
    "LABEL_NAMES",
    "NOT_JUDGED_NAME",
    "N_",
    "SECTORS",
    "SECTOR_NAMES",
    "SORTS",
    "SORT_NAMES",
    "TOPICS",
    "WINDOWS",
    "WINDOW_NAMES",
    "sector_name",
    "topic_name",
]
