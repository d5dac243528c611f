"""The data model of design.md as SQLModel tables: brands, posts, scores, collection and
removals here; the incidents' tables in `carescore.store.incident_tables`, the right of
reply's in `carescore.store.reply_tables` (both registered on the metadata below).

Timestamps are aware UTC (`UTCDateTime`). Delays are whole seconds. Topic lists are
stored as comma-separated codes so that both databases can filter and count them with
plain SQL (`topics LIKE '%billing%'`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, event, text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from carescore.store.columns import utc_column
from carescore.store.folding import brand_search_key


class Brand(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=200)
    sector: str = Field(max_length=80, index=True)
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2")
    timezone: str = Field(default="UTC", max_length=64, description="for business hours")
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hashtags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    website: str | None = Field(default=None, max_length=300)
    is_demo: bool = Field(default=False, description="fictional brand of the demo dataset")
    # The folded name and slug that search compares (carescore.store.folding); kept by
    # `_keep_search_key` on every write, so no code path can forget it.
    search_key: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


@event.listens_for(Brand, "before_insert")
@event.listens_for(Brand, "before_update")
def _keep_search_key(mapper: Any, connection: Any, brand: Brand) -> None:
    brand.search_key = brand_search_key(brand.name or "", brand.slug or "")


class BrandAccount(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "handle_key", name="uq_account_handle"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    platform: str = Field(max_length=20)
    handle: str = Field(max_length=200, description="as written, without the leading @")
    handle_key: str = Field(max_length=200, description="lower-cased handle, for matching")
    platform_user_id: str | None = Field(default=None, max_length=100)


class CollectorRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40, index=True)
    brand_slug: str | None = Field(default=None, max_length=80)
    started_at: datetime | None = utc_column(nullable=False)
    finished_at: datetime | None = utc_column()
    status: str = Field(
        default="running", max_length=20, description="running|ok|partial|failed|skipped"
    )
    fetched: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    message: str | None = Field(default=None, sa_column=Column(Text))


class Checkpoint(SQLModel, table=True):
    """Where a source resumes, per brand; written only after the batch it covers commits."""

    __table_args__ = (UniqueConstraint("source", "brand_slug", name="uq_checkpoint"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40)
    brand_slug: str = Field(default="", max_length=80, description="'' when not per brand")
    cursor: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime | None = utc_column(nullable=False)


class Post(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_post_platform_external"),
        Index("ix_post_brand_created", "brand_id", "created_at"),
        Index("ix_post_reply_to", "platform", "in_reply_to_id"),
        Index("ix_post_conversation", "platform", "conversation_id"),
        Index("ix_post_author", "platform", "author_id"),
        Index("ix_post_thread", "platform", "thread_key"),
        # Covers the ranking's scans (migrations 0002, 0003): brand, direction and period,
        # then every column its counts read, so no table lookups and no sort before GROUP BY.
        Index(
            "ix_post_rank",
            "brand_id",
            "direction",
            "created_at",
            "label",
            "opens_case",
            "case_reply_seconds",
            "case_recovered",
            "author_followers",
            "topics",
            "author_id",
            "lang",
            postgresql_include=["id"],
        ),
        # The few posts a reviewer corrected, counted per ranking window (migrations 0005
        # and 0007): with the direction, it holds every column that count reads.
        Index(
            "ix_post_human",
            "brand_id",
            "direction",
            "created_at",
            sqlite_where=text("label_source = 'human' OR reply_source = 'human'"),
            postgresql_where=text("label_source = 'human' OR reply_source = 'human'"),
        ),
        # The posts stored since the last count of each brand's customer posts
        # (`carescore.store.tally`, migration 0013): a seek, however long the history.
        Index("ix_post_brand_direction_id", "brand_id", "direction", "id"),
        # Lists of posts newest first (`carescore.read.posts`, migration 0014), each in
        # the order it is shown so a page of it is a seek and a short walk, however long
        # the history: every post; every post of a label (also the label lookups of
        # 0001's index on the label alone); a brand's posts; a brand's posts of a label,
        # or without one (the brand page's three lists).
        Index("ix_post_recent", "direction", "created_at", "id"),
        Index("ix_post_label_recent", "label", "direction", "created_at", "id"),
        Index("ix_post_brand_recent", "brand_id", "direction", "created_at", "id"),
        Index("ix_post_brand_label", "brand_id", "direction", "label", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    external_id: str = Field(max_length=300)
    url: str | None = Field(default=None, sa_column=Column(Text))
    author_id: str = Field(max_length=200)
    author_handle: str | None = Field(default=None, max_length=200)
    author_followers: int | None = None
    created_at: datetime | None = utc_column(nullable=False)
    text: str = Field(sa_column=Column(Text, nullable=False))
    lang: str = Field(default="other", max_length=8, description="en, fr or other")
    brand_id: int | None = Field(default=None, foreign_key="brand.id", ondelete="SET NULL")
    direction: str = Field(max_length=10, description="inbound (customer) or brand (official)")
    in_reply_to_id: str | None = Field(default=None, max_length=300, description="external id")
    conversation_id: str | None = Field(default=None, max_length=300)
    reply_ids: str | None = Field(
        default=None, max_length=2000, description="comma-separated external ids known to answer"
    )
    sentiment: float | None = Field(default=None, description="compound, -1..1")
    label: str | None = Field(default=None, max_length=10)
    label_source: str = Field(
        default="scorer",
        max_length=10,
        sa_column_kwargs={"server_default": "scorer"},
        description="scorer, or human once a reviewer accepted a dispute: rescoring keeps it",
    )
    reply_source: str = Field(
        default="thread",
        max_length=10,
        sa_column_kwargs={"server_default": "thread"},
        description="thread (found by threading) or human (an accepted answered-elsewhere "
        "dispute): threading keeps a human one",
    )
    topics: str = Field(default="", max_length=200, description="comma-separated topic codes")
    scorer_version: str | None = Field(default=None, max_length=20)
    first_reply_id: str | None = Field(default=None, max_length=300, description="external id")
    first_reply_seconds: int | None = Field(default=None, description="delay to first brand reply")
    # Cases (methodology 2.0, written by carescore.threads.cases): the post's conversation,
    # and on the post that opens a case, the reply that answers it and the outcome.
    thread_key: str | None = Field(
        default=None, max_length=300, description="conversation id, else reply-chain root"
    )
    opens_case: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa_false()}, description="case opener"
    )
    case_reply_id: str | None = Field(default=None, max_length=300, description="external id")
    case_reply_seconds: int | None = Field(
        default=None, description="opening post to the brand's first reply to the case"
    )
    case_recovered: bool = Field(
        default=False,
        sa_column_kwargs={"server_default": sa_false()},
        description="customer's last post after that reply is positive",
    )
    collected_at: datetime | None = utc_column(nullable=False)
    run_id: int | None = Field(default=None, foreign_key="collectorrun.id", ondelete="SET NULL")


class BrandScore(SQLModel, table=True):
    """Every published figure for one brand, window and period, with its sample sizes.

    `window` is `90d` (rolling, `period` = the as-of date), `month` (`period` = YYYY-MM)
    or `all` (`period` = the as-of date). Monthly rows are final once the month is over
    and are never rewritten, so a cited number stays reproducible.
    """

    __table_args__ = (
        UniqueConstraint("brand_id", "window", "period", name="uq_score_brand_window_period"),
        Index("ix_score_window_period", "window", "period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    window: str = Field(max_length=8)
    period: str = Field(max_length=10)
    period_start: datetime | None = utc_column()
    period_end: datetime | None = utc_column()
    methodology_version: str = Field(max_length=10)
    computed_at: datetime | None = utc_column(nullable=False)
    is_final: bool = False

    mentions: int = 0
    inbound_n: int = 0
    praise_n: int = 0
    fail_n: int = 0
    question_n: int = 0
    opinion_n: int = Field(default=0, description="praise + fail after per-author de-duplication")
    actionable_n: int = Field(
        default=0, description="2.0: cases (= cases_n); 1.0: fail + question posts judged"
    )
    answered_n: int = Field(default=0, description="2.0: answered cases; 1.0: answered posts")
    cases_n: int | None = Field(default=None, description="cases old enough to be judged (2.0)")
    cases_answered_n: int | None = Field(default=None, description="answered within 7 days")
    opinion_praise_n: int | None = Field(default=None, description="praise after de-duplication")
    reply_rate: float | None = None
    reply_rate_low: float | None = None
    reply_rate_high: float | None = None
    reply_rate_shrunk: float | None = None
    median_reply_s: float | None = None
    median_reply_low_s: float | None = None
    median_reply_high_s: float | None = None
    p90_reply_s: float | None = None
    p90_reply_low_s: float | None = None
    p90_reply_high_s: float | None = None
    within_1h: float | None = None
    within_1h_n: int | None = None
    within_1h_low: float | None = None
    within_1h_high: float | None = None
    within_30m: float | None = None
    within_30m_n: int | None = None
    within_30m_low: float | None = None
    within_30m_high: float | None = None
    business_n: int = 0
    median_business_s: float | None = None
    median_business_low_s: float | None = None
    median_business_high_s: float | None = None
    offhours_n: int = 0
    median_offhours_s: float | None = None
    median_offhours_low_s: float | None = None
    median_offhours_high_s: float | None = None
    satisfaction_raw: float | None = None
    satisfaction: float | None = None
    satisfaction_low: float | None = None
    satisfaction_high: float | None = None
    satisfaction_corrected: float | None = None
    satisfaction_corrected_low: float | None = None
    satisfaction_corrected_high: float | None = None
    shrunk_toward: str | None = Field(
        default=None, max_length=10, description="sector, or all (sector unknown)"
    )
    recovery_n: int = 0
    recovered_n: int | None = None
    recovery_rate: float | None = None
    recovery_rate_low: float | None = None
    recovery_rate_high: float | None = None
    small_authors_n: int = 0
    large_authors_n: int = 0
    small_answered_n: int | None = Field(default=None, description="their answered cases (2.0)")
    large_answered_n: int | None = Field(default=None, description="their answered cases (2.0)")
    equal_treatment: float | None = None
    equal_treatment_low: float | None = None
    equal_treatment_high: float | None = None
    carescore: float | None = None
    ranked: bool = False
    rank_overall: int | None = None
    rank_sector: int | None = None
    topics: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    delay_histogram: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    human_labels_n: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="inbound posts of the window whose label or reply a reviewer corrected",
    )


class Removal(SQLModel, table=True):
    """A post or an author that asked to be forgotten: never stored or shown again."""

    __table_args__ = (UniqueConstraint("platform", "kind", "external_id", name="uq_removal"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    kind: str = Field(max_length=10, description="post or author")
    external_id: str = Field(max_length=300, description="post id or author id")
    reason: str | None = Field(default=None, max_length=500)
    created_at: datetime | None = utc_column(nullable=False)


class BrandPostTally(SQLModel, table=True):
    """Each brand's customer posts counted up to one post id (`carescore.store.tally`).

    The right of reply's dispute rate divides by every customer post stored for the
    brand; this count, plus the posts stored after `through_post_id`, gives that number
    without counting the whole history on each read.
    """

    brand_id: int = Field(foreign_key="brand.id", primary_key=True, ondelete="CASCADE")
    inbound_posts: int = 0
    through_post_id: int = Field(default=0, description="the highest post id counted")


class DataGeneration(SQLModel, table=True):
    """One row whose `value` goes up whenever published content changes.

    A forget and a ranking run bump it; every process that caches answers (the API's
    edge cache, each gunicorn worker, each host) compares it with the value its entries
    were built under, so a forgotten post leaves every cache at once.
    """

    id: int | None = Field(default=None, primary_key=True)
    value: int = 0


# Every table on SQLModel.metadata whenever the model is imported (migrations, tests
# that empty the tables): the incidents' and the right of reply's live in their own modules.
from carescore.store import incident_tables, reply_tables  # noqa: E402, F401
