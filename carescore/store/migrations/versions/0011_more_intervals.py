"""more intervals: the within-30-minutes share, recovery, equal treatment and the
business-hours medians carry their 95% intervals

Revision ID: 0011_more_intervals
Revises: 0010_incident_topic
Create Date: 2026-12-02 09:30:00.000000

Equal treatment also publishes the answered cases of each follower group, so that its
ratio and interval can be recomputed from what is published beside them. All are NULL
on rows computed before this revision (and on 1.0 snapshots); the next ranking run
fills the rows it rewrites, and final months keep what they published.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_more_intervals"
down_revision = "0010_incident_topic"
branch_labels = None
depends_on = None

SCORE_COLUMNS = [
    ("within_30m_low", sa.Float()),
    ("within_30m_high", sa.Float()),
    ("median_business_low_s", sa.Float()),
    ("median_business_high_s", sa.Float()),
    ("median_offhours_low_s", sa.Float()),
    ("median_offhours_high_s", sa.Float()),
    ("recovery_rate_low", sa.Float()),
    ("recovery_rate_high", sa.Float()),
    ("small_answered_n", sa.Integer()),
    ("large_answered_n", sa.Integer()),
    ("equal_treatment_low", sa.Float()),
    ("equal_treatment_high", sa.Float()),
]


def upgrade() -> None:
    with op.batch_alter_table("brandscore", schema=None) as batch_op:
        for name, kind in SCORE_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("brandscore", schema=None) as batch_op:
        for name, _kind in SCORE_COLUMNS:
            batch_op.drop_column(name)
