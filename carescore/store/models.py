"""The data model of design.md as SQLModel tables.

Timestamps are aware UTC (`UTCDateTime`). Delays are whole seconds. Topic lists are
stored as comma-separated codes so that both databases can filter and count them with
plain SQL (`topics LIKE '%billing%'`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, event, text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from carescore.store.folding import brand_search_key
from carescore.store.sqltypes import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


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
    started_at: datetime | None = _ts(nullable=False)
    finished_at: datetime | None = _ts()
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
    updated_at: datetime | None = _ts(nullable=False)


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
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    external_id: str = Field(max_length=300)
    url: str | None = Field(default=None, sa_column=Column(Text))
    author_id: str = Field(max_length=200)
    author_handle: str | None = Field(default=None, max_length=200)
    author_followers: int | None = None
    created_at: datetime | None = _ts(nullable=False)
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
    label: str | None = Field(default=None, max_length=10, index=True)
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
    collected_at: datetime | None = _ts(nullable=False)
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
    period_start: datetime | None = _ts()
    period_end: datetime | None = _ts()
    methodology_version: str = Field(max_length=10)
    computed_at: datetime | None = _ts(nullable=False)
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
    created_at: datetime | None = _ts(nullable=False)


class ComplaintHour(SQLModel, table=True):
    """A brand's customer complaints (inbound `fail` posts) in one clock hour (UTC).

    `hour` counts hours since 1970-01-01T00:00Z. Hours without complaints have no row.
    Kept by `carescore.incidents` so that a run re-reads only the posts it has not seen.
    """

    brand_id: int = Field(foreign_key="brand.id", primary_key=True, ondelete="CASCADE")
    hour: int = Field(primary_key=True)
    complaints: int = 0
    topics: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class IncidentState(SQLModel, table=True):
    """Where incident detection stands for one brand.

    `first_hour`: the first hour of the brand's history (its first customer post);
    `through`: hours before it were decided as finished hours; `last_hour`: its latest
    hour with complaints; `complaints`: the total of the brand's ComplaintHour rows,
    checked against the posts to catch deletions and rescoring, which rebuild the brand;
    `detector_version`: the rules its incidents were found with (another one rebuilds it).
    """

    brand_id: int = Field(foreign_key="brand.id", primary_key=True, ondelete="CASCADE")
    first_hour: int
    through: int
    last_hour: int | None = None
    complaints: int = 0
    detector_version: str = Field(
        default="1.0", max_length=10, sa_column_kwargs={"server_default": "1.0"}
    )


class Incident(SQLModel, table=True):
    """An unusual surge of a brand's complaints, and how the brand answered during it.

    Times are aware UTC; `end_at` is exclusive and None while the incident is open.
    `expected` is the sum of the usual level over the incident's hours. The care figures
    count the brand's cases (`care_unit`; "post" on rows measured before cases existed)
    opened during the incident and, for `usual_*`, during the 28 days before it, with one
    rule: answered within 24 hours, of those at least 24 hours old.
    """

    __table_args__ = (
        UniqueConstraint("brand_id", "topic", "start_at", name="uq_incident_brand_topic_start"),
        Index("ix_incident_start", "start_at"),
        Index("ix_incident_open", "is_open"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    topic: str = Field(
        default="",
        max_length=40,
        sa_column_kwargs={"server_default": ""},
        description="the topic whose complaints alone surged; empty: all complaints together",
    )
    start_at: datetime | None = _ts(nullable=False)
    detected_at: datetime | None = _ts(nullable=False)
    end_at: datetime | None = _ts()
    is_open: bool = False
    peak_at: datetime | None = _ts(nullable=False)
    peak_count: int = 0
    peak_baseline: float = 0.0
    peak_ratio: float = 0.0
    posts: int = 0
    expected: float = 0.0
    p_value: float = 1.0
    topics: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    detector_version: str = Field(max_length=10)
    care_unit: str = Field(default="post", max_length=10, description="case, or post")
    care_n: int = Field(default=0, description="cases opened, at least 24 h old")
    care_answered: int = Field(default=0, description="of care_n, answered within 24 h")
    care_median_reply_s: float | None = None
    care_recovery_n: int = Field(default=0, description="answered cases opened by a complaint")
    care_recovered: int = 0
    usual_n: int = 0
    usual_answered: int = 0
    usual_median_reply_s: float | None = None
    usual_recovery_n: int = 0
    usual_recovered: int = 0
    computed_at: datetime | None = _ts(nullable=False)


# Right of reply (carescore.reply): brand keys, statements, disputes and their audit log.


class BrandKey(SQLModel, table=True):
    """An API key that writes for one brand. Only the SHA-256 of the token is kept;
    `prefix` (its first characters) finds the row and names the key in lists and logs."""

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", index=True, ondelete="CASCADE")
    prefix: str = Field(max_length=16, unique=True, index=True)
    token_hash: str = Field(max_length=64, description="hex SHA-256 of the whole token")
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = _ts(nullable=False)
    expires_at: datetime | None = _ts()
    revoked_at: datetime | None = _ts()


class Statement(SQLModel, table=True):
    """A brand's own words shown beside its figures; never changes a figure."""

    __table_args__ = (Index("ix_statement_brand_created", "brand_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    key_id: int | None = Field(default=None, foreign_key="brandkey.id", ondelete="SET NULL")
    text: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=500)
    refers_to: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = _ts(nullable=False)
    withdrawn_at: datetime | None = _ts()


class Dispute(SQLModel, table=True):
    """A brand's claim that one post is mislabelled, not about it, or answered elsewhere.

    Nothing changes before a reviewer decides; `previous_label` keeps what the scorer
    said, so a correction can be shown as "from -> to". The post's platform and id are
    kept even when the post is later forgotten (`post_id` then becomes NULL).
    """

    __table_args__ = (
        Index("ix_dispute_brand_created", "brand_id", "created_at"),
        Index("ix_dispute_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    key_id: int | None = Field(default=None, foreign_key="brandkey.id", ondelete="SET NULL")
    post_id: int | None = Field(default=None, foreign_key="post.id", ondelete="SET NULL")
    platform: str = Field(max_length=20)
    external_id: str = Field(max_length=300)
    kind: str = Field(max_length=20, description="mislabelled, misattributed or answered")
    requested_label: str | None = Field(default=None, max_length=10)
    link: str | None = Field(default=None, max_length=500)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=10, description="pending|accepted|rejected")
    created_at: datetime | None = _ts(nullable=False)
    previous_label: str | None = Field(default=None, max_length=10)
    decided_at: datetime | None = _ts()
    decided_by: str | None = Field(default=None, max_length=200)
    decision_note: str | None = Field(default=None, sa_column=Column(Text))


class AuditEntry(SQLModel, table=True):
    """One write: who (a key or an operator), what, when, from which address."""

    __table_args__ = (Index("ix_audit_brand_at", "brand_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime | None = _ts(nullable=False, index=True)
    actor: str = Field(max_length=200, description="key:<prefix> or operator:<name>")
    address: str = Field(max_length=100, description="client IP, or cli for the operator")
    action: str = Field(max_length=40)
    brand_id: int | None = Field(default=None, foreign_key="brand.id", ondelete="SET NULL")
    target: str | None = Field(default=None, max_length=100, description="e.g. statement:3")
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DataGeneration(SQLModel, table=True):
    """One row whose `value` goes up whenever published content changes.

    A forget and a ranking run bump it; every process that caches answers (the API's
    edge cache, each gunicorn worker, each host) compares it with the value its entries
    were built under, so a forgotten post leaves every cache at once.
    """

    id: int | None = Field(default=None, primary_key=True)
    value: int = 0
