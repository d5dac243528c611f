"""The incidents' tables (carescore.incidents): complaints per brand and hour, where
detection stands per brand, and the incidents found.

Timestamps are aware UTC (`carescore.store.columns`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from carescore.store.columns import utc_column


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
        # Incidents newest first, of every brand or of one (migration 0015): a page of
        # them is a seek in the order shown, however many incidents the history holds.
        Index("ix_incident_recent", "start_at", "id"),
        Index("ix_incident_brand_start", "brand_id", "start_at", "id"),
        # What the home and sector pages show: the open incidents (few, so the index
        # holds them alone) and those closed since a date.
        Index(
            "ix_incident_open_now",
            "is_open",
            sqlite_where=text("is_open IS 1"),
            postgresql_where=text("is_open IS true"),
        ),
        Index("ix_incident_end", "end_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    brand_id: int = Field(foreign_key="brand.id", ondelete="CASCADE")
    topic: str = Field(
        default="",
        max_length=40,
        sa_column_kwargs={"server_default": ""},
        description="the topic whose complaints alone surged; empty: all complaints together",
    )
    start_at: datetime | None = utc_column(nullable=False)
    detected_at: datetime | None = utc_column(nullable=False)
    end_at: datetime | None = utc_column()
    is_open: bool = False
    peak_at: datetime | None = utc_column(nullable=False)
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
    computed_at: datetime | None = utc_column(nullable=False)
